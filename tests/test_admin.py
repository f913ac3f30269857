"""The administrator's tools: every admin list opens, the routing dry-run, failed routings
(feed tokens: ``tests/teamapi/test_admin.py``)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meldingen.models import Categorie, Outbox
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):
    user = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    return login(user), user


def test_every_admin_list_and_add_page_opens(admin_client, buurt):
    client, _user = admin_client
    factories.melding(buurt=buurt)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.has_add_permission(type("R", (), {"user": _user})()):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add


def test_admin_pages_carry_the_site_icon(admin_client):
    """Without it the browser asks for /favicon.ico: a 404 in the console of every admin page."""
    client, _user = admin_client
    page = client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    assert "Wijkaanpak beheer" in page  # still the admin's own header


def test_a_routing_rule_finds_its_wijk_and_buurt_by_search(admin_client, buurt):
    client, _user = admin_client
    page = client.get(reverse("admin:meldingen_routingregel_add"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("admin-autocomplete") >= 2  # wijk and buurt: search as you type
    select = re.search(r'<select name="buurt".*?</select>', html, re.S).group(0)
    assert buurt.naam not in select and select.count("<option") <= 1  # not all 517
    assert "unsafe-inline" not in page["Content-Security-Policy"]


def test_routing_dry_run_shows_where_a_melding_would_go(admin_client, buurt):
    client, _user = admin_client
    overlast = Categorie.objects.get(naam="Overlast")
    url = reverse("admin:meldingen_routing_proef")
    night = client.post(
        url, {"categorie": overlast.pk, "buurt": buurt.pk, "tijdstip": "2026-11-28T23:30"}
    )
    assert "<strong>Politie</strong>" in night.content.decode()
    day = client.post(
        url, {"categorie": overlast.pk, "buurt": buurt.pk, "tijdstip": "2026-11-28T14:00"}
    )
    assert "<strong>Handhaving</strong>" in day.content.decode()
    bad = client.post(url, {"categorie": overlast.pk, "buurt": buurt.pk, "tijdstip": "ooit"})
    assert bad.status_code == 200
    assert "Voer een geldige datum/tijd in" in bad.content.decode()
    assert "Uitkomst" not in bad.content.decode()
    # Year 1 overflowed on the way to UTC: a 500 instead of a message.
    year_1 = {"categorie": overlast.pk, "buurt": buurt.pk, "tijdstip": "0001-01-01T00:00"}
    bad = client.post(url, year_1)
    assert bad.status_code == 200
    assert "Kies een datum tussen 1900 en 2100." in bad.content.decode()
    assert "Uitkomst" not in bad.content.decode()


def test_failed_routings_are_listed_and_can_be_retried(admin_client, buurt):
    client, _user = admin_client
    melding = factories.melding(buurt=buurt, route=False)
    Outbox.objects.filter(melding=melding).update(failed_at="2026-11-01T10:00Z", attempts=5)
    url = reverse("admin:meldingen_outbox_changelist")
    listed = client.get(url, {"toestand": "mislukt"}).content.decode()
    assert f"melding {melding.pk}" in listed
    client.post(url, {"action": "retry", "_selected_action": [melding.outbox.get().pk]})
    melding.refresh_from_db()
    assert melding.status == "gerouteerd"  # retried, routed by the in-process task


def test_administrators_see_and_remove_authenticators_but_never_their_secrets(admin_client, police):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.get(user=police, type=Authenticator.Type.TOTP)
    secret = get_adapter().decrypt(authenticator.data["secret"])
    assert len(secret) >= 16
    client, _user = admin_client
    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert police.email in listing.content.decode()
    url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert secret not in html and "secret" not in html
    assert "+00:00" not in html  # times in local, readable form
    made = date_format(timezone.localtime(authenticator.created_at), "j F Y H:i")
    assert made in html
    assert client.post(url, {"data": "{}"}).status_code == 403
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403

    delete = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    client.post(delete, {"post": "yes"})
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()


def test_the_dry_run_searches_buurten_instead_of_listing_them_all(admin_client, buurt):
    """Hundreds of buurten: the field asks the admin's autocomplete, it does not list them."""
    client, _user = admin_client
    factories.BuurtFactory.create_batch(30)
    response = client.get(reverse("admin:meldingen_routing_proef"))
    html = response.content.decode()
    assert 'class="admin-autocomplete' in html
    assert f'data-ajax--url="{reverse("admin:autocomplete")}"' in html
    assert buurt.naam not in html  # no option per buurt
    assert "admin/js/autocomplete.js" in html
    # Under the strict CSP: no inline script or style on the page, and none allowed.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert "<style" not in html and " style=" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_dry_run_buurt_search_finds_by_name_code_and_wijk(admin_client, buurt):
    client, _user = admin_client
    # A wijk name with no digits: a numbered factory name ("Wijk 36") would also match the
    # code BU0363AA01 word by word, depending on how many factories ran before.
    buurt.wijk.naam = "Kattenburg"
    buurt.wijk.save()
    dam = factories.BuurtFactory(naam="Burgwallen-Oude Zijde", code="BU0363AA01")
    factories.BuurtFactory(naam="Osdorp-Midden")

    def search(term):
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "meldingen",
                "model_name": "routingregel",
                "field_name": "buurt",
                "term": term,
            },
        )
        assert response.status_code == 200
        return [result["text"] for result in response.json()["results"]]

    assert search("oude zijde") == ["Burgwallen-Oude Zijde"]
    assert search("BU0363AA01") == ["Burgwallen-Oude Zijde"]
    assert buurt.naam in search(buurt.wijk.naam)
    assert dam.naam not in search(buurt.wijk.naam)


def test_the_dry_run_refuses_an_unknown_buurt_with_a_message(admin_client):
    client, _user = admin_client
    overlast = Categorie.objects.get(naam="Overlast")
    response = client.post(
        reverse("admin:meldingen_routing_proef"),
        {"categorie": overlast.pk, "buurt": "999999", "tijdstip": "2026-11-28T14:00"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert "Uitkomst" not in response.content.decode()


@pytest.mark.parametrize("role", ["resident", "coordinator", "police"])
def test_only_administrators_use_the_dry_run_and_its_buurt_search(request, login, role):
    client = login(request.getfixturevalue(role))
    dry_run = client.get(reverse("admin:meldingen_routing_proef"), follow=True)
    assert dry_run.status_code == 403
    search = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meldingen", "model_name": "routingregel", "field_name": "buurt"},
        follow=True,
    )
    assert search.status_code == 403
