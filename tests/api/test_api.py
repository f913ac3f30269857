"""The JSON API under /api/v1/: the feed's serialiser and query count, activities with the
site's scope, the OpenAPI schema and the docs page under the CSP."""

import base64
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework import serializers

from activiteiten.models import Aanmelding, Activiteit
from meldingen.api import FeedMeldingSerializer
from meldingen.models import Doel, RoutingRegel
from meldingen.services import Beschrijving
from teamapi.errors import EMPTY_VALUE, UNNAMED_PARAMETER
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

ORGANISER = "Organisator Canarie"
ORGANISER_EMAIL = "organisator.canarie@example.org"
PARTICIPANT = "Deelnemer Canarie"


@pytest.fixture
def team_key(police):
    return feed_token_issue(team=police.team, naam="Basisteam", by=police)[1]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def police_categorie(db):
    categorie = factories.CategorieFactory(naam="API-politie")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


# --- the feed --------------------------------------------------------------------------------


def test_the_feed_serialiser_says_what_the_declared_fields_say(buurt, police_categorie):
    melding = factories.melding(
        buurt=buurt,
        categorie=police_categorie,
        beschrijving=Beschrijving(persoon_kleding="groene jas", voertuig_kenteken="XL-12"),
    )
    fast = FeedMeldingSerializer().to_representation(melding)
    walked = serializers.Serializer.to_representation(FeedMeldingSerializer(), melding)
    assert fast == walked
    assert fast["punt"] is None  # no point given
    melding.latitude, melding.longitude = 52.3852, 4.8895
    with_point = FeedMeldingSerializer().to_representation(melding)
    assert with_point == serializers.Serializer.to_representation(FeedMeldingSerializer(), melding)
    assert with_point["punt"] == {"lat": 52.3852, "lon": 4.8895}  # the officer can find the place
    assert fast["persoon"]["kleding"] == "groene jas" and fast["prioriteit"] in (
        "laag",
        "normaal",
        "hoog",
    )


def test_the_feed_takes_the_same_few_queries_at_any_depth(
    client, buurt, police_categorie, team_key, django_assert_num_queries
):
    for _ in range(60):
        factories.melding(buurt=buurt, categorie=police_categorie)
    url = reverse("api-feed")
    first = client.get(url, **bearer(team_key)).json()  # warms the token and filter choices
    # Only the page itself: the token is known from the cache for a minute.
    with django_assert_num_queries(1):
        second = client.get(first["volgende"], **bearer(team_key)).json()
    with django_assert_num_queries(1):
        third = client.get(second["volgende"], **bearer(team_key)).json()
    with django_assert_num_queries(0):  # nothing changed: the page itself is cached too
        assert client.get(second["volgende"], **bearer(team_key)).json() == third
    assert len(first["meldingen"]) == len(second["meldingen"]) == 25
    # The layout bench/throughput.py recognises a correct answer by.
    assert '"meldingen": [{' in client.get(url, **bearer(team_key)).content.decode()
    assert len(third["meldingen"]) == 10 and third["volgende"] is None


def test_the_first_feed_request_stays_within_six_queries(
    client, buurt, police_categorie, team_key, django_assert_max_num_queries
):
    factories.melding(buurt=buurt, categorie=police_categorie)
    # The token and its last use, the filter options (the area, the categories, the team's name:
    # once per team until they change) and the page.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api-feed"), **bearer(team_key)).status_code == 200


def test_a_team_system_reads_the_photos_of_its_feed_and_nobody_else_does(
    client, buurt, other_buurt, police_categorie, team_key, django_assert_num_queries
):
    from meldingen.photos import clean_photo
    from tests.meldingen.test_views import jpeg_with_gps

    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg")
    with_photo = factories.melding(
        buurt=buurt, categorie=police_categorie, fotos=[clean_photo(upload)]
    )
    without = factories.melding(buurt=buurt, categorie=police_categorie)
    url = reverse("api-feed")
    client.get(url, {"periode": "7d"}, **bearer(team_key))  # warms the token and choices
    with django_assert_num_queries(2):  # the page, and the links of its photos
        rows = {m["id"]: m for m in client.get(url, **bearer(team_key)).json()["meldingen"]}
    assert rows[without.pk]["fotos"] == []
    [photo_url] = rows[with_photo.pk]["fotos"]
    assert photo_url.startswith("http://testserver/api/v1/meldingen/fotos/")

    response = client.get(photo_url, **bearer(team_key))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert not image.getexif()  # no camera, no GPS
    assert "no-store" in response["Cache-Control"]

    assert client.get(photo_url).status_code == 401
    elsewhere = factories.professional("politie", other_buurt.wijk)
    other_key = feed_token_issue(team=elsewhere.team, naam="Ander team", by=elsewhere)[1]
    foreign = client.get(photo_url, **bearer(other_key))
    assert foreign.status_code == 404 and foreign.json() == {"error": "not found"}
    missing = reverse("api-feed-foto", kwargs={"pk": 999999})
    assert client.get(missing, **bearer(team_key)).status_code == 404


