"""Officers search their feed (``zoek``): words of the description, place or summary, a number
plate with or without dashes, or a melding's number; only in their own scope, combined with the
other filters and the keyset, page and JSON alike; the search text is never logged or cached in
clear."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from meldingen import feedcache, retention, search, services
from meldingen.models import Doel, Melding, RoutingRegel
from meldingen.selectors import scope_of
from meldingen.services import Beschrijving
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (zoeken)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def melding(buurt, categorie, *, kenteken="", **values) -> Melding:
    return factories.melding(
        buurt=buurt,
        categorie=categorie,
        beschrijving=Beschrijving(voertuig_kenteken=kenteken),
        **values,
    )


def found(client, text, **filters) -> list[int]:
    response = client.get(reverse("meldingen:feed"), {"zoek": text, **filters})
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].rows]


def test_words_of_the_description_and_the_place_in_any_order_and_case(
    login, buurt, police, categorie
):
    fietsen = melding(buurt, categorie, wat="Twee jongens slopen fietsen los.", waar="Javaplein")
    gracht = melding(buurt, categorie, wat="Iemand rommelt aan deuren.", waar="Zoutkeetsgracht 4")
    client = login(police)

    assert found(client, "zoutkeetsgracht") == [gracht.pk]
    assert found(client, "FIETSEN javaplein") == [fietsen.pk]
    assert found(client, "deuren Zoutkeets") == [gracht.pk]
    assert found(client, "fietsen zoutkeetsgracht") == []  # every word must match
    assert found(client, "Dappermarkt") == []
    assert set(found(client, "Verdachte")) == {fietsen.pk, gracht.pk}  # the summary's category


def test_the_person_and_the_vehicle_as_described(login, buurt, police, categorie):
    scooter = factories.melding(
        buurt=buurt,
        categorie=categorie,
        beschrijving=Beschrijving(
            persoon_kleding="groen trainingspak", voertuig_kleur="rood", voertuig_type="scooter"
        ),
    )
    melding(buurt, categorie)
    client = login(police)
    assert found(client, "scooter rood") == [scooter.pk]
    assert found(client, "trainingspak") == [scooter.pk]


@pytest.mark.parametrize("typed", ["AB-123-C", "ab123c", "AB 123 C", "ab.123.c", " ab-123-c "])
def test_a_plate_is_found_with_or_without_separators_in_any_case(
    login, buurt, police, categorie, typed
):
    stored_with_dashes = melding(buurt, categorie, kenteken="ab-123-c")
    stored_without = melding(buurt, categorie, kenteken="AB123C")
    melding(buurt, categorie, kenteken="AB-124-C")
    assert set(found(login(police), typed)) == {stored_with_dashes.pk, stored_without.pk}


def test_part_of_a_plate_finds_it(login, buurt, police, categorie):
    full = melding(buurt, categorie, kenteken="12-ABC-3")
    melding(buurt, categorie, kenteken="99-XYZ-9")
    client = login(police)
    assert found(client, "12abc") == [full.pk]
    assert found(client, "ABC-3") == [full.pk]


def test_a_melding_number_finds_that_melding(login, buurt, police, categorie):
    wanted = melding(buurt, categorie)
    melding(buurt, categorie)
    client = login(police)
    assert found(client, f"#{wanted.pk}") == [wanted.pk]
    assert wanted.pk in found(client, str(wanted.pk))  # and any text with these digits


def test_a_reference_as_the_reporter_quotes_it_finds_that_melding_in_scope(
    login, buurt, other_buurt, police, categorie
):
    wanted = melding(buurt, categorie)
    melding(buurt, categorie)
    elders = melding(other_buurt, categorie)
    client = login(police)
    assert found(client, wanted.referentie) == [wanted.pk]
    assert found(client, wanted.referentie.lower().replace("-", " ")) == [wanted.pk]
    assert found(client, elders.referentie) == []  # another wijk: as if it did not exist


def test_a_matching_melding_outside_the_scope_is_never_found(
    login, buurt, other_buurt, police, enforcement, categorie
):
    """Another wijk, or routed to someone else: not found, not by words, plate or number, and
    its page stays a 404."""
    mine = melding(buurt, categorie, waar="Zoutkeetsgracht", kenteken="AB-123-C")
    elders = melding(other_buurt, categorie, waar="Zoutkeetsgracht", kenteken="AB-123-C")
    dumping = factories.CategorieFactory(naam="Dumping (zoeken)")
    RoutingRegel.objects.create(volgorde=1, categorie=dumping, doel=Doel.HANDHAVING)
    handhaving = melding(buurt, dumping, waar="Zoutkeetsgracht", kenteken="AB-123-C")

    client = login(police)
    assert found(client, "Zoutkeetsgracht") == [mine.pk]
    assert found(client, "ab123c") == [mine.pk]
    assert found(client, str(elders.pk)) == []
    assert found(client, str(handhaving.pk)) == []
    assert client.get(reverse("meldingen:detail", kwargs={"pk": elders.pk})).status_code == 404

    assert found(login(enforcement), "Zoutkeetsgracht") == [handhaving.pk]


def test_residents_and_visitors_cannot_search(client, login, buurt, member, categorie):
    melding(buurt, categorie, waar="Zoutkeetsgracht")
    url = reverse("meldingen:feed")
    assert client.get(url, {"zoek": "Zoutkeetsgracht"}).status_code == 302  # to sign in
    assert login(member).get(url, {"zoek": "Zoutkeetsgracht"}).status_code == 403


@pytest.mark.parametrize("typed", ["ab", "a b c", "x" * (search.MAX_LENGTH + 1)])
def test_a_search_too_short_or_too_long_is_a_clear_message(login, buurt, police, categorie, typed):
    melding(buurt, categorie)
    response = login(police).get(reverse("meldingen:feed"), {"zoek": typed})
    assert response.status_code == 200
    errors = response.context["form"].errors["zoek"]
    assert errors and all(error in response.content.decode() for error in errors)


def test_search_with_the_other_filters_and_the_cursor(
    login, buurt, police, categorie, django_assert_max_num_queries
):
    andere = factories.CategorieFactory(naam="Drugshandel (zoeken)")
    RoutingRegel.objects.create(volgorde=1, categorie=andere, doel=Doel.POLITIE)
    wanted = [melding(buurt, categorie, waar="Prinsengracht 12") for _ in range(30)]
    melding(buurt, andere, waar="Prinsengracht 14")
    melding(buurt, categorie, waar="Keizersgracht 1")
    client = login(police)

    with django_assert_max_num_queries(12) as plain:
        client.get(reverse("meldingen:feed"), {"categorie": categorie.pk})
    with django_assert_max_num_queries(len(plain)):
        first = client.get(
            reverse("meldingen:feed"), {"zoek": "prinsengracht", "categorie": categorie.pk}
        )
    page = first.context["page"]
    assert len(page.rows) == 25 and page.next_cursor
    # The next page's link keeps the search and the filters.
    assert "zoek=prinsengracht" in first.context["query"]
    with django_assert_max_num_queries(len(plain)):
        second = client.get(
            reverse("meldingen:feed"),
            {"zoek": "prinsengracht", "categorie": categorie.pk, "na": page.next_cursor},
        )
    rest = second.context["page"]
    assert rest.next_cursor is None
    assert sorted(m.pk for m in page.rows + rest.rows) == sorted(m.pk for m in wanted)


def test_a_closed_melding_is_found_with_every_status(login, buurt, police, categorie):
    from meldingen.workflow import Actie

    closed = melding(buurt, categorie, waar="Zoutkeetsgracht")
    services.melding_transition(
        melding=closed, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    client = login(police)
    assert found(client, "Zoutkeetsgracht") == []  # the feed shows open meldingen by default
    assert found(client, "Zoutkeetsgracht", status="alle") == [closed.pk]


def test_each_search_is_its_own_cached_page_keyed_by_a_digest(
    login, buurt, police, categorie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        gracht = melding(buurt, categorie, waar="Zoutkeetsgracht")
        plein = melding(buurt, categorie, waar="Javaplein")
    client = login(police)
    assert found(client, "Zoutkeetsgracht") == [gracht.pk]
    assert found(client, "Javaplein") == [plein.pk]  # not the page cached for the first
    assert found(client, "Zoutkeetsgracht") == [gracht.pk]

    keys = [
        feedcache.key("html", scope_of(police), feedcache.filters_key({"zoek": text}))
        for text in ("Zoutkeetsgracht", "zoutkeetsgracht")
    ]
    assert keys[0] != keys[1]
    assert not any("outkeetsgracht" in key.lower() for key in keys)


def test_the_search_text_is_never_logged(login, buurt, police, categorie, caplog, client):
    melding(buurt, categorie, waar="Zoutkeetsgracht", kenteken="GZ-123-X")
    key = feed_token_issue(team=police.team, naam="Zoeken", by=police)[1]
    with caplog.at_level(logging.DEBUG):
        for typed in ("Zoutkeetsgracht", "gz123x", "z"):
            client.get(reverse("api-feed"), {"zoek": typed}, HTTP_AUTHORIZATION=f"Bearer {key}")
        login(police)
        for typed in ("Zoutkeetsgracht", "gz123x", "z"):
            client.get(reverse("meldingen:feed"), {"zoek": typed})
    logged = " ".join(str(record.__dict__) for record in caplog.records).lower()
    assert "zoutkeetsgracht" not in logged and "gz123x" not in logged
    assert cache.get(feedcache.VERSION_KEY) is not None  # the pages did go through the cache


def test_the_json_feed_searches_the_same_way(client, buurt, other_buurt, police, categorie):
    mine = melding(buurt, categorie, kenteken="AB-123-C")
    [melding(buurt, categorie, kenteken="ab123c") for _ in range(26)]
    melding(other_buurt, categorie, kenteken="AB-123-C")
    melding(buurt, categorie, kenteken="XY-999-Z")
    key = feed_token_issue(team=police.team, naam="Zoeken", by=police)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    first = client.get(reverse("api-feed"), {"zoek": "ab 123 c"}, **auth).json()
    assert len(first["meldingen"]) == 25 and "zoek=ab+123+c" in first["volgende"]
    second = client.get(first["volgende"], **auth).json()
    assert second["volgende"] is None
    ids = {row["id"] for row in first["meldingen"] + second["meldingen"]}
    assert len(ids) == 27 and mine.pk in ids
    assert {row["voertuig"]["kenteken"] for row in second["meldingen"] + first["meldingen"]} == {
        "AB-123-C",
        "ab123c",
    }

    short = client.get(reverse("api-feed"), {"zoek": "ab"}, **auth)
    assert short.status_code == 400 and "zoek" in short.json()["fields"]


def test_erased_texts_are_no_longer_found(login, buurt, police, categorie):
    """Retention empties the texts; the search column follows them, it keeps no copy."""
    old = melding(buurt, categorie, waar="Zoutkeetsgracht", kenteken="AB-123-C")
    retention.erase([old.pk])
    client = login(police)
    assert found(client, "Zoutkeetsgracht", status="alle") == []
    assert found(client, "AB-123-C", status="alle") == []
    assert "ZOUTKEETSGRACHT" not in Melding.objects.values_list("zoektekst", flat=True).get()


@pytest.mark.postgres
def test_postgres_reads_the_search_through_the_trigram_index(buurt, police, categorie):
    melding(buurt, categorie, waar="Zoutkeetsgracht", kenteken="AB-123-C")
    rows = Melding.objects.filter(search.matching("ab-123-c")).order_by()
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "melding_zoektekst_trgm" in plan
    assert list(rows) == list(Melding.objects.all())


@pytest.mark.parametrize(
    "typed", ["Zoutkeetsgracht", "zoutkeet", "ab-123-c", "AB 123 C", "123-C", "fiets gracht", "xyz"]
)
def test_reading_a_small_area_row_by_row_finds_what_the_index_finds(buurt, categorie, typed):
    """A small area is searched without the trigram index (``search.SCAN_AREA_MAX``): the
    same meldingen, only read another way."""
    melding(buurt, categorie, waar="Zoutkeetsgracht 4", kenteken="AB-123-C")
    melding(buurt, categorie, wat="Fiets aan de gracht gezet", kenteken="ab123c")
    melding(buurt, categorie, wat="Iets anders", kenteken="XY-99-Z")
    through_index = Melding.objects.filter(search.matching(typed)).order_by("pk")
    row_by_row = Melding.objects.filter(search.matching(typed, indexed=False)).order_by("pk")
    assert list(row_by_row) == list(through_index)
    assert str(row_by_row.query) != str(through_index.query)


def test_a_team_over_many_buurten_finds_the_same_whole_area_or_one_wijk(login, categorie):
    """An area above ``SCAN_AREA_MAX`` buurten is searched through the index, a wijk of it row
    by row: one plate, found either way, and only in the area."""
    wijken = [factories.WijkFactory() for _ in range(2)]
    buurten = [factories.BuurtFactory(wijk=wijken[i % 2]) for i in range(search.SCAN_AREA_MAX + 1)]
    officer = factories.professional("politie", *wijken)
    target = melding(buurten[-1], categorie, kenteken="GG-475-Z")
    melding(buurten[0], categorie, kenteken="GG-476-Z")
    melding(factories.BuurtFactory(), categorie, kenteken="GG-475-Z")  # outside the area
    client = login(officer)
    assert found(client, "gg475z") == [target.pk]
    assert buurten[-1].wijk == wijken[1]
    assert found(client, "gg475z", wijk=wijken[1].code) == [target.pk]
    assert found(client, "gg475z", wijk=wijken[0].code) == []
