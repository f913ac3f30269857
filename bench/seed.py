# ruff: noqa: E402
"""Prepare the benchmark database: 200,000 routed meldingen over the Amsterdam buurten.

    createdb -h 127.0.0.1 -U postgres wijkaanpak_bench   # once
    .venv/bin/python -m bench.seed [--scale 10]

Migrates, imports the 517 buurten when there are none, collects static files (DEBUG is off),
makes the benchmark's teams, officers, residents and feed tokens, then the meldingen.
Idempotent: meldingen are topped up to TARGET, everything else is made once.

``--scale N`` (issue 15) then grows the table to N times TARGET: N - 1 copies of the seeded rows, in
SQL, each row's time moved by up to six hours either way (never into the future), so the same
buurten, categories, targets, statuses and priorities are N times as dense over the same year.
Copies get references of their own ("S" and hex) and no reporter rows (no feed reads them).
"""

import argparse
import bisect
import json
import random
import time
from collections import defaultdict
from datetime import timedelta

from bench import harness
from bench.harness import WIJK

harness.setup()

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone, translation

from accounts.models import Role, Team, User
from buurten.models import Buurt, Gemeente, Lidmaatschap, Wijk
from meldingen import routing, triage
from meldingen.models import (
    Categorie,
    Melder,
    Melding,
    Prioriteit,
    RoutingRegel,
    new_melding_reference,
)
from meldingen.workflow import Status
from teamapi.models import FeedToken
from teamapi.services import feed_token_issue

TARGET = 200_000
BATCH = 5_000
CATEGORY_WEIGHTS = {
    "Verdachte situatie": 12,
    "Drugshandel": 7,
    "Ik word bedreigd of geïntimideerd": 1,
    "Inbraak of vernieling": 9,
    "Overlast": 22,
    "Afval of dumping": 18,
    "Parkeren": 12,
    "Kapot in de straat": 10,
    "Burenruzie of feestje": 5,
    "Iets anders": 4,
}
STATUS_WEIGHTS = {
    Status.GEROUTEERD: 30,
    Status.GEZIEN: 20,
    Status.IN_BEHANDELING: 25,
    Status.HEROPEND: 2,
    Status.AFGESLOTEN: 18,
    Status.DOORGEZET: 5,
}
HOUR_WEIGHTS = [2, 1.5, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 7, 7, 6, 5, 3]
GEWICHT_WEIGHTS = {1: 80, 2: 12, 3: 5, 4: 2, 6: 1}
CENTRUM_FACTOR = 3  # more meldingen per resident in the centre (stadsdeel A: WK0363A*)
PERSONS = ["man", "vrouw", "ca. 1,80 m", "donkere jas", "wit petje", "rode scooter"]
STREETS = ["Haarlemmerstraat", "Prinsengracht", "Kinkerstraat", "Javaplein", "Osdorpplein"]


def actors() -> None:
    """Two police teams (one wijk, the whole gemeente), an officer and a feed token for each,
    and a verified resident in every buurt of the wijk."""
    gemeente = Gemeente.objects.get(code=harness.GEMEENTE)
    scopes = {
        harness.POLICE_WIJK: ("Bench politie Haarlemmerbuurt", [Wijk.objects.get(code=WIJK)]),
        harness.POLICE_GEMEENTE: ("Bench politie Amsterdam", list(gemeente.wijken.all())),
    }
    keys = json.loads(harness.TOKENS.read_text()) if harness.TOKENS.exists() else {}
    for email, (naam, wijken) in scopes.items():
        team, _created = Team.objects.get_or_create(
            gemeente=gemeente, organisatie=Team.Organisatie.POLITIE, naam=naam
        )
        team.wijken.set(wijken)
        officer, _created = User.objects.get_or_create(
            email=email, defaults={"role": Role.POLITIE, "team": team, "weergavenaam": naam}
        )
        if not is_mfa_enabled(officer, [Authenticator.Type.TOTP]):
            TOTP.activate(officer, generate_totp_secret())
        active = FeedToken.objects.filter(team=team, revoked_at=None)
        if email not in keys or not active.filter(prefix=keys[email].split("_")[1]).exists():
            active.update(revoked_at=timezone.now())
            _token, keys[email] = feed_token_issue(team=team, naam="bench", by=officer)
    harness.TOKENS.write_text(json.dumps(keys, indent=2))
    for buurt in Buurt.objects.filter(wijk__code=WIJK):
        resident, _created = User.objects.get_or_create(
            email=f"bewoner.{buurt.code.lower()}{harness.DOMAIN}",
            defaults={"weergavenaam": f"Bench bewoner {buurt.naam}"},
        )
        Lidmaatschap.objects.get_or_create(
            user=resident,
            buurt=buurt,
            defaults={"status": Lidmaatschap.Status.LID, "via": Lidmaatschap.Via.COORDINATOR},
        )


