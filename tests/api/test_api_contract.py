"""The JSON API keeps the promises its OpenAPI schema makes, read from /api/schema/ itself: which
operations need a team token, which requests are refused (and that the refusal is documented).
The error body for any path or fault: ``tests/teamapi/test_errors.py``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activiteiten.models import Activiteit
from meldingen.models import Doel, RoutingRegel
from teamapi.services import feed_token_issue
from tests import factories
from tests.indicatoren.views_support import cel, kwartaal_snapshot

pytestmark = pytest.mark.django_db

PUBLIC = {"activiteiten_list", "activiteiten_detail", "indicatoren_list", "indicatoren_gemeente"}
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
ERROR_REF = "#/components/schemas/Error"
TOKEN_ERROR = {"error": "missing, unknown or revoked token"}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.fixture
def team_key(police):
    return feed_token_issue(team=police.team, naam="Contract", by=police)[1]


def bearer(key):
    return {**HTTPS, "HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def path_values(buurt):
    """A real object for every path parameter, so that a 200 is possible for each operation."""
    from meldingen.photos import clean_photo
    from tests.meldingen.test_views import jpeg_with_gps

    categorie = factories.CategorieFactory(naam="Contract-politie")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg")
    melding = factories.melding(buurt=buurt, categorie=categorie, fotos=[clean_photo(upload)])
    openbaar = factories.activiteit(buurt=buurt, zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR)
    gemeente = buurt.wijk.gemeente
    kwartaal_snapshot(gemeente=gemeente, waarden={"bereik": cel(9.5, 240)})  # published
    kwartaal_snapshot(buurt=buurt, waarden={"bereik": cel(9.5, 240)})
    return {
        "meldingen_feed": {},
        "meldingen_foto": {"id": melding.fotos.get().pk},
        "activiteiten_list": {},
        "activiteiten_detail": {"id": openbaar.pk},
        "indicatoren_list": {},
        "indicatoren_gemeente": {"code": gemeente.code},
    }


def test_the_schema_says_which_operations_need_a_token_and_they_do(
    client, schema, path_values, team_key
):
    public = set()
    for path, _method, operation in operations(schema):
        url = path.format(**path_values[operation["operationId"]])
        assert client.get(url, **bearer(team_key)).status_code == 200, url
        anonymous = client.get(url, **HTTPS)
        assert {"teamToken": []} in operation["security"]  # a token is read everywhere
        if {} in operation["security"]:  # the anonymous option: no token needed
            public.add(operation["operationId"])
            assert anonymous.status_code == 200, url
        else:
            assert anonymous.status_code in (401, 403), url
            assert anonymous.json() == TOKEN_ERROR
            assert str(anonymous.status_code) in operation["responses"]
    # Both kinds exist: the schema does not simply call everything public (or private).
    assert public == PUBLIC


def test_every_operation_documents_its_400_with_the_error_body(schema):
    for _path, _method, operation in operations(schema):
        bad = operation["responses"]["400"]
        assert bad["content"]["application/json"]["schema"]["$ref"] == ERROR_REF
        for status in ("401", "404", "429"):
            if status in operation["responses"]:
                answer = operation["responses"][status]["content"]["application/json"]
                assert answer["schema"]["$ref"] == ERROR_REF
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]


def _parameter(schema, operation_id, name):
    for _path, _method, operation in operations(schema):
        if operation["operationId"] == operation_id:
            return next(p for p in operation["parameters"] if p["name"] == name)
    raise AssertionError(operation_id)


def test_the_schema_says_what_the_filters_refuse(schema, client, team_key):
    # categorie=0 was schema-valid and refused: ids start at 1, and only the team's own count.
    categorie = _parameter(schema, "meldingen_feed", "categorie")
    assert categorie["schema"]["minimum"] == 1
    assert "400" in categorie["description"]
    zero = client.get(reverse("api-feed"), {"categorie": "0"}, **bearer(team_key))
    assert zero.status_code == 400 and "categorie" in zero.json()["fields"]
    # tot before vanaf: refused, and the schema says so where a client reads the parameter.
    tot = _parameter(schema, "activiteiten_list", "tot")
    assert "vanaf" in tot["description"] and "400" in tot["description"]
    dates = {"vanaf": "2026-02-01", "tot": "2026-01-01"}
    backwards = client.get(reverse("api-activiteiten"), dates)
    assert backwards.status_code == 400 and "tot" in backwards.json()["fields"]
    assert _parameter(schema, "activiteiten_list", "soort")["schema"]["minimum"] == 1
    for name in ("wijk", "na"):
        assert _parameter(schema, "meldingen_feed", name)["schema"]["minLength"] == 1
        assert "400" in _parameter(schema, "meldingen_feed", name)["description"]


def _query_parameters(schema):
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield operation["operationId"], path, parameter["name"]


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_query_value_is_a_400_naming_the_parameter(
    client, schema, path_values, team_key, value
):
    found = list(_query_parameters(schema))
    assert len(found) >= 10  # the schema's query parameters, not a few picked by hand
    for operation_id, path, name in found:
        url = path.format(**path_values[operation_id])
        response = client.get(url, {name: value}, **bearer(team_key))
        assert response.status_code == 400, (url, name)
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["error"] == "invalid filter"
        assert list(body["fields"]) == [name], (url, body)
    # The same for a parameter an operation does not have, and in a repeated parameter.
    response = client.get("/api/v1/indicatoren/?extra=", **HTTPS)
    assert response.status_code == 400 and list(response.json()["fields"]) == ["extra"]
    twice = client.get("/api/v1/activiteiten/?vanaf=2026-01-01&vanaf=", **HTTPS)
    assert twice.status_code == 400 and list(twice.json()["fields"]) == ["vanaf"]
    # A parameter left out is no error.
    assert client.get(reverse("api-activiteiten"), **HTTPS).status_code == 200
