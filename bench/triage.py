# ruff: noqa: E402
"""Celery throughput and submit-to-feed latency with one real worker (concurrency 2).

    .venv/bin/python -m bench.triage [--tasks 3000] [--meldingen 1000] [--rate 10] [--seconds 30]

(a) trivial tasks/s: queue --tasks tick tasks, start a worker, time the drain; done before and
    after (b), whose ratio is against the mean of the two (the machine is shared);
(b) meldingen routed/s: submit --meldingen through the intake service while no worker runs
    (each submission's outbox relay queues route_melding), start a worker, time the drain;
(c) submit --rate meldingen per second for --seconds with that worker running and watch the
    one-wijk officer's feed: latency from submit to visible (routed, in the feed's queryset).
"""

import argparse
import statistics
import threading
import time
import uuid

from bench import harness

harness.setup()

import redis
from django.conf import settings
from django.db import connection

from bench.tasks import tick
from meldingen import selectors
from meldingen.filters import FeedFilter
from meldingen.models import Melding
from meldingen.workflow import Status

TARGET_RATIO = 0.3
TARGET_P95_S = 2.0


def drain_rate(count, total: int, *, timeout: float, interval: float) -> float:
    """Completions per second, from the first completion seen until ``total`` are done."""
    deadline = time.monotonic() + timeout
    first = None
    while time.monotonic() < deadline:
        done, now = count(), time.monotonic()
        if first is None and done:
            first = (done, now)
        if done >= total:
            return (total - first[0]) / (now - first[1])
        time.sleep(interval)
    raise TimeoutError(f"{count()} of {total} done after {timeout:.0f} s")


def trivial_tasks(total: int) -> float:
    counter = f"bench:tick:{uuid.uuid4().hex}"
    for _ in range(total):
        tick.delay(counter)
    client = redis.Redis.from_url(settings.REDIS_URL)

    def done() -> int:
        return int(client.get(counter) or 0)

    try:
        with harness.Worker("triage-a"):
            return drain_rate(done, total, timeout=300, interval=0.01)
    finally:
        client.delete(counter)


def latency(worker: harness.Worker, rate: int, seconds: int) -> tuple[list[float], float]:
    """Submit at ``rate``/s; a second thread polls the feed for what became visible."""
    officer = harness.user(harness.POLICE_WIJK)
    feed = FeedFilter(
        {}, selectors.meldingen_visible_to(officer), choices=selectors.FeedChoices([], [])
    ).qs
    submitted, visible = {}, {}
    done_submitting = threading.Event()

    def watch():
        deadline = time.monotonic() + seconds + 60
        while time.monotonic() < deadline:
            pending = [pk for pk in list(submitted) if pk not in visible]
            if done_submitting.is_set() and not pending:
                break
            seen = list(feed.filter(pk__in=pending).values_list("pk", flat=True))
            now = time.monotonic()
            visible.update(dict.fromkeys(seen, now))
            time.sleep(0.02)
        connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    for i in range(rate * seconds):
        time.sleep(max(0.0, started + i / rate - time.monotonic()))
        at = time.monotonic()
        submitted[harness.submit()] = at
    achieved = len(submitted) / (time.monotonic() - started)
    done_submitting.set()
    watcher.join()
    missing = len(submitted) - len(visible)
    if missing:
        raise RuntimeError(f"{missing} meldingen never showed in the feed; see {worker.log}")
    return [visible[pk] - at for pk, at in submitted.items()], achieved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--meldingen", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    harness.delete_submissions()
    harness.purge_queue()
    try:
        before = trivial_tasks(args.tasks)
        ids = [harness.submit() for _ in range(args.meldingen)]
        routed = Melding.objects.filter(pk__in=ids, status=Status.GEROUTEERD)
        with harness.Worker("triage-b"):
            rate = drain_rate(routed.count, len(ids), timeout=600, interval=0.05)
        after = trivial_tasks(args.tasks)
        empty = (before + after) / 2
        print(f"(a) trivial task: {empty:.0f} tasks/s (before {before:.0f}, after {after:.0f})")
        ratio = rate / empty
        verdict = "ok" if ratio >= TARGET_RATIO else "MISSES TARGET"
        print(
            f"(b) routing: {rate:.0f} meldingen/s ({len(ids)} meldingen)"
            f" = {ratio:.2f} x trivial (target >= {TARGET_RATIO}) {verdict}"
        )
        with harness.Worker("triage-c") as worker:
            latencies, achieved = latency(worker, args.rate, args.seconds)
        p50 = statistics.median(latencies)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        verdict = "ok" if p95 <= TARGET_P95_S else "MISSES TARGET"
        print(
            f"(c) submit to visible in the feed at {achieved:.1f}/s for {args.seconds} s:"
            f" p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
            f" (target p95 <= {TARGET_P95_S:.0f} s) {verdict}"
        )
    finally:
        harness.delete_submissions()


if __name__ == "__main__":
    main()
