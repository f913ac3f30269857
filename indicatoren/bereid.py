"""Van bereid naar actief: per buurt, the share of residents who say they are willing to do
something together for the buurt (survey, "bereidheid") against the active core (platform,
"actieve kern", % of residents 15+) and the target, the gap between the two, and the change in
willingness since the previous survey round with a 95% interval for the difference.

A path, not a verdict: the gap is how many willing neighbours have not (yet) found their way to
taking part through the platform. A suppressed figure stays suppressed: no gap and no change is
ever computed from a figure that is not shown.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from . import selectors
from .compute.sql import bounds
from .display import Figure, figure, number
from .formulas import Z95
from .models import Peiling
from .registry import INDICATORS

BEREIDHEID = INDICATORS["bereidheid"]
KERN = INDICATORS["actieve_kern"]


@dataclass(frozen=True)
class Verschil:
    """A difference in percentage points with its 95% interval."""

    waarde: float
    laag: float
    hoog: float

    @property
    def tekst(self) -> str:
        return signed(self.waarde)

    @property
    def zonder_teken(self) -> str:
        return number(self.waarde, "%")

    @property
    def interval_tekst(self) -> str:
        return f"{signed(self.laag)} – {signed(self.hoog)}"


@dataclass(frozen=True)
class Pad:
    """One buurt's path from willing to active."""

    naam: str
    code: str
    wijk: str
    bereid: Figure
    kern: Figure
    p15: int | None
    kloof: Verschil | None  # willing minus active, points, interval from the survey only
    kloof_mensen: int | None  # the same in residents 15+, rounded to tens
    peiling: Peiling | None  # the round the willingness figure comes from
    vorige: Figure | None  # willingness in the previous round, as computed then
    vorige_peiling: Peiling | None
    verandering: Verschil | None
    verandering_reden: str  # "geen_peiling" | "geen_eerdere" | "niet_berekend" | "onderdrukt"


def signed(value: float) -> str:
    """Points with a sign: "+3,1", "-2,0", "0,0"."""
    text = number(value, "%")
    if not text.lstrip("-").strip("0,."):
        return text.lstrip("-")  # no "-0,0"
    return text if text.startswith("-") else f"+{text}"


def shown(fig: Figure | None) -> bool:
    return fig is not None and not fig.onderdrukt and fig.waarde is not None


def standard_error(fig: Figure) -> float | None:
    """A shown share's standard error in points: from its stored 95% interval (half its width
    over 1.96; the interval is what the computation vouched for, and it stays right when a
    figure is weighted), else from p and n."""
    if fig.ci:
        return (fig.ci[1] - fig.ci[0]) / (2 * Z95)
    if fig.n:
        p = fig.waarde / 100
        return 100 * math.sqrt(p * (1 - p) / fig.n)
    return None


def change(now: Figure, before: Figure) -> Verschil | None:
    """The difference between two independent shares (two rounds answered by different samples):
    diff ± 1.96 · sqrt(se₁² + se₂²). None when either figure is not shown."""
    if not (shown(now) and shown(before)):
        return None
    se_now, se_before = standard_error(now), standard_error(before)
    if se_now is None or se_before is None:
        return None
    diff = now.waarde - before.waarde
    half = Z95 * math.sqrt(se_now**2 + se_before**2)
    return Verschil(diff, diff - half, diff + half)


def gap(bereid: Figure, kern: Figure) -> Verschil | None:
    """Willing minus active, in points. The active core counts everyone (no sampling noise), so
    the interval is the survey's interval shifted. None when either figure is not shown."""
    if not (shown(bereid) and shown(kern)):
        return None
    laag, hoog = bereid.ci if bereid.ci else (bereid.waarde, bereid.waarde)
    return Verschil(bereid.waarde - kern.waarde, laag - kern.waarde, hoog - kern.waarde)


def in_people(kloof: Verschil | None, p15: int | None) -> int | None:
    """The gap in residents 15+, rounded to tens: it comes from a sample, so it is an estimate."""
    if kloof is None or not p15:
        return None
    return int(round(kloof.waarde * p15 / 100, -1))


def round_of(rounds: list[Peiling], start: date, eind: date) -> Peiling | None:
    """The round a period's survey figures come from: the latest with answers that closed in it
    (the rule of ``compute.survey``)."""
    lo, hi = bounds(start, eind)
    inside = [p for p in rounds if lo <= p.gesloten_at < hi]
    return inside[-1] if inside else None


def paden(buurten, snapshots) -> list[Pad]:
    """One path per buurt (in the order given) from the buurten's snapshots of one period; the
    previous round's figures come from the snapshots computed back then (one query)."""
    by_buurt = {s.buurt_id: s for s in snapshots}
    wijken = {b.wijk_id for b in buurten}
    rounds = selectors.rounds_with_answers(wijken)
    current, previous = {}, {}
    for wijk_id in wijken:
        sample = next((s for s in snapshots if s.buurt.wijk_id == wijk_id), None)
        if sample is None:
            continue
        wijk_rounds = rounds.get(wijk_id, [])
        now = round_of(wijk_rounds, sample.periode_start, sample.periode_eind)
        current[wijk_id] = now
        if now is not None and wijk_rounds.index(now) > 0:
            previous[wijk_id] = wijk_rounds[wijk_rounds.index(now) - 1]
    windows = {
        wijk_id: (
            timezone.localdate(before.gesloten_at),
            timezone.localdate(current[wijk_id].gesloten_at),
        )
        for wijk_id, before in previous.items()
    }
    earlier = selectors.earlier_cells(buurten, windows)
    result = []
    for buurt in buurten:
        snapshot = by_buurt.get(buurt.pk)
        waarden = snapshot.waarden if snapshot else {}
        bereid = figure(BEREIDHEID, waarden.get("bereidheid"))
        kern = figure(KERN, waarden.get("actieve_kern"))
        p15 = (waarden.get("p15") or {}).get("waarde")
        kloof = gap(bereid, kern)
        vorige_peiling = previous.get(buurt.wijk_id)
        vorige = None
        if vorige_peiling is not None and earlier.get(buurt.pk) is not None:
            vorige = figure(BEREIDHEID, earlier[buurt.pk])
        verandering = change(bereid, vorige) if vorige is not None else None
        if current.get(buurt.wijk_id) is None:
            reden = "geen_peiling"
        elif vorige_peiling is None:
            reden = "geen_eerdere"
        elif vorige is None:
            reden = "niet_berekend"
        else:
            reden = "onderdrukt" if verandering is None else ""
        result.append(
            Pad(
                naam=buurt.naam,
                code=buurt.code,
                wijk=buurt.wijk.naam,
                bereid=bereid,
                kern=kern,
                p15=p15,
                kloof=kloof,
                kloof_mensen=in_people(kloof, p15),
                peiling=current.get(buurt.wijk_id),
                vorige=vorige,
                vorige_peiling=vorige_peiling,
                verandering=verandering,
                verandering_reden=reden,
            )
        )
    return result
