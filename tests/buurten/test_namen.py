"""A buurt or wijk whose name ends in an abbreviation ("Leliegracht e.o.") ends a sentence with
its own full stop: "lid van Leliegracht e.o.", never "e.o..", on pages, in messages and mail."""

import pytest
from django.core import mail
from django.urls import reverse

from buurten.namen import before_full_stop
from meldingen.models import Doel, RoutingRegel
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db

EO = "Leliegracht e.o."


@pytest.mark.parametrize(
    ("naam", "reads"),
    [(EO, "Leliegracht e.o"), ("Jordaan", "Jordaan"), ("", ""), ("St. Jansbuurt", "St. Jansbuurt")],
)
def test_a_name_before_a_full_stop(naam, reads):
    assert before_full_stop(naam) == reads
    assert f"{before_full_stop(naam)}." == (naam if naam.endswith(".") else f"{naam}.")


@pytest.fixture
def eo(wijk):
    return factories.BuurtFactory(wijk=wijk, naam=EO)


def test_joining_with_a_code_welcomes_without_a_double_full_stop(login, resident, eo):
    code = factories.UitnodigingscodeFactory(buurt=eo)
    page = login(resident).post(reverse("buurten:code"), {"code": code.code}, follow=True)
    text = page.content.decode()
    assert "Je bent nu lid van Leliegracht e.o." in text
    assert "e.o.." not in text
    relay_notificaties()  # the welcome e-mail
    (welcome,) = mail.outbox
    assert "lid van Leliegracht e.o. Je ziet" in welcome.body and "e.o.." not in welcome.body


def test_the_start_page_of_a_pending_request_has_one_full_stop(login, resident, eo):
    factories.LidmaatschapFactory(user=resident, buurt=eo, status="aangevraagd")
    page = login(resident).get("/").content.decode()
    assert "<strong>Leliegracht e.o</strong>." in page and "e.o.</strong>." not in page


def test_the_receipt_mail_names_the_buurt_with_one_full_stop(eo):
    categorie = factories.CategorieFactory(naam="Fietsendiefstal (e.o.)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    reporter = factories.LidmaatschapFactory(buurt=eo).user
    factories.melding(user=reporter, categorie=categorie)
    relay_notificaties()
    (receipt,) = mail.outbox
    assert "in Leliegracht e.o. Je referentie" in receipt.body and "e.o.." not in receipt.body
