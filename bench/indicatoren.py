# ruff: noqa: E402, S608
"""Benchmark: every indicator for every buurt, wijk and the gemeente for one period.

    .venv/bin/python -m bench.indicatoren [--rounds 5] [--reseed] [--scale 10] [--explain]

Its own database, ``wijkaanpak_indicatoren_bench`` (``wijkaanpak_indicatoren_x10_bench`` with
``--scale 10``; made when missing; another name ending in ``_bench`` with
``INDICATOREN_BENCH_DB``), never the feed benchmark's. ``--scale N`` seeds N times every count
below. Seeds once (idempotent): the
517 Amsterdam buurten, 100,000 residents with memberships since before the period (by population
15+; age bands for 85%; 2% moved from another buurt half a year ago; the membership history of nine
in ten, the others older than the history table), 1,000,000 participations in 62,500
activities over the last 12 months (a tenth in a volunteer role with hours), 50,000 survey
responses in one closed round per wijk (5% of items skipped, 5% "weet niet"), 50,000 meldingen
with their history and 5,000 facilitation requests. Rows are generated in Python and loaded
with COPY.

Measures, alternating in each round: ``compute_snapshots`` for the whole gemeente (seconds,
queries), the same for a gemeente of 6 buurten (queries: must be equal), and the plain SQL
aggregates over the same tables for the same figures per buurt (hand-written, no ORM, no
roll-up, no suppression, nothing stored). Prints medians, p95 and the load average after each
round. ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of the computation's statements instead.
"""

import argparse
import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta

from bench import harness

PARSER = argparse.ArgumentParser(description=__doc__.splitlines()[0])
PARSER.add_argument("--rounds", type=int, default=5)
PARSER.add_argument("--reseed", action="store_true")
PARSER.add_argument(
    "--scale", type=int, default=1, help="seed this many times the data (10: 1,000,000 residents)"
)
PARSER.add_argument("--explain", action="store_true", help="print the plans of the statements")
PARSER.add_argument(
    "--months",
    action="store_true",
    help="with the month aggregates and the live period's kept counts: build them once, then "
    "time a day's maintenance and the computation after it (without: the full recomputation; "
    "both are set aside)",
)
ARGS = PARSER.parse_args()
SCALE = ARGS.scale
# Another name (ending in _bench) lets engineers working in parallel keep their own copy; each
# scale has its own database, so that 1x and 10x can be measured one after the other.
DB = os.environ.get(
    "INDICATOREN_BENCH_DB",
    "wijkaanpak_indicatoren_bench" if SCALE == 1 else f"wijkaanpak_indicatoren_x{SCALE}_bench",
)
harness.setup(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", REDIS_URL="")

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activiteiten.models import Aanmelding, Activiteit, Rol, Soort
from buurten.models import Buurt, Gemeente, Lidmaatschap, LidmaatschapHistorie, Wijk
from indicatoren.compute import compute_snapshots
from indicatoren.compute.activity import held_months
from indicatoren.compute.sql import large_statement
from indicatoren.deelname import deelname_maanden_bijwerken, mark_changed
from indicatoren.models import (
    DeelnameGewijzigd,
    DeelnameKubus,
    DeelnameMaand,
    DeelnameMaandStand,
    DeelnamePeriodeStand,
    Peiling,
    Respons,
)
from indicatoren.services import default_periode
from indicatoren.survey import AANDEEL_ITEMS, ITEMS, WEET_NIET_CODE
from meldingen.models import Categorie, Melder, Melding, StatusWijziging
from verzoeken.models import Verzoek

RESIDENTS = 100_000 * SCALE
PARTICIPATIONS = 1_000_000 * SCALE
PER_ACTIVITY = 16
RESPONSES = 50_000 * SCALE
MELDINGEN = 50_000 * SCALE
VERZOEKEN = 5_000 * SCALE
DOMAIN = "@indicatoren.bench.invalid"
SMALL = "GM9999"  # the small gemeente: same code path, 6 buurten
BANDS = ["15_25", "25_45", "45_65", "65_plus"]


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            db.execute(f'CREATE DATABASE "{DB}"')


def copy(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in ``columns`` order) into the model's table. Required columns not
    named get their field's default (a callable one per row), so that columns added later
    (``User.taal``, ``Melding.referentie``) do not break the seed."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns and not (f.null or f.primary_key or f.generated)
    ]
    constant = {f.column: f.get_default() for f in fields if not callable(f.default)}
    per_row = [f for f in fields if callable(f.default)]
    missing = [c for c, v in constant.items() if v is None]
    if missing:
        raise ValueError(f"{model.__name__}: no value for {', '.join(missing)}")
    extra = tuple(constant.values())
    names = [*columns, *constant, *(f.column for f in per_row)]
    count = 0
    sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as out:
        for row in rows:
            out.write_row((*row, *extra, *(f.get_default() for f in per_row)))
            count += 1
    return count


def seeded() -> bool:
    return Aanmelding.objects.filter(user__email__endswith=DOMAIN).count() >= PARTICIPATIONS


def reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE indicatoren_respons, indicatoren_responsmarker, indicatoren_peiling, "
            "indicatoren_snapshot, indicatoren_berekening, activiteiten_aanmelding, "
            "activiteiten_rol, verzoeken_verzoekhistorie, verzoeken_verzoek, "
            "activiteiten_bericht, activiteiten_activiteit, meldingen_statuswijziging, "
            "meldingen_melder, meldingen_doorzetting, meldingen_foto, meldingen_inzage, "
            "meldingen_outbox, meldingen_melding, notificaties_notificatie, "
            "indicatoren_deelnamemaand, indicatoren_deelnamemaandstand, "
            "indicatoren_deelnamegewijzigd CASCADE"
        )
        # Raw deletes: the ORM's cascade collector would load 100,000 users first.
        cursor.execute(
            "DELETE FROM buurten_lidmaatschaphistorie WHERE lidmaatschap_id IN "
            "(SELECT m.id FROM buurten_lidmaatschap m JOIN accounts_user u ON u.id = m.user_id "
            "WHERE u.email LIKE %s)",
            [f"%{DOMAIN}"],
        )
        cursor.execute(
            "DELETE FROM buurten_lidmaatschap WHERE user_id IN "
            "(SELECT id FROM accounts_user WHERE email LIKE %s)",
            [f"%{DOMAIN}"],
        )
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE %s", [f"%{DOMAIN}"])


