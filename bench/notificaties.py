# ruff: noqa: E402
"""Benchmark: how many notices a person gets in a busy week with the default settings.

    .venv/bin/python -m bench.notificaties [--members 500] [--activities 20] [--meldingen 50]

Its own database, ``wijkaanpak_notificaties_bench`` (made when missing; another name ending in
``_bench`` with ``NOTIFICATIES_BENCH_DB``), emptied of this benchmark's rows at the start. One
buurt with ``--members`` verified residents, a coordinator, two police officers and an
enforcement officer for its wijk, everyone with the default choices and quiet hours. One week
is played through the real services on a moved clock (time-machine), Monday 07:05 to the next
Monday 07:00: each day a share of the activities is created by a member (each starts 2 to 9
days later), 12 neighbours sign up for each and 2 of them cancel, a share of the meldingen is
made by members and routed by the default rules, and the team it went to takes it up and
closes it with feedback; beat's tasks run at their hours (reminders every 3 hours, the daily
digest and the officers' area summary at 07:00 each day, the weekly digest on the final Monday
at 07:00) and the relay after each.

Counts per person the notices that reach them in that week (e-mails sent, or due: everything
the outbox delivers on its own or as a digest; not the notices that waited for a digest and
went out in it, not those the person switched off, not those that lapsed), and prints mean, p95
and max per role, for residents split by what they did (nothing, signed up, reported,
organised). Target: under 3 for a resident who did and asked for nothing.
"""

import argparse
import os
import random
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench import harness

DB = os.environ.get("NOTIFICATIES_BENCH_DB", "wijkaanpak_notificaties_bench")
harness.setup(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", REDIS_URL="", EMAIL_URL="memorymail://"
)

import time_machine
from django.core.management import call_command
from django.db import connection

from accounts.models import Role, Team, User
from activiteiten import services as activiteiten
from activiteiten.models import Activiteit
from activiteiten.models import Soort as ActiviteitSoort
from activiteiten.tasks import send_reminders
from buurten.models import Buurt, Gemeente, Lidmaatschap, Wijk
from meldingen import services as meldingen
from meldingen.models import Categorie, Doel, Melding
from meldingen.tasks import send_gebiedsoverzicht
from meldingen.workflow import Actie
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties, send_daily_overzichten
from portaal.tasks import send_weekly_overzichten

AMS = ZoneInfo("Europe/Amsterdam")
DOMAIN = "@notificaties.bench.invalid"
MONDAY = datetime(2027, 3, 1, 7, 5, tzinfo=AMS)  # a week without a clock change
BUURT = "BU99980000"
DELIVERED = (Notificatie.Status.WACHTEND, Notificatie.Status.VERZONDEN)


def ensure_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            c.execute(f'CREATE DATABASE "{DB}"')


def seed(members: int):
    Notificatie.objects.all().delete()
    Activiteit.objects.filter(buurt__code=BUURT).delete()
    Melding.objects.filter(buurt__code=BUURT).delete()
    User.objects.filter(email__endswith=DOMAIN).delete()
    gemeente, _ = Gemeente.objects.get_or_create(code="GM9998", defaults={"naam": "Benchstad"})
    wijk, _ = Wijk.objects.get_or_create(
        code="WK999800", defaults={"naam": "Benchwijk", "gemeente": gemeente}
    )
    buurt, _ = Buurt.objects.get_or_create(
        code=BUURT, defaults={"naam": "Drukke buurt", "wijk": wijk}
    )
    teams = {}
    for organisatie in Team.Organisatie:
        teams[organisatie], _ = Team.objects.get_or_create(
            gemeente=gemeente, organisatie=organisatie, naam=f"Bench {organisatie}"
        )
        teams[organisatie].wijken.set([wijk])
    staff = {
        "coordinator": [(Role.COORDINATOR, teams[Team.Organisatie.GEMEENTE])],
        "politie": [(Role.POLITIE, teams[Team.Organisatie.POLITIE])] * 2,
        "handhaving": [(Role.HANDHAVING, teams[Team.Organisatie.HANDHAVING])],
    }
    people = [
        User(email=f"{name}{i}{DOMAIN}", role=role, team=team, weergavenaam=f"{name} {i}")
        for name, rows in staff.items()
        for i, (role, team) in enumerate(rows)
    ]
    residents = [
        User(email=f"bewoner{i}{DOMAIN}", weergavenaam=f"Buur {i}") for i in range(members)
    ]
    User.objects.bulk_create(people + residents)
    residents = list(User.objects.filter(email__startswith="bewoner", email__endswith=DOMAIN))
    Lidmaatschap.objects.bulk_create(
        Lidmaatschap(user=user, buurt=buurt, status=Lidmaatschap.Status.LID, via="code")
        for user in residents
    )
    return buurt, residents


