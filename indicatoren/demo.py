"""Demo history for the indicators: neighbours on the platform, two years of activities, survey
rounds, meldingen and facilitation requests in the demo wijken, the published quarters the
history covers (version 1 of each, as the nightly run would have made them) and today's live
figures, so that open data, trends, the residents' page and the dashboard have something to
show from the first run, whatever the hour.

Written in bulk (a few thousand rows in a few statements): ``make run`` stays fast. Neighbours
made here cannot sign in (no usable password). Figures are realistic rather than flattering:
most buurten are below the 20% target, and a few small buurten are below the minimum numbers, so
suppression shows too.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Leeftijdsgroep, Role, User
from activiteiten.models import Aanmelding, Activiteit, Rol, Soort
from buurten.models import Buurt, Lidmaatschap, Wijk
from meldingen import routing, triage
from meldingen.models import Categorie, Melder, Melding, RoutingRegel, StatusWijziging
from verzoeken.models import Verzoek

from . import kwartaal
from .compute import compute_snapshots
from .models import Peiling, Respons, StarterAanmelding
from .services import default_periode, publicatie_first
from .survey import ITEMS, WEET_NIET_CODE

WIJKEN = ("WK0363AA", "WK0363AB")
HISTORY = "Demo-geschiedenis"  # in the text of the meldingen and verzoeken made here
HISTORY_EMAIL_PREFIX = "buur"  # the neighbours made here
MONTHS = 24
HISTORY_DAYS = 700  # activities, meldingen and requests reach back (a little) further
# Rounds per wijk: months ago it closed (None: still open) and the share of P15 that answered.
ROUNDS = {
    "WK0363AA": [(14, 0.03), (8, 0.035), (2, 0.04), (None, 0.0)],
    "WK0363AB": [(10, 0.035), (4, 0.045)],
}
# The journey: the open round has 29 answers in the demo resident's buurt, one short of 30.
OPEN_ROUND_ANSWERS = {"BU0363AA02": 29, "BU0363AA03": 45, "BU0363AA05": 52, "BU0363AA06": 38}
# Small buurten that never get 30 answers (suppressed, "te weinig antwoorden").
FEW_ANSWERS = {"BU0363AA01": 0, "BU0363AA04": 0, "BU0363AB06": 20, "BU0363AB08": 12}
# Starters per closed round (wijk, months ago it closed): (buurt, how many asked, how many of
# them took part afterwards). Some counts are below 10, so the dashboard shows "< 10" too.
STARTERS = {
    ("WK0363AA", 8): ("BU0363AA02", 14, 10),
    ("WK0363AA", 2): ("BU0363AA02", 6, 2),
    ("WK0363AB", 4): ("BU0363AB01", 11, 4),
}
# A small buurt with few neighbours on the platform: its activity figures show as "< 10".
FEW_MEMBERS = {"BU0363AA04": 7}
BANDS = [
    (Leeftijdsgroep.L15_25, 0.08),
    (Leeftijdsgroep.L25_45, 0.27),
    (Leeftijdsgroep.L45_65, 0.3),
    (Leeftijdsgroep.L65_PLUS, 0.2),
    ("", 0.15),
]


def seed(*, coordinator) -> int:
    """Make the history once; returns how many neighbours were made (0 when it exists)."""
    if Peiling.objects.filter(wijk__code__in=WIJKEN).exists():
        return 0
    rng = random.Random(2026)  # the same demo every time
    wijken = {w.code: w for w in Wijk.objects.filter(code__in=WIJKEN)}
    buurten = list(Buurt.objects.filter(wijk__in=wijken.values()).order_by("code"))
    now = timezone.now()
    neighbours = _neighbours(rng, buurten, coordinator, now)
    _activities(rng, buurten, neighbours, now)
    _rounds(rng, wijken, buurten, coordinator, now)
    _starters(rng, buurten)
    _meldingen(rng, buurten, now)
    _verzoeken(rng, buurten, neighbours, now)
    gemeente = buurten[0].wijk.gemeente
    for start, eind in published_quarters():
        publicatie_first(gemeente=gemeente, periode_start=start, periode_eind=eind)
    start, eind = default_periode()
    compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
    return sum(len(people) for people in neighbours.values())


def published_quarters() -> list[tuple]:
    """The ended quarters that lie wholly within the history (about 23 months back): six or
    seven, depending on the day; which quarters have ended follows the local date only."""
    return kwartaal.ended_quarters(since=timezone.localdate() - timedelta(days=HISTORY_DAYS))


def _neighbours(rng, buurten, coordinator, now) -> dict[int, list[int]]:
    """About one in eight residents of 15+ on the platform, as verified members."""
    password = make_password(None)  # unusable: demo neighbours cannot sign in
    users, buurt_of = [], []
    for buurt in buurten:
        count = FEW_MEMBERS.get(buurt.code, round((buurt.inwoners_15_plus or 0) * 0.12))
        for k in range(max(4, count)):
            band = rng.choices([b for b, _w in BANDS], [w for _b, w in BANDS])[0]
            users.append(
                User(
                    email=f"{HISTORY_EMAIL_PREFIX}{k}.{buurt.code.lower()}@demo.wijkaanpak.nl",
                    weergavenaam=f"Buur {k + 1}",
                    role=Role.BEWONER,
                    password=password,
                    leeftijdsgroep=band,
                )
            )
            buurt_of.append(buurt)
    made = User.objects.bulk_create(users, batch_size=2000)
    # Members since before the first activity: activities count where people lived that day.
    since = now - timedelta(days=30 * (MONTHS + 1))
    Lidmaatschap.objects.bulk_create(
        [
            Lidmaatschap(
                user=user,
                buurt=buurt,
                status=Lidmaatschap.Status.LID,
                via=Lidmaatschap.Via.CODE,
                decided_at=since,
                decided_by=coordinator,
                welcome_sent_at=since,
                coordinators_notified_at=since,
            )
            for user, buurt in zip(made, buurt_of, strict=True)
        ],
        batch_size=2000,
    )
    neighbours: dict[int, list[int]] = {buurt.pk: [] for buurt in buurten}
    for user, buurt in zip(made, buurt_of, strict=True):
        neighbours[buurt.pk].append(user.pk)
    return neighbours


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _activities(rng, buurten, neighbours, now) -> None:
    """Two years of past activities; participation grows over time (the programme works)."""
    soorten = list(Soort.objects.filter(actief=True)) or [
        Soort.objects.get_or_create(naam="Buurtpreventie-ronde")[0]
    ]
    planned = []  # (activiteit, people, volunteers)
    for buurt in buurten:
        people = neighbours[buurt.pk]
        for month in range(MONTHS, 0, -1):
            growth = 1 - month / (MONTHS * 1.6)  # from ~0.4 to ~1
            for _ in range(rng.randint(1, 3)):
                start = _at((now - timedelta(days=30 * month - rng.randint(0, 27))).date(), 19)
                size = min(len(people), max(2, int(len(people) * rng.uniform(0.05, 0.2) * growth)))
                chosen = rng.sample(people, size)
                planned.append(
                    (
                        Activiteit(
                            buurt=buurt,
                            soort=rng.choice(soorten),
                            titel=rng.choice(["Avondronde", "Opschoonochtend", "Buurtkoffie"]),
                            plek="Buurthuis",
                            start=start,
                            einde=start + timedelta(hours=2),
                            capaciteit=max(size, 10),
                            zichtbaarheid=Activiteit.Zichtbaarheid.LEDEN,
                            organisator_id=chosen[0],
                        ),
                        chosen[1:],
                        rng.randint(0, 2),
                    )
                )
    activiteiten = Activiteit.objects.bulk_create([p[0] for p in planned], batch_size=2000)
    rollen = Rol.objects.bulk_create(
        [Rol(activiteit=a, naam="Vrijwilliger", plaatsen=2) for a in activiteiten],
        batch_size=2000,
    )
    aanmeldingen = []
    for activiteit, rol, (_a, people, volunteers) in zip(
        activiteiten, rollen, planned, strict=True
    ):
        for k, person in enumerate(people):
            volunteer = k < volunteers
            aanmeldingen.append(
                Aanmelding(
                    activiteit=activiteit,
                    user_id=person,
                    rol=rol if volunteer else None,
                    aanwezig=rng.random() > 0.08,
                    uren=Decimal(rng.choice(["1.5", "2.0", "2.5", "3.0"])) if volunteer else None,
                )
            )
    Aanmelding.objects.bulk_create(aanmeldingen, batch_size=5000)


def _answers(rng, quality: float, weet_niet: float = 0.06) -> dict:
    """One resident's answers; ``quality`` (0..1) shifts them towards a cohesive buurt."""
    answers = {}
    for item in ITEMS:
        if rng.random() < weet_niet:
            answers[item.key] = WEET_NIET_CODE
            continue
        low, high = item.waarden[0], item.waarden[-1]
        # Reversed statements and threats lean the other way in a cohesive buurt.
        lean = 1 - quality if item.omgekeerd or item.groep == "dreiging" else quality
        value = round(low + (high - low) * min(1, max(0, rng.gauss(lean, 0.22))))
        answers[item.key] = value
    return answers


