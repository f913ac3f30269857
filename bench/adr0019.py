# ruff: noqa: E402
"""Measures ADR 0019's options for a cold feed page before anyone builds one (issue 15, target 2).

    .venv/bin/python -m bench.adr0019 [--rounds 6] [--duration 3]

ADR 0019 estimated what a page read from a second store of the feed would reach; this measures
it. For the one-wijk team of ``seed.py`` it fills two throwaway stores of the team's open feed,
each row's JSON made by the real serialiser from the real row:

- **redis**: a sorted set per team (score: priority, then the time in ms; member: the id) and
  each row's JSON under its id. A page is one Lua call (``ZRANGE … BYSCORE REV LIMIT`` and
  ``MGET``), its overdue flags set when it is served (option 1).
- **redis, checked**: the same, then the page's ids asked of the database once more, by id and
  within the team's scope (option 1 with the check the ADR keeps).
- **table**: a Postgres table (team, priority, time, id, row JSON), one index range per page, a
  prepared statement (option 2).
- **table, checked**: the same, each row's scope (area, doel, open status) checked against the
  meldingen in the same statement: one round trip, and a stale copy cannot show a row outside
  the scope.
- **prepared merge** (no second store): the real page query of ``feed.page`` for this team, the
  ids merged per buurt, status and priority, compiled once and sent as a prepared statement; the
  rows turned into JSON without model instances. The most the current design gives when nothing
  in Python but the rows is left.
- **prepared merge, JSON by Postgres** (no second store): the same statement, each row's JSON
  built in it by Postgres (``JSONObject``), so Python only joins 25 texts.
- **table order, rows live**: the table of option 2 used for the order alone: the page's ids
  are one index range of it, and the same statement reads those meldingen live, within the
  team's scope, their JSON built by Postgres. A stale copy could then only drop or misplace a
  row, never show one outside the scope or with old content.

Each is served by a view of ``TeamAPIView`` (the same token, limiter and middleware as the team
API), under ``gunicorn -w 3`` and ``wrk -t2 -c8``, every request on a cursor of its own, against
the minimal JSON view in ABBA pairs (``throughput.py``). Nothing here is part of the product: the
stores are not kept up to date, and the views are mounted by ``bench/urls.py`` only.
"""

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from bench import harness

harness.setup()

from bench import throughput
from bench.adr0019_stores import VIEWS, fill

PAGES = 3


def walk(url: str, header: str) -> list | None:
    """The rows of the first ``PAGES`` pages, following ``volgende`` (None: not a feed)."""
    rows = []
    for _ in range(PAGES):
        status, body = throughput.get(url, header)
        if status != 200:
            raise RuntimeError(f"{url}: HTTP {status}")
        answer = json.loads(body)
        if "meldingen" not in answer:
            return None
        rows += answer["meldingen"]
        url = answer["volgende"]
        if not url:
            break
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=3)
    args = parser.parse_args()
    team = harness.user(harness.POLICE_WIJK).team
    print(f"filled both stores with {fill(team):,} open meldingen of {team.naam}")
    headers = throughput.credentials()
    bind = f"127.0.0.1:{throughput.free_port()}"
    base = f"http://{bind}"
    work = Path(tempfile.mkdtemp(prefix="bench-adr0019-"))
    (work / "cold.lua").write_text(throughput.COLD_SCRIPT)
    paths = {"minimal JSON": "/bench/json/", "JSON feed": "/api/v1/meldingen/feed/"}
    paths |= {name: f"/bench/adr0019/{i}/" for i, name in enumerate(VIEWS)}
    files = {name: throughput.cold_paths(path, work) for name, path in paths.items()}
    server = throughput.gunicorn(bind)

    def load(name: str, duration: int) -> float:
        from meldingen import feedcache

        feedcache.bump()
        return throughput.wrk(base + paths[name], headers["token"], duration, files[name])

    load_before = os.getloadavg()
    pairs = {name: [] for name in paths if name != "minimal JSON"}
    try:
        harness.wait_for(
            lambda: throughput.get(f"{base}/healthz")[0] == 200, timeout=30, what="gunicorn"
        )
        pages = {name: walk(base + path, headers["token"]) for name, path in paths.items()}
        for name in pairs:
            if pages[name] != pages["JSON feed"]:
                raise RuntimeError(f"{name}: not the JSON feed's first {PAGES} pages")
        print(f"every prototype answers the JSON feed's first {PAGES} pages, row for row")
        for name in paths:
            load(name, 2)
        for name in pairs:
            for turn in range(args.rounds):
                order = ("minimal JSON", name) if turn % 2 == 0 else (name, "minimal JSON")
                rates = {n: load(n, args.duration) for n in order}
                pairs[name].append((rates[name], rates["minimal JSON"]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrk -t2 -c8, gunicorn -w 3, {args.rounds} ABBA pairs of {args.duration} s, cold")
    print(
        "  load average before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    for name, measured in pairs.items():
        ratios = sorted(t / r for t, r in measured)
        print(
            f"  {name:<16} {statistics.median(t for t, _ in measured):8.1f} req/s"
            f" vs {statistics.median(r for _, r in measured):8.1f}:"
            f" ratio {statistics.median(ratios):.3f} ({ratios[0]:.3f}–{ratios[-1]:.3f})"
        )


if __name__ == "__main__":
    main()
