# ruff: noqa: E402
"""Requests per second under gunicorn: the feeds against reference views on the same stack.

    .venv/bin/python -m bench.throughput [--rounds 8] [--duration 3] [--changes 0]

Starts ``gunicorn -w 3 bench.wsgi`` on a free port of 127.0.0.1 and loads each URL with
``wrk -t2 -c8`` (Debian package ``wrk``) for ``--duration`` seconds. Each feed is compared with
its reference in ``--rounds`` back-to-back pairs, in alternating order (ABBA), so the load other
processes put on this shared machine falls on both sides alike; the ratio reported is the median
of the per-pair ratios.

The feeds serve pages from cache until a melding changes (``meldingen.feedcache``). With
``--changes N`` a thread bumps the feed version N times a second during the load, as N
committed changes to meldingen a second would, so that part of the requests rebuild their page.
With ``--cold`` (issue 15, target 2) every request asks for a page no request asked for before:
each carries a cursor of its own (``na``: a made-up position among the last 300 days' high
priority meldingen, so every page is full), read by wrk's Lua script from a list of 60,000,
and the feed version is bumped before every load, so no page comes from the cache. The
references get the same URLs (they ignore the cursor).
"""

import argparse
import base64
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from bench import harness

harness.setup()

from django.conf import settings
from django.test import Client

# name: path, credentials, what a correct answer contains
URLS = {
    "reference template": ("/bench/feed-template/", "session", 'class="feed-summary"'),
    "HTML feed": ("/meldingen/feed/", "session", 'class="feed-summary"'),
    "minimal JSON": ("/bench/json/", "token", '"ok": true'),
    "JSON feed": ("/api/v1/meldingen/feed/", "token", '"meldingen": [{'),
}
# target, its reference, the least ratio of their requests/s
TARGETS = [("HTML feed", "reference template", 0.8), ("JSON feed", "minimal JSON", 0.4)]
# Every request building its page (``--cold``): issue 15's target 2.
COLD_TARGETS = [("HTML feed", "reference template", 0.8), ("JSON feed", "minimal JSON", 0.25)]
COLD_CURSORS = 60_000
# wrk's request script for --cold: each thread walks its own half of the list of paths.
COLD_SCRIPT = """
local paths, counter, threads = {}, 0, 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = tid * math.floor(#paths / 2)
end
function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
"""
RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def credentials() -> dict[str, str]:
    """Headers: the one-wijk officer's session cookie, or the one-wijk team's feed token."""
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(harness.user(harness.POLICE_WIJK))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    key = json.loads(harness.TOKENS.read_text())[harness.POLICE_WIJK]
    return {
        "session": f"Cookie: {settings.SESSION_COOKIE_NAME}={session}",
        "token": f"Authorization: Bearer {key}",
    }


def get(url: str, header: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310 (our own 127.0.0.1 server)
    if header:
        request.add_header(*header.split(": ", 1))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def cold_paths(path: str, directory: Path) -> Path:
    """A file of ``path`` with 60,000 cursors no page was built for: high priority, positions
    spread over the last 300 days, ids above any melding's (fixed seed)."""
    from django.utils import timezone

    draw, now = random.Random(15), timezone.now()
    lines = []
    for _ in range(COLD_CURSORS):
        moment = now - timedelta(seconds=draw.randrange(300 * 86400))
        raw = f"3|{moment.isoformat()}|{draw.randrange(10**12, 2 * 10**12)}"
        lines.append(f"{path}?na={base64.urlsafe_b64encode(raw.encode()).decode().rstrip('=')}")
    file = directory / (path.strip("/").replace("/", "-") + ".paths")
    file.write_text("\n".join(lines) + "\n")
    return file


def gunicorn(bind: str) -> subprocess.Popen:
    """``gunicorn -w 3 bench.wsgi`` on ``bind``, its output in the temporary directory."""
    with open(f"{tempfile.gettempdir()}/bench-gunicorn.log", "w") as log:
        return subprocess.Popen(  # noqa: S603 (our own arguments)
            [sys.executable, "-m", "gunicorn", "-w", "3", "-b", bind, "bench.wsgi:application"],
            cwd=harness.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wrk(url: str, header: str, duration: int, paths: Path | None = None) -> float:
    script = ["-s", str(paths.parent / "cold.lua")] if paths else []
    after = ["--", str(paths)] if paths else []
    result = subprocess.run(  # noqa: S603 (our own arguments)
        ["wrk", "-t2", "-c8", f"-d{duration}s", "-H", header, *script, url, *after],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    )
    errors = ERRORS.search(result.stdout)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} non-2xx answers under load")
    return float(RPS.search(result.stdout).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--duration", type=int, default=3)
    parser.add_argument("--changes", type=float, default=0, help="feed changes per second")
    parser.add_argument(
        "--cold", action="store_true", help="every request builds its page (a cursor of its own)"
    )
    args = parser.parse_args()
    targets = COLD_TARGETS if args.cold else TARGETS
    from meldingen import feedcache

    stop = threading.Event()

    def change() -> None:
        while not stop.wait(1 / args.changes):
            feedcache.bump()

    if args.changes:
        threading.Thread(target=change, daemon=True).start()
    headers = credentials()
    bind = f"127.0.0.1:{free_port()}"
    base = f"http://{bind}"
    server = gunicorn(bind)

    work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    (work / "cold.lua").write_text(COLD_SCRIPT)
    paths = {name: cold_paths(path, work) for name, (path, _a, _e) in URLS.items()}

    def load(name: str, duration: int) -> float:
        path, auth, _expect = URLS[name]
        if not args.cold:
            return wrk(base + path, headers[auth], duration)
        feedcache.bump()  # no page built before this load is read during it
        return wrk(base + path, headers[auth], duration, paths[name])

    load_before = os.getloadavg()
    try:
        harness.wait_for(lambda: get(f"{base}/healthz")[0] == 200, timeout=30, what="gunicorn")
        for name, (path, auth, expect) in URLS.items():
            status, body = get(base + path, headers[auth])
            if status != 200 or expect not in body:
                raise RuntimeError(f"{name}: HTTP {status}, expected {expect!r} in the answer")
            load(name, 2)  # warm every gunicorn worker
        pairs = {target: [] for target, _reference, _least in targets}
        for target, reference, _least in targets:
            for turn in range(args.rounds):
                order = (reference, target) if turn % 2 == 0 else (target, reference)
                rates = {name: load(name, args.duration) for name in order}
                pairs[target].append((rates[target], rates[reference]))
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    print(
        f"wrk -t2 -c8, gunicorn -w 3: {args.rounds} pairs of {args.duration} s per comparison,"
        f" {args.changes:g} feed changes/s"
        + (", every request a page of its own (cold)" if args.cold else "")
    )
    print(
        "  load average before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    for target, reference, least in targets:
        ratios = sorted(t / r for t, r in pairs[target])
        ratio = statistics.median(ratios)
        verdict = "ok" if ratio >= least else "MISSES TARGET"
        print(
            f"  {target}: {statistics.median(t for t, _r in pairs[target]):.1f} req/s,"
            f" {reference}: {statistics.median(r for _t, r in pairs[target]):.1f} req/s;"
            f" ratio {ratio:.3f} (pairs {ratios[0]:.3f}-{ratios[-1]:.3f}),"
            f" target >= {least}: {verdict}"
        )


if __name__ == "__main__":
    main()
