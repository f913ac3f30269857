"""Who reaches which faciliteringsverzoek, on every verzoek URL.

A request for support is between a resident and the municipality: the requester sees their own
(drafts included), coordinators of the area and administrators see submitted requests, never a
draft, and police and enforcement see nothing: every verzoek URL answers them with the same 404
as an id that does not exist.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from verzoeken import services
from verzoeken.models import StilzwijgendRegel, Verzoek

pytestmark = pytest.mark.django_db

ROLES = (
    "owner",
    "other_resident",
    "coordinator",
    "coordinator_elsewhere",
    "police",
    "enforcement",
    "admin",
)
MISSING = 999_999_999


@pytest.fixture
def people(buurt, other_buurt, police, enforcement, coordinator):
    return {
        "owner": factories.LidmaatschapFactory(buurt=buurt).user,
        "other_resident": factories.LidmaatschapFactory(buurt=buurt).user,
        "coordinator": coordinator,
        "coordinator_elsewhere": factories.professional("coordinator", other_buurt.wijk),
        "police": police,
        "enforcement": enforcement,
        "admin": factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True),
    }


def _request(owner, buurt, *, indienen: bool) -> Verzoek:
    return services.verzoek_create(
        aanvrager=owner,
        buurt=buurt,
        soort="materialen",
        nodig_op=timezone.localdate() + timedelta(days=20),
        toelichting="Hesjes voor de avondronde, ik woon op nummer 4",
        indienen=indienen,
    )


@pytest.fixture
def submitted(people, buurt):
    return _request(people["owner"], buurt, indienen=True)


@pytest.fixture
def draft(people, buurt):
    return _request(people["owner"], buurt, indienen=False)


def _page(response) -> str:
    """The page as the user sees it, without the per-response CSRF token and with its own
    address (the language switch returns to it) left out."""
    html = response.content.decode().replace(response.request["PATH_INFO"], "")
    return re.sub(r'value="[^"]{64}"', "", html)


def _assert_not_found(client, response, *, method="get", name="verzoeken:detail", data=None):
    """404, and byte for byte the 404 of a request that does not exist."""
    assert response.status_code == 404
    url = reverse(name, kwargs={"pk": MISSING})
    missing = getattr(client, method)(url, data or {})
    assert missing.status_code == 404
    assert _page(response) == _page(missing)


SEES_SUBMITTED = {"owner", "coordinator", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_a_submitted_request(login, people, submitted, role):
    client = login(people[role])
    response = client.get(submitted.get_absolute_url())
    if role in SEES_SUBMITTED:
        assert response.status_code == 200
        assert "Hesjes voor de avondronde" in response.content.decode()
    else:
        _assert_not_found(client, response)


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_a_draft_is_for_the_requester_only(login, people, draft, role):
    client = login(people[role])
    response = client.get(draft.get_absolute_url())
    if role == "owner":
        assert response.status_code == 200
        assert "Hesjes voor de avondronde" in response.content.decode()
    else:
        _assert_not_found(client, response)


@pytest.mark.parametrize("role", ROLES)
def test_a_withdrawn_draft_stays_the_requesters(login, people, draft, role):
    services.verzoek_aanvrager_actie(verzoek=draft, by=people["owner"], actie="intrekken")
    response = login(people[role]).get(draft.get_absolute_url())
    assert response.status_code == (200 if role == "owner" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_deciding(login, people, submitted, draft, role):
    client = login(people[role])
    for verzoek in (draft, submitted):
        url = reverse("verzoeken:actie", kwargs={"pk": verzoek.pk})
        response = client.post(url, {"actie": "toekennen"})
        verzoek.refresh_from_db()
        if verzoek is submitted and role in ("coordinator", "admin"):
            assert response.status_code == 302
            assert verzoek.status == "toegekend"
            continue
        if role == "owner":
            # Visible to them, but deciding is not theirs: refused, unchanged.
            assert response.status_code == 403
        else:
            _assert_not_found(client, response, method="post", name="verzoeken:actie", data={})
        assert verzoek.status == ("ingediend" if verzoek is submitted else "concept")


@pytest.mark.parametrize("role", ROLES)
def test_the_list_of_own_requests(login, people, submitted, draft, role):
    client = login(people[role])
    response = client.get(reverse("verzoeken:lijst"))
    if role in ("police", "enforcement"):
        _assert_not_found(client, response)
        return
    assert response.status_code == 200
    shown = {v.pk for v in response.context["verzoeken"]}
    assert shown == ({submitted.pk, draft.pk} if role == "owner" else set())


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_shows_submitted_requests_of_the_area(login, people, submitted, draft, role):
    client = login(people[role])
    response = client.get(reverse("verzoeken:wachtrij"))
    if role in ("coordinator", "admin", "coordinator_elsewhere"):
        assert response.status_code == 200
        shown = {v.pk for v in response.context["verzoeken"]}
        assert shown == (set() if role == "coordinator_elsewhere" else {submitted.pk})
    else:
        _assert_not_found(client, response)


@pytest.mark.parametrize("role", ROLES)
def test_bulk_approval(login, people, submitted, draft, role):
    client = login(people[role])
    response = client.post(reverse("verzoeken:wachtrij"), {"verzoek": [submitted.pk, draft.pk]})
    statuses = dict(Verzoek.objects.values_list("pk", "status"))
    assert statuses[draft.pk] == "concept"
    if role in ("coordinator", "admin"):
        assert response.status_code == 302
        assert statuses[submitted.pk] == "toegekend"
        return
    assert statuses[submitted.pk] == "ingediend"
    if role == "coordinator_elsewhere":
        assert response.status_code == 302  # "nothing approved": not theirs
    else:
        _assert_not_found(client, response)


@pytest.mark.parametrize("role", ROLES)
def test_silent_consent_rules(login, people, role):
    client = login(people[role])
    url = reverse("verzoeken:regels")
    rule = {"soort": "budget", "max_bedrag": "250", "werkdagen": "3", "actief": "on"}
    get, post = client.get(url), client.post(url, rule)
    if role in ("coordinator", "coordinator_elsewhere"):
        assert get.status_code == 200
        assert post.status_code == 302
        assert StilzwijgendRegel.objects.count() == 1
        return
    assert not StilzwijgendRegel.objects.exists()
    if role == "admin":  # no team, so no gemeente to set a rule for
        assert (get.status_code, post.status_code) == (403, 403)
    else:
        _assert_not_found(client, get)
        _assert_not_found(client, post)


@pytest.mark.parametrize("role", ROLES)
def test_asking_is_for_residents(login, people, role):
    client = login(people[role])
    response = client.get(reverse("verzoeken:nieuw"))
    if role in ("owner", "other_resident"):
        assert response.status_code == 200
    else:
        _assert_not_found(client, response)
