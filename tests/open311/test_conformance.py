"""Open311 GeoReport v2 conformance: every endpoint and error case, in XML (parsed with a real
XML parser) and JSON, the two answers equivalent (see ``Both`` in conftest)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from meldingen.models import Melder, Melding
from open311.models import Herkomst
from tests import factories

from .conftest import LAT, LONG

pytestmark = pytest.mark.django_db


def errors_of(tree, parsed, status):
    assert tree.tag == "errors"
    (error,) = tree.findall("error")
    assert error.findtext("code") == str(status)
    assert error.findtext("description")
    assert parsed == [{"code": status, "description": error.findtext("description")}]
    return error.findtext("description")


# --- discovery and services --------------------------------------------------------------


def test_discovery_points_to_the_v2_endpoint_in_both_formats(both):
    tree, parsed = both("GET", "discovery", root="discovery")
    (endpoint,) = tree.find("endpoints")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert parsed["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_services_list_the_categories_that_may_be_filed_from_outside(both, categorie, dam):
    factories.CategorieFactory(naam="Ik word bedreigd", is_intimidatie=True)
    factories.CategorieFactory(naam="Oud", actief=False)
    tree, parsed = both("GET", "v2/services", root="services")
    services = {s.findtext("service_name"): s for s in tree.findall("service")}
    assert "Ik word bedreigd" not in services and "Oud" not in services
    service = services["Lawaai op straat"]
    assert [child.tag for child in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert service.findtext("service_code") == str(categorie.pk)
    assert service.findtext("service_name") == "Lawaai op straat"
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"
    assert service.findtext("keywords") == "lawaai"
    assert service.findtext("group") == "Handhaving"
    (listed,) = [s for s in parsed if s["service_name"] == "Lawaai op straat"]
    assert listed["service_code"] == str(categorie.pk)  # a string, as the standard says
    assert listed["metadata"] is True


def test_a_service_definition_has_the_structured_questions(both, categorie):
    tree, parsed = both("GET", f"v2/services/{categorie.pk}", root="service_definition")
    assert tree.findtext("service_code") == str(categorie.pk)
    attributes = tree.find("attributes").findall("attribute")
    codes = [a.findtext("code") for a in attributes]
    assert "persoon_kleding" in codes and "voertuig_kenteken" in codes and "bescherming" in codes
    geslacht = attributes[codes.index("persoon_geslacht")]
    assert geslacht.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in geslacht.find("values")] == ["man", "vrouw", "onbekend"]
    assert [a.findtext("order") for a in attributes] == [str(n) for n in range(1, 12)]
    assert {a["variable"] for a in parsed["attributes"]} == {True}


@pytest.mark.parametrize("code", ["999999", "abc", "9" * 40])
def test_an_unknown_service_code_is_a_404(both, categorie, code):
    tree, parsed = both("GET", f"v2/services/{code}", status=404)
    assert "service_code" in errors_of(tree, parsed, 404)


def test_an_unknown_jurisdiction_is_a_404(both, categorie, dam):
    tree, parsed = both("GET", "v2/services", {"jurisdiction_id": "GM9999"}, status=404)
    errors_of(tree, parsed, 404)
    both("GET", "v2/services", {"jurisdiction_id": "GM0363"})


def test_an_unknown_path_and_a_wrong_method_answer_in_the_error_body(both, client):
    tree, parsed = both("GET", "v2/onbekend", status=404)
    errors_of(tree, parsed, 404)
    response = client.delete("/open311/v2/services.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405
    assert response["Allow"] == "GET"


# --- POST requests -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_request_is_filed_through_the_same_intake(
    client, app_key, post_data, dam, fmt, django_capture_on_commit_callbacks
):
    data = {**post_data, "api_key": app_key, "media_url": "https://example.org/foto/1.jpg"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/open311/v2/requests.{fmt}", data)
    assert response.status_code == 200, response.content
    if fmt == "json":
        (answer,) = response.json()
        request_id = answer["service_request_id"]
        assert answer["service_notice"] and answer["account_id"] is None
        assert "token" not in answer  # realtime: the id, not a token
    else:
        from defusedxml import ElementTree

        tree = ElementTree.fromstring(response.content)
        assert tree.tag == "service_requests"
        request_id = int(tree.find("request").findtext("service_request_id"))
        assert tree.find("request").findtext("service_notice")
    melding = Melding.objects.get(pk=request_id)
    # Routed and triaged by the worker path (tasks run in-process in tests), in the right buurt.
    assert melding.buurt == dam
    assert melding.status == "gerouteerd" and melding.doel == "handhaving"
    assert melding.samenvatting and melding.persoon_kleding == "witte trainingspakken"
    assert melding.outbox.get().done_at is not None
    assert (melding.latitude, melding.longitude) == (LAT + 0.0003, LONG - 0.0004)
    melder = melding.melders.get()
    assert melder.user is None and melder.bescherming == Melder.Bescherming.COORDINATOR
    assert melder.contact_naam == "Kanarie Vogelaar-Uniek"
    assert melder.contact_email == "kanarie.open311@example.org"
    assert melder.telefoon == "0687654321"
    assert melding.open311.media_url == "https://example.org/foto/1.jpg"
    assert melding.open311.client.naam == "BuitenBeter"


def test_an_anonymous_reporter_leaves_no_contact_details(client, app_key, post_data):
    data = {**post_data, "api_key": app_key, "attribute[bescherming]": "anoniem"}
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    melder = Melder.objects.get()
    assert melder.bescherming == "anoniem"
    assert (melder.contact_naam, melder.contact_email, melder.telefoon) == ("", "", "")


def test_an_address_that_names_the_buurt_is_enough(client, app_key, post_data, dam):
    data = {**post_data, "api_key": app_key, "address_string": "Damrak 1, burgwallen-dam"}
    del data["lat"], data["long"]
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    melding = Melding.objects.get()
    assert melding.buurt == dam and melding.waar == "Damrak 1, burgwallen-dam"
    assert melding.latitude is None


def test_a_point_just_outside_every_shape_goes_to_the_nearest_buurt(client, app_key, post_data):
    nearby = factories.BuurtFactory(
        wijk=factories.WijkFactory(), naam="Zonder vorm", latitude=LAT + 0.02, longitude=LONG
    )
    data = {**post_data, "api_key": app_key, "lat": str(LAT + 0.025), "long": str(LONG)}
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    assert Melding.objects.get().buurt == nearby


BAD_POSTS = [
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "424242"}, 404, "service_code"),
    ({"lat": "", "long": ""}, 400, "locatie"),
    ({"long": ""}, 400, "lat en long"),
    ({"lat": "noord"}, 400, "lat"),
    ({"lat": "nan"}, 400, "lat"),
    ({"lat": "1e999"}, 400, "lat"),
    ({"lat": "51.9178", "long": "4.4692"}, 400, "Amsterdam"),  # Rotterdam
    ({"lat": "", "long": "", "address_string": "Coolsingel 40, Rotterdam"}, 400, "buurt"),
    ({"lat": "", "long": "", "address_id": "12345"}, 400, "address_id"),
    ({"description": ""}, 400, "description"),
    ({"description": "x" * 1001}, 400, "description"),
    ({"email": "geen-adres"}, 400, "email"),
    ({"phone": "bel maar"}, 400, "phone"),
    ({"first_name": "x" * 51}, 400, "first_name"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url"),
    ({"attribute[persoon_geslacht]": "robot"}, 400, "persoon_geslacht"),
    ({"attribute[onbekend]": "x"}, 400, "onbekend"),
    ({"attribute[persoon_kleding][]": "rood"}, 400, "persoon_kleding"),
    ({"attribute[voertuig_kenteken]": "X" * 13}, 400, "voertuig_kenteken"),
    ({"attribute[bescherming]": "iedereen"}, 400, "bescherming"),
    ({"attribute[wanneer]": "gisteren"}, 400, "wanneer"),
    ({"attribute[wanneer]": "2026-11-28T10:00:00"}, 400, "tijdzone"),
    ({"attribute[wanneer]": "0001-01-01T00:00:00Z"}, 400, "wanneer"),
    ({"attribute[wanneer]": "2020-01-01T00:00:00Z"}, 400, "afgelopen jaar"),
    ({"description": "nul\x00byte"}, 400, "description"),
    ({"attribute[persoon_kenmerken]": "nul\x00byte"}, 400, "persoon_kenmerken"),
    ({"address_string": "Damrak\x00 1"}, 400, "address_string"),
    ({"jurisdiction_id": "GM0599"}, 404, "jurisdiction_id"),
]


@pytest.mark.parametrize(("change", "status", "mentions"), BAD_POSTS)
def test_bad_input_is_a_clear_error_and_saves_nothing(
    both, app_key, post_data, change, status, mentions
):
    data = {**post_data, "api_key": app_key, **change}
    tree, parsed = both("POST", "v2/requests", data, status=status)
    assert mentions in errors_of(tree, parsed, status)
    assert not Melding.objects.exists()
    assert not Melder.objects.exists()


# Python reads offsets up to ±23:59, Postgres only up to ±15:59: such a time was a 500.
FAR_OFFSETS = ["+20:00", "-23:59", "+14:01"]


def _two_days_ago_at(offset: str) -> str:
    naive = (timezone.now() - timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    return naive.isoformat() + offset


@pytest.mark.parametrize("offset", FAR_OFFSETS)
def test_a_time_zone_beyond_14_hours_is_a_400_and_saves_nothing(both, app_key, post_data, offset):
    data = {**post_data, "api_key": app_key, "attribute[wanneer]": _two_days_ago_at(offset)}
    tree, parsed = both("POST", "v2/requests", data, status=400)
    assert "wanneer moet een ISO 8601-tijdstip met tijdzone zijn" in errors_of(tree, parsed, 400)
    assert not Melding.objects.exists()


@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("offset", FAR_OFFSETS)
def test_a_search_with_a_time_zone_beyond_14_hours_is_a_400(both, app_key, name, offset):
    query = {"api_key": app_key, name: _two_days_ago_at(offset)}
    tree, parsed = both("GET", "v2/requests", query, status=400)
    assert f"{name} moet een ISO 8601-tijdstip met tijdzone zijn" in errors_of(tree, parsed, 400)


def test_a_future_time_is_refused(both, app_key, post_data):
    later = (timezone.localtime() + timedelta(days=1)).isoformat()
    data = {**post_data, "api_key": app_key, "attribute[wanneer]": later}
    tree, parsed = both("POST", "v2/requests", data, status=400)
    assert "toekomst" in errors_of(tree, parsed, 400)


def test_intimidation_cannot_be_filed_from_outside(both, app_key, post_data):
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd", is_intimidatie=True)
    data = {**post_data, "api_key": app_key, "service_code": str(bedreigd.pk)}
    tree, parsed = both("POST", "v2/requests", data, status=404)
    errors_of(tree, parsed, 404)
    assert not Melding.objects.exists()


@pytest.mark.parametrize("key", [None, "", "o311_nope_nope", "wka_abc_def"])
def test_filing_without_a_valid_key_is_a_403(both, app_key, post_data, key):
    data = dict(post_data) if key is None else {**post_data, "api_key": key}
    tree, parsed = both("POST", "v2/requests", data, status=403)
    assert "api_key" in errors_of(tree, parsed, 403)
    assert not Melding.objects.exists()


@pytest.mark.parametrize("key", ["o311_nope_nope", "wka_abc_def"])
def test_reading_with_an_unknown_key_is_a_403_so_the_client_learns_it(both, app_key, key):
    for path in ("v2/requests", "v2/requests/1", f"v2/tokens/{uuid.uuid4()}"):
        tree, parsed = both("GET", path, {"api_key": key}, status=403)
        assert "api_key" in errors_of(tree, parsed, 403)


def test_a_revoked_key_stops_working(both, app_key, post_data):
    from open311.models import Client
    from open311.services import client_revoke

    both("GET", "v2/requests", {"api_key": app_key})
    client_revoke(client=Client.objects.get())
    tree, parsed = both("GET", "v2/requests", {"api_key": app_key}, status=403)
    errors_of(tree, parsed, 403)
    tree, parsed = both("POST", "v2/requests", {**post_data, "api_key": app_key}, status=403)


def test_wrong_keys_are_limited_per_address(client, app_key):
    answers = [
        client.get("/open311/v2/requests.json", {"api_key": f"o311_0000000{i % 10}_x"}).status_code
        for i in range(31)
    ]
    assert answers == [403] * 30 + [429]
    # Once over the limit, even a right key waits: a guess costs no lookup.
    limited = client.get("/open311/v2/requests.json", {"api_key": app_key})
    assert limited.status_code == 429


def test_too_many_submissions_get_a_429_with_a_clear_body(client, app_key, post_data, settings):
    settings.WIJKAANPAK_OPEN311_WRITE_RATE = "2/m"
    data = {**post_data, "api_key": app_key}
    assert [client.post("/open311/v2/requests.json", data).status_code for _ in range(2)] == [
        200,
        200,
    ]
    response = client.post("/open311/v2/requests.xml", data)
    assert response.status_code == 429
    from defusedxml import ElementTree

    tree = ElementTree.fromstring(response.content)
    assert tree.find("error").findtext("code") == "429"
    assert "Te veel verzoeken" in tree.find("error").findtext("description")
    assert int(response["Retry-After"]) > 0
    assert Melding.objects.count() == 2


def test_reads_are_limited_per_key_and_the_service_list_per_address(
    both, client, app_key, settings
):
    settings.WIJKAANPAK_OPEN311_READ_RATE = "3/m"
    settings.WIJKAANPAK_OPEN311_PUBLIC_RATE = "2/m"
    both("GET", "v2/requests", {"api_key": app_key})  # two calls: xml and json
    assert client.get("/open311/v2/requests.json", {"api_key": app_key}).status_code == 200
    limited = client.get("/open311/v2/requests.json", {"api_key": app_key})
    assert limited.status_code == 429 and limited.json()[0]["code"] == 429
    both("GET", "v2/services")
    assert client.get("/open311/v2/services.json").status_code == 429


# --- GET requests, one request, tokens ---------------------------------------------------


def file(client, key, data, fmt="json") -> int:
    """File a request; the outbox relay runs after commit, so it is routed as in production."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/open311/v2/requests.{fmt}", {**data, "api_key": key})
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def test_requests_show_status_and_a_place_coarsened_to_the_buurt(both, client, app_key, post_data):
    request_id = file(client, app_key, post_data)
    tree, parsed = both("GET", "v2/requests", {"api_key": app_key}, root="service_requests")
    (request,) = tree.findall("request")
    assert [child.tag for child in request] == [
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
    assert request.findtext("service_request_id") == str(request_id)
    assert request.findtext("status") == "open"
    assert request.findtext("agency_responsible") == "Handhaving"
    assert request.findtext("address").startswith("Burgwallen-Dam, ")
    # The buurt's centre, not the point the resident's app sent.
    assert (parsed[0]["lat"], parsed[0]["long"]) == (LAT, LONG)
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        value = request.findtext(name)
        assert value[19:] in ("+01:00", "+02:00"), value  # w3 format with a time zone
    # Its own request: the client sees the description it sent.
    assert request.findtext("description") == post_data["description"]


def test_closing_shows_closed_with_the_feedback_as_status_notes(
    both, client, app_key, post_data, enforcement
):
    from meldingen.services import melding_transition
    from meldingen.workflow import Actie

    request_id = file(client, app_key, post_data)
    melding = Melding.objects.get(pk=request_id)
    melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=enforcement, terugkoppeling="Muziek is uit."
    )
    tree, parsed = both("GET", f"v2/requests/{request_id}", {"api_key": app_key})
    (request,) = tree.findall("request")
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "Muziek is uit."
    assert parsed[0]["updated_datetime"] >= parsed[0]["requested_datetime"]


