"""Run the suite in lanes side by side, one per core (``make test`` and ``make test-clocks``).

The suite is dealt into as many shares as there are lanes (``WIJKAANPAK_TEST_SHARE``, dealt in
``tests/conftest.py``): without clocks one job per share of the whole suite; with clocks one job
per clock and share of the in-process suite. Each lane takes the next job from one queue when it
has finished the last, so that no lane waits while another has work left.

One lane per core by default (``TEST_LANES`` to change it; ``TEST_LANES=1`` runs the jobs one
after the other). Each lane has a database and a Redis database of its own, so that two runs
never share a test database, a cache or a rate limit: the first lane keeps ``DATABASE_URL`` and
``REDIS_URL``, lane ``n`` adds ``_lane<n>`` to the database's name (pytest-django then creates
``test_<name>``) and ``n`` to the Redis database's number. Without them (SQLite in memory, the
in-process cache) the lanes share nothing anyway. Each run's output goes to a file; a passed
run prints its last line and the reasons of what it skipped, a failed one all of it, and no
lane starts another run after a failure. Given pytest arguments instead, it runs plain pytest
with them.

    python tests/lanes.py                                  # the whole suite
    python tests/lanes.py --clocks 2027-01-14T02:30:00+00:00 2027-03-28T01:30:00+00:00 ...
    python tests/lanes.py tests/meldingen -x               # plain pytest
"""

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
# At a fixed clock: the in-process suite. Worker and browser tests keep the real clock (another
# process cannot be moved); the demo seed test sets its own awkward moments.
IN_PROCESS = ["-m", "not browser and not worker", "-k", "not test_seed_demo_creates"]
COUNTED = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


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


def jobs(clocks: list[str], shares: int) -> list[dict[str, str]]:
    """The runs as the variables that set them apart: each share of the whole suite, or of the
    in-process suite at each clock (a clock's shares one after the other in the queue)."""
    dealt = [{"WIJKAANPAK_TEST_SHARE": f"{k}/{shares}"} for k in range(1, shares + 1)]
    if not clocks:
        return dealt
    return [{"WIJKAANPAK_TEST_CLOCK": clock, **share} for clock in clocks for share in dealt]


def counts(text: str) -> Counter:
    """What pytest's last line counts (``12 passed, 1 skipped in 3.0s``)."""
    last = text.strip().splitlines()[-1] if text.strip() else ""
    found = Counter()
    for n, word in COUNTED.findall(last):
        found["error" if word.startswith("error") else word] += int(n)
    return found


def skipped(text: str) -> list[str]:
    """The lines of pytest's short summary that say what was skipped and why (a run without
    Postgres or Redis skips the tests that need them: a newcomer should see why)."""
    lines = text.strip().splitlines()
    if not any("short test summary info" in line for line in lines):
        return []
    begin = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    return [line for line in lines[begin + 1 : -1] if line.startswith("SKIPPED")]


def main(clocks: list[str]) -> int:
    lanes = max(1, int(os.environ.get("TEST_LANES", os.cpu_count() or 1)))
    todo: queue.Queue = queue.Queue()
    for job in jobs(clocks, lanes):
        todo.put(job)
    args = [*PYTEST, *(IN_PROCESS if clocks else [])]
    failed = threading.Event()
    printing = threading.Lock()
    total: Counter = Counter()
    logs = Path(tempfile.mkdtemp(prefix="lanes-"))
    started = time.monotonic()

    def say(text: str) -> None:
        with printing:
            print(text, flush=True)

    def run_lane(lane: int) -> None:
        env = lane_environment(dict(os.environ), lane)
        while not failed.is_set():
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            what = f"share {job['WIJKAANPAK_TEST_SHARE']}"
            if "WIJKAANPAK_TEST_CLOCK" in job:
                what += f" at {job['WIJKAANPAK_TEST_CLOCK']}"
            log = logs / (re.sub(r"[^0-9A-Za-z]+", "-", what) + ".log")
            begun = time.monotonic()
            with log.open("w") as out:
                code = subprocess.call(args, env={**env, **job}, stdout=out, stderr=out)
            text = log.read_text()
            minutes, seconds = divmod(round(time.monotonic() - begun), 60)
            if code != 0:
                failed.set()
                say(f"== lane {lane + 1}: {what}: FAILED ({minutes}:{seconds:02d})\n{text}")
                return
            last = text.strip().splitlines()[-1] if text.strip() else ""
            with printing:
                total.update(counts(text))
            reasons = "".join(f"\n   {line}" for line in skipped(text))
            say(f"== lane {lane + 1}: {what}: {last} ({minutes}:{seconds:02d}){reasons}")

    threads = [threading.Thread(target=run_lane, args=(lane,)) for lane in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    verdict = "failed" if failed.is_set() else "passed"
    what = f"{len(clocks)} clocks" if clocks else "the suite"
    summary = ", ".join(f"{n:,} {word}" for word, n in sorted(total.items()))
    say(f"== {what} in {lanes} lanes: {verdict} in {minutes}:{seconds:02d} ({summary})")
    return 1 if failed.is_set() else 0


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv and argv[0] == "--clocks":
        sys.exit(main(argv[1:]))
    if argv:
        sys.exit(subprocess.call([sys.executable, "-m", "pytest", *argv]))
    sys.exit(main([]))
