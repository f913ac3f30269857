"""An anonymous melding leaves no per-person trace in Redis: the intake limit's counters are
keyed hashes that name neither the user nor the address, and count every kind of report alike."""

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meldingen.models import Melding
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

USER_PK = 7654321
CLIENT_IP = "198.51.100.77"


def _everything_in_redis() -> dict[bytes, bytes]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    found = {}
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        found[key] = client.get(key) if kind == b"string" else repr(kind).encode()
    return found


def test_an_anonymous_report_leaves_no_user_id_or_address_in_redis(client, buurt):
    from django.core.cache import cache

    cache.clear()
    user = factories.UserFactory(pk=USER_PK, email="anoniem.melder@example.org")
    factories.LidmaatschapFactory(user=user, buurt=buurt)
    categorie = factories.CategorieFactory(naam="Drugshandel (test)")
    client.force_login(user)
    response = client.post(
        reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk}),
        {
            "wat": "Er wordt gedeald vanuit een auto.",
            "waar": "Parkeerplaats achter de school",
            "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "bescherming": "anoniem",
        },
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302 and Melding.objects.count() == 1

    stored = _everything_in_redis()
    counters = [key for key in stored if b"ratelimit:melding" in key]
    assert len(counters) == 2  # per user and per address: the limit is kept
    for key, value in stored.items():
        for trace in (str(USER_PK), user.email, CLIENT_IP, "anoniem"):
            assert trace.encode() not in key, key
            assert trace.encode() not in (value or b""), (key, value)
    assert {stored[key] for key in counters} == {b"1"}


def test_the_limit_still_holds_and_counts_named_and_anonymous_reports_alike(
    client, buurt, settings
):
    settings.WIJKAANPAK_MELDING_RATE = "2/h"
    member = factories.LidmaatschapFactory(buurt=buurt).user
    categorie = factories.CategorieFactory(naam="Overlast (test)")
    client.force_login(member)
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    answers = [
        client.post(
            url,
            {
                "wat": "Harde muziek.",
                "waar": "Speeltuin",
                "wanneer": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "bescherming": bescherming,
            },
        ).status_code
        for bescherming in ("anoniem", "coordinator", "anoniem")
    ]
    assert answers == [302, 302, 429]
