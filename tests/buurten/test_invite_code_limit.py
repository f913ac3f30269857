"""Invite codes cannot be guessed at leisure: checks are limited per client address."""

import pytest
from django.urls import reverse

from buurten import views
from tests import factories


@pytest.mark.django_db
def test_anonymous_code_checks_are_limited_per_address(client, monkeypatch, settings):
    settings.WIJKAANPAK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    monkeypatch.setattr(views, "INVITE_CODES_PER_IP", "3/h")
    uitnodiging = factories.UitnodigingscodeFactory()
    url = reverse("buurten:code")
    guesses = [
        client.get(url, {"code": f"GOK{n}"}, REMOTE_ADDR="203.0.113.5").status_code
        for n in range(3)
    ]
    assert guesses == [200, 200, 200]

    # The right code, after too many guesses: not looked up, a clear message instead.
    stopped = client.get(url, {"code": uitnodiging.code}, REMOTE_ADDR="203.0.113.5")
    assert stopped.status_code == 429
    page = stopped.content.decode()
    assert "te veel codes geprobeerd" in page
    assert uitnodiging.buurt.naam not in page

    # Someone else (here behind the site's proxy) checks their flyer's code as usual.
    other = client.get(
        url,
        {"code": uitnodiging.code},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 200
    assert uitnodiging.buurt.naam in other.content.decode()
    # Without a code the page is the plain explanation, never limited.
    assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 200


@pytest.mark.django_db
def test_signed_in_code_tries_count_against_the_address_too(client, monkeypatch):
    monkeypatch.setattr(views, "INVITE_CODES_PER_IP", "2/h")
    url = reverse("buurten:code")
    answers = []
    for _n in range(3):  # a fresh account per try does not help
        client.force_login(factories.UserFactory())
        answers.append(client.post(url, {"code": "GOKGOK"}).status_code)
    assert answers == [200, 200, 429]