@pytest.mark.parametrize("cursor", ["", "nonsense", "MXwyfDM", "%00"])
def test_a_mangled_cursor_is_a_400_not_page_one_again(
    client, buurt, police_categorie, team_key, cursor
):
    factories.melding(buurt=buurt, categorie=police_categorie)
    response = client.get(reverse("api-feed"), {"na": cursor}, **bearer(team_key))
    assert response.status_code == 400
    body = response.json()
    expected = "Not a cursor: use `volgende` as given." if cursor else EMPTY_VALUE
    assert body["fields"]["na"] == [expected]


# --- activities ------------------------------------------------------------------------------


@pytest.fixture
def activities(buurt, other_buurt):
    organiser = factories.UserFactory(email=ORGANISER_EMAIL, weergavenaam=ORGANISER)
    factories.LidmaatschapFactory(user=organiser, buurt=buurt)
    public = factories.activiteit(
        organisator=organiser, titel="Open ronde", zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR
    )
    members = factories.activiteit(organisator=organiser, titel="Ledenronde", rollen=[("Loper", 2)])
    elsewhere = factories.activiteit(buurt=other_buurt, titel="Elders, alleen leden")
    participant = factories.UserFactory(weergavenaam=PARTICIPANT)
    factories.LidmaatschapFactory(user=participant, buurt=buurt)
    Aanmelding.objects.create(activiteit=members, user=participant)
    return public, members, elsewhere


def titles(response):
    assert response.status_code == 200, response.content
    return [a["titel"] for a in response.json()["activiteiten"]]


def test_anyone_reads_public_activities_a_team_also_its_areas_members_only_ones(
    client, activities, team_key
):
    url = reverse("api-activiteiten")
    assert titles(client.get(url)) == ["Open ronde"]
    assert sorted(titles(client.get(url, **bearer(team_key)))) == ["Ledenronde", "Open ronde"]


def test_an_activity_outside_scope_is_a_404(client, activities, team_key):
    _public, members, elsewhere = activities
    detail = reverse("api-activiteit", kwargs={"pk": members.pk})
    assert client.get(detail).status_code == 404
    assert client.get(detail).json() == {"error": "not found"}
    body = client.get(detail, **bearer(team_key)).json()
    assert body["deelnemers"] == 1
    assert body["rollen"] == [{"naam": "Loper", "plaatsen": 2, "bezet": 0}]
    far = reverse("api-activiteit", kwargs={"pk": elsewhere.pk})
    assert client.get(far, **bearer(team_key)).status_code == 404
    huge = reverse("api-activiteit", kwargs={"pk": 10**30})
    assert client.get(huge).status_code == 404


def test_no_name_of_an_organiser_or_participant_is_in_the_api(client, activities, team_key):
    text = client.get(reverse("api-activiteiten"), **bearer(team_key)).content.decode()
    for _activity in activities[:2]:
        detail = reverse("api-activiteit", kwargs={"pk": _activity.pk})
        text += client.get(detail, **bearer(team_key)).content.decode()
    for canary in (ORGANISER, ORGANISER_EMAIL, PARTICIPANT):
        assert canary not in text
    assert "Ledenronde" in text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"buurt": "Jordaan"}, "buurt"),
        ({"soort": "x"}, "soort"),
        ({"soort": "0"}, "soort"),
        ({"vanaf": "gisteren"}, "vanaf"),
        ({"vanaf": "2026-02-01", "tot": "2026-01-01"}, "tot"),
    ],
)
def test_bad_activity_filters_are_a_400_naming_the_field(client, query, field):
    response = client.get(reverse("api-activiteiten"), query)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid filter"
    assert field in response.json()["fields"]


