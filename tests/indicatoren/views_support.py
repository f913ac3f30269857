"""Helpers for the indicator view tests: buurt shapes, snapshots as the computation stores them,
and survey rounds opened the way coordinators open them."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from indicatoren import services
from indicatoren.models import Niveau, Snapshot

PERIODE_EIND = date(2026, 11, 30)


def square(x: float, y: float, size: float = 200.0) -> str:
    """An RD New square as the importer stores shapes (EWKT polygon)."""
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    return "SRID=28992;POLYGON ((" + ", ".join(f"{a} {b}" for a, b in corners) + "))"


def cel(waarde, n=None, ci=None):
    return {"waarde": waarde, "n": n, "ci": ci, "onderdrukt": False, "drempel": 30}


def onderdrukt(drempel=10, reden=None):
    """Suppressed as stored: ``reden`` "klein" or "bescherming" (None: a snapshot from before
    reasons were stored, which reads as "klein")."""
    cel = {"waarde": None, "n": None, "ci": None, "onderdrukt": True, "drempel": drempel}
    return cel if reden is None else {**cel, "reden": reden}


def snapshot(*, waarden, buurt=None, wijk=None, gemeente=None, start=None, eind=None):
    """A snapshot of one area for one period (12 months by default, like the computation's),
    as ``compute_snapshots`` writes it."""
    niveau = Niveau.BUURT if buurt else Niveau.WIJK if wijk else Niveau.GEMEENTE
    area_wijk = buurt.wijk if buurt else wijk
    gemeente = gemeente or area_wijk.gemeente
    eind = eind or PERIODE_EIND
    return Snapshot.objects.create(
        niveau=niveau,
        gemeente=gemeente,
        wijk=wijk,
        buurt=buurt,
        periode_start=start or services.default_periode(eind)[0],
        periode_eind=eind,
        # The nightly run after the period's last day (figures of a day not over are not final).
        berekend_at=timezone.make_aware(datetime.combine(eind + timedelta(days=1), time(3, 30))),
        waarden=waarden,
    )


def open_peiling(wijk, coordinator, titel="Buurtpeiling najaar"):
    return services.peiling_open(wijk=wijk, by=coordinator, titel=titel)


def antwoorden(**overrides):
    """A full set of answers in the form's terms (all "mee eens"), with overrides."""
    from indicatoren.survey import ITEMS

    data = {item.key: str(item.waarden[3]) for item in ITEMS}
    data.update(overrides)
    return data