def test_request_filters_and_defaults(both, client, app_key, post_data, categorie, enforcement):
    from meldingen.services import melding_transition
    from meldingen.workflow import Actie

    first, second = file(client, app_key, post_data), file(client, app_key, post_data)
    melding_transition(
        melding=Melding.objects.get(pk=first),
        actie=Actie.AFSLUITEN,
        by=enforcement,
        terugkoppeling="Klaar.",
    )
    old = file(client, app_key, post_data)
    Melding.objects.filter(pk=old).update(created_at=timezone.now() - timedelta(days=120))

    def ids(**query):
        _tree, parsed = both("GET", "v2/requests", {"api_key": app_key, **query})
        return [r["service_request_id"] for r in parsed]

    assert ids() == [second, first]  # the last 90 days by default, newest first
    assert ids(status="closed") == [first]
    assert ids(status="open") == [second]
    assert ids(status="open,closed") == [second, first]
    assert ids(service_code=str(categorie.pk)) == [second, first]
    assert ids(service_request_id=f"{old},{first}") == [first, old]  # ids override the period
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(start_date=start, end_date=end) == [old]


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ({"status": "half"}, "status"),
        ({"start_date": "vorige week"}, "start_date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "vóór"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"}, "90 dagen"),
        ({"service_request_id": "12,abc"}, "service_request_id"),
        ({"service_request_id": "9" * 30}, "service_request_id"),
        ({"service_code": "nope"}, "service_code"),
        ({"jurisdiction_id": "GM0599"}, "jurisdiction_id"),
    ],
)
def test_bad_search_parameters_are_a_400_or_404(both, app_key, query, mentions):
    status = 404 if "jurisdiction_id" in query else 400
    tree, parsed = both("GET", "v2/requests", {"api_key": app_key, **query}, status=status)
    assert mentions in errors_of(tree, parsed, status)


