"""What the project's cache adds to Django's Redis cache for speed (ADR 0013): the figures of
``bench/`` depend on these, so a change that loses them fails here, not only in a benchmark."""

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from redis.connection import Connection

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_calls(monkeypatch):
    """Round trips to Redis (a pipeline is one) and redis-py clients built, from now on."""
    calls = {"round trips": 0, "clients built": 0}
    send, build = Connection.send_packed_command, redis.Redis.__init__

    def counting_send(connection, command, check_health=True):
        calls["round trips"] += 1
        return send(connection, command, check_health)

    def counting_build(client, *args, **kwargs):
        calls["clients built"] += 1
        build(client, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counting_send)
    monkeypatch.setattr(redis.Redis, "__init__", counting_build)
    return calls


def test_cache_calls_reuse_one_redis_client(redis_calls):
    cache.set("wijkaanpak:test", 1)
    assert cache.get("wijkaanpak:test") == 1
    redis_calls.update({"round trips": 0, "clients built": 0})
    for _ in range(3):
        assert cache.get("wijkaanpak:test") == 1
        cache.set("wijkaanpak:test", 1)
    assert redis_calls == {"round trips": 6, "clients built": 0}


def test_a_json_feed_page_read_again_costs_one_redis_round_trip(
    client, police, redis_calls, django_assert_num_queries
):
    from teamapi.services import feed_token_issue

    _token, key = feed_token_issue(team=police.team, naam="Meldkamer", by=police)
    url, header = reverse("api-feed"), {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(url, **header).status_code == 200  # the token and the page now cached
    redis_calls.update({"round trips": 0, "clients built": 0})
    with django_assert_num_queries(0):
        assert client.get(url, **header).status_code == 200
    # The rate-limit count, the token, the feed version and the page: one pipeline.
    assert redis_calls == {"round trips": 1, "clients built": 0}
