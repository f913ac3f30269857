"""The amount on a request: typed in either notation, shown back, warned about when unusual or
above silent consent, refused with a message when it cannot be read, never half-saved."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from verzoeken.models import StilzwijgendRegel, Verzoek

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "soort": "budget",
        "bedrag": "85,50",
        "toelichting": "Koffie en koek voor de buurtborrel",
        "nodig_op": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "indienen": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("typed", ["85,50", "85.50", "€ 85,50", "€85.50", "85,5"])
def test_a_resident_asks_an_amount_in_either_notation_and_sees_it_back(login, member, typed):
    response = login(member).post(reverse("verzoeken:nieuw"), form_data(bedrag=typed), follow=True)
    assert Verzoek.objects.get().bedrag == Decimal("85.50")
    html = response.content.decode()
    assert "Je verzoek is ingediend. Je vraagt € 85,50." in html
    assert '<dt class="col-sm-3">Bedrag</dt><dd class="col-sm-9">€ 85,50</dd>' in html


@pytest.mark.parametrize(("typed", "meant"), [("1.250,00", "1250.00"), ("1,250.00", "1250.00")])
def test_thousands_in_either_notation_are_the_same_amount(login, member, typed, meant):
    client = login(member)
    client.post(reverse("verzoeken:nieuw"), form_data(bedrag=typed, indienen=None))
    assert Verzoek.objects.get().bedrag == Decimal(meant)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("85,5,0", "Dit bedrag is op twee manieren te lezen."),
        ("-5", "Een bedrag kan niet negatief zijn."),
        ("85,1234", "Een bedrag heeft hoogstens twee cijfers achter de komma"),
        ("1000000", "Dat bedrag is te hoog: hoogstens € 999.999,99."),
        ("9" * 500, "Dat bedrag is te hoog"),
        ("vijftig", "Vul een bedrag in, zoals 85,50 of 1250."),
    ],
)
def test_an_amount_that_cannot_be_read_is_refused_with_a_message(login, member, typed, message):
    for submit in ("1", None):  # submitting or keeping a draft
        response = login(member).post(
            reverse("verzoeken:nieuw"), form_data(bedrag=typed, indienen=submit)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Verzoek.objects.exists()


def test_the_amount_read_is_shown_back_when_another_field_is_wrong(login, member):
    response = login(member).post(
        reverse("verzoeken:nieuw"), form_data(bedrag="85,50", nodig_op="2020-01-01")
    )
    html = response.content.decode()
    assert "Deze datum ligt in het verleden." in html
    assert 'value="85,50"' in html  # kept as typed
    assert "Je vraagt € 85,50." in html
    missing = login(member).post(reverse("verzoeken:nieuw"), form_data(toelichting=""))
    assert "Je vraagt € 85,50." in missing.content.decode()
    assert not Verzoek.objects.exists()


def test_an_unusual_amount_is_warned_about_once_and_then_submitted(login, member):
    client = login(member)
    url = reverse("verzoeken:nieuw")
    warned = client.post(url, form_data(bedrag="8550")).content.decode()
    assert "Je vraagt € 8.550,00." in warned
    assert "Dat is meer dan gebruikelijk voor “Klein budget” (meestal tot € 500,00)." in warned
    assert "Klik dan nog een keer op Indienen" in warned
    assert not Verzoek.objects.exists()
    # A different amount than the one warned about is checked again.
    again = client.post(url, form_data(bedrag="9000", bedrag_gezien="8550.00")).content.decode()
    assert "Je vraagt € 9.000,00." in again
    assert not Verzoek.objects.exists()
    client.post(url, form_data(bedrag="8550", bedrag_gezien="8550.00"))
    assert Verzoek.objects.get().bedrag == Decimal("8550")


def test_an_amount_for_a_kind_that_needs_no_money_is_warned_about(login, member):
    html = (
        login(member)
        .post(reverse("verzoeken:nieuw"), form_data(soort="papierwerk", bedrag="20"))
        .content.decode()
    )
    assert "Voor “Hulp bij papierwerk” is meestal geen geld nodig. Klopt het bedrag?" in html
    assert not Verzoek.objects.exists()


def test_above_silent_consent_the_resident_hears_where_it_stops(login, member, buurt):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="budget", max_bedrag=Decimal("250"), werkdagen=3
    )
    client = login(member)
    url = reverse("verzoeken:nieuw")
    within = client.post(url, form_data(bedrag="250,00"), follow=True).content.decode()
    assert "Stilzwijgend akkoord geldt" not in within
    assert Verzoek.objects.get().stilzwijgend
    Verzoek.objects.all().delete()

    warned = client.post(url, form_data(bedrag="250,01")).content.decode()
    assert (
        "Stilzwijgend akkoord geldt voor dit soort verzoek tot en met € 250,00. Boven dat bedrag "
        "besluit de gemeente zelf, binnen 10 werkdagen."
    ) in warned
    assert "meer dan gebruikelijk" not in warned
    assert not Verzoek.objects.exists()
    client.post(url, form_data(bedrag="250,01", bedrag_gezien="250.01"))
    verzoek = Verzoek.objects.get()
    assert (verzoek.bedrag, verzoek.stilzwijgend) == (Decimal("250.01"), False)


def test_a_draft_with_an_unusual_amount_is_kept_and_the_warning_shown_on_it(login, member):
    client = login(member)
    response = client.post(
        reverse("verzoeken:nieuw"), form_data(bedrag="8550", indienen=None), follow=True
    )
    assert Verzoek.objects.get().status == "concept"
    html = response.content.decode()
    assert "Je verzoek is bewaard als concept. Je vraagt € 8.550,00." in html
    assert "Dat is meer dan gebruikelijk voor “Klein budget”" in html


def test_the_coordinator_sees_the_amount_but_not_the_residents_warning(login, member, buurt):
    client = login(member)
    client.post(reverse("verzoeken:nieuw"), form_data(bedrag="8550", bedrag_gezien="8550.00"))
    verzoek = Verzoek.objects.get()
    coordinator = factories.professional("coordinator", buurt.wijk)
    html = login(coordinator).get(verzoek.get_absolute_url()).content.decode()
    assert "€ 8.550,00" in html
    assert "meer dan gebruikelijk" not in html


def test_the_live_check_reads_as_the_form_does(login, member, buurt):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="budget", max_bedrag=Decimal("250"), werkdagen=3
    )
    url = reverse("verzoeken:bedrag")
    client = login(member)
    assert client.get(url, {"bedrag": "85,50", "soort": "budget"}).json() == {
        "bedrag": "€ 85,50",
        "waarde": "85.50",
        "advies": [],
    }
    above = client.get(url, {"bedrag": "1,250.00", "soort": "budget"}).json()
    assert above["bedrag"] == "€ 1.250,00"
    assert len(above["advies"]) == 2
    assert "tot en met € 250,00" in above["advies"][1]
    assert client.get(url, {"bedrag": "85,5,0"}).json() == {
        "fout": "Dit bedrag is op twee manieren te lezen. Gebruik één komma of punt voor de "
        "centen, zoals 85,50 of 1250."
    }
    assert client.get(url, {"bedrag": ""}).json() == {}
    assert client.get(url, {"bedrag": "85", "soort": "<script>"}).json()["advies"] == []


def test_the_live_check_per_role(client, login, member, buurt, police, enforcement):
    url = reverse("verzoeken:bedrag")
    assert client.get(url, {"bedrag": "85"}).status_code == 302  # to the login page
    for outsider in (police, enforcement):
        assert login(outsider).get(url, {"bedrag": "85"}).status_code == 404
    coordinator = factories.professional("coordinator", buurt.wijk)
    assert login(coordinator).get(url, {"bedrag": "2.500"}).json()["bedrag"] == "€ 2.500,00"


def test_the_coordinators_rule_amount_is_read_by_the_same_parser(login, coordinator):
    client = login(coordinator)
    url = reverse("verzoeken:regels")
    refused = client.post(url, {"soort": "budget", "werkdagen": "3", "max_bedrag": "2,50,0"})
    assert "Dit bedrag is op twee manieren te lezen." in refused.content.decode()
    assert not StilzwijgendRegel.objects.exists()
    client.post(url, {"soort": "budget", "werkdagen": "3", "max_bedrag": "1.250,00"})
    assert StilzwijgendRegel.objects.get().max_bedrag == Decimal("1250")
    client.post(url, {"soort": "materialen", "werkdagen": "3", "max_bedrag": "€ 99.95"})
    assert StilzwijgendRegel.objects.get(soort="materialen").max_bedrag == Decimal("99.95")
