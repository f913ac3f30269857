"""Every error under /api/ is the one JSON error body (``teamapi.errors``), whatever the path
or the fault; the site's own pages keep their HTML."""

import pytest
from django.test import Client
from django.urls import reverse

from teamapi.services import feed_token_issue

pytestmark = pytest.mark.django_db

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
NOT_FOUND = {"error": "not found"}


@pytest.fixture
def team_key(police):
    return feed_token_issue(team=police.team, naam="Fouten", by=police)[1]


def bearer(key):
    return {**HTTPS, "HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"vanaf": "2026-01-01\n"}, "vanaf"),  # Django's date parser took it ("$" before "\n")
        ({"buurt": "BU0363AA02\n"}, "buurt"),  # so did the pattern, then matched nothing
        ({"soort": " 5"}, "soort"),  # int() strips it; the schema's integer has no space
        ({"tot": "2026-01-01\t"}, "tot"),
    ],
)
def test_a_value_with_space_around_it_or_a_control_character_is_a_400(client, query, name):
    response = client.get(reverse("api-activiteiten"), query, **HTTPS)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meldingen/%0A/",
        "/api/v1/activiteiten/%0A/",
        "/api/v1/activiteiten/1%0A/",
        "/api/v1/%0D%0A",
        "/api/%0A",
        "/api/docs/%0A",
        "/api/v1/meldingen/%00/",
        "/api/v1/bestaat-niet/",
    ],
)
def test_every_unknown_path_under_api_is_the_json_404(client, team_key, path):
    for headers in (HTTPS, bearer(team_key)):
        response = client.get(path, **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == NOT_FOUND
    # Any method: a POST to an unknown path is the same 404, not a CSRF page.
    posted = Client(enforce_csrf_checks=True).post(path, {"x": "1"}, **HTTPS)
    assert posted.status_code == 404 and posted.json() == NOT_FOUND
    # The site's own pages keep their HTML page.
    page = client.get(path.replace("/api/", "/activiteiten/", 1))
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/%0A/", "/api/v1/meldingen/%00/"])
def test_with_debug_on_an_odd_api_path_is_still_the_json_404(client, settings, path):
    settings.DEBUG = True  # the demo's setting: Django would answer its technical 404 page
    response = client.get(path, **HTTPS)
    assert response.status_code == 404 and response.json() == NOT_FOUND


@pytest.mark.parametrize("path", ["/api/schema/?format=xml", "/api/docs/?format=xml"])
def test_an_error_of_the_schema_or_docs_view_is_the_json_body_too(client, path):
    """Their own formats (YAML, HTML) are for answers, not for errors."""
    response = client.get(path, **HTTPS)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


def test_a_server_fault_under_api_is_the_json_500(client, monkeypatch):
    from indicatoren import api as indicatoren_api

    def broken(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(indicatoren_api.IndicatorenListView, "get", broken)
    client.raise_request_exception = False
    response = client.get(reverse("api-indicatoren"), **HTTPS)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "server error"}


def test_a_bad_request_under_api_is_the_json_400(client, settings):
    settings.ALLOWED_HOSTS = ["wijk.example.org"]
    response = client.get(reverse("api-indicatoren"), HTTP_HOST="aanvaller.example", **HTTPS)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "bad request"}
    # Outside /api/ the site's HTML page still answers.
    page = client.get("/healthz/nope", HTTP_HOST="aanvaller.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
