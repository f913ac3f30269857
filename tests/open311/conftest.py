"""Open311 fixtures: a gemeente with a buurt that has a real shape, a second gemeente, a client
key for each, and helpers that call an endpoint in both formats and parse the XML with a real
parser (defusedxml)."""

import json

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from buurten import geo
from meldingen.models import Doel, RoutingRegel
from open311.render import ITEMS
from open311.services import client_issue
from tests import factories

# Dam square, Amsterdam
LAT, LONG = 52.3731, 4.8926
CANARY = {
    "first_name": "Kanarie",
    "last_name": "Vogelaar-Uniek",
    "email": "kanarie.open311@example.org",
    "phone": "0687654321",
}


def square(lat: float, lon: float, half: float = 300) -> str:
    """A square EWKT shape (RD New, like the imported ones) of 2 * half metres around a point."""
    x, y = geo.wgs84_to_rd(lat, lon)
    corners = [
        (x - half, y - half),
        (x + half, y - half),
        (x + half, y + half),
        (x - half, y + half),
    ]
    ring = ", ".join(f"{cx:.3f} {cy:.3f}" for cx, cy in [*corners, corners[0]])
    return f"SRID=28992;POLYGON (({ring}))"


@pytest.fixture
def dam(wijk):
    return factories.BuurtFactory(
        wijk=wijk, naam="Burgwallen-Dam", latitude=LAT, longitude=LONG, geometrie=square(LAT, LONG)
    )


@pytest.fixture
def categorie(db):
    made = factories.CategorieFactory(
        naam="Lawaai op straat",
        toelichting="Lawaai, hangjongeren, vervuiling.",
        trefwoorden="lawaai",
    )
    RoutingRegel.objects.create(volgorde=1, categorie=made, doel=Doel.HANDHAVING)
    return made


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def app_key(dam, admin_user):
    _client, key = client_issue(naam="BuitenBeter", gemeente=dam.wijk.gemeente, by=admin_user)
    return key


@pytest.fixture
def rotterdam(db, admin_user):
    gemeente = factories.GemeenteFactory(code="GM0599", naam="Rotterdam")
    wijk = factories.WijkFactory(gemeente=gemeente, code="WK059901", naam="Stadsdriehoek")
    buurt = factories.BuurtFactory(
        wijk=wijk, code="BU05990101", naam="Oude Westen", latitude=51.9178, longitude=4.4692
    )
    _client, key = client_issue(naam="Rotterdam-app", gemeente=gemeente, by=admin_user)
    return buurt, key


def spark(element):
    """XML → the JSON shape of the Spark convention, every leaf as text."""
    if element.tag in ITEMS:
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text or ""


def textual(value):
    """JSON → the same shape with every leaf as XML would write it."""
    if isinstance(value, list):
        return [textual(v) for v in value]
    if isinstance(value, dict):
        return {k: textual(v) for k, v in value.items()}
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Both:
    """One call in XML and JSON; checks headers, parses both, and that they say the same."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, path: str, data=None, status: int = 200, root: str = ""):
        answers = {}
        for fmt in ("xml", "json"):
            url = f"/open311/{path}.{fmt}"
            call = self.client.post if method == "POST" else self.client.get
            response = call(url, data or {})
            assert response.status_code == status, (fmt, response.content.decode()[:500])
            answers[fmt] = response
        xml_response, json_response = answers["xml"], answers["json"]
        assert xml_response["Content-Type"] == "text/xml; charset=utf-8"
        assert json_response["Content-Type"] == "application/json; charset=utf-8"
        raw = xml_response.content.decode("utf-8")
        assert raw.startswith('<?xml version="1.0" encoding="utf-8"?>')
        tree = ElementTree.fromstring(xml_response.content)
        assert not root or tree.tag == root
        parsed = json.loads(json_response.content.decode("utf-8"))
        assert spark(tree) == textual(parsed)
        return tree, parsed


@pytest.fixture
def both(client):
    return Both(client)


@pytest.fixture
def post_data(categorie):
    return {
        "service_code": str(categorie.pk),
        "lat": str(LAT + 0.0003),
        "long": str(LONG - 0.0004),
        "description": "Groep jongeren met harde muziek bij het monument, al een uur.",
        "attribute[persoon_kleding]": "witte trainingspakken",
        "attribute[wanneer]": timezone.localtime().replace(microsecond=0).isoformat(),
        **CANARY,
    }
