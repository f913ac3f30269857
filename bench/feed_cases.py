# ruff: noqa: E402
"""Time per request of every feed case, HTML and JSON, cold and warm (issue 15, target 1).

    .venv/bin/python -m bench.feed_cases [--requests 100] [--json-only | --html-only]

The cases of ``feed_plans.py`` (the seeded wijk, the sparsest and the densest wijk, the whole
gemeente; no filter, the rarest and commonest category, a rare status, every status, the last
24 hours, a wijk, two combinations; page 1 and the page after ~1,000 rows where the case has it),
each asked of the HTML feed (``django.test.Client``, the officer logged in) and of the JSON feed
(the team's feed token, issued here and revoked afterwards). In-process: server time, without
the network. The cases take turns request by request, so a busy moment of this shared machine
falls on all of them alike. First cold (the feed version bumped before every request, outside
the timing, so every page is built from the database), then warm (pages from the cache).

Per case: median and p95 over ``--requests`` samples, and the p95 of the odd and of the even
samples apart (the spread: two halves of the same run), against the target p95 <= 30 ms. The
load average is printed before and after each block.
"""

import argparse
import json
import os
import re
import statistics
import time

from bench import harness

harness.setup()

from django.test import Client

from accounts.models import User
from meldingen import feedcache
from teamapi.models import FeedToken
from teamapi.services import feed_token_issue

from .feed_plans import DEEP_PAGES, EDGE_PAGES, NEXT, crosses, filters, scopes

HTML = "/meldingen/feed/"
API = "/api/v1/meldingen/feed/"
TARGET_P95_MS = 30
TOKEN_NAME = "bench feed_cases"  # noqa: S105 (a name, not a secret)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def html_cursor(client: Client, query: dict) -> str | None:
    found = NEXT.search(client.get(HTML, query).text)
    return found.group(1) if found else None


def json_cursor(client: Client, query: dict, header: dict) -> str | None:
    volgende = json.loads(client.get(API, query, **header).content)["volgende"]
    return re.search(r"[?&]na=([\w-]+)", volgende).group(1) if volgende else None


def cases(formats: tuple[str, ...]) -> list[tuple[str, str, str, Client, str, dict, dict]]:
    """(scope, filter, depth, client, path, query, headers) for every case and format."""
    result = []
    for label, email in scopes():
        officer = User.objects.get(email=email)
        _token, key = feed_token_issue(team=officer.team, naam=TOKEN_NAME, by=officer)
        header = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(officer)
        scope = label.split(" (")[0]
        for name, query in filters(label == "gemeente"):
            for fmt in formats:
                path, headers = (HTML, {}) if fmt == "html" else (API, header)
                result.append((scope, name, f"{fmt} p1", client, path, query, headers))
                # Page 40, and with a period the edge between priorities (``feed_plans``).
                cursor, pages, edge = query, 1, "periode" not in query
                while (pages < DEEP_PAGES or not edge) and pages < EDGE_PAGES:
                    if fmt == "html":
                        na = html_cursor(client, cursor)
                    else:
                        na = json_cursor(client, cursor, header)
                    if na is None:
                        break
                    if not edge and crosses(cursor.get("na"), na):
                        edge = True
                        depth = f"{fmt} e{pages}"
                        result.append((scope, name, depth, client, path, cursor, headers))
                    cursor, pages = {**query, "na": na}, pages + 1
                    if pages == DEEP_PAGES:
                        depth = f"{fmt} p{pages}"
                        result.append((scope, name, depth, client, path, cursor, headers))
    return result


def measure(todo: list, requests: int, *, cold: bool) -> list[list[float]]:
    for _s, _f, _d, client, path, query, headers in todo:
        response = client.get(path, query, **headers)  # warm-up; and a page, not a redirect
        assert response.status_code == 200, (path, query, response.status_code)
    times = [[] for _ in todo]
    for _ in range(requests):
        for (_s, _f, _d, client, path, query, headers), samples in zip(todo, times, strict=True):
            if cold:
                feedcache.bump()
            started = time.perf_counter()
            client.get(path, query, **headers)
            samples.append((time.perf_counter() - started) * 1000)
    return times


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--json-only", action="store_true")
    only.add_argument("--html-only", action="store_true")
    args = parser.parse_args()
    formats = ("json",) if args.json_only else ("html",) if args.html_only else ("html", "json")
    from meldingen.models import Melding

    print(f"{Melding.objects.count():,} meldingen; {args.requests} requests per case")
    todo = cases(formats)
    try:
        for cold in (True, False):
            state = "cold: every page built from the database" if cold else "warm: from cache"
            print(f"\n{state} (target p95 <= {TARGET_P95_MS} ms); {load()}")
            times = measure(todo, args.requests, cold=cold)
            print(
                f"{'scope':<22} {'filter':<31} {'case':<9} {'median':>7} {'p95':>6} {'halves':>11}"
            )
            worst = 0.0
            for (scope, name, depth, *_rest), samples in zip(todo, times, strict=True):
                whole, odd, even = p95(samples), p95(samples[::2]), p95(samples[1::2])
                worst = max(worst, whole)
                verdict = "  MISSES TARGET" if whole > TARGET_P95_MS else ""
                print(
                    f"{scope:<22} {name:<31} {depth:<9} {statistics.median(samples):>7.1f}"
                    f" {whole:>6.1f} {min(odd, even):>5.1f}-{max(odd, even):<5.1f}{verdict}"
                )
            print(f"slowest p95 {worst:.1f} ms over {len(todo)} cases; {load()}")
    finally:
        FeedToken.objects.filter(naam=TOKEN_NAME).delete()


if __name__ == "__main__":
    main()
