# ruff: noqa: E402
"""Routing survives a broker outage and a killed worker: every melding routed exactly once.

    .venv/bin/python -m bench.faults [--outage 100] [--batch 500]

(a) --outage submissions from a process whose broker is a closed port (the machine's Redis
    keeps running), then the outbox sweep with the broker back and a worker running;
(b) --batch submissions queued, a worker SIGKILLed (with its pool) once a fifth is routed, at a
    moment it holds outbox rows locked (claimed in a routing transaction, which the kill rolls
    back); the queue is then purged, so that only the sweep (re-offering work after 2 s) can
    recover what is left; a new worker, sweeps until all are routed.
Counts per melding: hand-offs (Doorzetting rows) and "routed" history rows.
"""

import argparse
import json
import subprocess
import sys
import time
from collections import Counter

from bench import harness

harness.setup()

from django.db import connection, transaction

from meldingen import tasks
from meldingen.models import Doorzetting, Melding, Outbox, StatusWijziging
from meldingen.workflow import Status

DEAD_BROKER = "redis://127.0.0.1:1/0"
SWEEP_AGE = 31  # the sweep takes rows never handed over once they are 30 s old


def report(name: str, ids: list[int], **extra) -> None:
    routed = Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD).count()
    handoffs = Counter(
        Doorzetting.objects.filter(melding__in=ids).values_list("melding", flat=True)
    )
    history = Counter(
        StatusWijziging.objects.filter(melding__in=ids, naar=Status.GEROUTEERD).values_list(
            "melding", flat=True
        )
    )
    once = sum(1 for pk in ids if handoffs[pk] == history[pk] == 1)
    duplicates = sum(c - 1 for c in handoffs.values()) + sum(c - 1 for c in history.values())
    saved = Melding.objects.filter(pk__in=ids).count()
    verdict = "ok" if once == saved == len(ids) and not duplicates else "FAILS"
    details = ", ".join(f"{key} {value}" for key, value in extra.items())
    print(
        f"{name}: submitted {len(ids)}, saved {saved}, routed {routed}, routed exactly once"
        f" {once}, duplicate hand-offs/history rows {duplicates}; {details}  {verdict}"
    )


def routed_all(ids: list[int]):
    return lambda: Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD).count() == len(ids)


def outage(count: int) -> None:
    with harness.Worker("faults-a"):
        result = subprocess.run(  # noqa: S603 (our own arguments)
            [sys.executable, "-m", "bench.submit", str(count), "--broker", DEAD_BROKER],
            cwd=harness.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        submitted = json.loads(result.stdout)
        ids = submitted["ids"]
        routed_during = Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD).count()
        time.sleep(SWEEP_AGE)
        swept = tasks.sweep_outbox()
        harness.wait_for(routed_all(ids), timeout=120, what="routing after the outage")
    report(
        "(a) broker outage",
        ids,
        **{
            "ms per submission while down": f"{submitted['ms_per_submission']:.0f}",
            "routed while down": routed_during,
            "sweep relayed": swept["relayed"],
        },
    )


def claimed(ids: list[int]) -> int:
    """Outbox rows of these meldingen not done and locked by a routing transaction now: all
    not done minus those this query can lock itself (then released at once)."""
    table = Outbox._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table} WHERE done_at IS NULL AND melding_id = ANY(%s))"  # noqa: S608
            f" - (SELECT COUNT(*) FROM (SELECT id FROM {table} WHERE done_at IS NULL"
            " AND melding_id = ANY(%s) FOR UPDATE SKIP LOCKED) free)",
            [ids, ids],
        )
        return cursor.fetchone()[0]


def killed_worker(count: int) -> None:
    ids = [harness.submit() for _ in range(count)]  # queued; no worker runs yet
    routed = Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD)
    first = harness.Worker("faults-b1")
    held = 0
    try:
        harness.wait_for(lambda: routed.count() >= count // 5, timeout=120, what="a fifth routed")
        # Then the first moment the worker holds rows in a routing transaction (a few seconds
        # at most: it drains the queue in batches of 25).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (held := claimed(ids)):
            time.sleep(0.005)
    finally:
        first.kill()
    at_kill = routed.count()
    # The tasks still queued would route the rest: gone, as if the broker lost them too.
    harness.purge_queue()
    sweeps = relayed = 0
    with harness.Worker("faults-b2"):
        while not routed_all(ids)() and sweeps < 10:
            time.sleep(3)  # older than WIJKAANPAK_OUTBOX_RETRY_AFTER (2 s)
            relayed += tasks.sweep_outbox()["relayed"]
            sweeps += 1
            try:
                harness.wait_for(routed_all(ids), timeout=20, what="routing after SIGKILL")
            except TimeoutError:
                continue
    report(
        "(b) worker SIGKILLed",
        ids,
        **{
            "routed at kill": at_kill,
            "claimed at kill": held,
            "sweeps": sweeps,
            "re-sent by the sweep": relayed,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outage", type=int, default=100)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    harness.delete_submissions()
    harness.purge_queue()
    try:
        outage(args.outage)
        harness.purge_queue()
        killed_worker(args.batch)
    finally:
        harness.delete_submissions()


if __name__ == "__main__":
    main()