def _titel(opened) -> str:
    with translation.override("nl"):
        return f"Buurtpeiling {date_format(timezone.localtime(opened), 'F Y')}"


def _rounds(rng, wijken, buurten, coordinator, now) -> None:
    responses = []
    for code, rounds in ROUNDS.items():
        wijk = wijken[code]
        for number, (closed_months_ago, share) in enumerate(rounds, start=1):
            closed = now - timedelta(days=30 * closed_months_ago) if closed_months_ago else None
            opened = (closed or now) - timedelta(days=21)
            peiling = Peiling.objects.create(
                wijk=wijk,
                # Titled as a coordinator would (the form's default): residents of every
                # buurt in the wijk see it, so no wijk name and no round number.
                titel=_titel(opened),
                opened_by=coordinator,
                geopend_at=opened,
                gesloten_at=closed,
            )
            for buurt in (b for b in buurten if b.wijk_id == wijk.pk):
                if closed is None:
                    count = OPEN_ROUND_ANSWERS.get(buurt.code, 0)
                else:
                    count = FEW_ANSWERS.get(
                        buurt.code, round((buurt.inwoners_15_plus or 0) * share)
                    )
                quality = 0.5 + 0.04 * number + sum(map(ord, buurt.code)) % 10 / 100
                # In the open round every answer counts, so that one more makes 30.
                weet_niet = 0.06 if closed else 0.0
                responses += [
                    Respons(peiling=peiling, buurt=buurt, **_answers(rng, quality, weet_niet))
                    for _ in range(count)
                ]
    Respons.objects.bulk_create(responses, batch_size=2000)


