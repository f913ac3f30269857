"""The buurt survey as residents meet it: the invitation, the form, one response per round."""

import pytest
from django.urls import reverse

from indicatoren.models import Respons, ResponsMarker
from indicatoren.survey import ITEMS, WEET_NIET_CODE
from tests import factories

from .views_support import antwoorden, open_peiling

URL = reverse("indicatoren:enquete")


@pytest.fixture
def peiling(wijk, coordinator):
    return open_peiling(wijk, coordinator)


def test_member_sees_every_item_with_weet_niet(
    login, member, peiling, django_assert_max_num_queries
):
    client = login(member)
    with django_assert_max_num_queries(9):  # incl. the menu's unread count
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert peiling.titel in content
    for item in ITEMS:
        assert str(item.tekst) in content
    assert content.count(">Weet niet</label>") == len(ITEMS)
    assert "anoniem" in content
    assert f"Twee minuten, {len(ITEMS)} korte vragen" in content


def test_answers_are_stored_without_the_person_and_once(login, member, buurt, peiling):
    client = login(member)
    data = antwoorden(sc1="weet-niet", isc5="")  # "weet niet" and a skipped item
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response.url == reverse("indicatoren:mijn-buurt")
    respons = Respons.objects.get()
    assert respons.buurt == buurt
    assert respons.sc1 == WEET_NIET_CODE  # an answer of its own ...
    assert respons.isc5 is None  # ... unlike a skipped item
    assert respons.sc2 == 3
    assert respons.bereidheid == 4
    assert {f.name for f in Respons._meta.get_fields()}.isdisjoint({"user", "created_at"})
    assert ResponsMarker.objects.filter(peiling=peiling).count() == 1
    # The thank-you message is on the page the resident lands on.
    assert "anoniem opgeslagen" in client.get(response.url).content.decode()


def test_second_attempt_gets_a_clear_message_and_saves_nothing(login, member, peiling):
    client = login(member)
    client.post(URL, antwoorden())
    page = client.get(URL)
    assert "al ingevuld" in page.content.decode()
    assert '<form method="post" class="enquete"' not in page.content.decode()
    again = client.post(URL, antwoorden(sc2="0"), follow=True)
    assert "al ingevuld" in again.content.decode()
    assert Respons.objects.count() == 1
    assert Respons.objects.get().sc2 == 3


def test_an_answer_outside_the_scale_is_refused_with_nothing_saved(login, member, peiling):
    response = login(member).post(URL, antwoorden(sc2="9", isc1="drie"))
    assert response.status_code == 400
    assert "Er ging iets mis met je antwoorden" in response.content.decode()
    assert Respons.objects.count() == 0
    assert ResponsMarker.objects.count() == 0


def test_an_empty_form_asks_for_at_least_one_answer(login, member, peiling):
    empty = {item.key: "" for item in ITEMS}
    response = login(member).post(URL, empty)
    assert response.status_code == 400
    assert "minstens één vraag" in response.content.decode()
    assert Respons.objects.count() == 0


def test_weet_niet_everywhere_is_an_answer(login, member, peiling):
    """Not knowing the neighbours at all is itself what the 'weet niet' figures count."""
    response = login(member).post(URL, {item.key: "weet-niet" for item in ITEMS})
    assert response.status_code == 302
    respons = Respons.objects.get()
    assert {getattr(respons, item.key) for item in ITEMS} == {WEET_NIET_CODE}


def test_a_round_closed_meanwhile_saves_nothing(login, member, peiling, coordinator):
    from indicatoren import services

    client = login(member)
    assert client.get(URL).status_code == 200
    services.peiling_close(peiling=peiling, by=coordinator)
    response = client.post(URL, antwoorden())
    assert "geen buurtpeiling" in response.content.decode()
    assert Respons.objects.count() == 0


def test_no_open_round_says_so(login, member):
    response = login(member).get(URL)
    assert response.status_code == 200
    assert "Er loopt nu geen buurtpeiling" in response.content.decode()


def test_a_round_in_another_wijk_is_not_offered(login, member, other_buurt):
    coordinator_elsewhere = factories.professional("coordinator", other_buurt.wijk)
    open_peiling(other_buurt.wijk, coordinator_elsewhere)
    response = login(member).get(URL)
    assert "Er loopt nu geen buurtpeiling" in response.content.decode()
    assert login(member).post(URL, antwoorden()).status_code == 200
    assert Respons.objects.count() == 0


def test_residents_who_are_not_members_are_sent_to_join(login, resident, peiling):
    response = login(resident).get(URL)
    assert "geverifieerde leden" in response.content.decode()
    assert login(resident).post(URL, antwoorden()).status_code == 200
    assert Respons.objects.count() == 0


@pytest.mark.parametrize("role", ["coordinator", "politie", "handhaving"])
def test_professionals_do_not_answer_the_survey(login, wijk, peiling, role):
    user = factories.professional(role, wijk)
    assert login(user).get(URL).status_code == 403
    assert login(user).post(URL, antwoorden()).status_code == 403
    assert Respons.objects.count() == 0


def test_anonymous_visitors_are_asked_to_sign_in(client, peiling):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_invitation_on_the_start_and_buurt_page_until_answered(login, member, buurt, peiling):
    client = login(member)
    for url in (reverse("home"), buurt.get_absolute_url(), reverse("indicatoren:mijn-buurt")):
        assert "Peiling invullen" in client.get(url).content.decode(), url
    client.post(URL, antwoorden())
    for url in (reverse("home"), buurt.get_absolute_url(), reverse("indicatoren:mijn-buurt")):
        assert "Peiling invullen" not in client.get(url).content.decode(), url


def test_no_invitation_without_an_open_round_or_for_others(login, member, buurt, coordinator):
    assert "Peiling invullen" not in login(member).get(reverse("home")).content.decode()
    open_peiling(buurt.wijk, coordinator)
    assert "Peiling invullen" not in login(coordinator).get(reverse("home")).content.decode()


def test_the_survey_in_english(login, member, peiling):
    client = login(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(URL).content.decode()
    assert "Don't know" in content
    assert "Strongly agree" in content