def pick(weights: dict, k: int) -> list:
    return random.choices(list(weights), weights=list(weights.values()), k=k)


def moments(count: int) -> list:
    """Creation times over the last 12 months, busier in the evening than at night."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    result = []
    while len(result) < count:
        hour = random.choices(range(24), weights=HOUR_WEIGHTS)[0]
        at = midnight - timedelta(days=random.randrange(365))
        at += timedelta(hours=hour, seconds=random.uniform(0, 3600))
        if at < now:
            result.append(at)
    return result


def repeats(rows: list) -> list[int]:
    """Per row, earlier meldingen of its category in its buurt within triage.REPEAT_WINDOW."""
    groups = defaultdict(list)
    for index, (buurt, categorie, created_at) in enumerate(rows):
        groups[buurt.pk, categorie.pk].append((created_at, index))
    result = [0] * len(rows)
    for members in groups.values():
        members.sort()
        times = [created_at for created_at, _index in members]
        for position, (created_at, index) in enumerate(members):
            result[index] = position - bisect.bisect_left(times, created_at - triage.REPEAT_WINDOW)
    return result


def melding(buurt, categorie, created_at, repeat: int, rules: list) -> Melding:
    """A melding as intake, routing and triage would have left it, then handled for a while."""
    # 8% are reported days later (triage lowers those), the rest within the hour or so.
    delay = random.uniform(80, 200) if random.random() < 0.08 else random.expovariate(1.5)
    m = Melding(
        buurt=buurt,
        categorie=categorie,
        wat=categorie.voorbeeld or categorie.toelichting,
        waar=random.choice(STREETS),
        wanneer=created_at - timedelta(hours=delay),
        al_112_gebeld=random.random() < 0.05,
        gewicht=pick(GEWICHT_WEIGHTS, 1)[0],
        created_at=created_at,
        status=pick(STATUS_WEIGHTS, 1)[0],
        routed_at=created_at + timedelta(seconds=random.uniform(1, 30)),
    )
    if categorie.is_intimidatie or random.random() < 0.3:
        m.persoon_geslacht, m.persoon_kleding = random.sample(PERSONS, 2)
    m.doel = routing.decide(categorie=categorie, buurt=buurt, at=created_at, rules=rules).doel
    m.prioriteit = triage.priority(m, repeats=repeat)
    triage.set_summaries(m)
    hours = categorie.reactietermijn_uren
    if m.prioriteit == Prioriteit.HOOG:
        hours = min(hours, 24)
    m.deadline_at = created_at + timedelta(hours=hours)
    if m.is_closed:
        m.closed_at = min(timezone.now(), created_at + timedelta(hours=random.uniform(1, 240)))
    return m


def meldingen() -> int:
    missing = TARGET - Melding.objects.count()
    if missing <= 0:
        return 0
    buurten = list(Buurt.objects.select_related("wijk"))
    weights = [
        ((b.inwoners or 0) + 50) * (CENTRUM_FACTOR if b.wijk.code.startswith("WK0363A") else 1)
        for b in buurten
    ]
    categorieen = {c.naam: c for c in Categorie.objects.all()}
    category_weights = {categorieen[naam]: w for naam, w in CATEGORY_WEIGHTS.items()}
    rules = list(RoutingRegel.objects.filter(actief=True).order_by("volgorde", "pk"))
    rows = sorted(
        zip(
            random.choices(buurten, weights=weights, k=missing),
            pick(category_weights, missing),
            moments(missing),
            strict=True,
        ),
        key=lambda row: row[2],
    )
    counts = repeats(rows)
    # The rows carry their own creation time; auto_now_add would overwrite it.
    created_fields = [Melding._meta.get_field("created_at"), Melder._meta.get_field("created_at")]
    for field in created_fields:
        field.auto_now_add = False
    # Random references are drawn per row; at 200k rows two alike are likely enough (a few
    # per cent) to spoil a seed run, so they are drawn here against those already taken.
    taken = set(Melding.objects.values_list("referentie", flat=True))
    try:
        for start in range(0, missing, BATCH):
            batch = [
                melding(*row, counts[start + i], rules)
                for i, row in enumerate(rows[start : start + BATCH])
            ]
            for m in batch:
                while m.referentie in taken:
                    m.referentie = new_melding_reference()
                taken.add(m.referentie)
            with transaction.atomic():
                Melding.objects.bulk_create(batch)
                Melder.objects.bulk_create(
                    Melder(
                        melding=m,
                        bescherming=random.choice(Melder.Bescherming.values),
                        created_at=m.created_at,
                    )
                    for m in batch
                )
            print(f"  {start + len(batch):,}/{missing:,}", flush=True)
    finally:
        for field in created_fields:
            field.auto_now_add = True
    return missing


# A quarter of the meldingen name a vehicle: a plate from the melding's id (no random draws, so
# everything else stays as seeded), in the Dutch "XX-999-X" pattern, an eighth typed in lower
# case without dashes ("xx999x"), as residents write them. Letters and digits from its md5.
PLATES_SQL = """
    WITH p AS (
        SELECT id, translate(md5(id::text), '0123456789abcdef', 'BDFGHJKLNPRSTVXZ') AS l,
                   translate(md5(id::text), 'abcdef', '012345') AS d
        FROM meldingen_melding WHERE id %% 4 = 0 AND voertuig_kenteken = ''
    )
    UPDATE meldingen_melding m SET voertuig_kenteken = CASE WHEN p.id %% 8 = 0
        THEN lower(substr(l, 1, 2) || substr(d, 3, 3) || substr(l, 6, 1))
        ELSE substr(l, 1, 2) || '-' || substr(d, 3, 3) || '-' || substr(l, 6, 1) END
    FROM p WHERE m.id = p.id
