"""The JSON feed for team systems: tokens per team, the same scope as the people of the team."""

import pytest
from django.urls import reverse

from meldingen.models import Doel, RoutingRegel
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

CANARY_EMAIL = "api.canarie@example.org"


@pytest.fixture
def police_token(police):
    token, key = feed_token_issue(team=police.team, naam="Basisteam-systeem", by=police)
    return token, key


def get(client, key, **params):
    return client.get(reverse("api-feed"), params, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_team_token_reads_its_own_feed_without_reporters(
    client, buurt, other_buurt, police, police_token
):
    categorie = factories.CategorieFactory(naam="API-test")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    reporter = factories.UserFactory(email=CANARY_EMAIL, weergavenaam="Api Canarie")
    factories.LidmaatschapFactory(user=reporter, buurt=buurt)
    mine = factories.melding(
        user=reporter, categorie=categorie, bescherming="contact", telefoon="0612345678"
    )
    factories.melding(buurt=other_buurt, categorie=categorie)

    response = get(client, police_token[1])
    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body["meldingen"]] == [mine.pk]
    assert body["meldingen"][0]["samenvatting"] == mine.samenvatting
    assert body["volgende"] is None
    assert "no-store" in response["Cache-Control"]  # never kept by a proxy or browser
    raw = response.content.decode()
    assert CANARY_EMAIL not in raw and "Api Canarie" not in raw and "0612345678" not in raw
    police_token[0].refresh_from_db()
    assert police_token[0].last_used_at is not None


def test_pages_follow_the_keyset(client, buurt, police, police_token):
    categorie = factories.CategorieFactory(naam="API-pages")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    made = [factories.melding(buurt=buurt, categorie=categorie) for _ in range(27)]
    first = get(client, police_token[1]).json()
    assert len(first["meldingen"]) == 25
    second = client.get(first["volgende"], HTTP_AUTHORIZATION=f"Bearer {police_token[1]}").json()
    ids = [m["id"] for m in first["meldingen"] + second["meldingen"]]
    assert sorted(ids) == sorted(m.pk for m in made)
    assert second["volgende"] is None


def test_bad_filters_get_400_and_a_session_is_not_enough(client, login, police, police_token):
    response = get(client, police_token[1], periode="ooit")
    assert response.status_code == 400
    assert "periode" in response.json()["fields"]
    assert login(police).get(reverse("api-feed")).status_code == 401
