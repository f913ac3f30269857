"""Team tokens: who is let in (a key per team, 401 otherwise), revoking at once, the limits
per token and per address, and answers no proxy keeps."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import apikeys
from teamapi import authentication, services, throttling
from teamapi.services import feed_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_token(police):
    token, key = feed_token_issue(team=police.team, naam="Basisteam-systeem", by=police)
    return token, key


@pytest.fixture
def team_key(police_token):
    return police_token[1]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(client, key, **params):
    return client.get(reverse("api-feed"), params, **bearer(key))


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer wka_nope_nope", "Basic dXNlcjpwdw=="])
def test_missing_or_wrong_tokens_get_401(client, header, police_token):
    response = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"error": "missing, unknown or revoked token"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once_and_a_tampered_key_fails(
    client, police_token, django_capture_on_commit_callbacks
):
    token, key = police_token
    assert get(client, key[:-1] + ("x" if key[-1] != "x" else "y")).status_code == 401
    assert get(client, key).status_code == 200  # now known from the cache
    with django_capture_on_commit_callbacks(execute=True):
        token.revoked_at = timezone.now()
        token.save()
    assert get(client, key).status_code == 401


def test_a_token_over_its_rate_gets_429_and_others_are_not_affected(
    client, police, police_token, monkeypatch
):
    monkeypatch.setattr(throttling, "REQUESTS_PER_TOKEN", "2/m")
    _other, other_key = feed_token_issue(team=police.team, naam="Tweede", by=police)
    assert [get(client, police_token[1]).status_code for _ in range(3)] == [200, 200, 429]
    assert get(client, police_token[1]).json() == {"error": "too many requests"}
    assert get(client, other_key).status_code == 200


def test_too_many_requests_get_a_429_with_a_clear_body(client, team_key, monkeypatch):
    monkeypatch.setattr(throttling, "REQUESTS_PER_TOKEN", "2/m")
    url = reverse("api-feed")
    assert [client.get(url, **bearer(team_key)).status_code for _ in range(2)] == [200, 200]
    response = client.get(url, **bearer(team_key))
    assert response.status_code == 429
    assert response.json() == {"error": "too many requests"}
    assert 0 < int(response["Retry-After"]) <= 60


def test_api_answers_are_never_cached(client, team_key):
    response = client.get(reverse("api-feed"), **bearer(team_key))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("key", ["wka_nope_nope", "wka_a\x00b_c", "wka_0123abcd_x\x00"])
def test_a_wrong_token_is_a_401_even_where_anonymous_reading_is_allowed(client, key):
    response = client.get(reverse("api-activiteiten"), **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"error": "missing, unknown or revoked token"}


def test_an_address_guessing_keys_is_stopped_before_the_database(
    client, team_key, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(authentication, "WRONG_KEYS_PER_IP", "3/m")
    url = reverse("api-feed")
    assert client.get(url, **bearer(team_key)).status_code == 200
    guesses = [apikeys.new_key(services.KIND).key for _ in range(4)]
    assert [client.get(url, **bearer(key)).status_code for key in guesses[:3]] == [401] * 3
    with django_assert_num_queries(0):
        response = client.get(url, **bearer(guesses[3]))
    assert response.status_code == 429
    assert response.json() == {"error": "too many requests"}
    assert 0 < int(response["Retry-After"]) <= 60
    # A team whose key was seen in the last minute goes on; another address is not affected.
    assert client.get(url, **bearer(team_key)).status_code == 200
    other = client.get(url, REMOTE_ADDR="192.0.2.7", **bearer(apikeys.new_key(services.KIND).key))
    assert other.status_code == 401
