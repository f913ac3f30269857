"""The address adapter against a local stub of PDOK Locatieserver: recorded answers parse,
and a service that is off, slow, failing or answering garbage gives an empty answer quickly,
logged without the address."""

import logging
import time

import pytest

from buurten import adressen

ZOUTKEETSGRACHT_1 = "adr-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
PRINSENGRACHT_263 = "adr-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def test_switched_off_by_default_nothing_is_asked(settings):
    assert settings.WIJKAANPAK_LOCATIESERVER_URL == ""
    assert not adressen.enabled()
    assert adressen.suggest("Zoutkeetsgracht 1") == []
    assert adressen.lookup(ZOUTKEETSGRACHT_1) is None
    assert adressen.reverse(52.388, 4.888) is None
    assert adressen.buurtcodes("1013") == []


def test_suggestions_while_typing(locatieserver):
    found = adressen.suggest("zoutkeetsgr")
    assert found[:2] == [
        adressen.Suggestie(
            "weg-5e6c1f2b0a9d4c3e8f7a6b5c4d3e2f10", "Zoutkeetsgracht, Amsterdam", "weg"
        ),
        adressen.Suggestie(ZOUTKEETSGRACHT_1, "Zoutkeetsgracht 1, 1013LC Amsterdam", "adres"),
    ]
    assert len(found) == 4
    (params,) = locatieserver.endpoint_calls("suggest")
    assert params["q"] == ["zoutkeetsgr"]
    assert "adres" in params["fq"][0]


def test_lookup_gives_street_number_postcode_point_and_buurt(locatieserver):
    adres = adressen.lookup(PRINSENGRACHT_263)
    assert adres == adressen.Adres(
        id=PRINSENGRACHT_263,
        type="adres",
        label="Prinsengracht 263A-1, 1016GV Amsterdam",
        straat="Prinsengracht",
        huisnummer="263A-1",
        postcode="1016GV",
        woonplaats="Amsterdam",
        buurtcode="BU0363AC02",
        lat=52.37520417,
        lon=4.88396125,
    )
    assert adressen.lookup("adr-onbekend") is None  # PDOK: numFound 0


def test_reverse_gives_the_nearest_address(locatieserver):
    adres = adressen.reverse(52.3885, 4.8878)
    assert (adres.straat, adres.huisnummer, adres.buurtcode) == (
        "Zoutkeetsgracht",
        "3",
        "BU0363AA02",
    )
    (params,) = locatieserver.endpoint_calls("reverse")
    assert params["lat"] == ["52.388500"]
    assert (params["lon"], params["type"]) == (["4.887800"], ["adres"])


def test_buurt_codes_of_a_street_or_postcode_most_frequent_first(locatieserver):
    assert adressen.buurtcodes("1013 lc") == ["BU0363AA02", "BU0363AA01", "BU9999ZZ99"]
    (params,) = locatieserver.endpoint_calls("free")
    assert params["fq"] == ["type:adres", "postcode:1013LC*"]
    adressen.buurtcodes("Zoutkeetsgracht")
    assert locatieserver.endpoint_calls("free")[1]["q"] == ["Zoutkeetsgracht"]


def test_the_cache_answers_the_second_time(locatieserver):
    first = adressen.lookup(ZOUTKEETSGRACHT_1)
    again = adressen.lookup(ZOUTKEETSGRACHT_1)
    assert first == again
    assert first.buurtcode == "BU0363AA02"
    assert len(locatieserver.endpoint_calls("lookup")) == 1


def test_a_slow_service_is_given_up_on_quickly(locatieserver, caplog):
    locatieserver.behaviour["suggest"] = ("slow", 3)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="buurten.adressen"):
        assert adressen.suggest("Prinsengracht 263") == []
    assert time.monotonic() - started < 1.5  # the timeout is 0.5 s
    assert "in time" in caplog.text
    assert "Prinsengracht" not in caplog.text


def test_an_answer_trickling_in_is_given_up_on_at_the_timeout(locatieserver):
    locatieserver.behaviour["reverse"] = ("trickle", 0.1)  # each byte in time, the whole not
    started = time.monotonic()
    assert adressen.reverse(52.3885, 4.8878) is None
    assert time.monotonic() - started < 1.5


def test_an_answer_too_large_is_refused(locatieserver):
    locatieserver.behaviour["suggest"] = (
        "garbage",
        b'{"response": {"docs": []}, "x": "' + b"a" * 1_100_000 + b'"}',
    )
    assert adressen.suggest("Zoutkeetsgracht") == []


@pytest.mark.parametrize(
    "behaviour",
    [
        ("status", 500),
        ("status", 429),
        ("garbage",),
        ("garbage", b'{"response": "no"}'),
        ("garbage", b'{"response": {"docs": [1, "twee", null]}}'),
        ("garbage", b"[]"),
        ("garbage", b"\xff\xfe"),
    ],
)
def test_errors_and_garbage_give_the_fallback(locatieserver, caplog, behaviour):
    for endpoint in ("suggest", "lookup", "reverse", "free"):
        locatieserver.behaviour[endpoint] = behaviour
    with caplog.at_level(logging.WARNING, logger="buurten.adressen"):
        assert adressen.suggest("Prinsengracht 263") == []
        assert adressen.lookup(PRINSENGRACHT_263) is None
        assert adressen.reverse(52.375, 4.884) is None
        assert adressen.buurtcodes("Prinsengracht") == []
        assert adressen.geocode("Prinsengracht 263") is None
    assert "Prinsengracht" not in caplog.text


def test_a_failure_is_not_cached(locatieserver):
    locatieserver.behaviour["lookup"] = ("status", 500)
    assert adressen.lookup(ZOUTKEETSGRACHT_1) is None
    del locatieserver.behaviour["lookup"]
    assert adressen.lookup(ZOUTKEETSGRACHT_1).straat == "Zoutkeetsgracht"


def test_a_service_that_is_not_there(settings):
    settings.WIJKAANPAK_LOCATIESERVER_URL = "http://127.0.0.1:9/bzk/locatieserver/search/v3_1"
    assert adressen.suggest("Zoutkeetsgracht") == []
    assert adressen.reverse(52.3885, 4.8878) is None


def test_a_whole_address_line_is_geocoded(locatieserver):
    adres = adressen.geocode("Prinsengracht 263, Grachtengordel-West, Amsterdam")
    assert (adres.straat, adres.huisnummer, adres.buurtcode) == (
        "Prinsengracht",
        "263",
        "BU0363AC02",
    )
    assert (adres.lat, adres.lon) == (52.37516598, 4.88394102)
    (params,) = locatieserver.endpoint_calls("free")
    assert params["fq"] == ["type:adres"]
    assert params["rows"] == ["1"]
