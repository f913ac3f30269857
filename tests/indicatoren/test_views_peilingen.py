"""Coordinators open and close survey rounds for their own wijken only."""

import pytest
from django.urls import reverse

from indicatoren.models import Peiling
from tests import factories

from .views_support import open_peiling

URL = reverse("indicatoren:peilingen")


def close_url(peiling):
    return reverse("indicatoren:peiling-sluiten", kwargs={"pk": peiling.pk})


def test_coordinator_opens_a_round_for_their_wijk(
    login, coordinator, wijk, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        page = client.get(URL)
    assert wijk.naam in page.content.decode()
    response = client.post(URL, {"wijk": wijk.pk, "titel": "Peiling voorjaar"}, follow=True)
    peiling = Peiling.objects.get()
    assert (peiling.wijk, peiling.titel, peiling.is_open) == (wijk, "Peiling voorjaar", True)
    assert "is geopend" in response.content.decode()


def test_an_empty_title_gets_a_sensible_default(login, coordinator, wijk):
    login(coordinator).post(URL, {"wijk": wijk.pk, "titel": ""})
    assert Peiling.objects.get().titel.startswith("Buurtpeiling ")


def test_list_shows_response_counts_per_round_without_people(login, coordinator, wijk, member):
    from .views_support import antwoorden

    peiling = open_peiling(wijk, coordinator)
    login(member).post(reverse("indicatoren:enquete"), antwoorden())
    content = login(coordinator).get(URL).content.decode()
    assert peiling.titel in content
    assert '<td class="text-end">1</td>' in content
    assert member.display_name not in content


def test_a_second_open_round_in_a_wijk_is_refused(login, coordinator, wijk):
    open_peiling(wijk, coordinator)
    response = login(coordinator).post(URL, {"wijk": wijk.pk, "titel": "Nog een"})
    assert response.status_code == 400  # the wijk is no longer a choice; no form offered
    assert "In al je wijken loopt al een peiling" in response.content.decode()
    assert Peiling.objects.count() == 1


def test_another_areas_wijk_cannot_be_opened(login, coordinator, other_buurt):
    response = login(coordinator).post(URL, {"wijk": other_buurt.wijk.pk, "titel": "Stiekem"})
    assert response.status_code == 400
    assert Peiling.objects.count() == 0


@pytest.mark.parametrize("data", [{"wijk": "abc"}, {"wijk": ""}, {"titel": "x" * 500}])
def test_garbage_input_is_refused_with_nothing_saved(login, coordinator, wijk, data):
    response = login(coordinator).post(URL, data)
    assert response.status_code == 400
    assert Peiling.objects.count() == 0


def test_coordinator_closes_their_round(login, coordinator, wijk):
    peiling = open_peiling(wijk, coordinator)
    response = login(coordinator).post(close_url(peiling), follow=True)
    peiling.refresh_from_db()
    assert not peiling.is_open
    assert "is gesloten" in response.content.decode()
    again = login(coordinator).post(close_url(peiling), follow=True)
    assert "al gesloten" in again.content.decode()


def test_a_round_in_another_area_is_not_found(login, coordinator, other_buurt):
    elsewhere = open_peiling(
        other_buurt.wijk, factories.professional("coordinator", other_buurt.wijk)
    )
    assert login(coordinator).post(close_url(elsewhere)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.is_open
    assert elsewhere.titel not in login(coordinator).get(URL).content.decode()


@pytest.mark.parametrize("role", ["politie", "handhaving", "bewoner"])
def test_other_roles_are_refused(login, wijk, coordinator, role):
    peiling = open_peiling(wijk, coordinator)
    user = factories.professional(role, wijk) if role != "bewoner" else factories.UserFactory()
    client = login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"wijk": wijk.pk, "titel": "x"}).status_code == 403
    assert client.post(close_url(peiling)).status_code == 403
    peiling.refresh_from_db()
    assert peiling.is_open


def test_anonymous_visitors_are_asked_to_sign_in(client, wijk, coordinator):
    peiling = open_peiling(wijk, coordinator)
    assert reverse("account_login") in client.get(URL).url
    assert reverse("account_login") in client.post(close_url(peiling)).url


def test_closing_needs_post(login, coordinator, wijk):
    peiling = open_peiling(wijk, coordinator)
    assert login(coordinator).get(close_url(peiling)).status_code == 405
