"""The map's base layer: the CSP allows its tile host exactly, and only when one is configured."""

import pytest
from django.urls import reverse

from tests import factories
from wijkaanpak.csp import content_security_policy, tile_origin

PDOK = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"

pytestmark = pytest.mark.django_db


def img_src(response) -> list[str]:
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["img-src"].split()


def buurt_page(client):
    buurt = factories.BuurtFactory(geometrie=factories.square(120700, 487700, 300))
    return client.get(reverse("buurten:detail", kwargs={"code": buurt.code}))


def test_without_tiles_no_outside_host_and_no_base_layer(client, settings):
    settings.KAART_TEGELS_URL = ""
    settings.CONTENT_SECURITY_POLICY = content_security_policy(tile_url="")
    response = buurt_page(client)
    assert img_src(response) == ["'self'", "data:"]
    html = response.content.decode()
    assert "data-kaart" in html and "data-tegels-url" not in html and "pdok" not in html


def test_with_tiles_exactly_that_host(client, settings):
    settings.KAART_TEGELS_URL = PDOK
    settings.CONTENT_SECURITY_POLICY = content_security_policy(tile_url=PDOK)
    response = buurt_page(client)
    assert img_src(response) == ["'self'", "data:", "https://service.pdok.nl"]
    html = response.content.decode()
    assert f'data-tegels-url="{PDOK}"' in html
    assert 'data-tegels-attributie="Kaartgegevens © Kadaster"' in html


def test_only_an_https_tile_host_is_allowed():
    assert tile_origin(PDOK) == "https://service.pdok.nl"
    assert tile_origin("http://tiles.example.org/{z}/{x}/{y}.png") == ""
    assert tile_origin("") == "" and tile_origin("not a url") == ""


def test_the_settings_build_the_policy_from_the_tile_setting():
    from django.conf import settings

    expected = content_security_policy(tile_url=settings.KAART_TEGELS_URL)
    assert expected == settings.CONTENT_SECURITY_POLICY
