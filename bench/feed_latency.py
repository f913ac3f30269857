# ruff: noqa: E402
"""Server time and queries per request of the HTML feed, per scope and depth, plus the plans.

    .venv/bin/python -m bench.feed_latency [--requests 200] [--plans] [--search]

In-process (django.test.Client, force_login) against the seeded database: page 1 and the page
after ~1,000 rows (the ``na`` cursor followed 40 pages), for the one-wijk and the whole-gemeente
police user (with --search also page 1 of searches, issue 13: a plate with and without dashes, a
street a fifth of the meldingen name, a street none names), and the reference template view of
throughput.py (same template and context, no database work in the view) as a yardstick. The
cases take turns request by request, so a busy moment on this shared machine hits them all
alike. Then a summary of EXPLAIN ANALYZE of the feed's own query in each case (--plans: the
full plans).
"""

import argparse
import re
import statistics
import time
from urllib.parse import urlencode

from bench import harness

harness.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meldingen import feedcache
from meldingen.models import Doel, Melding
from meldingen.workflow import OPEN

FEED = "/meldingen/feed/"
REFERENCE = "/bench/feed-template/"
DEPTH_PAGES = 40
NEXT = re.compile(r'href="\?(?:[^"]*&amp;)?na=([\w-]+)"')
TARGET_P95_MS = 30


def deep_url(client: Client) -> str:
    url = FEED
    for _ in range(DEPTH_PAGES):
        url = f"{FEED}?na={NEXT.search(client.get(url).text).group(1)}"
    return url


def searches() -> list[tuple[str, str]]:
    """(label, ``zoek``): a plate of an open police melding in the wijk as typed with dashes and
    without (lower case), a street a fifth of the meldingen name, and one no melding names."""
    plate = (
        Melding.objects.filter(buurt__wijk__code=harness.WIJK, doel=Doel.POLITIE, status__in=OPEN)
        .filter(voertuig_kenteken__contains="-")
        .order_by("pk")
        .values_list("voertuig_kenteken", flat=True)
        .first()
    )
    return [
        ("plate", plate),
        ("plate-", plate.replace("-", "").lower()),
        ("street", "Javaplein"),
        ("absent", "Zoutkeetsgracht"),
    ]


def cases(*, search: bool) -> list[tuple[str, str, Client, str]]:
    """(scope, depth, logged-in client, url): the reference, then each scope at both depths,
    then (``search``) each scope's page 1 for each of ``searches``."""
    result = []
    found = searches() if search else []
    for scope, email in (("wijk", harness.POLICE_WIJK), ("gemeente", harness.POLICE_GEMEENTE)):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(harness.user(email))
        if not result:
            result.append(("reference", "page 1", client, REFERENCE))
        result += [(scope, "page 1", client, FEED), (scope, "~1000", client, deep_url(client))]
        result += [
            (scope, label, client, f"{FEED}?{urlencode({'zoek': text})}") for label, text in found
        ]
    return result


def measure(todo: list, requests: int, *, cold: bool) -> list[list[float]]:
    """Milliseconds per request; the cases take turns, so they share the machine's load.

    ``cold``: the feed version is bumped before every request (outside the timing), as after
    a change to any melding, so every page is built from the database."""
    for _scope, _depth, client, url in todo:
        response = client.get(url)  # warm-up; and a feed, not a redirect to sign-in or MFA
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    times = [[] for _ in todo]
    for _ in range(requests):
        for (_scope, _depth, client, url), samples in zip(todo, times, strict=True):
            if cold:
                feedcache.bump()
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
    return times


def queries_of(client: Client, url: str) -> tuple[list[dict], int]:
    feedcache.bump()  # a page built from the database
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return captured.captured_queries, response.text.count('class="feed-summary"')


def feed_query(queries: list[dict]) -> str:
    """The page query: the one that selects meldingen in feed order."""
    return next(
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "meldingen_melding"."id"') and "ORDER BY" in q["sql"]
    )


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())


def plan_summary(sql: str) -> str:
    """How the meldingen table was read: index, rows read and discarded, execution time."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    nodes, scan = [plan["Plan"]], None
    while nodes and scan is None:
        node = nodes.pop()
        if node.get("Relation Name") == "meldingen_melding":
            scan = node
        nodes.extend(node.get("Plans", []))
    removed = scan.get("Rows Removed by Filter", 0) + scan.get("Rows Removed by Index Recheck", 0)
    # A bitmap heap scan names its indexes in the nodes below it.
    below, indexes = list(scan.get("Plans", [])), []
    while below:
        node = below.pop(0)
        indexes += [node["Index Name"]] if "Index Name" in node else []
        below.extend(node.get("Plans", []))
    index = scan.get("Index Name") or " + ".join(dict.fromkeys(indexes)) or "-"
    cond = scan.get("Index Cond") or scan.get("Recheck Cond") or "-"
    return (
        f"{scan['Node Type']} using {index}:"
        f" {scan['Actual Rows'] + removed} rows read, {removed} removed by filter,"
        f" cond {cond}; execution {plan['Execution Time']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--plans", action="store_true", help="print the full query plans")
    parser.add_argument(
        "--search", action="store_true", help="also searches (zoek): plates and streets"
    )
    args = parser.parse_args()
    todo = cases(search=args.search)
    for cold in (True, False):
        times = measure(todo, args.requests, cold=cold)
        state = "cold: every page built from the database" if cold else "warm: pages from cache"
        print(
            f"HTML feed, {args.requests} requests per case, {state}"
            f" (target p95 <= {TARGET_P95_MS} ms)"
        )
        print(
            f"{'scope':<10} {'depth':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'rows':>5}"
        )
        plans = []
        for (scope, depth, client, url), samples in zip(todo, times, strict=True):
            queries, rows = queries_of(client, url) if cold else (None, None)
            p95 = statistics.quantiles(samples, n=20)[-1]
            verdict = "  MISSES TARGET" if url != REFERENCE and p95 > TARGET_P95_MS else ""
            print(
                f"{scope:<10} {depth:>7} {statistics.median(samples):>10.1f} {p95:>8.1f}"
                f" {len(queries) if queries else '':>8} {rows or '':>5}{verdict}"
            )
            if url != REFERENCE and queries:
                plans.append((scope, depth, queries))
        if cold:
            cold_plans = plans
        print()
    plans = cold_plans
    scope, depth, queries = plans[0]
    print(f"\nqueries per request ({scope}, {depth}):")
    for q in queries:
        print(f"  {q['time']:>6}s  {q['sql'][:110]}")
    print("\nfeed query plans (EXPLAIN ANALYZE):")
    for scope, depth, queries in plans:
        print(f"  {scope:<9} {depth:>7}: {plan_summary(feed_query(queries))}")
        if args.plans:
            print(explain(feed_query(queries)))


if __name__ == "__main__":
    main()
