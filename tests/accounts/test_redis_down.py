"""With Redis unreachable the site keeps serving, but brute force and TOTP replay stay
stopped: security counters are kept in the database meanwhile (``wijkaanpak.redis_cache``)."""

import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.demo import current_totp_code
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens here


@pytest.fixture
def redis_down():
    caches = {
        "default": {
            "BACKEND": "wijkaanpak.redis_cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"FALLBACK": "security"},
        },
        "security": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wijkaanpak_security_cache",
        },
    }
    with override_settings(CACHES=caches, REDIS_URL=DEAD_REDIS):
        yield


@pytest.fixture
def start_of_a_totp_window():
    """A code read now stays valid for the whole test (30 s windows)."""
    now = time.time()
    with time_machine.travel(now - now % 30 + 30 + 1, tick=True):
        yield


def test_fifteen_wrong_passwords_lock_out_with_redis_down(client, redis_down):
    resident = factories.UserFactory()
    url = reverse("account_login")
    for _attempt in range(15):
        client.post(url, {"login": resident.email, "password": "fout-wachtwoord"})
    blocked = client.post(url, {"login": resident.email, "password": PASSWORD})
    assert "Te veel inlogpogingen" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_twelve_wrong_totp_codes_lock_out_with_redis_down(
    client, wijk, redis_down, start_of_a_totp_window
):
    coordinator = factories.professional("coordinator", wijk)
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    for wrong in range(12):
        client.post(reverse("mfa_authenticate"), {"code": f"{wrong:06d}"})
    right = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(coordinator)})
    assert "Te veel inlogpogingen" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_totp_code_is_not_accepted_twice_with_redis_down(
    client, wijk, redis_down, start_of_a_totp_window
):
    coordinator = factories.professional("coordinator", wijk)
    code = current_totp_code(coordinator)
    _sign_in(client, coordinator, code)
    assert int(client.session["_auth_user_id"]) == coordinator.pk

    client.post(reverse("account_logout"))
    replayed = _sign_in(client, coordinator, code)
    assert "_auth_user_id" not in client.session
    assert replayed.status_code == 200


@pytest.mark.redis
def test_a_code_used_before_redis_went_away_is_refused_after(client, wijk, start_of_a_totp_window):
    coordinator = factories.professional("coordinator", wijk)
    code = current_totp_code(coordinator)
    _sign_in(client, coordinator, code)  # Redis is up
    assert int(client.session["_auth_user_id"]) == coordinator.pk
    client.post(reverse("account_logout"))

    with override_settings(
        CACHES={
            **django_settings.CACHES,
            "default": {**django_settings.CACHES["default"], "LOCATION": DEAD_REDIS},
        }
    ):
        _sign_in(client, coordinator, code)
        assert "_auth_user_id" not in client.session


def test_healthz_says_degraded_while_the_site_serves(client, redis_down):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["degraded"] == ["redis"]
    assert client.get(reverse("account_login")).status_code == 200


def _sign_in(client, user, code):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_the_intake_limit_holds_with_redis_down(client, buurt, redis_down, settings):
    settings.WIJKAANPAK_MELDING_RATE = "2/h"
    member = factories.LidmaatschapFactory(buurt=buurt).user
    categorie = factories.CategorieFactory(naam="Overlast (test)")
    client.force_login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    data = {
        "wat": "Harde muziek.",
        "waar": "Speeltuin",
        "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "bescherming": "coordinator",
    }
    assert [client.post(url, data).status_code for _ in range(3)] == [302, 302, 429]
