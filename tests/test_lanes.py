"""``make test`` and ``make test-clocks`` run the suite in lanes side by side: the lanes never
share a test database or a Redis database, and the shares hold every test exactly once."""

import os
import subprocess
import sys

from tests.lanes import counts, jobs, lane_environment, skipped

BASE = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wijkaanpak",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "CI": "true",
}


def test_the_first_lane_keeps_the_given_services():
    assert lane_environment(BASE, 0) == BASE


def test_other_lanes_get_a_database_and_a_redis_database_of_their_own():
    lanes = [lane_environment(BASE, lane) for lane in range(3)]
    assert [env["DATABASE_URL"].rsplit("/", 1)[1] for env in lanes] == [
        "wijkaanpak",
        "wijkaanpak_lane1",
        "wijkaanpak_lane2",
    ]
    assert [env["REDIS_URL"].rsplit("/", 1)[1] for env in lanes] == ["3", "4", "5"]
    assert all(env["CI"] == "true" for env in lanes)


def test_without_services_the_lanes_share_nothing_to_change():
    local = {"DATABASE_URL": "sqlite:///db.sqlite3"}
    assert lane_environment(local, 1) == local
    assert lane_environment({}, 1) == {}


def test_the_redis_number_wraps_within_the_sixteen_databases():
    env = lane_environment({"REDIS_URL": "redis://127.0.0.1:6379/15"}, 1)
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_each_clock_runs_every_share():
    runs = jobs(["2027-01-14T02:30:00+00:00", "2026-12-31T22:50:00+00:00"], 2)
    assert runs == [
        {"WIJKAANPAK_TEST_CLOCK": "2027-01-14T02:30:00+00:00", "WIJKAANPAK_TEST_SHARE": "1/2"},
        {"WIJKAANPAK_TEST_CLOCK": "2027-01-14T02:30:00+00:00", "WIJKAANPAK_TEST_SHARE": "2/2"},
        {"WIJKAANPAK_TEST_CLOCK": "2026-12-31T22:50:00+00:00", "WIJKAANPAK_TEST_SHARE": "1/2"},
        {"WIJKAANPAK_TEST_CLOCK": "2026-12-31T22:50:00+00:00", "WIJKAANPAK_TEST_SHARE": "2/2"},
    ]
    assert jobs([], 3) == [{"WIJKAANPAK_TEST_SHARE": f"{k}/3"} for k in (1, 2, 3)]


def test_the_summary_adds_up_what_each_run_counted():
    assert counts("....\n12 passed, 1 skipped, 40 deselected in 3.01s\n") == {
        "passed": 12,
        "skipped": 1,
    }
    assert counts("x\n1 failed, 2 passed, 2 errors in 1.0s") == {
        "failed": 1,
        "passed": 2,
        "error": 2,
    }
    assert counts("") == {}


def test_a_passed_run_says_what_it_skipped_and_why():
    log = (
        "....s\n"
        "=========================== short test summary info ============================\n"
        "SKIPPED [6] tests/conftest.py:71: needs Postgres: set DATABASE_URL\n"
        "SKIPPED [1] tests/conftest.py:71: needs Redis: set REDIS_URL\n"
        "12 passed, 7 skipped in 3.01s\n"
    )
    assert skipped(log) == [
        "SKIPPED [6] tests/conftest.py:71: needs Postgres: set DATABASE_URL",
        "SKIPPED [1] tests/conftest.py:71: needs Redis: set REDIS_URL",
    ]
    assert skipped("....\n5 passed in 1.0s") == []


def _collected(share: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "WIJKAANPAK_TEST_SHARE"}
    if share:
        env["WIJKAANPAK_TEST_SHARE"] = share
    # A browser test, worker tests and plain ones: both kinds are dealt.
    paths = ["tests/test_lanes.py", "tests/test_worker.py", "tests/browser/test_layout.py"]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if "::" in line]


def test_the_shares_hold_every_test_exactly_once():
    whole = _collected(None)
    shares = [_collected(f"{k}/2") for k in (1, 2)]
    assert sorted(shares[0] + shares[1]) == sorted(whole)
    assert all(shares)
    # Dealt like cards: no share has more than one test more than another.
    assert max(map(len, shares)) - min(map(len, shares)) <= 2
