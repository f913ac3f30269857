# ruff: noqa: E402
"""Requests per second under gunicorn: the feeds against reference views on the same stack.

    .venv/bin/python -m bench.throughput [--rounds 3] [--duration 10]

Starts ``gunicorn -w 3 bench.wsgi`` on a free port of 127.0.0.1 and loads each URL with
``wrk -t2 -c8`` (Debian package ``wrk``) for ``--duration`` seconds, ``--rounds`` times,
alternating target and reference; prints the median requests/s and the ratios.
"""

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.request

from bench import harness

harness.setup()

from django.conf import settings
from django.test import Client

# name, path, credentials, what a correct answer contains, its reference and the target ratio
CASES = [
    ("reference template", "/bench/feed-template/", "session", 'class="feed-summary"', None, None),
    ("HTML feed", "/meldingen/feed/", "session", 'class="feed-summary"', "reference template", 0.8),
    ("minimal JSON", "/bench/json/", "token", '"ok": true', None, None),
    ("JSON feed", "/api/v1/meldingen/feed/", "token", '"meldingen": [{', "minimal JSON", 0.4),
]
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
    except OSError:
        return 0, ""


def wrk(url: str, header: str, duration: int) -> float:
    result = subprocess.run(  # noqa: S603 (our own arguments)
        ["wrk", "-t2", "-c8", f"-d{duration}s", "-H", header, url],  # noqa: S607
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    headers = credentials()
    bind = f"127.0.0.1:{free_port()}"
    base = f"http://{bind}"
    with open(f"{tempfile.gettempdir()}/bench-gunicorn.log", "w") as log:
        server = subprocess.Popen(  # noqa: S603 (our own arguments)
            [sys.executable, "-m", "gunicorn", "-w", "3", "-b", bind, "bench.wsgi:application"],
            cwd=harness.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        harness.wait_for(lambda: get(f"{base}/healthz")[0] == 200, timeout=30, what="gunicorn")
        for name, path, auth, expect, _reference, _target in CASES:
            status, body = get(base + path, headers[auth])
            if status != 200 or expect not in body:
                raise RuntimeError(f"{name}: HTTP {status}, expected {expect!r} in the answer")
            wrk(base + path, headers[auth], 2)  # warm every gunicorn worker
        rates = {name: [] for name, *_rest in CASES}
        for _round in range(args.rounds):
            for name, path, auth, *_rest in CASES:
                rates[name].append(wrk(base + path, headers[auth], args.duration))
    finally:
        server.terminate()
        server.wait(timeout=30)
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"wrk -t2 -c8 -d{args.duration}s, gunicorn -w 3, median of {args.rounds} rounds")
    for name, *_rest, reference, target in CASES:
        runs = " ".join(f"{value:.0f}" for value in rates[name])
        line = f"  {name:<20} {median[name]:>7.1f} req/s   (rounds: {runs})"
        if reference:
            ratio = median[name] / median[reference]
            verdict = "ok" if ratio >= target else "MISSES TARGET"
            line += f"   {ratio:.2f} x {reference} (target >= {target}) {verdict}"
        print(line)


if __name__ == "__main__":
    main()
