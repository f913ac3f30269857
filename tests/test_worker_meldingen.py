"""Meldingen through real Redis and real worker processes: routed once, whatever happens.

A saved melding survives a broker outage and a worker killed with SIGKILL mid-batch; afterwards
every melding is routed exactly once (one hand-off, one history entry).
"""

import signal
import socket
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from django.utils import timezone

from meldingen import tasks
from meldingen.models import Doel, Doorzetting, Melding, Outbox, RoutingRegel, StatusWijziging
from meldingen.workflow import Status
from tests import factories
from tests.celery_worker import BASE_DIR, Worker, database_url, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(settings):
    settings.WIJKAANPAK_OUTBOX_RETRY_AFTER = 1  # the sweep may re-offer work after a second
    return settings


@pytest.fixture
def scene():
    buurt = factories.BuurtFactory()
    categorie = factories.CategorieFactory(naam="Worker-test")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    return {"buurt": buurt, "categorie": categorie, "reporter": reporter}


def routed_exactly_once(ids) -> bool:
    routed = Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD).count()
    handoffs = Doorzetting.objects.filter(melding__in=ids).count()
    history = StatusWijziging.objects.filter(melding__in=ids, naar=Status.GEROUTEERD).count()
    return routed == handoffs == history == len(ids)


def test_a_worker_routes_a_new_melding_into_the_feed(worker, scene):
    melding = factories.melding(user=scene["reporter"], categorie=scene["categorie"], route=False)
    wait_for(lambda: routed_exactly_once([melding.pk]), what="routing", log=worker.log)
    melding.refresh_from_db()
    assert melding.doel == Doel.POLITIE
    assert melding.samenvatting.startswith("[NORMAAL] Worker-test")


def test_a_worker_routes_and_mails_the_receipt_once(worker, scene):
    """The routing task queues the receipt with the routing; the relay a worker runs after that
    commit sends it. Routing asked for again (the sweep, a redelivery) sends nothing more."""
    from notificaties.models import Notificatie
    from tests.test_worker import _mails

    melding = factories.melding(user=scene["reporter"], categorie=scene["categorie"], route=False)
    receipts = Notificatie.objects.filter(soort=Notificatie.Soort.ONTVANGSTBEVESTIGING)
    sent = receipts.filter(status=Notificatie.Status.VERZONDEN)
    wait_for(lambda: sent.count() == 1, what="the receipt", log=worker.log)
    tasks.route_melding.delay(Outbox.objects.get(melding=melding).pk)  # once more
    time.sleep(1)
    melding.refresh_from_db()
    assert receipts.count() == 1
    (mail,) = _mails(worker.mail_dir)
    assert mail["To"] == scene["reporter"].email
    assert melding.referentie in mail["Subject"]


