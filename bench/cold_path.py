# ruff: noqa: E402
"""Where the time of a feed page built from the database goes (issue 15, target 2).

    .venv/bin/python -m bench.cold_path [--requests 300]

In-process, the one-wijk team of ``seed.py``, the steps taking turns request by request:

- the yardsticks: ``/bench/json/`` (the middleware only), ``/bench/token-json/`` (the team API's
  stack: DRF, the feed token, the limiter; nothing read) and the reference template view;
- the JSON and the HTML feed warm (page 1 from the cache) and cold (a cursor of its own on every
  request, as ``throughput.py --cold`` sends: every page is built);
- the JSON page's own query alone, captured and sent again on a cursor (the round trip and
  reading 26 rows), and its planning and execution time on the server (EXPLAIN ANALYZE).

Then the differences: what building a page adds to a cached one, and how much of that is the
page query; and what throughput that leaves on two cores (the requests a second the server's
CPU time allows, the database's included).
"""

import argparse
import base64
import json
import os
import random
import statistics
import time
from datetime import timedelta

from bench import harness

harness.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meldingen import feedcache

API = "/api/v1/meldingen/feed/"
HTML = "/meldingen/feed/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    key = json.loads(harness.TOKENS.read_text())[harness.POLICE_WIJK]
    token = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client(SERVER_NAME="127.0.0.1")  # the token only, as a team system sends
    officer = Client(SERVER_NAME="127.0.0.1")
    officer.force_login(harness.user(harness.POLICE_WIJK))
    draw, now = random.Random(15), timezone.now()

    def fresh() -> dict:
        """A cursor no page was built for (high priority, within the last 300 days)."""
        moment = now - timedelta(seconds=draw.randrange(300 * 86400))
        raw = f"3|{moment.isoformat()}|{draw.randrange(10**12, 2 * 10**12)}"
        return {"na": base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")}

    feedcache.bump()
    with CaptureQueriesContext(connection) as captured:
        client.get(API, fresh(), **token)
    page_sql = next(q["sql"] for q in captured if '"prioriteit" DESC' in q["sql"])

    def page_query() -> None:
        with connection.cursor() as cursor:
            cursor.execute(page_sql)
            cursor.fetchall()

    steps = {
        "minimal JSON (middleware only)": lambda: client.get("/bench/json/", **token),
        "token JSON (DRF, token, limiter)": lambda: client.get("/bench/token-json/", **token),
        "JSON feed, warm": lambda: client.get(API, **token),
        "JSON feed, cold": lambda: client.get(API, fresh(), **token),
        "page query alone": page_query,
        "reference template": lambda: officer.get("/bench/feed-template/"),
        "HTML feed, warm": lambda: officer.get(HTML),
        "HTML feed, cold": lambda: officer.get(HTML, fresh()),
    }
    for step in steps.values():
        step()
        step()
    times = {name: [] for name in steps}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for _ in range(args.requests):
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            times[name].append((time.perf_counter() - started) * 1000)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    planning, execution = [], []
    with connection.cursor() as cursor:
        for _ in range(30):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {page_sql}")
            plan = cursor.fetchone()[0][0]
            planning.append(plan["Planning Time"])
            execution.append(plan["Execution Time"])
    median = {name: statistics.median(samples) for name, samples in times.items()}
    print(f"\n{args.requests} requests per step, in-process; median and p95 ms")
    for name, samples in times.items():
        print(f"  {name:<34} {median[name]:>6.2f} {statistics.quantiles(samples, n=20)[-1]:>7.2f}")
    server = statistics.median(planning) + statistics.median(execution)
    print(
        f"  page query on the server: planning {statistics.median(planning):.2f},"
        f" execution {statistics.median(execution):.2f}"
    )
    build_json = median["JSON feed, cold"] - median["JSON feed, warm"]
    build_html = median["HTML feed, cold"] - median["HTML feed, warm"]
    print(
        f"\nbuilding a JSON page adds {build_json:.2f} ms to a cached one; the page query's"
        f" round trip is {median['page query alone']:.2f} of it"
        f" ({server:.2f} on the server), the rest is Python"
    )
    print(f"building an HTML page adds {build_html:.2f} ms to a cached one")
    print(
        "cold JSON / minimal JSON in time per request:"
        f" {median['minimal JSON (middleware only)'] / median['JSON feed, cold']:.3f};"
        f" cold HTML / reference template: "
        f"{median['reference template'] / median['HTML feed, cold']:.3f}"
    )
    floor = median["minimal JSON (middleware only)"] / (
        median["token JSON (DRF, token, limiter)"] + server
    )
    print(
        "the most the JSON ratio could be if building the page cost nothing but its query on"
        f" the server: minimal / (token JSON + server time of the query) = {floor:.3f}"
    )


if __name__ == "__main__":
    main()
