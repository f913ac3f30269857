"""The administrator's start page: what needs doing in routing, and every tool one click away;
other roles see none of it."""

import re

import pytest
from django.urls import reverse

from meldingen.models import Outbox
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):
    user = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    return login(user), user


def _links(html: str) -> dict[str, str]:
    """The page's links, by their text."""
    return {
        re.sub(r"\s+", " ", text).strip(): href
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.DOTALL)
    }


def test_the_administrators_home_counts_what_needs_doing_and_links_to_it(admin_client, buurt):
    client, _user = admin_client
    failed = factories.melding(buurt=buurt, route=False)
    Outbox.objects.filter(melding=failed).update(failed_at="2026-11-01T10:00Z", attempts=5)
    waiting = factories.melding(buurt=buurt, route=False)
    routed = factories.melding(buurt=buurt)  # nothing to do

    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Wat aandacht vraagt" in html
    assert response.context["beheer"]["attention"].failed == 1
    assert response.context["beheer"]["attention"].unrouted == 2  # the failed one waits too
    links = _links(html)

    failed_list = client.get(links["Mislukte routeringen"]).content.decode()
    assert f"melding {failed.pk}" in failed_list
    assert f"melding {waiting.pk}" not in failed_list
    unrouted_list = client.get(links["Nog niet gerouteerd"]).content.decode()
    for melding, listed in ((failed, True), (waiting, True), (routed, False)):
        change = reverse("admin:meldingen_melding_change", args=[melding.pk])
        assert (f'href="{change}' in unrouted_list) is listed


def test_every_tool_on_the_administrators_home_opens(admin_client):
    client, _user = admin_client
    links = _links(client.get(reverse("home")).content.decode())
    expected = {
        "Naar het beheer": reverse("admin:index"),
        "Routeringsregels": reverse("admin:meldingen_routingregel_changelist"),
        "Proefrit": reverse("admin:meldingen_routing_proef"),
        "Categorieën": reverse("admin:meldingen_categorie_changelist"),
        "Feed-tokens": reverse("admin:teamapi_feedtoken_changelist"),
        "Open311-clients": reverse("admin:open311_client_changelist"),
        "API-documentatie": reverse("api-docs"),
        "Gebruikers": reverse("admin:accounts_user_changelist"),
        "Teams": reverse("admin:accounts_team_changelist"),
        "Gezondheid (healthz)": reverse("healthz"),
    }
    assert {text: links.get(text) for text in expected} == expected
    for url in expected.values():
        assert client.get(url).status_code == 200, url


def test_the_administrators_home_with_nothing_to_do_says_zero(admin_client):
    client, _user = admin_client
    response = client.get(reverse("home"))
    attention = response.context["beheer"]["attention"]
    assert (attention.failed, attention.unrouted) == (0, 0)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", ["resident", "coordinator", "police"])
def test_other_roles_see_no_administrator_tools_on_their_home(request, login, role, buurt):
    Outbox.objects.filter(melding=factories.melding(buurt=buurt, route=False)).update(
        failed_at="2026-11-01T10:00Z"
    )
    response = login(request.getfixturevalue(role)).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "beheer" not in response.context
    assert "Wat aandacht vraagt" not in html
    assert "Mislukte routeringen" not in html
    assert reverse("admin:index") not in html