def test_at_most_1000_records(both, client, app_key, post_data, monkeypatch):
    from open311 import selectors

    monkeypatch.setattr(selectors, "MAX_REQUESTS", 2)
    for _ in range(3):
        file(client, app_key, post_data)
    _tree, parsed = both("GET", "v2/requests", {"api_key": app_key})
    assert len(parsed) == 2
    assert selectors.MAX_REQUESTS == 2


@pytest.mark.parametrize("pk", ["424242", "abc", "9" * 30, "-1"])
def test_an_unknown_request_is_a_404(both, app_key, pk):
    tree, parsed = both("GET", f"v2/requests/{pk}", {"api_key": app_key}, status=404)
    assert "service_request_id" in errors_of(tree, parsed, 404)


def test_a_token_gives_the_request_id(both, client, app_key, post_data):
    request_id = file(client, app_key, post_data)
    token = Herkomst.objects.get().token
    tree, parsed = both("GET", f"v2/tokens/{token}", {"api_key": app_key})
    assert parsed == [{"service_request_id": request_id, "token": str(token)}]
    assert tree.find("request").findtext("token") == str(token)
    for unknown in ("123", "00000000-0000-0000-0000-000000000000"):
        tree, parsed = both("GET", f"v2/tokens/{unknown}", {"api_key": app_key}, status=404)
        assert "token" in errors_of(tree, parsed, 404)