def handler(melding, staff):
    role = {Doel.POLITIE: Role.POLITIE, Doel.HANDHAVING: Role.HANDHAVING}.get(
        melding.doel, Role.COORDINATOR
    )
    return staff[role]


def play_week(buurt, residents, *, activities: int, reports: int, rng: random.Random):
    professionals = User.objects.filter(email__endswith=DOMAIN).exclude(role=Role.BEWONER)
    staff = {user.role: user for user in professionals}
    soort, _ = ActiviteitSoort.objects.get_or_create(naam="Buurtpreventie-ronde")
    categorieen = list(Categorie.objects.filter(actief=True, is_intimidatie=False))
    did = defaultdict(set)
    organisers = rng.sample(residents, activities)
    with time_machine.travel(MONDAY, tick=False) as clock:
        for day in range(7):
            noon = MONDAY + timedelta(days=day, hours=3)
            for hour in range(0, 24, 3):
                clock.move_to(MONDAY + timedelta(days=day, hours=hour))
                send_reminders()
                relay_notificaties()
            clock.move_to(noon)
            for organiser in organisers[day::7]:
                start = noon + timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 8))
                activiteit = activiteiten.activiteit_create(
                    organisator=organiser,
                    buurt=buurt,
                    soort=soort,
                    titel="Avondronde",
                    plek="Bij de kerk",
                    start=start,
                    einde=start + timedelta(hours=2),
                    capaciteit=10,
                )[0]
                did[organiser.pk].add("organised")
                joined = [
                    activiteiten.aanmelden(user=person, activiteit=activiteit)
                    for person in rng.sample([r for r in residents if r != organiser], 12)
                ]
                for aanmelding in joined:
                    did[aanmelding.user_id].add("signed_up")
                for aanmelding in joined[:2]:
                    activiteiten.afmelden(aanmelding=aanmelding, user=aanmelding.user)
            for reporter in rng.sample(residents, reports // 7 + (day < reports % 7)):
                made = meldingen.melding_create(
                    user=reporter,
                    buurt=buurt,
                    categorie=rng.choice(categorieen),
                    wat="Bench",
                    waar="Hoek",
                    wanneer=noon - timedelta(minutes=10),
                )
                did[reporter.pk].add("reported")
                meldingen.melding_route(melding_id=made.pk)
                made.refresh_from_db()
                by = handler(made, staff)
                meldingen.melding_transition(melding=made, actie=Actie.OPPAKKEN, by=by)
                meldingen.melding_transition(
                    melding=made, actie=Actie.AFSLUITEN, by=by, terugkoppeling="Opgelost."
                )
            relay_notificaties()
            clock.move_to(MONDAY + timedelta(days=day + 1, minutes=-5))
            send_daily_overzichten()
            send_gebiedsoverzicht()
            relay_notificaties()
        send_weekly_overzichten()
        relay_notificaties()
    return did


def report(did) -> None:
    counts = Counter(
        Notificatie.objects.filter(
            status__in=DELIVERED, ontvanger__email__endswith=DOMAIN
        ).values_list("ontvanger_id", flat=True)
    )
    per_soort = Counter(
        Notificatie.objects.filter(status__in=DELIVERED, ontvanger__role="bewoner").values_list(
            "soort", flat=True
        )
    )
    groups = defaultdict(list)
    for user in User.objects.filter(email__endswith=DOMAIN):
        if user.role != Role.BEWONER:
            groups[user.role].append(counts[user.pk])
            continue
        groups["bewoner (all)"].append(counts[user.pk])
        what = did.get(user.pk) or {"nothing"}
        for label in what:
            groups[f"bewoner: {label}"].append(counts[user.pk])
    print(f"{'who':<22} {'n':>4} {'mean':>6} {'p95':>5} {'max':>5}   notices per person per week")
    for who in sorted(groups):
        values = sorted(groups[who])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        mean = statistics.mean(values)
        print(f"{who:<22} {len(values):>4} {mean:>6.2f} {p95:>5} {max(values):>5}")
    print("residents' notices by kind:", dict(per_soort.most_common()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--meldingen", type=int, default=50)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    ensure_database()
    connection.close()
    call_command("migrate", verbosity=0)
    buurt, residents = seed(args.members)
    did = play_week(
        buurt,
        residents,
        activities=args.activities,
        reports=args.meldingen,
        rng=random.Random(args.seed),
    )
    report(did)
    return 0


if __name__ == "__main__":
    sys.exit(main())