def seed() -> None:
    rng = random.Random(517)
    other = random.Random(12)  # for what issue 12 added, so that the rest stays as it was
    started = time.perf_counter()
    now = timezone.now()
    gemeente = Gemeente.objects.get(code=harness.GEMEENTE)
    buurten = [b for b in Buurt.objects.filter(wijk__gemeente=gemeente) if b.inwoners_15_plus]
    total = sum(b.inwoners_15_plus for b in buurten)
    password = "!"  # noqa: S105 (an unusable password: nobody signs in as these residents)

    # Residents and their memberships, by population 15+.
    home = []
    for buurt in buurten:
        home += [buurt] * round(RESIDENTS * buurt.inwoners_15_plus / total)
    by_size = sorted(buurten, key=lambda b: -b.inwoners_15_plus)
    home = (home + by_size * 2)[:RESIDENTS]  # rounding: top up from the largest buurten
    copy(
        User,
        [
            "password",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
            "email",
            "weergavenaam",
            "role",
            "leeftijdsgroep",
        ],
        (
            (
                password,
                False,
                False,
                True,
                now,
                f"r{i}{DOMAIN}",
                "",
                "bewoner",
                rng.choice(BANDS) if rng.random() < 0.85 else "",
            )
            for i in range(len(home))
        ),
    )
    ids = dict(User.objects.filter(email__endswith=DOMAIN).values_list("email", "pk"))
    # Members since before the period; one in fifty moved into their buurt half a year ago.
    long_ago, moved = now - timedelta(days=400), now - timedelta(days=180)
    joined = [moved if other.random() < 0.02 else long_ago for _ in home]
    user_ids = [ids[f"r{i}{DOMAIN}"] for i in range(len(home))]
    copy(
        Lidmaatschap,
        [
            "user_id",
            "buurt_id",
            "status",
            "via",
            "toelichting",
            "reden_afwijzing",
            "created_at",
            "decided_at",
        ],
        (
            (uid, b.pk, "lid", "code", "", "", since, since)
            for uid, b, since in zip(user_ids, home, joined, strict=True)
        ),
    )
    # Movers: their earlier membership of another buurt, ended on the day they moved.
    copy(
        Lidmaatschap,
        [
            "user_id",
            "buurt_id",
            "status",
            "via",
            "toelichting",
            "reden_afwijzing",
            "created_at",
            "decided_at",
        ],
        (
            (uid, other.choice(buurten).pk, "beeindigd", "code", "", "", long_ago, since)
            for uid, since in zip(user_ids, joined, strict=True)
            if since != long_ago
        ),
    )
    # The history of nine in ten memberships; the others are older than the history table.
    memberships = list(
        Lidmaatschap.objects.filter(user__email__endswith=DOMAIN)
        .order_by("pk")
        .values_list("pk", "status", "created_at", "decided_at")
    )
    copy(
        LidmaatschapHistorie,
        ["lidmaatschap_id", "van", "naar", "actie", "reden", "created_at"],
        (
            row
            for pk, status, created, decided in memberships
            if other.random() < 0.9
            for row in (
                [(pk, "", "lid", "code", "", created)]
                + ([(pk, "lid", "beeindigd", "beeindigen", "", decided)] if status != "lid" else [])
            )
        ),
    )
    members: dict[int, list[int]] = {}
    for uid, buurt in zip(user_ids, home, strict=True):
        members.setdefault(buurt.pk, []).append(uid)
    print(f"  residents: {time.perf_counter() - started:.1f} s", flush=True)

    # Activities in the last 12 months, 16 participants each, a tenth volunteering.
    soort = Soort.objects.first() or Soort.objects.create(naam="Buurtpreventie-ronde")
    n_activities = PARTICIPATIONS // PER_ACTIVITY + 2_000 * SCALE  # small buurten fill fewer places
    weights = [len(members[b.pk]) for b in buurten]
    where = rng.choices(buurten, weights, k=n_activities)
    starts = [now - timedelta(days=rng.uniform(1, 360)) for _ in range(n_activities)]
    # Neighbours without an account, as organisers counted them (mostly not filled in).
    headcounts = [other.choice((0, 0, 0, 2, 5, 12)) for _ in range(n_activities)]
    copy(
        Activiteit,
        [
            "buurt_id",
            "soort_id",
            "titel",
            "beschrijving",
            "plek",
            "start",
            "einde",
            "capaciteit",
            "zichtbaarheid",
            "organisator_id",
            "uitnodiging",
            "extra_bezoekers",
            "verslag",
            "verslag_foto",
            "created_at",
        ],
        (
            (
                b.pk,
                soort.pk,
                "Bench",
                "",
                "Plein",
                s,
                s + timedelta(hours=2),
                40,
                "leden",
                rng.choice(members[b.pk]),
                f"bench{i}",
                headcounts[i],
                "",
                "",
                now,
            )
            for i, (b, s) in enumerate(zip(where, starts, strict=True))
        ),
    )
    activity_ids = list(
        Activiteit.objects.filter(uitnodiging__startswith="bench")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    copy(Rol, ["activiteit_id", "naam", "plaatsen"], ((a, "Vrijwilliger", 2) for a in activity_ids))
    rol_of = dict(Rol.objects.values_list("activiteit_id", "pk"))

    def signups():
        made = 0
        for activity, buurt in zip(activity_ids, where, strict=True):
            if made >= PARTICIPATIONS:
                return
            people = members[buurt.pk]
            chosen = rng.sample(people, min(PER_ACTIVITY, len(people), PARTICIPATIONS - made))
            made += len(chosen)
            for k, uid in enumerate(chosen):
                volunteer = k < 2 and rng.random() < 0.8
                yield (
                    activity,
                    uid,
                    rol_of[activity] if volunteer else None,
                    "aangemeld",
                    False,
                    None if rng.random() < 0.5 else rng.random() > 0.1,
                    rng.choice([1.5, 2, 3]) if volunteer else None,
                    now,
                )

    made = copy(
        Aanmelding,
        [
            "activiteit_id",
            "user_id",
            "rol_id",
            "status",
            "via_uitnodiging",
            "aanwezig",
            "uren",
            "created_at",
        ],
        signups(),
    )
    print(f"  {made:,} participations: {time.perf_counter() - started:.1f} s", flush=True)

    # One closed round per wijk a month ago; responses by population 15+.
    coordinator = User.objects.filter(email__endswith=DOMAIN).first()
    wijk_ids = sorted({b.wijk_id for b in buurten})
    copy(
        Peiling,
        ["wijk_id", "titel", "opened_by_id", "geopend_at", "gesloten_at", "created_at"],
        (
            (w, "Bench", coordinator.pk, now - timedelta(days=50), now - timedelta(days=30), now)
            for w in wijk_ids
        ),
    )
    peiling_of = dict(Peiling.objects.values_list("wijk_id", "pk"))
    answered = rng.choices(buurten, [b.inwoners_15_plus for b in buurten], k=RESPONSES)

    def answer(item):
        draw = rng.random()
        if draw < 0.05:
            return None  # skipped
        if draw < 0.10:
            return WEET_NIET_CODE
        return rng.choice(item.waarden)

    keys = [item.key for item in ITEMS]
    copy(
        Respons,
        ["id", "peiling_id", "buurt_id", *keys],
        (
            (uuid.uuid4(), peiling_of[b.wijk_id], b.pk, *(answer(i) for i in ITEMS))
            for b in answered
        ),
    )
    print(f"  responses: {time.perf_counter() - started:.1f} s", flush=True)

    # Meldingen with a status history (three quarters with a message to the reporter).
    categorie = Categorie.objects.first() or Categorie.objects.create(
        naam="Overlast", toelichting="."
    )
    reported = rng.choices(buurten, [b.inwoners or 0 for b in buurten], k=MELDINGEN)
    created = [now - timedelta(hours=rng.uniform(1, 360 * 24)) for _ in reported]
    copy(
        Melding,
        [
            "buurt_id",
            "categorie_id",
            "wat",
            "waar",
            "wanneer",
            "al_112_gebeld",
            "persoon_geslacht",
            "persoon_lengte",
            "persoon_kleding",
            "persoon_kenmerken",
            "voertuig_kleur",
            "voertuig_merk",
            "voertuig_type",
            "voertuig_kenteken",
            "status",
            "doel",
            "prioriteit",
            "samenvatting",
            "gewicht",
            "created_at",
        ],
        (
            (
                b.pk,
                categorie.pk,
                "Bench",
                "Hier",
                c,
                False,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "afgesloten",
                rng.choice(["politie", "handhaving", "gemeente", "buurt"]),
                2,
                "bench",
                1,
                c,
            )
            for b, c in zip(reported, created, strict=True)
        ),
    )
    melding_ids = list(
        Melding.objects.filter(samenvatting="bench").order_by("pk").values_list("pk", flat=True)
    )
    copy(
        Melder,
        [
            "melding_id",
            "bescherming",
            "telefoon",
            "marker",
            "reactie",
            "is_eerste",
            "oordeel",
            "contact_naam",
            "contact_email",
            "created_at",
        ],
        ((m, "coordinator", "", "", "", True, "", "", "", now) for m in melding_ids),
    )

    def history():
        for m, c in zip(melding_ids, created, strict=True):
            yield (m, "", "gerouteerd", "", "", "", c)
            if rng.random() < 0.75:
                yield (
                    m,
                    "gerouteerd",
                    "afgesloten",
                    "Opgepakt.",
                    "",
                    "",
                    c + timedelta(hours=rng.uniform(1, 96)),
                )

    copy(
        StatusWijziging,
        [
            "melding_id",
            "van",
            "naar",
            "terugkoppeling",
            "bericht_eerste_melder",
            "door_rol",
            "created_at",
        ],
        history(),
    )

    asked = rng.choices(buurten, weights, k=VERZOEKEN)

    def requests():
        for b in asked:
            at = now - timedelta(days=rng.uniform(5, 360))
            decided = rng.random() < 0.9
            yield (
                b.pk,
                rng.choice(members[b.pk]),
                "materialen",
                (at + timedelta(days=20)).date(),
                "Bench",
                rng.choice(["toegekend", "afgewezen", "uitgevoerd"]) if decided else "ingediend",
                at,
                (at + timedelta(days=5)).date(),
                False,
                at + timedelta(days=rng.uniform(0.5, 12)) if decided else None,
                "",
                "",
                "",
                now,
            )

    copy(
        Verzoek,
        [
            "buurt_id",
            "aanvrager_id",
            "soort",
            "nodig_op",
            "toelichting",
            "status",
            "ingediend_at",
            "deadline",
            "stilzwijgend",
            "besloten_at",
            "reden",
            "verantwoording",
            "verantwoording_foto",
            "created_at",
        ],
        requests(),
    )
    print(f"  meldingen, verzoeken: {time.perf_counter() - started:.1f} s", flush=True)


def small_gemeente() -> Gemeente:
    gemeente, _ = Gemeente.objects.get_or_create(code=SMALL, defaults={"naam": "Bench klein"})
    for w in range(3):
        wijk, _ = Wijk.objects.get_or_create(
            code=f"WK9999{w:02d}", defaults={"gemeente": gemeente, "naam": f"Wijk {w}"}
        )
        for b in range(2):
            Buurt.objects.get_or_create(
                code=f"BU9999{w:02d}{b:02d}",
                defaults={
                    "wijk": wijk,
                    "naam": f"Buurt {w}.{b}",
                    "inwoners": 1000,
                    "leeftijd_0_15": 100,
                    "leeftijd_15_25": 150,
                    "leeftijd_25_45": 350,
                    "leeftijd_45_65": 250,
                    "leeftijd_65_plus": 150,
                },
            )
    # A closed round with answers, so that the survey query runs here too (a round without
    # answers is passed over, and no round skips the query: issue 15).
    peiling = Peiling.objects.filter(wijk__gemeente=gemeente).first()
    if peiling is None:
        now = timezone.now()
        peiling = Peiling.objects.create(
            wijk=wijk,
            titel="Bench",
            opened_by=User.objects.filter(email__endswith=DOMAIN).first(),
            geopend_at=now - timedelta(days=40),
            gesloten_at=now - timedelta(days=30),
        )
    if not Respons.objects.filter(peiling=peiling).exists():
        rng = random.Random(9999)
        Respons.objects.bulk_create(
            Respons(
                peiling=peiling,
                buurt=buurt,
                **{i.key: rng.choice(i.waarden) for i in ITEMS},
            )
            for buurt in Buurt.objects.filter(wijk=peiling.wijk)
            for _ in range(40)
        )
    return gemeente


def plain_sql(gemeente: Gemeente, start, eind) -> dict[str, float]:
    """The same figures per buurt in hand-written SQL: what the database itself needs."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    hi = datetime.combine(eind + timedelta(days=1), datetime.min.time(), tzinfo=lo.tzinfo)
    wn = WEET_NIET_CODE

    def valid(i):  # an answer on the item's scale (neither skipped nor "weet niet")
        return f"{i.key} BETWEEN {i.waarden[0]} AND {i.waarden[-1]}"

    sc_items = [i for i in ITEMS if i.groep == "sc"]
    sc = " + ".join(
        f"(CASE WHEN {valid(i)} THEN {'4 - ' if i.omgekeerd else ''}{i.key} ELSE 0 END)"
        for i in sc_items
    )
    sc_k = " + ".join(f"(CASE WHEN {valid(i)} THEN 1 ELSE 0 END)" for i in sc_items)
    ce, ce_open, wn_share = {}, {}, {}
    for g in ("sc", "isc", "sct"):
        items = [i for i in ITEMS if i.groep == g]
        ce_open[g] = " + ".join(f"(CASE WHEN {i.key} IS NULL THEN 0 ELSE 1 END)" for i in items)
        wn_count = " + ".join(f"(CASE WHEN {i.key} = {wn} THEN 1 ELSE 0 END)" for i in items)
        wn_share[g] = f"({wn_count})::float8 / NULLIF({ce_open[g]}, 0)"
        ce[g] = " + ".join(
            f"COALESCE(CASE WHEN {i.key} = {wn} THEN 3 ELSE "
            f"{'6 - ' if i.omgekeerd else ''}{i.key} END, 0)"
            for i in items
        )
    shares = ", ".join(
        f"SUM(({k} BETWEEN 1 AND 5)::int), SUM(({k} IN (4, 5))::int)" for k in AANDEEL_ITEMS
    )
    queries = {
        "survey": f"""
            WITH latest AS (
                SELECT DISTINCT ON (p.wijk_id) p.id FROM indicatoren_peiling p
                JOIN buurten_wijk w ON w.id = p.wijk_id
                WHERE w.gemeente_id = %(g)s AND p.gesloten_at >= %(lo)s AND p.gesloten_at < %(hi)s
                ORDER BY p.wijk_id, p.gesloten_at DESC),
            s AS (
                SELECT buurt_id,
                    CASE WHEN {sc_k} >= 4 THEN ({sc}) * 10.0 / (4 * ({sc_k})) END AS sc,
                    CASE WHEN {ce_open["isc"]} >= 4
                        THEN ({ce["isc"]}) * 5.0 / ({ce_open["isc"]}) END AS isc,
                    CASE WHEN {ce_open["sct"]} >= 4
                        THEN ({ce["sct"]}) * 5.0 / ({ce_open["sct"]}) END AS sct,
                    {wn_share["sc"]} AS wn_sc, {wn_share["isc"]} AS wn_isc,
                    {wn_share["sct"]} AS wn_sct, {", ".join(AANDEEL_ITEMS)}
                FROM indicatoren_respons WHERE peiling_id IN (SELECT id FROM latest))
            SELECT buurt_id, COUNT(sc), AVG(sc), STDDEV(sc), COUNT(isc), AVG(isc), STDDEV(isc),
                COUNT(sct), AVG(sct), STDDEV(sct), COUNT(isc + sct), AVG(isc + sct),
                STDDEV(isc + sct), AVG(CASE WHEN sct IS NOT NULL THEN isc END),
                STDDEV(CASE WHEN sct IS NOT NULL THEN isc END),
                AVG(CASE WHEN isc IS NOT NULL THEN sct END),
                STDDEV(CASE WHEN isc IS NOT NULL THEN sct END),
                COUNT(wn_sc), AVG(wn_sc), STDDEV(wn_sc), COUNT(wn_isc), AVG(wn_isc),
                STDDEV(wn_isc), COUNT(wn_sct), AVG(wn_sct), STDDEV(wn_sct), {shares}
            FROM s GROUP BY buurt_id""",
        "activities": """
            WITH rij AS (
                SELECT a.user_id AS persoon, a.activiteit_id AS act,
                    date_trunc('month', x.start AT TIME ZONE 'Europe/Amsterdam') AS maand,
                    (x.start AT TIME ZONE 'Europe/Amsterdam')::date AS dag,
                    (a.rol_id IS NOT NULL)::int AS actief, COALESCE(a.uren, 0)::float8 AS u
                FROM activiteiten_aanmelding a
                JOIN activiteiten_activiteit x ON x.id = a.activiteit_id
                WHERE a.status = 'aangemeld' AND a.aanwezig IS NOT FALSE
                  AND x.start >= %(lo)s AND x.start < %(hi)s AND x.geannuleerd_at IS NULL
                UNION ALL
                SELECT organisator_id, id,
                    date_trunc('month', start AT TIME ZONE 'Europe/Amsterdam'),
                    (start AT TIME ZONE 'Europe/Amsterdam')::date, 1, 0
                FROM activiteiten_activiteit
                WHERE start >= %(lo)s AND start < %(hi)s AND geannuleerd_at IS NULL),
            m AS (
                SELECT m.* FROM buurten_lidmaatschap m
                JOIN buurten_buurt b ON b.id = m.buurt_id JOIN buurten_wijk w ON w.id = b.wijk_id
                WHERE w.gemeente_id = %(g)s),
            ev AS (
                SELECT m.id AS lid, m.user_id, m.buurt_id, h.created_at AS moment,
                    h.naar AS wordt, h.id AS volgorde
                FROM buurten_lidmaatschaphistorie h JOIN m ON m.id = h.lidmaatschap_id
                UNION ALL
                SELECT id, user_id, buurt_id, CASE WHEN status = 'lid'
                    THEN COALESCE(decided_at, welcome_sent_at, created_at)
                    ELSE COALESCE(welcome_sent_at, created_at) END, 'lid', 0
                FROM m WHERE status IN ('lid', 'beeindigd') AND NOT EXISTS (
                    SELECT 1 FROM buurten_lidmaatschaphistorie h
                    WHERE h.lidmaatschap_id = m.id AND h.naar = 'lid')
                UNION ALL
                SELECT id, user_id, buurt_id, COALESCE(decided_at, created_at), 'beeindigd', 0
                FROM m WHERE status = 'beeindigd' AND NOT EXISTS (
                    SELECT 1 FROM buurten_lidmaatschaphistorie h
                    WHERE h.lidmaatschap_id = m.id AND h.naar = 'beeindigd')),
            iv AS (
                SELECT user_id, buurt_id, wordt,
                    (moment AT TIME ZONE 'Europe/Amsterdam')::date AS van,
                    ((LEAD(moment) OVER w) AT TIME ZONE 'Europe/Amsterdam')::date AS tot,
                    LEAD(wordt) OVER w AS daarna
                FROM ev WINDOW w AS (PARTITION BY lid ORDER BY moment, volgorde)),
            p AS (
                SELECT iv.buurt_id, u.leeftijdsgroep, COUNT(DISTINCT act) AS keer,
                    COUNT(DISTINCT maand) AS maanden, MAX(actief) AS actief, SUM(rij.u) AS uren
                FROM rij
                JOIN iv ON iv.user_id = rij.persoon AND iv.wordt = 'lid' AND iv.van <= rij.dag
                    AND (iv.tot IS NULL OR rij.dag < iv.tot)
                    AND (iv.daarna IS NULL OR iv.daarna <> 'afgewezen')
                JOIN accounts_user u ON u.id = rij.persoon
                GROUP BY rij.persoon, iv.buurt_id, u.leeftijdsgroep),
            r AS (SELECT p.*, ROW_NUMBER() OVER (PARTITION BY buurt_id ORDER BY uren DESC) AS rn,
                    SUM((uren > 0)::int) OVER (PARTITION BY buurt_id) AS v FROM p)
            SELECT buurt_id, COUNT(*), SUM((keer >= 2)::int),
                SUM((actief = 1 OR (keer >= 3 AND maanden >= 2))::int), SUM(uren),
                SUM((uren > 0)::int), SUM(CASE WHEN rn <= (v + 9) / 10 THEN uren ELSE 0 END),
                SUM((leeftijdsgroep = '15_25')::int), SUM((leeftijdsgroep = '25_45')::int),
                SUM((leeftijdsgroep = '45_65')::int), SUM((leeftijdsgroep = '65_plus')::int)
            FROM r GROUP BY buurt_id""",
        "meldingen": """
            WITH f AS (
                SELECT m.id, m.buurt_id, m.doel, m.created_at,
                    MIN(s.created_at) FILTER (WHERE s.terugkoppeling <> '') AS eerste
                FROM meldingen_melding m
                JOIN buurten_buurt b ON b.id = m.buurt_id JOIN buurten_wijk w ON w.id = b.wijk_id
                LEFT JOIN meldingen_statuswijziging s ON s.melding_id = m.id
                WHERE w.gemeente_id = %(g)s AND m.created_at >= %(lo)s AND m.created_at < %(hi)s
                GROUP BY m.id)
            SELECT buurt_id, COUNT(*), COUNT(*) FILTER (WHERE doel = 'politie'),
                COUNT(*) FILTER (WHERE doel = 'handhaving'),
                COUNT(*) FILTER (WHERE doel = 'gemeente'), COUNT(*) FILTER (WHERE doel = 'buurt'),
                COUNT(eerste), percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM eerste - created_at) / 3600)
            FROM f GROUP BY buurt_id""",
        "verzoeken": """
            SELECT v.buurt_id, COUNT(*), COUNT(besloten_at),
                COUNT(*) FILTER (WHERE besloten_at IS NOT NULL
                    AND status IN ('toegekend', 'uitgevoerd', 'verantwoord')),
                COUNT(*) FILTER (WHERE deadline IS NOT NULL AND status <> 'ingetrokken'
                    AND (besloten_at IS NOT NULL OR deadline < current_date)),
                COUNT(*) FILTER (WHERE besloten_at IS NOT NULL AND deadline IS NOT NULL
                    AND (besloten_at AT TIME ZONE 'Europe/Amsterdam')::date <= deadline),
                percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM besloten_at - ingediend_at) / 86400)
            FROM verzoeken_verzoek v
            JOIN buurten_buurt b ON b.id = v.buurt_id JOIN buurten_wijk w ON w.id = b.wijk_id
            WHERE w.gemeente_id = %(g)s AND ingediend_at >= %(lo)s AND ingediend_at < %(hi)s
            GROUP BY v.buurt_id""",
    }
    timings = {}
    params = {"g": gemeente.pk, "lo": lo, "hi": hi}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            began = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timings[name] = time.perf_counter() - began
    return timings


def yardstick() -> float:
    """The issue's reference point: one GROUP BY with a distinct count over the 1,000,000."""
    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(
            "SELECT m.buurt_id, COUNT(DISTINCT a.user_id) FROM activiteiten_aanmelding a "
            "JOIN buurten_lidmaatschap m ON m.user_id = a.user_id AND m.status = 'lid' "
            "GROUP BY m.buurt_id"
        )
        cursor.fetchall()
        return time.perf_counter() - began


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank (with fewer than 20 values: the largest)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def measure(gemeente, start, eind) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        written = compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
        seconds = time.perf_counter() - began
    return seconds, len(captured), written


