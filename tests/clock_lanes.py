"""Run the in-process suite at each given clock, in lanes side by side (``make test-clocks``).

One lane per core by default (``CLOCK_LANES`` to change it). Each lane runs its clocks one after
the other, with a database and a Redis database of its own, so that two runs never share a test
database, a cache or a rate limit: the first lane keeps ``DATABASE_URL`` and ``REDIS_URL``, lane
``n`` adds ``_lane<n>`` to the database's name (pytest-django then creates ``test_<name>``) and
``n`` to the Redis database's number. Without them (SQLite in memory, the in-process cache) the
lanes share nothing anyway. Each run's output goes to a file; a passed run prints its last line,
a failed one all of it, and no lane starts another run after a failure.

    python tests/clock_lanes.py 2027-01-14T02:30:00+00:00 2027-03-28T01:30:00+00:00 ...
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PYTEST = [
    sys.executable,
    "-m",
    "pytest",
    "-q",
    "-p",
    "no:cacheprovider",
    "-m",
    "not browser and not worker",
    "-k",
    "not test_seed_demo_creates",
]


def lane_environment(base: dict[str, str], lane: int) -> dict[str, str]:
    """The environment of lane ``lane`` (0 keeps the given services)."""
    env = dict(base)
    if lane == 0:
        return env
    database = env.get("DATABASE_URL", "")
    if database and not database.startswith("sqlite"):
        parts = urlsplit(database)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"{parts.path}_lane{lane}"))
    redis = env.get("REDIS_URL", "")
    if redis:
        parts = urlsplit(redis)
        number = int(parts.path.strip("/") or 0)
        env["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{(number + lane) % 16}"))
    return env


def main(clocks: list[str]) -> int:
    lanes = max(1, min(int(os.environ.get("CLOCK_LANES", os.cpu_count() or 1)), len(clocks)))
    failed = threading.Event()
    printing = threading.Lock()
    logs = Path(tempfile.mkdtemp(prefix="clocks-"))
    started = time.monotonic()

    def say(text: str) -> None:
        with printing:
            print(text, flush=True)

    def run_lane(lane: int) -> None:
        env = lane_environment(dict(os.environ), lane)
        for clock in clocks[lane::lanes]:
            if failed.is_set():
                return
            say(f"== lane {lane + 1}: the suite at {clock}")
            log = logs / f"{clock.replace(':', '')}.log"
            begun = time.monotonic()
            with log.open("w") as out:
                code = subprocess.call(
                    PYTEST, env={**env, "WIJKAANPAK_TEST_CLOCK": clock}, stdout=out, stderr=out
                )
            text = log.read_text()
            minutes, seconds = divmod(round(time.monotonic() - begun), 60)
            if code != 0:
                failed.set()
                say(f"== lane {lane + 1}: FAILED at {clock} ({minutes}:{seconds:02d})\n{text}")
                return
            last = text.strip().splitlines()[-1] if text.strip() else ""
            say(f"== lane {lane + 1}: {clock}: {last} ({minutes}:{seconds:02d})")

    threads = [threading.Thread(target=run_lane, args=(lane,)) for lane in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    verdict = "failed" if failed.is_set() else "passed"
    say(f"== {len(clocks)} clocks in {lanes} lanes: {verdict} in {minutes}:{seconds:02d}")
    return 1 if failed.is_set() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
