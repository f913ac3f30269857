"""The buurt survey as residents meet it: the invitation, the form, one response per round."""

import re

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


def steps_of(content: str) -> list[str]:
    return content.split('<section class="enquete-stap"')[1:]


def test_the_survey_comes_in_steps_with_progress_and_the_stem_on_each(login, member, peiling):
    from indicatoren.survey import GROEP_INTRO, STAPPEN

    content = login(member).get(URL).content.decode()
    steps = steps_of(content)
    assert len(steps) == len(STAPPEN) > 3
    for number, (step, groups) in enumerate(zip(steps, STAPPEN, strict=True), start=1):
        assert f"Stap {number} van {len(STAPPEN)}</h2>" in step
        assert f'<progress class="voortgang" max="{len(STAPPEN)}" value="{number}"' in step
        for groep, items in groups:
            assert str(GROEP_INTRO[groep]) in step  # the stem, on every step of its items
            for item in items:
                assert f'name="{item.key}"' in step
        assert len(re.findall(r"<fieldset", step)) <= 3  # a few items a step
    # The stem the ingrijpen items continue is on both of their steps.
    assert sum(str(GROEP_INTRO["isc"]) in step for step in steps) == 2
    # One form, sent once at the end; the steps are its parts (enquete.js shows one at a time).
    form = content.split('<form method="post" class="enquete"')[1].split("</form>")[0]
    assert len(steps_of(form)) == len(STAPPEN)
    assert form.count('type="submit">Antwoorden versturen') == 1
    assert "js/enquete.js" in content


def test_the_name_of_unsent_answers_in_the_browser_is_per_person_and_round(
    login, member, buurt, peiling, coordinator
):
    def concept(user):
        content = login(user).get(URL).content.decode()
        return re.search(r'data-concept="([0-9a-f]+)"', content).group(1)

    mine = concept(member)
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    assert concept(neighbour) != mine
    # A keyed hash, not the id (a hex digest holds a "1" whatever the id, so look at its form).
    assert re.fullmatch(r"[0-9a-f]{20,}", mine) and mine != str(member.pk)
    assert mine not in str(ResponsMarker.objects.all())
    from indicatoren import services

    services.peiling_close(peiling=peiling, by=coordinator)
    open_peiling(buurt.wijk, coordinator, titel="Volgende ronde")
    assert concept(member) != mine


def test_a_wrong_answer_is_named_in_the_summary_and_its_step_opens(login, member, peiling):
    from indicatoren.survey import BY_KEY, STAPPEN

    response = login(member).post(URL, antwoorden(isc4="drie"))
    assert response.status_code == 400
    content = response.content.decode()
    summary = content.split("data-error-summary>")[1].split("</div>")[0]
    assert f'href="#id_isc4_0">{BY_KEY["isc4"].tekst}</a>' in summary
    assert "drie is geen beschikbare keuze" in summary
    marked = [n for n, step in enumerate(steps_of(content)) if "data-fout" in step.split(">")[0]]
    keys = [[item.key for _groep, items in step for item in items] for step in STAPPEN]
    assert marked == [next(n for n, step in enumerate(keys) if "isc4" in step)]
    # What was sent stays chosen; nothing is saved.
    assert re.search(r'<input type="radio" name="sc2" value="3"[^>]*checked', content)
    assert Respons.objects.count() == 0
    assert ResponsMarker.objects.count() == 0