def a_days_changes() -> int:
    """Mark the residents a typical day changes, as the write paths would: everyone signed up
    for, or organising, the activities of one day (attendance and hours are registered after
    the activity, a sign-up cancelled, an activity moved), and one resident in 2,000 for a
    membership change (2 % move in half a year: ~1 in 9,000 a day; counted generously).
    Returns the number of residents marked."""
    day = timezone.localdate() - timedelta(days=20)
    began = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    activities = Activiteit.objects.filter(start__gte=began, start__lt=began + timedelta(days=1))
    people = set(
        Aanmelding.objects.filter(activiteit__in=activities).values_list("user_id", flat=True)
    )
    people |= set(activities.values_list("organisator_id", flat=True))
    residents = list(
        User.objects.filter(email__endswith=DOMAIN)
        .order_by("?")
        .values_list("pk", flat=True)[: RESIDENTS // 2_000]
    )
    people |= set(residents)
    with transaction.atomic():
        mark_changed(people)
    return len(people)


def months(gemeente, start, eind, rounds: int) -> None:
    """The month aggregates (issue 15): the first build (once; every month so far), then per
    round a typical day's changes marked, the computation with those marks pending, the nightly
    maintenance, and the computation after it. Load average after each round."""
    if not DeelnameMaandStand.objects.exists():
        began = time.perf_counter()
        result = deelname_maanden_bijwerken()
        print(
            f"First build of the month aggregates and the live period's kept counts: "
            f"{time.perf_counter() - began:.1f} s, {result['nieuw']:,} rows, "
            f"{result['periode']:,} participants; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    if not DeelnamePeriodeStand.objects.exists():
        began = time.perf_counter()
        result = deelname_maanden_bijwerken()
        print(
            f"First build of the live period's kept counts: {time.perf_counter() - began:.1f} s, "
            f"{result['periode']:,} participants, {DeelnameKubus.objects.count():,} counts; "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    held = held_months(start, eind, timezone.now())
    print(
        f"Period {start} – {eind}: months {held} from the aggregates "
        f"({DeelnameMaand.objects.count():,} rows); {rounds} rounds\n",
        flush=True,
    )
    pending_s, nightly_s, after_s, loads, marked = [], [], [], [], []
    measure(gemeente, start, eind)  # warm-up: caches, plans
    for n in range(rounds):
        marked.append(a_days_changes())
        seconds, queries, _written = measure(gemeente, start, eind)
        pending_s.append(seconds)
        began = time.perf_counter()
        result = deelname_maanden_bijwerken()
        nightly_s.append(time.perf_counter() - began)
        assert not DeelnameGewijzigd.objects.exists()
        seconds, queries, _written = measure(gemeente, start, eind)
        after_s.append(seconds)
        loads.append(os.getloadavg()[0])
        print(
            f"  round {n + 1}: {marked[-1]:,} residents marked; compute with the marks "
            f"pending {pending_s[-1]:.2f} s; nightly maintenance {nightly_s[-1]:.2f} s "
            f"({result['herbouwd']:,} rows rebuilt, {result['periode']:,} residents of the live "
            f"period read again); compute after it {after_s[-1]:.2f} s "
            f"({queries} queries); load average {loads[-1]:.2f}",
            flush=True,
        )
    print()
    for label, values in (
        ("nightly maintenance, a day's changes", nightly_s),
        ("compute_snapshots after the maintenance", after_s),
        ("compute_snapshots with a day's marks pending", pending_s),
    ):
        print(
            f"{label}: median {statistics.median(values):.2f} s, p95 {p95(values):.2f} s "
            f"of {len(values)} (min {min(values):.2f})"
        )
    print(
        f"load average (1 min, {os.cpu_count()} cores) after each round: "
        f"{min(loads):.2f}–{max(loads):.2f}, median {statistics.median(loads):.2f}"
    )
    total = statistics.median(nightly_s) + statistics.median(after_s)
    verdict = "ok" if statistics.median(after_s) <= 10 else "MISS"
    print(f"target ≤ 10 s for the computation after the maintenance: {verdict}")
    print(f"nightly maintenance + computation: {total:.2f} s")


def explain(gemeente, start, eind) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement of ``compute_snapshots`` that reads data
    (the ones taking over 50 ms), with rows read and buffers: figures that do not depend on the
    machine's load."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
        transaction.set_rollback(True)
    for query in captured.captured_queries:
        sql = query["sql"]
        if float(query["time"]) < 0.05 or not sql.lstrip().startswith(("SELECT", "WITH")):
            continue
        # With the settings the computation gives its statements (``large_statement``).
        with large_statement(hash_joins=" iv AS (" in sql) as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {float(query['time']):.2f} s: {sql[:120]}…\n{plan}\n", flush=True)


def main() -> None:
    ensure_database()
    args = ARGS

    call_command("migrate", verbosity=0)
    if not Buurt.objects.filter(wijk__gemeente__code=harness.GEMEENTE).exists():
        data = harness.BASE_DIR / "data" / "amsterdam"
        call_command(
            "import_buurten",
            str(data / "kerncijfers_wijken_buurten_2024.csv"),
            gebieden=str(data / "buurten_gebieden.csv"),
            verbosity=0,
        )
    if args.reseed:
        reset()
    if not seeded():
        print("Seeding (once):", flush=True)
        began = time.perf_counter()
        with transaction.atomic():
            reset()
            seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  seeded in {time.perf_counter() - began:.1f} s", flush=True)

    if args.rounds < 1:
        return  # seeding only
    gemeente = Gemeente.objects.get(code=harness.GEMEENTE)
    small = small_gemeente()
    start, eind = default_periode()
    if args.months:
        months(gemeente, start, eind, args.rounds)
        return
    # The full recomputation: without stands no month is taken from the aggregates and no
    # count kept for the live period (their rows stay; ``--months`` builds them again from
    # scratch when it finds no stand).
    DeelnameMaandStand.objects.all().delete()
    DeelnamePeriodeStand.objects.all().delete()
    if args.explain:
        explain(gemeente, start, eind)
        return
    counts = {
        "buurten": Buurt.objects.filter(wijk__gemeente=gemeente).count(),
        "residents": Lidmaatschap.objects.filter(user__email__endswith=DOMAIN).count(),
        "participations": Aanmelding.objects.count(),
        "responses": Respons.objects.count(),
        "meldingen": Melding.objects.count(),
        "verzoeken": Verzoek.objects.count(),
    }
    print("Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"Period {start} – {eind}; {args.rounds} rounds, alternating\n", flush=True)

    compute_s, plain_s, parts, yardsticks, loads = [], [], [], [], []
    queries = small_queries = written = None
    measure(gemeente, start, eind)  # warm-up: caches, plans
    plain_sql(gemeente, start, eind)
    for n in range(args.rounds):
        order = ("compute", "plain") if n % 2 == 0 else ("plain", "compute")
        for what in order:
            if what == "compute":
                seconds, queries, written = measure(gemeente, start, eind)
                compute_s.append(seconds)
            else:
                timings = plain_sql(gemeente, start, eind)
                parts.append(timings)
                plain_s.append(sum(timings.values()))
        yardsticks.append(yardstick())
        _s, small_queries, _w = measure(small, start, eind)
        loads.append(os.getloadavg()[0])
        print(
            f"  round {n + 1}: compute {compute_s[-1]:.2f} s, plain SQL {plain_s[-1]:.2f} s, "
            f"yardstick {yardsticks[-1]:.2f} s; load average {loads[-1]:.2f}",
            flush=True,
        )

    median_compute, median_plain = statistics.median(compute_s), statistics.median(plain_s)
    print()
    print(
        f"compute_snapshots, {counts['buurten']} buurten: median {median_compute:.2f} s, "
        f"p95 {p95(compute_s):.2f} s of {len(compute_s)} (min {min(compute_s):.2f}); "
        f"{queries} queries; {written} snapshots written"
    )
    print(
        f"load average (1 min, {os.cpu_count()} cores) after each round: "
        f"{min(loads):.2f}–{max(loads):.2f}, median {statistics.median(loads):.2f}"
    )
    print(f"compute_snapshots, 6 buurten ({SMALL}): {small_queries} queries")
    print(
        f"plain SQL aggregates: median {median_plain:.2f} s, p95 {p95(plain_s):.2f} s ("
        + ", ".join(f"{k} {statistics.median(p[k] for p in parts):.2f}" for k in parts[0])
        + ")"
    )
    print(
        f"yardstick, one GROUP BY with a distinct count over the participations: "
        f"median {statistics.median(yardsticks):.2f} s, p95 {p95(yardsticks):.2f} s"
    )
    ratio = median_compute / median_plain
    print(f"ratio compute / plain SQL: {ratio:.2f}  (target ≤ 4)")
    print(
        f"target ≤ 10 s: {'ok' if median_compute <= 10 else 'MISS'}; "
        f"≤ 4 × plain: {'ok' if ratio <= 4 else 'MISS'}; "
        f"queries independent of buurten: {'ok' if queries == small_queries else 'MISS'}"
    )


if __name__ == "__main__":
    main()
