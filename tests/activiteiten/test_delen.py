"""The organiser's share box on an activity: a short text with the invitation link on the
public site, a WhatsApp link and a QR code; sign-ups through the link are counted."""

import re
from datetime import datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from activiteiten.models import Aanmelding
from tests import factories

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
WHATSAPP = re.compile(r'href="(https://wa\.me/\?text=[^"]*)"')


@pytest.fixture
def public_site(settings):
    settings.WIJKAANPAK_SITE_URL = "https://wijk.example.nl"
    settings.ALLOWED_HOSTS = ["web.internal", "testserver"]


@pytest.fixture
def saturday_evening(buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=AMS), tick=False):
        yield factories.activiteit(
            organisator=organiser,
            titel="Avondronde",
            zichtbaarheid="openbaar",
            start=datetime(2026, 12, 12, 19, 0, tzinfo=AMS),
        )


def test_the_organiser_shares_a_text_with_the_public_link_and_a_whatsapp_link(
    login, buurt, public_site, saturday_evening
):
    activiteit = saturday_evening
    response = login(activiteit.organisator).get(
        activiteit.get_absolute_url(), HTTP_HOST="web.internal"
    )
    html = response.content.decode()
    link = "https://wijk.example.nl" + reverse(
        "activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging}
    )
    text = f"Doe je mee? Avondronde, zaterdag 12 december 19:00 in {buurt.naam}: {link}"
    assert "data-deel " in html
    assert f'data-deel-link="{link}"' in html
    assert "web.internal" not in html  # never the host that happened to build the page
    whatsapp = WHATSAPP.findall(html)
    assert len(whatsapp) == 1
    assert unquote(whatsapp[0].removeprefix("https://wa.me/?text=")) == text
    assert "%3A%2F%2Fwijk.example.nl%2F" in whatsapp[0]  # the link inside is encoded too
    assert " " not in whatsapp[0]
    assert 'target="_blank" rel="noopener"' in html
    assert "Kopieer link" in html
    assert "QR-code tonen" in html
    assert f'aria-label="QR-code met de link {link}"' in html
    assert "<svg" in html
    assert 'src="/static/js/delen.js"' in html


def test_only_the_organiser_sees_the_share_box(login, buurt, other_buurt, coordinator):
    activiteit = factories.activiteit(buurt=buurt, zichtbaarheid="openbaar")
    url = activiteit.get_absolute_url()
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    for client in (login(neighbour), login(coordinator), Client()):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert activiteit.titel in html
        assert "data-deel" not in html
        assert "wa.me" not in html
        assert activiteit.uitnodiging not in html
        assert "delen.js" not in html
    outsider = factories.LidmaatschapFactory(buurt=other_buurt).user
    members_only = factories.activiteit(buurt=buurt)
    assert login(outsider).get(members_only.get_absolute_url()).status_code == 404


def test_a_sign_up_through_the_shared_link_is_counted(login, public_site, saturday_evening):
    activiteit = saturday_evening
    html = login(activiteit.organisator).get(activiteit.get_absolute_url()).content.decode()
    shared = re.search(r'data-deel-link="([^"]+)"', html).group(1)
    neighbour = factories.UserFactory()
    client = login(neighbour)
    landing = client.get(urlsplit(shared).path)
    assert landing.status_code == 200
    token = re.search(r'name="uitnodiging" value="([^"]+)"', landing.content.decode()).group(1)
    client.post(
        reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk}), {"uitnodiging": token}
    )
    assert Aanmelding.objects.get(user=neighbour).via_uitnodiging is True
    after = login(activiteit.organisator).get(activiteit.get_absolute_url()).content.decode()
    assert "via uitnodiging" in after