def _meldingen(rng, buurten, now) -> None:
    """Closed meldingen of the past two years, routed by the default rules, each closed with a
    message to the reporter after a few hours to two weeks (reporters long anonymised)."""
    categories = list(Categorie.objects.filter(actief=True))
    if not categories:
        return
    rules = list(RoutingRegel.objects.filter(actief=True).order_by("volgorde", "pk"))
    made, created = [], []
    for buurt in buurten:
        for _ in range(round((buurt.inwoners or 0) / 90)):
            at = now - timedelta(days=rng.randint(3, 700), hours=rng.randint(0, 23))
            categorie = rng.choice(categories)
            melding = Melding(
                buurt=buurt,
                categorie=categorie,
                wat=f"Eerder gemeld ({HISTORY}).",
                waar="In de buurt",
                wanneer=at,
                status="afgesloten",
                doel=routing.decide(categorie=categorie, buurt=buurt, at=at, rules=rules).doel,
                routed_at=at,
                anonymised_at=at + timedelta(days=180) if at < now - timedelta(days=180) else None,
            )
            triage.set_summaries(melding)
            made.append(melding)
            created.append(at)
    meldingen = Melding.objects.bulk_create(made, batch_size=2000)
    answered = [  # never later than now: a melding of three days ago is not closed in a week
        min(now, at + timedelta(hours=rng.choice([2, 5, 12, 20, 30, 48, 70, 120, 200, 340])))
        for at in created
    ]
    for melding, at, closed in zip(meldingen, created, answered, strict=True):
        melding.created_at, melding.closed_at = at, closed
    Melding.objects.bulk_update(meldingen, ["created_at", "closed_at"], batch_size=2000)
    Melder.objects.bulk_create([Melder(melding=m, user=None) for m in meldingen], batch_size=2000)
    history = []
    for melding, at, closed in zip(meldingen, created, answered, strict=True):
        history.append((StatusWijziging(melding=melding, naar="gerouteerd"), at))
        history.append(
            (
                StatusWijziging(
                    melding=melding,
                    van="gerouteerd",
                    naar="afgesloten",
                    terugkoppeling="Bedankt, we hebben het opgepakt.",
                ),
                closed,
            )
        )
    rows = StatusWijziging.objects.bulk_create([h for h, _at in history], batch_size=2000)
    for row, (_h, at) in zip(rows, history, strict=True):
        row.created_at = at
    StatusWijziging.objects.bulk_update(rows, ["created_at"], batch_size=2000)


