"""The coordinator's follow-up (nazorg) for a resident threatened for doing good in the buurt:
recorded and read by the area's coordinators only, marked open in their feed until done, the
text erased at retention."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldingen import services
from meldingen.models import Doel, Nazorg, RoutingRegel
from meldingen.workflow import Actie
from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "Gebeld met de bewoner; gesprek staat donderdag. Slachtofferhulp ingeschakeld."


@pytest.fixture
def intimidatie():
    categorie = factories.CategorieFactory(naam="Ik word bedreigd (test)", is_intimidatie=True)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def threatened(buurt, intimidatie, django_capture_on_commit_callbacks):
    """A routed intimidation case in the coordinator's area."""
    with django_capture_on_commit_callbacks(execute=True):
        return factories.melding(buurt=buurt, categorie=intimidatie)


def detail(client, melding):
    return client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))


def record(client, melding, notitie=NOTE):
    return client.post(
        reverse("meldingen:nazorg", kwargs={"pk": melding.pk}), {"notitie": notitie}, follow=True
    )


def test_the_coordinator_sees_it_open_records_the_follow_up_and_the_feed_mark_goes(
    login, coordinator, threatened, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    feed = reverse("meldingen:feed")
    assert "nazorg open" in client.get(feed).content.decode()
    page = detail(client, threatened).content.decode()
    assert "Nazorg voor de bewoner" in page and "Nog niet opgevolgd" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = record(client, threatened)
    html = response.content.decode()
    assert "De nazorg is vastgelegd." in html
    assert NOTE in html and coordinator.display_name in html
    assert "Nog niet opgevolgd" not in html
    assert "nazorg open" not in client.get(feed).content.decode()
    assert list(Nazorg.objects.values_list("melding", "door", "notitie")) == [
        (threatened.pk, coordinator.pk, NOTE)
    ]


def test_the_police_handling_the_case_neither_read_nor_write_the_follow_up(
    login, police, coordinator, threatened
):
    services.nazorg_record(melding=threatened, by=coordinator, notitie=NOTE)
    client = login(police)
    page = detail(client, threatened)
    assert page.status_code == 200  # they handle the case itself
    assert NOTE not in page.content.decode() and "Nazorg voor de bewoner" not in (
        page.content.decode()
    )
    assert "nazorg open" not in client.get(reverse("meldingen:feed")).content.decode()
    assert record(client, threatened, "Politie schrijft mee").status_code == 403
    assert Nazorg.objects.count() == 1


def test_other_roles_and_areas_get_nothing(login, member, other_buurt, threatened):
    elsewhere = factories.professional("coordinator", other_buurt.wijk)
    assert record(login(elsewhere), threatened).status_code == 404
    assert record(login(member), threatened).status_code == 403
    assert not Nazorg.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, threatened):
    response = client.post(reverse("meldingen:nazorg", kwargs={"pk": threatened.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Nazorg.objects.exists()


def test_ordinary_cases_have_no_follow_up(login, coordinator, buurt):
    categorie = factories.CategorieFactory(naam="Zwerfvuil (test)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.GEMEENTE)
    melding = factories.melding(buurt=buurt, categorie=categorie)
    client = login(coordinator)
    assert "Nazorg voor de bewoner" not in detail(client, melding).content.decode()
    assert record(client, melding).status_code == 403
    assert not Nazorg.objects.exists()


@pytest.mark.parametrize(
    ("notitie", "message"),
    [("", "Dit veld is verplicht."), ("   ", "Dit veld is verplicht."), ("x" * 501, "500")],
)
def test_a_bad_note_gets_a_clear_message_and_saves_nothing(
    login, coordinator, threatened, notitie, message
):
    response = record(login(coordinator), threatened, notitie)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'name="notitie"' in html and "is-invalid" in html  # the field itself is marked
    assert not Nazorg.objects.exists()


def test_retention_erases_the_text_and_keeps_that_support_was_given(
    login, coordinator, police, threatened
):
    services.nazorg_record(melding=threatened, by=coordinator, notitie=NOTE)
    services.melding_transition(
        melding=threatened, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Afgehandeld."
    )
    services.meldingen_anonymise(dry_run=False, now=timezone.now() + timedelta(days=181))
    page = detail(login(coordinator), threatened).content.decode()
    assert NOTE not in page
    assert "Tekst verwijderd na de bewaartermijn." in page
    assert Nazorg.objects.get().notitie == ""
    # Nothing new is written about an erased case.
    assert "Nazorg vastleggen" not in page
    assert "geanonimiseerd" in record(login(coordinator), threatened).content.decode()
    assert Nazorg.objects.count() == 1
