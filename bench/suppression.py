# ruff: noqa: E402
"""How much suppression costs: suppressed cells for Amsterdam's 517 buurten and 110 wijken.

    .venv/bin/python -m bench.suppression [--scale 1.0] [--seed 1]

No database: counts per buurt are drawn (Poisson, proportional to the CBS population 15+) at
the sizes ``bench.indicatoren`` seeds (``--scale 1``: 100,000 residents on the platform, 50,000
survey answers, 50,000 meldingen, 5,000 requests; ``--scale 0.1``: a platform in its first
year), then ``figures.build`` computes every figure as the nightly run does. Prints the
suppressed cells (indicator x area) per level, and how many of them are hidden because their
own count is small ("klein") or to protect a small count elsewhere ("bescherming").
"""

import argparse
import csv
import math
import random
from collections import Counter
from types import SimpleNamespace

from bench import harness

# Never connected: nothing here reads or writes a database.
harness.setup(DATABASE_URL="postgres://postgres@127.0.0.1:5432/suppression_bench", REDIS_URL="")

from indicatoren import figures
from indicatoren.models import IndicatorInstelling
from indicatoren.registry import INDICATORS

CSV = harness.BASE_DIR / "data" / "amsterdam" / "kerncijfers_wijken_buurten_2024.csv"
BANDS = ("15_25", "25_45", "45_65", "65_plus")
# Per resident 15+ at --scale 1 (bench.indicatoren: 100,000 residents of ~800,000, most of
# them taking part; one survey round per wijk; meldingen and requests by population).
RATES = {"deelnemers": 0.11, "respons": 0.062, "meldingen": 0.062, "verzoeken": 0.0062}


def poisson(rnd: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 60:  # normal approximation, plenty for counting suppressed cells
        return max(0, round(rnd.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def thin(rnd, n, share):
    return sum(rnd.random() < share for _ in range(n))


def buurt_sums(rnd, p15: int, scale: float) -> Counter:
    s = Counter()
    n = poisson(rnd, RATES["deelnemers"] * scale * p15)
    s["deelnemers"], s["herhalers"] = n, thin(rnd, n, 0.6)
    s["kern"], s["vrijwilligers"] = thin(rnd, n, 0.3), thin(rnd, n, 0.1)
    s["uren"] = 4 * s["vrijwilligers"]
    for band, share in zip(BANDS, (0.15, 0.4, 0.3, 0.15), strict=True):
        s[f"l_{band}"] = thin(rnd, n, 0.85 * share)
    r = poisson(rnd, RATES["respons"] * scale * p15)
    s["sc_n"] = thin(rnd, r, 0.95)
    s["tot_n"] = s["isc_n"] = s["sct_n"] = thin(rnd, r, 0.9)  # both subscales valid
    for prefix in ("sc", "tot", "isc", "sct"):
        s[f"{prefix}_s"], s[f"{prefix}_ss"] = 6 * s[f"{prefix}_n"], 40 * s[f"{prefix}_n"]
    for key, share in (("bereidheid", 0.98), ("aanspreken", 0.97)):
        s[f"{key}_n"] = thin(rnd, r, share)
        s[f"{key}_k"] = thin(rnd, s[f"{key}_n"], 0.4)
    m = poisson(rnd, RATES["meldingen"] * scale * p15)
    s["m_totaal"], s["m_feedback"] = m, thin(rnd, m, 0.7)
    for doel in ("politie", "handhaving", "gemeente", "buurt", "coordinator"):
        s[f"m_{doel}"] = 0
    for _ in range(m):
        doel = rnd.choices(("politie", "handhaving", "gemeente", "buurt", "coordinator"),
                           (40, 25, 20, 10, 5))[0]  # fmt: skip
        s[f"m_{doel}"] += 1
    v = poisson(rnd, RATES["verzoeken"] * scale * p15)
    s["v_totaal"], s["v_besloten"] = v, thin(rnd, v, 0.8)
    s["v_toegekend"] = thin(rnd, s["v_besloten"], 0.7)
    s["v_met_termijn"] = thin(rnd, v, 0.9)
    s["v_binnen_termijn"] = thin(rnd, s["v_met_termijn"], 0.75)
    return s


def amsterdam():
    buurten = []
    with CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code = row["Area_Code"]
            if not code.startswith("BU"):
                continue

            def number(name, row=row):
                raw = (row.get(name) or "").strip()
                return int(float(raw)) if raw and raw not in {".", "-"} else None

            bands = [number(f"Pop_Age_{b.replace('plus', 'Plus')}") for b in BANDS]
            inwoners, jong = number("Population_Total"), number("Pop_Age_0_15")
            buurten.append(
                SimpleNamespace(
                    pk=len(buurten) + 1,
                    code=code,
                    wijk_id=code[2:8],
                    inwoners=inwoners,
                    inwoners_15_plus=None if None in (inwoners, jong) else inwoners - jong,
                    **{f"leeftijd_{b}": v for b, v in zip(BANDS, bands, strict=True)},
                )
            )
    wijk_ids = {code: i for i, code in enumerate(sorted({b.wijk_id for b in buurten}), 1)}
    for b in buurten:
        b.wijk_id = wijk_ids[b.wijk_id]
    return buurten


def extra_for(areas):
    top = {w: (0.0, a.sums["vrijwilligers"]) for w, a in areas.items()}
    feedback = {w: (24.0, a.sums["m_feedback"]) for w, a in areas.items() if a.sums["m_feedback"]}
    besluit = {w: (9.0, a.sums["v_besloten"]) for w, a in areas.items() if a.sums["v_besloten"]}
    return {"top": top, "feedback": feedback, "besluit": besluit}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    buurten = amsterdam()
    sums = {b.pk: buurt_sums(rnd, b.inwoners_15_plus or 0, args.scale) for b in buurten}
    areas = figures.roll_up(buurten, sums, gemeente_id=0)
    waarden = figures.build(areas, extra_for(areas), IndicatorInstelling())
    cells, hidden = Counter(), Counter()
    for (tag, _key), w in waarden.items():
        for key in INDICATORS:
            cells[tag] += 1
            if w[key]["onderdrukt"]:
                hidden[(tag, w[key].get("reden", "?"))] += 1
    print(f"scale {args.scale}, seed {args.seed}: suppressed cells of {sum(cells.values())}")
    for tag, name in (("b", "buurt"), ("w", "wijk"), ("g", "gemeente")):
        by = {r: n for (t, r), n in hidden.items() if t == tag}
        print(f"  {name:9} {sum(by.values()):6} of {cells[tag]:6}  {dict(sorted(by.items()))}")
    total = Counter()
    for (_t, r), n in hidden.items():
        total[r] += n
    print(f"  {'total':9} {sum(total.values()):6} of {sum(cells.values()):6}  {dict(total)}")


if __name__ == "__main__":
    main()