def test_activity_pages_follow_the_keyset_and_filters_apply(client, buurt, monkeypatch):
    from activiteiten import api as activiteiten_api

    monkeypatch.setattr(activiteiten_api, "PAGE_SIZE", 2)
    start = timezone.now() + timedelta(days=2)
    made = [
        factories.activiteit(
            buurt=buurt,
            start=start + timedelta(hours=i),
            zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR,
            titel=f"Ronde {i}",
        )
        for i in range(5)
    ]
    url = reverse("api-activiteiten")
    seen, page = [], client.get(url, {"buurt": buurt.code}).json()
    while True:
        seen += [a["id"] for a in page["activiteiten"]]
        if not page["volgende"]:
            break
        page = client.get(page["volgende"]).json()
    assert seen == [a.pk for a in made]
    assert titles(client.get(url, {"buurt": "BU0363ZZ99"})) == []


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-23:59",  # overflows on the way to UTC
        "2026-01-01T00:00:00+20:00",  # Python reads it, Postgres refuses beyond ±15:59
        "2026-01-01T00:00:00-14:01",
    ],
)
def test_an_activity_cursor_with_a_moment_the_database_refuses_starts_at_the_top(
    client, buurt, moment
):
    # Like any unreadable cursor of this endpoint (page one), never a 500.
    openbaar = Activiteit.Zichtbaarheid.OPENBAAR
    factories.activiteit(buurt=buurt, zichtbaarheid=openbaar, titel="Ronde")
    cursor = base64.urlsafe_b64encode(f"{moment}|5".encode()).decode().rstrip("=")
    assert titles(client.get(reverse("api-activiteiten"), {"na": cursor})) == ["Ronde"]


def test_activities_take_a_constant_number_of_queries(
    client, buurt, team_key, django_assert_num_queries
):
    url = reverse("api-activiteiten")
    factories.activiteit(buurt=buurt, rollen=[("Loper", 2)])
    client.get(url, **bearer(team_key))
    with django_assert_num_queries(2):  # activities with counts, their roles (token: cached)
        client.get(url, **bearer(team_key))
    for _ in range(8):
        factories.activiteit(buurt=buurt, rollen=[("Loper", 2), ("Hesjes", 1)])
    with django_assert_num_queries(2):
        assert len(client.get(url, **bearer(team_key)).json()["activiteiten"]) == 9


# --- schema and docs -------------------------------------------------------------------------


def test_the_openapi_schema_describes_every_endpoint(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/meldingen/feed/",
        "/api/v1/meldingen/fotos/{id}/",
        "/api/v1/activiteiten/",
        "/api/v1/activiteiten/{id}/",
        "/api/v1/indicatoren/",
        "/api/v1/indicatoren/{code}/",
    }
    feed = schema["paths"]["/api/v1/meldingen/feed/"]["get"]
    assert {"200", "400", "401", "429"} <= set(feed["responses"])
    assert schema["components"]["securitySchemes"]["teamToken"]["scheme"] == "bearer"


def test_the_docs_page_loads_everything_from_self_under_the_strict_csp(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<style" not in page and "<script>" not in page  # nothing inline
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page  # no CDN
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_docs_do_not_colour_responses_so_a_large_answer_does_not_freeze_the_tab(client):
    """'Try it out' on Amsterdam's indicators (about 1.6 MB) froze the tab for some 40 seconds
    while Swagger UI highlighted the JSON; the docs' start script turns highlighting off."""
    script = client.get(reverse("api-docs"), {"script": ""}).content.decode()
    assert '"syntaxHighlight": false' in script


def test_a_parameter_without_a_name_is_a_400(client, buurt, police_categorie, team_key):
    response = client.get(reverse("api-feed") + "?categorie=1&=null", **bearer(team_key))
    assert response.status_code == 400
    assert response.json()["fields"] == {"(no name)": [UNNAMED_PARAMETER]}


def test_a_misspelt_filter_is_a_400_not_the_unfiltered_feed(
    client, buurt, police_categorie, team_key
):
    response = client.get(reverse("api-feed"), {"categorei": "1"}, **bearer(team_key))
    assert response.status_code == 400
    message = response.json()["fields"]["categorei"][0]
    assert message.startswith("Not a parameter of this operation") and "categorie" in message
