"""The computation task: idempotent, progress as it goes, failures recorded; the nightly run."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from indicatoren import compute, kwartaal, selectors, services, tasks
from indicatoren.models import Berekening, Publicatie, Snapshot
from tests import factories

from .conftest import EXAMPLE, closed_round, responses

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EIND_Q2 = date(2026, 6, 30)


def _berekening(gemeente, **kwargs):
    start, eind = services.default_periode()
    return Berekening.objects.create(
        gemeente=gemeente, periode_start=start, periode_eind=eind, **kwargs
    )


def test_progress_goes_up_to_100(buurt):
    seen = []
    start, eind = services.default_periode()
    written = compute.compute_snapshots(
        gemeente=buurt.wijk.gemeente, periode_start=start, periode_eind=eind, progress=seen.append
    )
    assert written == 3  # buurt, wijk, gemeente
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] == 100 and len(seen) >= 5


def test_the_task_is_idempotent(buurt):
    berekening = _berekening(buurt.wijk.gemeente)

    tasks.compute_indicators(berekening.pk)
    first = list(Snapshot.objects.values_list("pk", "berekend_at"))
    tasks.compute_indicators(berekening.pk)  # redelivered: nothing happens
    tasks.compute_indicators(berekening.pk + 1000)  # gone: nothing happens

    berekening.refresh_from_db()
    assert (berekening.status, berekening.voortgang) == ("klaar", 100)
    assert berekening.klaar_at is not None
    assert list(Snapshot.objects.values_list("pk", "berekend_at")) == first


def test_recomputing_a_period_replaces_its_snapshots(buurt, compute):
    compute(buurt.wijk.gemeente)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=30)
    figures = compute(buurt.wijk.gemeente)

    assert Snapshot.objects.filter(buurt=buurt).count() == 1
    assert figures[("buurt", buurt.pk)]["sociale_cohesie"]["waarde"] == 7.5


def test_a_failure_is_recorded_and_raised(buurt, monkeypatch):
    berekening = _berekening(buurt.wijk.gemeente)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(compute, "compute_snapshots", broken)
    with pytest.raises(RuntimeError):
        tasks.compute_indicators(berekening.pk)

    berekening.refresh_from_db()
    assert berekening.status == Berekening.Status.MISLUKT
    assert "mislukt" in berekening.fout and "database" not in berekening.fout


def test_nightly_computes_today_and_publishes_the_last_quarter_once(
    buurt, django_capture_on_commit_callbacks
):
    gemeente = buurt.wijk.gemeente
    factories.GemeenteFactory(code="GM0999")  # no buurten: nothing to compute
    with django_capture_on_commit_callbacks(execute=True):
        tasks.compute_nightly()
    today = timezone.localdate()
    assert list(Berekening.objects.values_list("periode_eind", "status")) == [(today, "klaar")]
    quarter = kwartaal.last_ended()
    assert selectors.periodes_for(gemeente, maandeinde=True) == [quarter]
    assert selectors.periodes_for(gemeente) == [services.default_periode(today)]

    with django_capture_on_commit_callbacks(execute=True):
        tasks.compute_nightly()  # the next night: only today's live figures again
    assert Publicatie.objects.get().versie == 1
    assert Berekening.objects.filter(periode_eind=today).count() == 2


def test_nightly_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-indicators"]
    assert entry["task"] == tasks.compute_nightly.name


def test_trends_come_from_the_published_quarters(buurt):
    gemeente = buurt.wijk.gemeente
    with time_machine.travel(datetime(2026, 7, 2, 3, 30, tzinfo=AMSTERDAM), tick=False):
        for start, eind in ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), EIND_Q2)):
            services.publicatie_first(gemeente=gemeente, periode_start=start, periode_eind=eind)
        start, eind = services.default_periode()
        compute.compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)

    points = selectors.trend(buurt=buurt, indicator="bereik")
    assert [p[0] for p in points] == [date(2026, 3, 31), EIND_Q2]  # not the live figure
    assert all(p[1] is None and p[2] for p in points)  # nobody took part: "< 10"
    latest = selectors.snapshots_for(gemeente=gemeente, niveau="buurt").get()
    assert (latest.periode_eind, latest.publicatie) == (date(2026, 7, 2), None)


def test_a_waiting_request_is_offered_again_when_asked_again(
    buurt, coordinator, django_capture_on_commit_callbacks
):
    # The broker was down when it was first requested: it sits waiting.
    waiting = _berekening(buurt.wijk.gemeente)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.berekening_request(gemeente=buurt.wijk.gemeente, by=coordinator)

    assert again == waiting
    waiting.refresh_from_db()
    assert (waiting.status, waiting.voortgang) == ("klaar", 100)


def test_a_computation_another_worker_runs_is_not_run_twice(buurt):
    running = _berekening(
        buurt.wijk.gemeente, status=Berekening.Status.BEZIG, gestart_at=timezone.now()
    )
    tasks.compute_indicators(running.pk)  # a duplicate delivery
    running.refresh_from_db()
    assert running.status == Berekening.Status.BEZIG
    assert not Snapshot.objects.exists()


def test_a_stalled_computation_is_replaced(buurt, coordinator, django_capture_on_commit_callbacks):
    stalled = _berekening(
        buurt.wijk.gemeente,
        status=Berekening.Status.BEZIG,
        gestart_at=timezone.now() - timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.berekening_request(gemeente=buurt.wijk.gemeente, by=coordinator)

    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert fresh != stalled
    assert stalled.status == Berekening.Status.MISLUKT and "opnieuw" in stalled.fout
    assert fresh.status == Berekening.Status.KLAAR


def test_operators_compute_from_the_command_line(buurt):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("bereken_indicatoren", "--gemeente", "gm0363", "--eind", "2026-03-31", stdout=out)
    assert "GM0363 2025-04-01 – 2026-03-31: 3 snapshots" in out.getvalue()
    assert Snapshot.objects.filter(buurt=buurt, periode_eind=date(2026, 3, 31)).exists()
    with pytest.raises(CommandError, match="GM0001"):
        call_command("bereken_indicatoren", "--gemeente", "GM0001", stdout=out)
