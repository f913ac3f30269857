"""What Open311 clients read without a key (the public view GeoReport v2 describes), what they
read with one, date-times in the w3 format in every answer, discovery as the standard shows it,
and an address_string resolved through the address search (a local stub of PDOK)."""

import re

import pytest
from django.test import TestCase

from meldingen.models import Melding
from open311.models import Herkomst
from tests import factories

from .conftest import CANARY, LAT, LONG

pytestmark = pytest.mark.django_db

W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
PUBLIC = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
]


def file(client, key, data) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/open311/v2/requests.json", {**data, "api_key": key})
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def datetimes(value, name=""):
    """Every (name, value) under a key ending in ``_datetime`` or named ``changeset``."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from datetimes(child, key)
    elif isinstance(value, list):
        for child in value:
            yield from datetimes(child, name)
    elif name.endswith("_datetime") or name == "changeset":
        yield name, value


# --- the public view ------------------------------------------------------------------------


def test_without_a_key_anyone_reads_status_service_buurt_and_dates(
    both, client, app_key, post_data
):
    request_id = file(client, app_key, post_data)
    tree, parsed = both("GET", "v2/requests", root="service_requests")
    (request,) = tree.findall("request")
    assert [child.tag for child in request] == PUBLIC
    (shown,) = parsed
    assert shown["service_request_id"] == request_id
    assert shown["status"] == "open"
    assert shown["service_name"] == "Lawaai op straat"
    assert shown["address"].startswith("Burgwallen-Dam, ")
    assert (shown["lat"], shown["long"]) == (LAT, LONG)  # the buurt's centre, not the pin
    assert shown["description"] is None and shown["status_notes"] is None
    assert request.findtext("description") == ""
    # The same in the detail and for the token.
    tree, parsed = both("GET", f"v2/requests/{request_id}")
    assert parsed == [shown]
    token = Herkomst.objects.get().token
    tree, parsed = both("GET", f"v2/tokens/{token}")
    assert parsed == [{"service_request_id": request_id, "token": str(token)}]


def test_with_its_key_the_filing_app_reads_more(both, client, app_key, post_data):
    request_id = file(client, app_key, post_data)
    _tree, parsed = both("GET", f"v2/requests/{request_id}", {"api_key": app_key})
    assert parsed[0]["description"] == post_data["description"]
    _tree, parsed = both("GET", f"v2/requests/{request_id}", {"api_key": ""})
    assert parsed[0]["description"] is None


def test_no_reporter_description_or_point_without_a_key(client, app_key, post_data, dam):
    web = factories.melding(buurt=dam, wat="Verdachte man bij portiek", waar="Damstraat 7")
    own = file(client, app_key, {**post_data, "address_string": "Damrak 12 driehoog"})
    token = Herkomst.objects.get().token
    texts = []
    for path in (
        "v2/requests",
        f"v2/requests/{web.pk}",
        f"v2/requests/{own}",
        f"v2/tokens/{token}",
    ):
        for fmt in ("xml", "json"):
            response = client.get(f"/open311/{path}.{fmt}")
            assert response.status_code == 200
            texts.append(response.content.decode())
    text = "\n".join(texts)
    for secret in [*CANARY.values(), post_data["description"], "Verdachte man", "Damstraat 7"]:
        assert secret not in text
    assert "Damrak 12" not in text
    assert str(round(LAT + 0.0003, 4)) not in text  # the point the app sent


def test_intimidation_is_not_there_without_a_key_either(client, dam):
    bedreigd = factories.CategorieFactory(naam="Bedreigd (test)", is_intimidatie=True)
    hidden = factories.melding(buurt=dam, categorie=bedreigd)
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{hidden.pk}.json").status_code == 404


def test_with_several_gemeenten_a_reader_without_key_names_one(
    both, client, app_key, post_data, rotterdam
):
    file(client, app_key, post_data)
    _tree, parsed = both("GET", "v2/requests", status=400)
    assert "jurisdiction_id" in parsed[0]["description"]
    _tree, parsed = both("GET", "v2/requests", {"jurisdiction_id": "GM0599"})
    assert parsed == []
    _tree, parsed = both("GET", "v2/requests", {"jurisdiction_id": "gm0363"})
    assert len(parsed) == 1
    _tree, parsed = both("GET", "v2/requests", {"jurisdiction_id": "GM9999"}, status=404)
    token = Herkomst.objects.get().token
    both("GET", f"v2/tokens/{token}", {"jurisdiction_id": "GM0599"}, status=404)


def test_readers_without_a_key_are_limited_per_address(client, dam, settings):
    settings.WIJKAANPAK_OPEN311_PUBLIC_RATE = "3/m"
    answers = [client.get("/open311/v2/requests.json").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


# --- date-times and discovery ---------------------------------------------------------------


def test_every_date_time_is_in_the_w3_format_in_xml_and_json(both, client, app_key, post_data):
    with_deadline = file(client, app_key, post_data)
    without = file(client, app_key, post_data)
    Melding.objects.filter(pk=without).update(deadline_at=None)
    Melding.objects.filter(pk=with_deadline).update(
        deadline_at=Melding.objects.get(pk=with_deadline).created_at.replace(microsecond=123456)
    )
    seen = set()
    for path, data in [
        ("v2/requests", {}),
        ("v2/requests", {"api_key": app_key}),
        (f"v2/requests/{with_deadline}", {}),
        (f"v2/requests/{without}", {"api_key": app_key}),
        ("discovery", {}),
    ]:
        tree, parsed = both("GET", path, data)
        found = list(datetimes(parsed))
        found_xml = [
            (element.tag, element.text)
            for element in tree.iter()
            if element.tag.endswith("_datetime") or element.tag == "changeset"
        ]
        assert sorted(found) == sorted(found_xml)
        for name, value in found:
            assert W3.match(value), (path, name, value)
            seen.add(name)
    assert seen == {"requested_datetime", "updated_datetime", "expected_datetime", "changeset"}
    # A deadline that is not set is left out, not sent as an empty date-time.
    _tree, parsed = both("GET", f"v2/requests/{without}")
    assert "expected_datetime" not in parsed[0]


def test_discovery_has_the_standards_structure_and_media_types(both, client):
    tree, parsed = both("GET", "discovery", root="discovery")
    assert list(parsed) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = parsed["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": parsed["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    assert [child.tag for child in tree] == ["changeset", "contact", "key_service", "endpoints"]
    assert [e.tag for e in tree.find("endpoints")] == ["endpoint"]
    for fmt, media_type in (("xml", "text/xml"), ("json", "application/json")):
        response = client.get(f"/open311/discovery.{fmt}")
        assert response["Content-Type"].split(";")[0] == media_type


# --- address_string -------------------------------------------------------------------------


@pytest.fixture
def leliegracht(dam):
    return factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=dam.wijk.gemeente, naam="Grachtengordel-West"),
        code="BU0363AC02",
        naam="Leliegracht e.o.",
        latitude=52.3755,
        longitude=4.8871,
    )


README_ADDRESS = "Prinsengracht 263, Grachtengordel-West, Amsterdam"


def test_the_readme_address_resolves_with_the_address_search(
    client, app_key, post_data, leliegracht, locatieserver
):
    data = {**post_data, "address_string": README_ADDRESS}
    del data["lat"], data["long"]
    file(client, app_key, data)
    melding = Melding.objects.get()
    assert melding.buurt == leliegracht
    assert melding.waar == README_ADDRESS
    # The exact point stays with the handlers; Open311 shows the buurt's centre.
    assert (melding.latitude, melding.longitude) == (52.37516598, 4.88394102)
    shown = client.get("/open311/v2/requests.json").json()[0]
    assert (shown["lat"], shown["long"]) == (52.3755, 4.8871)


def test_an_address_of_a_buurt_the_gemeente_lacks_is_placed_by_its_point(
    client, app_key, post_data, dam, locatieserver
):
    factories.BuurtFactory(
        wijk=dam.wijk,
        code="BU0363AC03",
        naam="Felix Meritisbuurt",
        latitude=52.3752,
        longitude=4.884,
    )
    data = {**post_data, "address_string": README_ADDRESS}
    del data["lat"], data["long"]
    file(client, app_key, data)
    assert Melding.objects.get().buurt.naam == "Felix Meritisbuurt"  # nearest centre


def test_an_address_the_search_cannot_place_is_a_clear_400(
    both, app_key, post_data, dam, locatieserver
):
    locatieserver.behaviour["free"] = ("status", 500)
    data = {**post_data, "api_key": app_key, "address_string": README_ADDRESS}
    del data["lat"], data["long"]
    _tree, parsed = both("POST", "v2/requests", data, status=400)
    assert "lat en long" in parsed[0]["description"]
    assert not Melding.objects.exists()


def test_without_the_address_search_the_readme_address_is_a_clear_400(
    both, client, app_key, post_data, leliegracht
):
    data = {**post_data, "api_key": app_key, "address_string": README_ADDRESS}
    del data["lat"], data["long"]
    _tree, parsed = both("POST", "v2/requests", data, status=400)
    assert "noem de buurt" in parsed[0]["description"]
    assert "Leliegracht e.o." in parsed[0]["description"]
    # Naming the buurt, as the message says, works.
    data["address_string"] = "Prinsengracht 263, Leliegracht e.o., Amsterdam"
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    assert Melding.objects.get().buurt == leliegracht


def test_reading_without_a_key_takes_a_constant_number_of_queries(
    client, app_key, post_data, django_assert_max_num_queries
):
    file(client, app_key, post_data)
    with django_assert_max_num_queries(2):  # the only gemeente, the requests
        assert len(client.get("/open311/v2/requests.json").json()) == 1
    for _ in range(5):
        file(client, app_key, post_data)
    with django_assert_max_num_queries(2):
        response = client.get("/open311/v2/requests.xml")
    assert response.content.count(b"<request>") == 6


def test_a_point_from_an_outside_app_gets_the_nearest_address_for_the_handlers(
    client, app_key, post_data, dam, locatieserver
):
    file(client, app_key, post_data)
    melding = Melding.objects.get()
    # The intake's one rule (meldingen.services.address_at): from the point, for the handlers.
    assert (melding.adres, melding.straat) == (
        "Zoutkeetsgracht 3, 1013LC Amsterdam",
        "Zoutkeetsgracht",
    )
    (asked,) = locatieserver.endpoint_calls("reverse")
    assert asked["lat"] == [f"{float(post_data['lat']):.6f}"]
    # The public view stays at the buurt: no address, no street.
    assert "Zoutkeetsgracht" not in client.get("/open311/v2/requests.json").content.decode()


def test_an_outside_app_without_the_address_search_files_without_address(
    client, app_key, post_data, dam
):
    file(client, app_key, post_data)
    assert (Melding.objects.get().adres, Melding.objects.get().straat) == ("", "")
