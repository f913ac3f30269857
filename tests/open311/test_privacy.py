"""Scope and privacy of Open311: a client reads only its own gemeente, never a reporter, and
sees descriptions and feedback only of what it filed; officers see the outside reporter's
contact only through the audited reveal; retention erases it."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from meldingen.models import Doel, Inzage, Melder, Melding, RoutingRegel
from meldingen.services import melding_transition, meldingen_anonymise
from meldingen.workflow import Actie
from open311.models import Client, Herkomst
from open311.services import client_issue
from tests import factories

from .conftest import CANARY

pytestmark = pytest.mark.django_db

RESIDENT_NAME = "Canarie Buurtbewoner"
RESIDENT_EMAIL = "canarie.web@example.org"


def file(client, key, data) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/open311/v2/requests.json", {**data, "api_key": key})
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def every_answer(client, key, ids) -> str:
    """Every Open311 read this key can make, in both formats, as one text."""
    paths = ["v2/requests", "v2/services", "discovery"]
    paths += [f"v2/requests/{pk}" for pk in ids]
    paths += [f"v2/tokens/{a.token}" for a in Herkomst.objects.all()]
    texts = []
    for path in paths:
        for fmt in ("xml", "json"):
            texts.append(client.get(f"/open311/{path}.{fmt}", {"api_key": key}).content.decode())
    return "\n".join(texts)


def test_a_key_of_one_gemeente_cannot_read_another_gemeentes_requests(
    client, app_key, rotterdam, post_data
):
    amsterdam_id = file(client, app_key, post_data)
    _buurt, rotterdam_key = rotterdam
    listed = client.get("/open311/v2/requests.json", {"api_key": rotterdam_key}).json()
    assert listed == []
    by_id = client.get(
        "/open311/v2/requests.json", {"api_key": rotterdam_key, "service_request_id": amsterdam_id}
    )
    assert by_id.json() == []
    one = client.get(f"/open311/v2/requests/{amsterdam_id}.xml", {"api_key": rotterdam_key})
    assert one.status_code == 404
    token = Herkomst.objects.get().token
    assert (
        client.get(f"/open311/v2/tokens/{token}.json", {"api_key": rotterdam_key}).status_code
        == 404
    )
    # The Amsterdam key reads it.
    assert client.get(f"/open311/v2/requests/{amsterdam_id}.json", {"api_key": app_key}).json()


def test_another_app_of_the_same_gemeente_sees_the_case_but_not_its_text(
    client, app_key, post_data, dam, admin_user, enforcement
):
    request_id = file(client, app_key, post_data)
    melding_transition(
        melding=Melding.objects.get(pk=request_id),
        actie=Actie.AFSLUITEN,
        by=enforcement,
        terugkoppeling="Jongeren aangesproken.",
    )
    _other, other_key = client_issue(naam="Tweede app", gemeente=dam.wijk.gemeente, by=admin_user)
    (seen,) = client.get(f"/open311/v2/requests/{request_id}.json", {"api_key": other_key}).json()
    assert seen["status"] == "closed" and seen["service_name"] == "Lawaai op straat"
    assert seen["description"] is None and seen["status_notes"] is None
    (own,) = client.get(f"/open311/v2/requests/{request_id}.json", {"api_key": app_key}).json()
    assert own["status_notes"] == "Jongeren aangesproken."


def test_no_reporter_ever_appears_in_any_open311_answer(client, app_key, post_data, dam):
    resident = factories.UserFactory(email=RESIDENT_EMAIL, weergavenaam=RESIDENT_NAME)
    factories.LidmaatschapFactory(user=resident, buurt=dam)
    web = factories.melding(
        user=resident,
        buurt=dam,
        bescherming="contact",
        telefoon="0611122233",
        wat="Verdachte man bij portiek",
        waar="Damstraat 7 bij nummer 5",
    )
    bedreigd = factories.CategorieFactory(naam="Bedreigd (test)", is_intimidatie=True)
    RoutingRegel.objects.create(volgorde=1, categorie=bedreigd, doel=Doel.POLITIE)
    intimidatie = factories.melding(user=resident, buurt=dam, categorie=bedreigd)
    own = file(client, app_key, {**post_data, "address_string": "Damrak 12 driehoog"})

    text = every_answer(client, app_key, [web.pk, own, intimidatie.pk])
    for canary in [*CANARY.values(), RESIDENT_NAME, RESIDENT_EMAIL, "0611122233"]:
        assert canary not in text
    # The resident's own words and exact place stay with the officers.
    assert "Verdachte man" not in text and "Damstraat 7" not in text and "Damrak 12" not in text
    # Intimidation cases are not there at all.
    listed = client.get("/open311/v2/requests.json", {"api_key": app_key}).json()
    assert {r["service_request_id"] for r in listed} == {web.pk, own}
    assert (
        client.get(f"/open311/v2/requests/{intimidatie.pk}.json", {"api_key": app_key}).status_code
        == 404
    )


def test_the_coordinator_reveals_the_outside_reporter_audited_police_may_not(
    client, login, app_key, post_data, coordinator, police
):
    request_id = file(client, app_key, post_data)
    melding = Melding.objects.get(pk=request_id)
    RoutingRegel.objects.filter(categorie=melding.categorie).update(doel=Doel.POLITIE)
    Melding.objects.filter(pk=melding.pk).update(doel=Doel.POLITIE)
    melder = melding.melders.get()
    url = reverse("meldingen:inzage", kwargs={"pk": melder.pk})

    reason = {"grond": "afhandeling", "reden": "Terugbellen over de melding om de plek te vragen"}
    response = login(coordinator).post(url, reason, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert CANARY["email"] in page and "Kanarie Vogelaar-Uniek" in page
    assert Inzage.objects.filter(melder=melder, door=coordinator).exists()

    assert login(police).post(url, reason).status_code == 404
    assert not Inzage.objects.filter(door=police).exists()


def test_the_officer_sees_the_media_link_without_the_platform_fetching_it(
    client, login, app_key, post_data, enforcement
):
    request_id = file(client, app_key, {**post_data, "media_url": "https://example.org/b/1.jpg"})
    page = login(enforcement).get(reverse("meldingen:detail", kwargs={"pk": request_id}))
    text = page.content.decode()
    assert 'href="https://example.org/b/1.jpg"' in text
    assert 'rel="noopener noreferrer nofollow"' in text
    assert CANARY["email"] not in text  # not without the audited reveal


def test_retention_erases_the_outside_reporters_contact_and_media_link(
    client, app_key, post_data, enforcement
):
    request_id = file(client, app_key, {**post_data, "media_url": "https://example.org/b/1.jpg"})
    melding = Melding.objects.get(pk=request_id)
    melding_transition(melding=melding, actie=Actie.AFSLUITEN, by=enforcement, terugkoppeling="Ok")
    Melding.objects.filter(pk=melding.pk).update(closed_at=timezone.now() - timedelta(days=200))

    assert meldingen_anonymise(dry_run=True).melders == 1
    meldingen_anonymise(dry_run=False)
    melder = Melder.objects.get()
    assert (melder.contact_naam, melder.contact_email, melder.telefoon) == ("", "", "")
    assert Herkomst.objects.get().media_url == ""
    assert meldingen_anonymise(dry_run=True).meldingen == 0


def test_the_admin_shows_a_client_key_once_and_keeps_only_its_hash(admin_client, dam):
    url = reverse("admin:open311_client_add")
    response = admin_client.post(
        url, {"naam": "Meldapp", "gemeente": dam.wijk.gemeente.pk, "contact": ""}, follow=True
    )
    assert response.status_code == 200
    client = Client.objects.get()
    (message,) = [str(m) for m in response.context["messages"] if "Sleutel" in str(m)]
    key = message.rsplit(" ", 1)[-1]
    assert key.startswith(f"o311_{client.prefix}_")
    assert key not in client.key_hash and len(client.key_hash) == 64
    assert (
        admin_client.get(reverse("admin:open311_client_change", args=[client.pk]))
        .content.decode()
        .count(key)
        == 0
    )

    changelist = reverse("admin:open311_client_changelist")
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [client.pk]})
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert admin_client.get("/open311/v2/requests.json", {"api_key": key}).status_code == 403
