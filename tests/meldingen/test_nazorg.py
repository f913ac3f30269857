"""The coordinator's follow-up (nazorg) for a resident threatened for doing good in the buurt:
recorded and read by the area's coordinators only, open in their feed until explicitly afgerond,
the next contact planned with a reminder, the text erased at retention."""

from datetime import date, timedelta

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
    # One note does not close the case: it stays open until it is explicitly afgerond.
    assert "Nazorg open, geen volgend contact gepland" in html
    assert "nazorg open" in client.get(feed).content.decode()
    assert list(Nazorg.objects.values_list("melding", "door", "notitie", "afgerond")) == [
        (threatened.pk, coordinator.pk, NOTE, False)
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


# --- the next contact, afgerond, the reminder ----------------------------------------------

import time_machine  # noqa: E402
from django.core import mail  # noqa: E402

from meldingen import tasks  # noqa: E402
from notificaties.models import Notificatie  # noqa: E402
from notificaties.services import notificaties_relay  # noqa: E402

REMINDER = Notificatie.Soort.NAZORG_HERINNERING
# A Saturday before the night the clocks go forward (28 March 2027, 02:00 -> 03:00) and one
# before they go back (31 October 2027, 03:00 -> 02:00).
SPRING_EVE = "2027-03-27 12:00 +0100"
AUTUMN_EVE = "2027-10-30 12:00 +0200"


def plan(client, melding, datum, notitie=NOTE, **extra):
    return client.post(
        reverse("meldingen:nazorg", kwargs={"pk": melding.pk}),
        {"notitie": notitie, "volgende_contact": datum, **extra},
        follow=True,
    )


def reminders():
    return sorted(Notificatie.objects.filter(soort=REMINDER).values_list("object_id", "ontvanger"))


def test_a_planned_contact_shows_in_the_feed_and_turns_late_the_day_after(
    login, coordinator, threatened
):
    feed = reverse("meldingen:feed")
    with time_machine.travel("2027-01-12 16:00 +0100", tick=False):
        client = login(coordinator)
        response = plan(client, threatened, "2027-01-14")
        assert "De nazorg is vastgelegd." in response.content.decode()
        # The date picker offers today up to a year ahead.
        assert 'min="2027-01-12"' in response.content.decode()
        assert 'max="2028-01-13"' in response.content.decode()
        assert "nazorg: contact op 14 jan 2027" in client.get(feed).content.decode()
    with time_machine.travel("2027-01-14 23:59 +0100", tick=False):
        client = login(coordinator)
        assert "nazorg: contact op 14 jan 2027" in client.get(feed).content.decode()
    with time_machine.travel("2027-01-15 00:01 +0100", tick=False):
        client = login(coordinator)
        html = client.get(feed).content.decode()  # the same cached page, read a day later
        assert "nazorg: te laat sinds 14 jan 2027" in html and "contact op" not in html
        assert "nazorg: te laat sinds 14 jan 2027" in detail(client, threatened).content.decode()
    assert Nazorg.objects.get().volgende_contact.isoformat() == "2027-01-14"


@time_machine.travel("2027-01-12 09:00 +0100", tick=False)
def test_afronden_closes_the_case_and_a_new_date_reopens_it(
    login, coordinator, threatened, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    feed = reverse("meldingen:feed")
    with django_capture_on_commit_callbacks(execute=True):  # the cached feed page is renewed
        response = plan(client, threatened, "", "Bewoner voelt zich weer veilig.", afronden="on")
    assert "De nazorg is afgerond." in response.content.decode()
    assert "Nazorg afgerond" in response.content.decode()
    html = client.get(feed).content.decode()
    assert "nazorg: afgerond" in html and "nazorg open" not in html

    # A note alone does not reopen it: a date for the next contact does.
    response = record(client, threatened, "Bewoner belde opnieuw.")
    assert "Kies een datum voor het volgende contact om haar weer te openen." in (
        response.content.decode()
    )
    assert Nazorg.objects.count() == 1
    datum = date(2027, 1, 19)
    with django_capture_on_commit_callbacks(execute=True):
        plan(client, threatened, datum.isoformat(), "Bewoner belde opnieuw.")
    html = client.get(feed).content.decode()
    assert "nazorg: afgerond" not in html and "nazorg: contact op" in html
    assert list(Nazorg.objects.values_list("afgerond", "volgende_contact")) == [
        (True, None),
        (False, datum),
    ]


@pytest.mark.parametrize(
    ("datum", "extra", "notitie", "message"),
    [
        ("2027-01-11", {}, NOTE, "Kies vandaag of een dag in de toekomst."),
        ("2028-01-20", {}, NOTE, "Plan het volgende contact binnen een jaar."),
        ("morgen", {}, NOTE, "Vul een datum in, bijvoorbeeld 14-03-2027."),
        ("", {"afronden": "on"}, "", "Schrijf kort waarom de nazorg is afgerond."),
        ("", {"afronden": "on"}, "   ", "Schrijf kort waarom de nazorg is afgerond."),
        ("2027-01-20", {"afronden": "on"}, NOTE, "niet allebei"),
    ],
)
def test_bad_follow_up_input_gets_a_clear_message_and_saves_nothing(
    login, coordinator, threatened, datum, extra, notitie, message
):
    with time_machine.travel("2027-01-12 09:00 +0100", tick=False):
        response = plan(login(coordinator), threatened, datum, notitie, **extra)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "is-invalid" in html
    assert not Nazorg.objects.exists()


def test_other_roles_cannot_plan_or_close(
    login, police, enforcement, member, other_buurt, threatened
):
    elsewhere = factories.professional("coordinator", other_buurt.wijk)
    assert plan(login(elsewhere), threatened, "", afronden="on").status_code == 404
    assert plan(login(police), threatened, "", afronden="on").status_code == 403
    # Enforcement does not handle a case routed to the police: it is not theirs to see.
    assert plan(login(enforcement), threatened, "", afronden="on").status_code == 404
    assert plan(login(member), threatened, "", afronden="on").status_code == 403
    assert not Nazorg.objects.exists()


@pytest.mark.parametrize(
    ("eve", "datum", "before", "at"),
    [
        # 08:00 summer time on the day the clocks went forward is 06:00 UTC.
        (SPRING_EVE, "2027-03-28", "2027-03-28 05:59 +0000", "2027-03-28 06:00 +0000"),
        # 08:00 winter time on the day the clocks went back is 07:00 UTC.
        (AUTUMN_EVE, "2027-10-31", "2027-10-31 06:59 +0000", "2027-10-31 07:00 +0000"),
    ],
)
def test_the_area_coordinators_are_reminded_once_at_eight_on_the_day(
    login,
    coordinator,
    police,
    other_buurt,
    threatened,
    django_capture_on_commit_callbacks,
    eve,
    datum,
    before,
    at,
):
    elsewhere = factories.professional("coordinator", other_buurt.wijk)
    with time_machine.travel(eve, tick=False):
        client = login(coordinator)
        plan(client, threatened, datum)
        assert tasks.remind_nazorg.apply().get() == 0
    nazorg = Nazorg.objects.get()
    with time_machine.travel(before, tick=False):
        assert tasks.remind_nazorg.apply().get() == 0  # 07:59 local time
    mail.outbox.clear()
    with time_machine.travel(at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.remind_nazorg.apply().get() == 1
            assert tasks.remind_nazorg.apply().get() == 0  # the second run finds it told
        notificaties_relay()
    with time_machine.travel("2027-11-30 12:00 +0100", tick=False):
        assert tasks.remind_nazorg.apply().get() == 0  # nor any run after
    assert reminders() == [(nazorg.pk, coordinator.pk)]
    sent = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(sent) == 1 and threatened.referentie in sent[0].subject
    assert NOTE not in sent[0].body  # the notes stay on the case page
    assert f"/meldingen/{threatened.pk}/" in sent[0].body
    assert {police.email, elsewhere.email}.isdisjoint(m.to[0] for m in mail.outbox)


def test_a_new_date_gives_a_new_reminder_and_a_superseded_one_none(
    login, coordinator, threatened, django_capture_on_commit_callbacks
):
    with time_machine.travel("2027-01-12 09:00 +0100", tick=False):
        client = login(coordinator)
        plan(client, threatened, "2027-01-13")
    first = Nazorg.objects.get()
    with time_machine.travel("2027-01-13 08:30 +0100", tick=False):
        client = login(coordinator)
        assert tasks.remind_nazorg.apply().get() == 1
        plan(client, threatened, "2027-01-20", "Gesprek verplaatst.")
        plan(client, threatened, "2027-01-22", "Nog eens verplaatst.")
    latest = Nazorg.objects.latest("pk")
    with time_machine.travel("2027-01-20 09:00 +0100", tick=False):
        assert tasks.remind_nazorg.apply().get() == 0  # the 20th was replaced by the 22nd
    with time_machine.travel("2027-01-22 08:00 +0100", tick=False):
        assert tasks.remind_nazorg.apply().get() == 1
    assert reminders() == [(first.pk, coordinator.pk), (latest.pk, coordinator.pk)]


def test_no_reminder_once_afgerond(login, coordinator, threatened):
    with time_machine.travel("2027-01-12 09:00 +0100", tick=False):
        client = login(coordinator)
        plan(client, threatened, "2027-01-13")
        plan(client, threatened, "", "Niet meer nodig.", afronden="on")
    with time_machine.travel("2027-01-13 09:00 +0100", tick=False):
        assert tasks.remind_nazorg.apply().get() == 0
    assert reminders() == []


def test_the_feed_flags_cost_no_query_per_row(
    login, coordinator, buurt, intimidatie, django_assert_max_num_queries
):
    client = login(coordinator)
    for index in range(6):
        melding = factories.melding(buurt=buurt, categorie=intimidatie)
        if index % 3 == 1:
            services.nazorg_record(
                melding=melding,
                by=coordinator,
                notitie=NOTE,
                volgende_contact=timezone.localdate(),
            )
        elif index % 3 == 2:
            services.nazorg_record(melding=melding, by=coordinator, notitie=NOTE, afronden=True)
    client.get(reverse("meldingen:feed"))  # warm the session and the caches
    with django_assert_max_num_queries(15):
        html = client.get(reverse("meldingen:feed")).content.decode()
    assert html.count("nazorg: afgerond") == 2
    assert html.count("nazorg: contact op") == 2
    assert html.count("nazorg open") == 2