def test_reading_requests_takes_a_constant_number_of_queries(
    client, app_key, post_data, django_assert_max_num_queries
):
    file(client, app_key, post_data)
    with django_assert_max_num_queries(3):  # key, last-used (once a minute), the requests
        assert client.get("/open311/v2/requests.json", {"api_key": app_key}).status_code == 200
    for _ in range(5):
        file(client, app_key, post_data)
    with django_assert_max_num_queries(2):
        response = client.get("/open311/v2/requests.xml", {"api_key": app_key})
    assert response.content.count(b"<request>") == 6


def test_errors_speak_english_to_a_client_that_chose_it(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/open311/v2/requests.json")
    assert response.json() == [
        {"code": 403, "description": "api_key is missing: ask the administrator for a key."}
    ]


NUL = "a\x00b"


@pytest.mark.parametrize(
    ("method", "path", "param"),
    [
        ("GET", "v2/services", "jurisdiction_id"),
        ("GET", f"v2/services/{NUL}", "jurisdiction_id"),
        ("GET", "v2/requests", "api_key"),
        ("GET", "v2/requests", "service_code"),
        ("GET", "v2/requests", "start_date"),
        ("GET", "v2/requests", "service_request_id"),
        ("GET", "v2/requests", "jurisdiction_id"),
        ("GET", f"v2/requests/{NUL}", "api_key"),
        ("GET", f"v2/tokens/{NUL}", "api_key"),
        ("POST", "v2/requests", "api_key"),
        ("POST", "v2/requests", "service_code"),
        ("POST", "v2/requests", "email"),
        ("POST", "v2/requests", "first_name"),
        ("POST", "v2/requests", "media_url"),
        ("POST", "v2/requests", "attribute[wanneer]"),
        ("POST", "v2/requests", "attribute[bescherming]"),
    ],
)
def test_a_nul_character_anywhere_is_a_clear_error_not_a_500(
    client, app_key, post_data, method, path, param
):
    """Postgres cannot hold NUL characters: none may reach a query."""
    data = {**post_data, "api_key": app_key} if method == "POST" else {"api_key": app_key}
    data[param] = NUL
    call = client.post if method == "POST" else client.get
    response = call(f"/open311/{path}.json", data)
    assert response.status_code in (400, 403, 404)
    assert response.json()[0]["code"] == response.status_code
    assert not Melding.objects.exists()


@pytest.mark.parametrize("odd", ["²", "١٢", "9" * 30, "1'"])
def test_ids_that_are_no_ids_get_the_standards_errors(client, app_key, odd):
    """'²' is a digit to Python's isdigit() but not to int(): it was a 500."""
    definition = client.get(f"/open311/v2/services/{odd}.json")
    assert definition.status_code == 404 and definition.json()[0]["code"] == 404
    detail = client.get(f"/open311/v2/requests/{odd}.json", {"api_key": app_key})
    assert detail.status_code == 404 and detail.json()[0]["code"] == 404
    listed = client.get(
        "/open311/v2/requests.json", {"api_key": app_key, "service_request_id": odd}
    )
    assert listed.status_code == 400
    assert "service_request_id moet een getal zijn" in listed.json()[0]["description"]
