"""The lanes of ``make test-clocks`` never share a test database or a Redis database."""

from tests.clock_lanes import lane_environment

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
