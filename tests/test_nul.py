"""A NUL character in an address, a query string or posted text never becomes a 500: Postgres
refuses NUL in text, so it must not reach the database."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize(
    "path",
    [
        "/buurten/%00/",
        "/activiteiten/uitnodiging/%00/",
        "/activiteiten/buurt/%00.ics",
        "/indicatoren/open-data/%00/2026.csv",
        "/api/v1/indicatoren/%00/",
    ],
)
def test_a_nul_in_the_address_is_no_page(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/buurten/zoeken/", {"q": "Jor\x00daan"}),
        ("/activiteiten/", {"buurt": "\x00"}),
        ("/api/v1/activiteiten/", {"buurt": "BU\x00"}),
    ],
)
def test_a_nul_in_the_query_string_is_a_bad_request(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {"error": "the request contains a NUL character"}
    else:
        assert "Dit adres of formulier klopt niet" in response.content.decode()


@pytest.mark.parametrize("buurt", ["\x00", "abc", "1'", "²", "9" * 30])
def test_the_routing_forms_refuse_a_buurt_that_is_no_id(login, buurt):
    """The admin's buurt search draws the form again with what was posted; Django looks the
    value up there (a 500 for anything that is no number)."""
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    dry_run = client.post(
        reverse("admin:meldingen_routing_proef"),
        {"categorie": "1", "buurt": buurt, "tijdstip": "2026-11-28T23:30"},
    )
    assert dry_run.status_code == 200
    assert 'class="errorlist' in dry_run.content.decode()  # the field says what is wrong
    assert "Uitkomst" not in dry_run.content.decode()
    rule = client.post(
        reverse("admin:meldingen_routingregel_add"),
        {"volgorde": "1", "doel": "politie", "buurt": buurt, "actief": "on"},
    )
    assert rule.status_code == 200
    assert 'class="errorlist' in rule.content.decode()


def test_posted_text_with_a_nul_that_reaches_the_database_is_a_bad_request(login, buurt):
    """The verdict's optional comment is read without a form: the net turns Postgres' refusal
    into a 400, and nothing is half-saved."""
    from meldingen import services
    from meldingen.models import Melder
    from meldingen.workflow import Actie

    member = factories.LidmaatschapFactory(buurt=buurt).user
    police = factories.professional("politie", buurt.wijk)
    melding = factories.melding(user=member, categorie=factories.CategorieFactory())
    melding.doel = "politie"
    melding.save(update_fields=["doel"])
    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Gedaan."
    )
    response = login(member).post(
        reverse("meldingen:oordeel", kwargs={"pk": melding.pk}),
        {"oordeel": "niet_opgelost", "reactie": "nog\x00steeds"},
    )
    assert response.status_code == 400
    assert "Dit adres of formulier klopt niet" in response.content.decode()
    melding.refresh_from_db()
    assert melding.status == "afgesloten"
    assert Melder.objects.get(melding=melding).oordeel == ""