def _verzoeken(rng, buurten, neighbours, now) -> None:
    decided = []
    for buurt in buurten:
        for _ in range(max(1, round((buurt.inwoners or 0) / 200))):
            ingediend = now - timedelta(days=rng.randint(10, 700))
            days = rng.choice([1, 2, 3, 3, 4, 6, 10, 15])
            status = rng.choices(["toegekend", "uitgevoerd", "afgewezen"], [5, 4, 1])[0]
            decided.append(
                Verzoek(
                    buurt=buurt,
                    aanvrager_id=rng.choice(neighbours[buurt.pk]),
                    soort=rng.choice(["materialen", "straatfeest", "budget"]),
                    nodig_op=(ingediend + timedelta(days=21)).date(),
                    toelichting=HISTORY,
                    status=status,
                    ingediend_at=ingediend,
                    deadline=(ingediend + timedelta(days=5)).date(),
                    besloten_at=ingediend + timedelta(days=days),
                    bedrag=Decimal("100") if status != "afgewezen" else Decimal("900"),
                )
            )
    Verzoek.objects.bulk_create(decided, batch_size=2000)


def _starters(rng, buurten) -> None:
    """Residents who asked for an invitation for a first activity at the end of a round, a week
    before it closed, and a first activity for some of them at least three days later. Starters
    are neighbours without any activity from two days before they asked, so that "took part
    afterwards" is exactly what is planned here, whatever the hour of seeding."""
    by_code = {b.code: b for b in buurten}
    rounds = Peiling.objects.filter(gesloten_at__isnull=False).select_related("wijk")
    chosen_before: set[int] = set()
    rows, signups = [], []
    for peiling in rounds.order_by("gesloten_at"):
        months = round((timezone.now() - peiling.gesloten_at).days / 30)
        plan = STARTERS.get((peiling.wijk.code, months))
        if plan is None or plan[0] not in by_code:
            continue
        code, asked, took_part = plan
        buurt = by_code[code]
        day = timezone.localdate(peiling.gesloten_at) - timedelta(days=7)
        since = Activiteit.objects.filter(start__date__gte=day - timedelta(days=2))
        busy = set(
            Aanmelding.objects.filter(activiteit__in=since).values_list("user_id", flat=True)
        ) | set(since.values_list("organisator_id", flat=True))
        idle = sorted(
            set(
                Lidmaatschap.objects.filter(
                    buurt=buurt, user__email__startswith=HISTORY_EMAIL_PREFIX
                ).values_list("user_id", flat=True)
            )
            - busy
            - chosen_before
        )
        chosen = rng.sample(idle, min(asked, len(idle)))
        chosen_before.update(chosen)
        rows += [StarterAanmelding(user_id=pk, peiling=peiling, aangemeld_op=day) for pk in chosen]
        later = list(
            Activiteit.objects.filter(
                buurt=buurt,
                start__date__gte=day + timedelta(days=3),
                start__lt=timezone.now() - timedelta(days=1),
            ).order_by("start")[:3]
        )
        for k, pk in enumerate(chosen[:took_part] if later else []):
            signups.append(Aanmelding(activiteit=later[k % len(later)], user_id=pk, aanwezig=True))
    StarterAanmelding.objects.bulk_create(rows)
    Aanmelding.objects.bulk_create(signups)
