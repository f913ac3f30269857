"""Data for indicator tests: survey rounds with responses, and participation history.

Past activities and closed rounds cannot be made through the services (they refuse the past), so
these helpers write the records directly, the way seed_demo and the benchmark do.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit, Rol, Soort
from indicatoren import kwartaal, services
from indicatoren.compute import compute_snapshots
from indicatoren.models import Peiling, Respons, Snapshot
from indicatoren.services import default_periode
from tests import factories

from .views_support import cel, onderdrukt, publicatie, snapshot

# The worked examples of DOMAIN.md as stored answers (before reversal).
SC_EXAMPLE = {"sc1": 1, "sc2": 3, "sc3": 2, "sc4": 4, "sc5": 3}  # 3,3,2,4,3 scored -> 7.5
ISC_EXAMPLE = {"isc1": 4, "isc2": 4, "isc3": 3, "isc4": 5, "isc5": 2}  # 18
SCT_EXAMPLE = {"sct1": 4, "sct2": 3, "sct3": 4, "sct4": 4, "sct5": 2}  # 4,3,4,2,4 -> 17
EXAMPLE = {**SC_EXAMPLE, **ISC_EXAMPLE, **SCT_EXAMPLE, "bereidheid": 4, "aanspreken": 2}


def closed_round(wijk, *, days_ago: int = 10, titel: str = "Peiling") -> Peiling:
    opened = timezone.now() - timedelta(days=days_ago + 14)
    return Peiling.objects.create(
        wijk=wijk,
        titel=titel,
        opened_by=factories.professional("coordinator", wijk),
        geopend_at=opened,
        gesloten_at=opened + timedelta(days=14),
    )


def responses(peiling, buurt, answers: dict, count: int = 1) -> None:
    Respons.objects.bulk_create(
        [Respons(peiling=peiling, buurt=buurt, **answers) for _ in range(count)]
    )


def _soort():
    return Soort.objects.get_or_create(naam="Buurtpreventie-ronde")[0]


def past_activity(
    buurt, *, days_ago: int = 30, start=None, organisator=None, cancelled=False
) -> Activiteit:
    start = start or timezone.now() - timedelta(days=days_ago)
    return Activiteit.objects.create(
        buurt=buurt,
        soort=_soort(),
        titel="Ronde",
        plek="Plein",
        start=start,
        einde=start + timedelta(hours=2),
        capaciteit=50,
        organisator=organisator or factories.UserFactory(),
        geannuleerd_at=start if cancelled else None,
    )


def took_part(user, activiteit, *, rol=False, uren=None, aanwezig=None) -> Aanmelding:
    role = Rol.objects.create(activiteit=activiteit, naam="Loper", plaatsen=5) if rol else None
    return Aanmelding.objects.create(
        activiteit=activiteit,
        user=user,
        rol=role,
        aanwezig=aanwezig,
        uren=Decimal(str(uren)) if uren is not None else None,
    )


def members(buurt, count: int, **user_kwargs) -> list:
    return [
        factories.LidmaatschapFactory(buurt=buurt, user=factories.UserFactory(**user_kwargs)).user
        for _ in range(count)
    ]


def at(day: datetime, hour: int = 12) -> datetime:
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def compute():
    """Compute the default period for a gemeente; returns {area: waarden} by level."""

    def _compute(gemeente, eind=None):
        start, eind = default_periode(eind)
        compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
        snapshots = Snapshot.objects.filter(
            gemeente=gemeente, periode_start=start, periode_eind=eind, publicatie__isnull=True
        )
        result = {}
        for snap in snapshots:
            area = snap.buurt_id or snap.wijk_id or snap.gemeente_id
            result[(snap.niveau, area)] = snap.waarden
        return result

    return _compute


EIND = date(2026, 9, 30)  # the last day of the published quarter (Q3 2026)


@pytest.fixture
def published(wijk, buurt, other_buurt):
    """Version 1 of the published Q3 2026, and live figures (not published) for two wijken."""
    gemeente = wijk.gemeente
    versie = publicatie(gemeente)
    assert (versie.periode_eind, versie.versie) == (EIND, 1)
    for extra in ({"publicatie": versie}, {"eind": date(2026, 11, 27)}):
        snapshot(gemeente=gemeente, waarden={"bereik": cel(9.5, 240)}, **extra)
        snapshot(wijk=wijk, waarden={"bereik": cel(7.5, 90)}, **extra)
        snapshot(wijk=other_buurt.wijk, waarden={"bereik": cel(11.0, 150)}, **extra)
        snapshot(
            buurt=buurt,
            waarden={"bereik": onderdrukt(10), "sociale_cohesie": cel(6.5, 31, [6.1, 6.9])},
            **extra,
        )
        snapshot(buurt=other_buurt, waarden={"bereik": cel(11.0, 150)}, **extra)
    return gemeente


def in_last_quarter(days: int = 45):
    """A moment ``days`` into the last ended quarter, at noon, and how many days ago that is."""
    start, _eind = kwartaal.last_ended()
    moment = timezone.make_aware(datetime.combine(start + timedelta(days=days), time(12)))
    return moment, (timezone.localdate() - moment.date()).days


@pytest.fixture
def publish():
    """Publish version 1 of the last ended quarter for a gemeente, as the nightly run does;
    returns {area: waarden} by level."""

    def _publish(gemeente):
        start, eind = kwartaal.last_ended()
        versie = services.publicatie_first(
            gemeente=gemeente, periode_start=start, periode_eind=eind
        )
        result = {}
        for snap in versie.snapshots.all():
            area = snap.buurt_id or snap.wijk_id or snap.gemeente_id
            result[(snap.niveau, area)] = snap.waarden
        return result

    return _publish
