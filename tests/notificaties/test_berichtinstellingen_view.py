"""The page "Meldingen en berichten": from the account menu, for every role the kinds that
reach that role, the fixed ones named; one form; bad input is refused with a message and
nothing saved."""

from datetime import time

import pytest
from django.urls import reverse

from notificaties import voorkeuren
from notificaties.models import Berichtinstelling, Keuze, Notificatie

pytestmark = pytest.mark.django_db

URL = reverse("berichtinstellingen")
Soort = Notificatie.Soort


def _post(client, user, **changes):
    """The whole form as the page fills it in (every kind at its default), with ``changes``."""
    defaults = {o: voorkeuren.STANDAARD[o] for o in voorkeuren.onderwerpen(user.role)}
    data = {**defaults, "stille_uren": "on", "stil_van": "22:00", "stil_tot": "07:00"}
    return client.post(URL, {**data, **changes})


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_resident_sees_her_kinds_with_defaults_and_the_fixed_ones(login, member):
    page = login(member).get(URL).content.decode()
    assert 'href="/accounts/meldingen-en-berichten/"' in page  # in the account menu
    assert "Een nieuwe activiteit in je buurt" in page
    assert 'value="week" checked' in page.split("Een nieuwe activiteit in je buurt")[1]
    assert "Altijd meteen, kan niet uit" in page
    assert "De ontvangstbevestiging van je melding" in page
    assert "hoge prioriteit" not in page
    assert 'type="time"' in page


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("politie", "Een melding met hoge prioriteit in je gebied", "nieuwe activiteit"),
        ("handhaving", "waarvan de termijn verstreken is", "meldt zich aan voor jouw activiteit"),
        (
            "coordinator",
            "Een nieuw verzoek dat op je besluit wacht",
            "hoge prioriteit in je gebied",
        ),
        ("coordinator", "Iemand meldt intimidatie en vraagt om steun", "Escalatie verzoek"),
    ],
)
def test_professionals_see_the_kinds_of_their_role(login, wijk, role, shown, hidden):
    from tests import factories

    page = login(factories.professional(role, wijk)).get(URL).content.decode()
    assert shown in page
    assert hidden not in page


def test_a_resident_saves_her_choices_and_quiet_hours(login, member):
    client = login(member)
    response = _post(
        client,
        member,
        **{
            Soort.NIEUWE_ACTIVITEIT: Keuze.DIRECT,
            Soort.TERUGKOPPELING: Keuze.DAG,
            "buurtnieuws": Keuze.UIT,
            "stil_van": "23:30",
            "stil_tot": "06:45",
        },
    )
    assert response.status_code == 302
    saved = Berichtinstelling.objects.get(user=member)
    assert saved.keuzes[Soort.NIEUWE_ACTIVITEIT] == Keuze.DIRECT
    assert saved.keuzes[Soort.TERUGKOPPELING] == Keuze.DAG
    assert saved.keuzes["buurtnieuws"] == Keuze.UIT
    assert saved.keuzes[Soort.WACHTLIJST] == Keuze.DIRECT  # unchanged: its default
    assert (saved.stille_uren, saved.stil_van, saved.stil_tot) == (True, time(23, 30), time(6, 45))
    page = client.get(response["Location"]).content.decode()
    assert "zijn opgeslagen" in page
    assert 'value="23:30"' in page


def test_switching_quiet_hours_off_is_kept(login, police):
    response = _post(login(police), police, stille_uren="")
    assert response.status_code == 302
    assert Berichtinstelling.objects.get(user=police).stille_uren is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({Soort.TERUGKOPPELING: "altijd"}, "Selecteer een geldige keuze"),
        ({"buurtnieuws": Keuze.DIRECT}, "Selecteer een geldige keuze"),
        ({"stil_van": "25:00"}, "Voer een geldige tijd in"),
        ({"stil_tot": ""}, "Dit veld is verplicht"),
        ({"stil_van": "07:00", "stil_tot": "07:00"}, "een ander tijdstip"),
        ({Soort.WACHTLIJST: ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(login, member, changes, message):
    response = _post(login(member), member, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niet opgeslagen" in page
    assert message in page
    assert not Berichtinstelling.objects.exists()


def test_a_fixed_kind_posted_anyway_is_ignored(login, member):
    _post(login(member), member, **{Soort.ONTVANGSTBEVESTIGING: Keuze.UIT})
    assert Soort.ONTVANGSTBEVESTIGING not in Berichtinstelling.objects.get(user=member).keuzes


def test_the_page_costs_a_few_queries(login, member, django_assert_max_num_queries):
    client = login(member)
    with django_assert_max_num_queries(8):
        client.get(URL)
