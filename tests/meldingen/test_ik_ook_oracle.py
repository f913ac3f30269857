"""'Ik ook' and the other melding URLs a resident reaches tell nothing about meldingen the
resident may not join or see: every such answer is the 404 a non-existent id gets, byte for
byte, whatever the melding is (an intimidation case, closed, in another buurt...)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meldingen import services, views
from meldingen.models import Doel, Melding, RoutingRegel
from meldingen.workflow import Actie
from tests import factories

pytestmark = pytest.mark.django_db

MOMENT = {}  # the moment the answers are compared at, read when each test starts


@pytest.fixture(autouse=True)
def _moment():
    MOMENT["now"] = timezone.now()


# Django masks the CSRF token afresh in every response (against BREACH): the only bytes
# that differ between two requests for the very same page. Everything else must be equal.
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
# The form's one-time token (``accounts.inzendingen``): new on every page, whatever exists.
INZENDING = re.compile(rb'name="inzending" value="[0-9a-f]{32}"')

INPUTS = {
    "valid": {"bescherming": "coordinator"},
    "anonymous": {"bescherming": "anoniem"},
    "invalid": {"bescherming": "geen-keuze"},
    "empty": {},
}


def _ask(client, method: str, url: str, data=None) -> tuple:
    """The answer, as status, headers and body, to compare with another id's. The clock is
    stopped (``Expires`` names the second) and the page's own path, which the language
    switcher carries, is set aside: the same for every melding, but not between two ids."""
    with time_machine.travel(MOMENT["now"], tick=False):
        response = getattr(client, method)(url, data or {})
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    body = CSRF.sub(b"CSRF", response.content).replace(url.encode(), b"URL")
    body = INZENDING.sub(b"INZENDING", body)
    return response.status_code, headers, body


@pytest.fixture(autouse=True)
def _limits(monkeypatch):
    """These tests ask many times on purpose; the limit has a test of its own."""
    monkeypatch.setattr(views, "IK_OOK_ATTEMPTS", "1000/h", raising=False)


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (oracle)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def forbidden(buurt, other_buurt, categorie):
    """One melding of every kind a member of ``buurt`` may not join."""
    police = factories.professional("politie", buurt.wijk)
    intimidatie = factories.CategorieFactory(naam="Bedreigd (oracle)", is_intimidatie=True)
    closed = factories.melding(buurt=buurt, categorie=categorie)
    services.melding_transition(
        melding=closed, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    passed_on = factories.melding(buurt=buurt, categorie=categorie)
    services.melding_transition(
        melding=passed_on, actie=Actie.DOORZETTEN, by=police, terugkoppeling="Doorgegeven."
    )
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        old = factories.melding(buurt=buurt, categorie=categorie)
    return {
        "intimidation": factories.melding(buurt=buurt, categorie=intimidatie),
        "intimidation, anonymous": factories.melding(
            buurt=buurt, categorie=intimidatie, bescherming="anoniem"
        ),
        "intimidation, not routed yet": factories.melding(
            buurt=buurt, categorie=intimidatie, route=False
        ),
        "closed": closed,
        "passed on": passed_on,
        "other buurt": factories.melding(buurt=other_buurt, categorie=categorie),
        "other buurt, anonymous": factories.melding(
            buurt=other_buurt, categorie=categorie, bescherming="anoniem"
        ),
        "not routed yet": factories.melding(buurt=buurt, categorie=categorie, route=False),
        "older than the ik-ook week": old,
    }


def test_ik_ook_answers_the_same_404_for_every_melding_one_may_not_join(login, member, forbidden):
    client = login(member)
    missing = Melding.objects.order_by("-pk").first().pk + 1000
    url = lambda pk: reverse("meldingen:ik-ook", kwargs={"pk": pk})  # noqa: E731
    for label, data in INPUTS.items():
        expected = _ask(client, "post", url(missing), data)
        assert expected[0] == 404
        assert _ask(client, "post", url(2**40), data) == expected, f"huge id, {label} input"
        for kind, melding in forbidden.items():
            got = _ask(client, "post", url(melding.pk), data)
            assert got == expected, f"{kind}, {label} input"
    for melding in forbidden.values():
        melding.refresh_from_db()
        assert melding.gewicht == 1


def test_a_joinable_melding_still_takes_ik_ook_and_explains_bad_input(login, member, categorie):
    melding = factories.melding(buurt=member.lidmaatschappen.get().buurt, categorie=categorie)
    client = login(member)
    url = reverse("meldingen:ik-ook", kwargs={"pk": melding.pk})
    bad = client.post(url, {"bescherming": "geen-keuze"}, follow=True)
    assert "Kies hoe je beschermd wilt worden." in bad.content.decode()
    assert client.post(url, {"bescherming": "coordinator"}).status_code == 302
    melding.refresh_from_db()
    assert melding.gewicht == 2


def test_a_member_without_a_verified_membership_gets_the_same_404(login, buurt, categorie):
    """Someone whose membership is still pending may not join anything: no 403 that would
    tell an open melding from a missing one."""
    joinable = factories.melding(buurt=buurt, categorie=categorie)
    pending = factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd").user
    client = login(pending)
    missing = joinable.pk + 1000
    for data in INPUTS.values():
        expected = _ask(client, "post", reverse("meldingen:ik-ook", kwargs={"pk": missing}), data)
        assert expected[0] == 404
        got = _ask(client, "post", reverse("meldingen:ik-ook", kwargs={"pk": joinable.pk}), data)
        assert got == expected


def test_ik_ook_is_rate_limited_per_user_whatever_the_id(
    login, member, buurt, categorie, monkeypatch
):
    monkeypatch.setattr(views, "IK_OOK_ATTEMPTS", "3/h")
    joinable = factories.melding(buurt=buurt, categorie=categorie)
    client = login(member)
    for pk in (joinable.pk + 1000, joinable.pk + 1001, joinable.pk + 1002):
        assert client.post(reverse("meldingen:ik-ook", kwargs={"pk": pk}), {}).status_code == 404
    over = [
        _ask(client, "post", reverse("meldingen:ik-ook", kwargs={"pk": pk}), {"bescherming": "x"})
        for pk in (joinable.pk, joinable.pk + 1000)
    ]
    assert over[0][0] == 429
    assert over[0] == over[1]
    assert "Probeer het later opnieuw" in over[0][2].decode()
    joinable.refresh_from_db()
    assert joinable.gewicht == 1
    # The counter is under a keyed hash: nothing in the cache (Redis, or the laptop's memory
    # without REDIS_URL) names the resident.
    keys = cache_keys("ik-ook")
    assert keys
    # (After the cache's own prefix, ":1:", the version: an id of 1 is no leak there.)
    named = [
        k for k in keys if re.search(rf"(^|[:_]){member.pk}($|:)", k.partition("ratelimit")[2])
    ]
    assert not named
    # Another resident is not affected.
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    response = login(neighbour).post(
        reverse("meldingen:ik-ook", kwargs={"pk": joinable.pk}), {"bescherming": "coordinator"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["meldingen:mijn-detail", "meldingen:oordeel"])
def test_a_residents_own_pages_answer_the_same_404_for_meldingen_not_theirs(
    login, member, forbidden, name
):
    """Their own meldingen only: a neighbour's, or their own anonymous one (linked to
    nobody), is answered like one that does not exist, GET and POST, valid input or not."""
    own_anonymous = factories.melding(user=member, bescherming="anoniem")
    client = login(member)
    missing = Melding.objects.order_by("-pk").first().pk + 1000
    url = lambda pk: reverse(name, kwargs={"pk": pk})  # noqa: E731
    tries = [("post", {"oordeel": "niet_opgelost"}), ("post", {"oordeel": "x"}), ("post", {})]
    if name == "meldingen:mijn-detail":
        tries = [("get", {})]
    for method, data in tries:
        expected = _ask(client, method, url(missing), data)
        assert expected[0] == 404
        for kind, melding in [*forbidden.items(), ("own anonymous", own_anonymous)]:
            got = _ask(client, method, url(melding.pk), data)
            assert got == expected, f"{kind}, {method} {data}"


def test_photos_answer_the_same_404_whether_they_exist_or_not(login, member, buurt, categorie):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meldingen.photos import clean_photo
    from tests.meldingen.test_views import jpeg_with_gps

    photo = clean_photo(SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"))
    neighbours = factories.melding(buurt=buurt, categorie=categorie, fotos=[photo])
    foto = neighbours.fotos.get()
    client = login(member)
    expected = _ask(client, "get", reverse("meldingen:foto", kwargs={"pk": foto.pk + 1000}))
    assert expected[0] == 404
    assert _ask(client, "get", reverse("meldingen:foto", kwargs={"pk": foto.pk})) == expected


# Every meldingen URL that names an object, with what a resident might post to it.
RESIDENT_PROBES = [
    ("meldingen:ik-ook", "unjoinable", [{"bescherming": "coordinator"}, {"bescherming": "x"}]),
    ("meldingen:mijn-detail", "melding", [{}]),
    ("meldingen:oordeel", "melding", [{"oordeel": "niet_opgelost"}, {"oordeel": "x"}]),
    ("meldingen:detail", "melding", [{}]),
    ("meldingen:actie", "melding", [{"actie": "afsluiten", "terugkoppeling": "x"}, {}]),
    ("meldingen:nazorg", "melding", [{"notitie": "Gebeld."}, {}]),
    ("meldingen:inzage", "melder", [{"reden": "Terugbellen over de zaak"}, {}]),
    ("meldingen:inzage-detail", "inzage", [{}]),
    ("meldingen:foto", "foto", [{}]),
]


def test_no_meldingen_url_tells_a_resident_what_a_forbidden_melding_is(
    login, member, buurt, categorie, forbidden
):
    """GET and POST, valid and invalid input: for a melding (or its reporter, reveal or
    photo) the resident may not see, the answer is the one a missing id gets."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meldingen.models import Foto, Inzage
    from meldingen.photos import clean_photo
    from tests.meldingen.test_views import jpeg_with_gps

    neighbours = factories.melding(buurt=buurt, categorie=categorie)
    for melding in forbidden.values():
        Foto.objects.create(
            melding=melding,
            bestand=clean_photo(SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")),
        )
    coordinator = factories.professional("coordinator", buurt.wijk)
    for melding in forbidden.values():
        melder = melding.melders.first()
        if melder.is_known:
            Inzage.objects.create(melder=melder, door=coordinator, reden="Voor de test")
    ids = {
        "melding": [m.pk for m in [*forbidden.values(), neighbours]],
        "unjoinable": [m.pk for m in forbidden.values()],
        "melder": [m.melders.first().pk for m in forbidden.values()],
        "inzage": list(Inzage.objects.values_list("pk", flat=True)),
        "foto": list(Foto.objects.values_list("pk", flat=True)),
    }
    client = login(member)
    for name, kind, posts in RESIDENT_PROBES:
        url = lambda pk, name=name: reverse(name, kwargs={"pk": pk})  # noqa: E731
        missing = 10**6
        for method, data in [("get", {}), *[("post", post) for post in posts]]:
            expected = _ask(client, method, url(missing), data)
            assert expected[0] in (403, 404, 405), (name, method)
            for pk in ids[kind]:
                assert _ask(client, method, url(pk), data) == expected, (name, method, data, pk)


def test_the_ik_ook_list_is_the_same_whether_forbidden_meldingen_exist_or_not(
    request, login, member, buurt, other_buurt, categorie
):
    """The form's list and the list per pin (``ik-ook-lijst``) answer byte for byte as they did
    before any melding the resident may not join was made, with a pin and without (the other
    buurt exists from the start: the form's buurt select lists it)."""
    with time_machine.travel(MOMENT["now"] - timedelta(hours=1), tick=False):
        joinable = factories.melding(buurt=buurt, categorie=categorie, latitude=52.3801)
        Melding.objects.filter(pk=joinable.pk).update(longitude=4.8902, straat="Lindengracht")
    client = login(member)
    lijst = reverse("meldingen:ik-ook-lijst", kwargs={"categorie": categorie.pk})
    urls = [
        reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk}),
        lijst,
        f"{lijst}?lat=52.3802&lon=4.8905",
        f"{lijst}?lat=52.3790&lon=4.8870",
    ]
    before = [_ask(client, "get", url) for url in urls]
    assert all(answer[0] == 200 for answer in before)
    assert "Lindengracht" in before[2][2].decode() and "van je speld" in before[2][2].decode()
    forbidden = request.getfixturevalue("forbidden")
    for melding in forbidden.values():
        Melding.objects.filter(pk=melding.pk).update(
            latitude=52.3802, longitude=4.8905, straat="Verboden Straat"
        )
    assert [_ask(client, "get", url) for url in urls] == before


def cache_keys(part: str) -> list[str]:
    """The keys holding ``part`` in the cache the rate limits use: Redis with ``REDIS_URL``,
    the in-process memory cache without."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        return [k.decode() for k in client.scan_iter(f"*{part}*")]
    return [k for k in cache._cache if part in k]  # LocMemCache's own dict
