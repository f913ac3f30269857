"""One filter definition (``meldingen.filters.FeedFilter``) for the officers' page and the team
systems' API: a bad value is the same error in both, shown on the page, a 400 from the API,
never a 500."""

import base64

import pytest
from django.urls import reverse

from meldingen.models import Doel, RoutingRegel
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

BAD = [
    ("categorie", "abc"),
    ("categorie", "999999"),
    ("wijk", "GEEN-WIJK"),
    ("status", "ontvangen"),  # received but not routed: never in a feed, so no choice
    ("status", "nope"),
    ("periode", "ooit"),
    ("zoek", "ab"),  # too short to search, and not a melding's number
    ("zoek", "x" * 101),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_filter_value_is_the_same_error_on_the_page_and_in_the_api(
    client, login, buurt, police, name, value
):
    factories.melding(buurt=buurt)
    page = login(police).get(reverse("meldingen:feed"), {name: value})
    assert page.status_code == 200
    shown = page.context["form"].errors[name]
    assert shown and all(error in page.content.decode() for error in shown)

    key = feed_token_issue(team=police.team, naam="Filters", by=police)[1]
    client.logout()
    answer = client.get(reverse("api-feed"), {name: value}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid filter", "fields": {name: shown}}


def test_a_damaged_cursor_is_page_one_on_the_page_and_a_400_in_the_api(
    client, login, buurt, police
):
    categorie = factories.CategorieFactory(naam="Filters (politie)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie)
    page = login(police).get(reverse("meldingen:feed"), {"na": "MXwyfDM"})
    assert [row.pk for row in page.context["page"].rows] == [melding.pk]

    key = feed_token_issue(team=police.team, naam="Filters", by=police)[1]
    client.logout()
    answer = client.get(reverse("api-feed"), {"na": "MXwyfDM"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.json()["fields"] == {"na": ["Not a cursor: use `volgende` as given."]}


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-23:59",  # overflows on the way to UTC
        "2026-01-01T00:00:00+20:00",  # Python reads it, Postgres refuses beyond ±15:59
        "2026-01-01T00:00:00-14:01",
        "0001-01-01T00:00:00+01:00",
        "2026-01-01T00:00:00",  # no zone
    ],
)
def test_a_cursor_with_a_moment_the_database_refuses_is_damaged_not_a_500(
    client, login, buurt, police, moment
):
    categorie = factories.CategorieFactory(naam="Filters (politie)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie)
    cursor = base64.urlsafe_b64encode(f"1|{moment}|5".encode()).decode().rstrip("=")
    page = login(police).get(reverse("meldingen:feed"), {"na": cursor})
    assert page.status_code == 200
    assert [row.pk for row in page.context["page"].rows] == [melding.pk]

    key = feed_token_issue(team=police.team, naam="Filters", by=police)[1]
    client.logout()
    answer = client.get(reverse("api-feed"), {"na": cursor}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"na": ["Not a cursor: use `volgende` as given."]}