def submit(scene, count: int, *, broker: str, env: dict, timeout: float):
    """``count`` residents' submissions in another process, whose broker is ``broker``."""
    script = (
        "from django.utils import timezone; from accounts.models import User; "
        "from buurten.models import Buurt; from meldingen.models import Categorie; "
        "from meldingen import services; "
        f"user = User.objects.get(pk={scene['reporter'].pk}); "
        f"buurt = Buurt.objects.get(pk={scene['buurt'].pk}); "
        f"categorie = Categorie.objects.get(pk={scene['categorie'].pk}); "
        f"[services.melding_create(user=user, buurt=buurt, categorie=categorie, wat='x', "
        f"waar='y', wanneer=timezone.now()) for _ in range({count})]"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={**env, "REDIS_URL": broker},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_submissions_during_a_broker_outage_are_routed_once_it_returns(worker, scene, setting):
    count = 100
    outage = submit(scene, count, broker="redis://127.0.0.1:1/0", env=worker.env, timeout=600)
    assert outage.returncode == 0, outage.stderr[-2000:]
    ids = list(Melding.objects.values_list("pk", flat=True))
    assert len(ids) == count  # every submission saved
    assert not Melding.objects.exclude(status=Status.ONTVANGEN).exists()

    Outbox.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    result = tasks.sweep_outbox()  # beat's periodic sweep, with the broker back
    assert result == {"relayed": count, "failed": 0}
    wait_for(
        lambda: routed_exactly_once(ids), what="routing after outage", log=worker.log, timeout=120
    )


@pytest.fixture
def hanging_broker():
    """A Redis address that accepts connections and never answers: a network partition, or a
    Redis that hangs, rather than one that refuses."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    for connection in held:
        connection.close()


def test_a_broker_that_hangs_does_not_hold_the_submission(worker, scene, setting, hanging_broker):
    """The resident's request hands its task over after commit: a broker that never answers is
    given up on (``CELERY_BROKER_TRANSPORT_OPTIONS``' timeouts) as one that refuses, so the page
    answers, and the sweep routes the melding once the broker is back. Without the timeouts the
    request waited for ever, after the melding was saved: the resident, seeing no answer, would
    report again."""
    outage = submit(scene, 2, broker=hanging_broker, env=worker.env, timeout=90)
    assert outage.returncode == 0, outage.stderr[-2000:]
    assert "broker unavailable, left for the sweep" in outage.stderr
    ids = list(Melding.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert not Outbox.objects.exclude(enqueued_at=None).exists()  # nothing reached a broker

    Outbox.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    assert tasks.sweep_outbox() == {"relayed": 2, "failed": 0}
    wait_for(lambda: routed_exactly_once(ids), what="routing after a hang", log=worker.log)


def test_relaying_never_waits_for_a_worker_holding_the_row(worker, scene):
    """A resident's submission relays its outbox row after commit. When a worker's batch has
    taken that row already (it picks up every row still waiting), the relay must not wait for
    the batch to commit: it hands the task over and leaves the row to the batch."""
    from django.db import connection

    with psycopg.connect(database_url()) as blocker:
        blocker.execute(f"LOCK TABLE {Doorzetting._meta.db_table} IN SHARE MODE")
        melding = factories.melding(
            user=scene["reporter"], categorie=scene["categorie"], route=False
        )
        blocked_backends(Doorzetting._meta.db_table, log=worker.log)
        row = Outbox.objects.get(melding=melding)
        with connection.cursor() as cursor:  # a wait fails the test instead of hanging it
            cursor.execute("SET lock_timeout = '5s'")
        started = time.monotonic()
        try:
            assert tasks.relay(row.pk) is True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        waited = time.monotonic() - started
        unchanged = Outbox.objects.get(pk=row.pk)
        blocker.rollback()
    assert waited < 5
    assert (unchanged.enqueued_at, unchanged.attempts) == (row.enqueued_at, row.attempts)
    wait_for(lambda: routed_exactly_once([melding.pk]), what="routing", log=worker.log)


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
    worker, scene, setting, tmp_path
):
    def make(count):
        return [
            factories.melding(user=scene["reporter"], categorie=scene["categorie"], route=False).pk
            for _ in range(count)
        ]

    before = make(50)
    wait_for(lambda: routed_exactly_once(before), what="routing", log=worker.log)

    # Hold the hand-off table so that the worker's next batch stops half-way: its outbox rows
    # and meldingen locked, triage done, its transaction open. Then kill it with SIGKILL there.
    with psycopg.connect(database_url()) as blocker:
        blocker.execute(f"LOCK TABLE {Doorzetting._meta.db_table} IN SHARE MODE")
        during = make(150)
        stuck = blocked_backends(Doorzetting._meta.db_table, log=worker.log)
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait(timeout=20)
        blocker.rollback()  # the dead worker's backend wakes, finds its client gone, rolls back
    wait_for(
        lambda: not backends_alive(stuck), what="the killed batch to roll back", log=worker.log
    )
    ids = before + during
    assert Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD).count() == len(before)
    assert not Doorzetting.objects.filter(melding__in=during).exists()

    # A new worker starts; beat's sweep re-offers what was lost with the old one.
    second = Worker(tmp_path, worker.queue, name="second")
    try:
        time.sleep(1.5)
        tasks.sweep_outbox()
        wait_for(
            lambda: routed_exactly_once(ids),
            what="routing after SIGKILL",
            log=second.log,
            timeout=120,
        )
    finally:
        second.stop()


def blocked_backends(table: str, *, log) -> list[int]:
    """The database backends waiting for a lock to write into ``table``. Read outside the
    blocking transaction: inside one, pg_stat_activity stays as it was at the first look."""
    found = []

    def waiting() -> bool:
        with psycopg.connect(database_url(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query ILIKE %s",
                [f'INSERT INTO "{table}"%'],
            ).fetchall()
        found[:] = [pid for (pid,) in rows]
        return bool(found)

    wait_for(waiting, what="a batch to block half-way", log=log)
    return found


def backends_alive(pids: list[int]) -> bool:
    with psycopg.connect(database_url(), autocommit=True) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", [pids]).fetchone()
        )