"""


def plates() -> int:
    """The plates above, once (idempotent); a database seeded before them gets them too."""
    with connection.cursor() as cursor:
        cursor.execute(PLATES_SQL, [])
        return cursor.rowcount


def copy_sql(columns: list[str]) -> str:
    """N - 1 copies: copy ``k`` of seeded row ``id`` has reference "S" + hex(id * 64 + k)."""
    names = ", ".join(f'"{c}"' for c in columns)
    return f"""
        INSERT INTO meldingen_melding ({names}, "referentie", "created_at")
        SELECT {names}, 'S' || lpad(to_hex(id * 64 + %(k)s), 10, '0'),
               LEAST(%(now)s, created_at + (random() - 0.5) * interval '12 hours')
        FROM meldingen_melding WHERE referentie NOT LIKE 'S%%'
    """  # noqa: S608 (column names are the model's; values are parameters)


def scale(factor: int) -> int:
    """Copies of the seeded rows up to ``factor`` times the seed (``--scale``); how many made."""
    skip = {"id", "referentie", "created_at", "zoektekst"}
    columns = [f.column for f in Melding._meta.concrete_fields if f.column not in skip]
    first = Melding.objects.exclude(referentie__startswith="S").order_by("pk").first()
    made = 0
    for k in range(1, factor):
        if Melding.objects.filter(referentie="S" + format(first.pk * 64 + k, "010x")).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(copy_sql(columns), {"k": k, "now": timezone.now()})
            copied = cursor.rowcount
        made += copied
        print(f"  copy {k}: {copied:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="grow the table to N × 200,000")
    args = parser.parse_args()
    random.seed(363)
    translation.activate("nl")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not Buurt.objects.exists():
        data = harness.BASE_DIR / "data" / "amsterdam"
        call_command(
            "import_buurten",
            data / "kerncijfers_wijken_buurten_2024.csv",
            gebieden=data / "buurten_gebieden.csv",
            verbosity=0,
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    actors()
    made = meldingen()
    if plated := plates():
        print(f"  {plated:,} plates", flush=True)
    if args.scale > 1:
        made += scale(args.scale)
    if plated or args.scale > 1:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM meldingen_melding")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meldingen_melding")
        cursor.execute("ANALYZE meldingen_melder")
    elapsed = time.perf_counter() - started
    total = Melding.objects.count()
    if made:
        rate = made / elapsed
        print(f"seeded {made:,} meldingen in {elapsed:.1f} s ({rate:,.0f}/s), {total:,} now")
    else:
        print(f"already seeded: {total:,} meldingen; actors checked in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
