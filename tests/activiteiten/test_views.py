"""Activity pages per role and scope, bad input, calendars and invitation links."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activiteiten import services
from activiteiten.models import Aanmelding, Activiteit, Soort
from notificaties.voorkeuren import wall_time
from tests import factories

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def form_data(**overrides):
    start = timezone.localtime() + timedelta(days=2)
    data = {
        "soort": Soort.objects.get(naam="Opschoonactie").pk,
        "titel": "Opschoonochtend",
        "plek": "Speelplein",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "einde": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capaciteit": "12",
        "zichtbaarheid": "leden",
        "rol_1_naam": "Koffie zetten",
        "rol_1_plaatsen": "1",
    }
    # A value may depend on the start, which is read from the clock when the test runs.
    data.update({k: v(start) if callable(v) else v for k, v in overrides.items()})
    return data


def test_a_member_creates_an_activity_with_a_role(login, member):
    response = login(member).post(reverse("activiteiten:nieuw"), form_data())
    activiteit = Activiteit.objects.get()
    assert response.url == activiteit.get_absolute_url()
    assert activiteit.rollen.get().naam == "Koffie zetten"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"einde": lambda start: (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
            "einde moet na het begin",
        ),
        ({"capaciteit": "0"}, "minstens 1 is"),
        ({"capaciteit": "-3"}, "minstens 1 is"),
        ({"capaciteit": "tien"}, "Voer een geheel getal in"),
        ({"rol_1_plaatsen": ""}, "Hoeveel plaatsen"),
        ({"start": "morgen"}, "Voer een geldige datum/tijd in"),
        # Year 1 cannot be moved to UTC (OverflowError): a typo, not a 500.
        ({"start": "0001-01-01T00:00"}, "Kies een datum tussen 1900 en 2100."),
        ({"einde": "9999-12-31T23:59"}, "Kies een datum tussen 1900 en 2100."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(login, member, overrides, message):
    response = login(member).post(reverse("activiteiten:nieuw"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activiteit.objects.exists()


def test_participants_are_for_the_organiser_and_coordinator_others_see_counts(
    login, buurt, coordinator
):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    participant = factories.LidmaatschapFactory(buurt=buurt).user
    services.aanmelden(user=participant, activiteit=activiteit)
    url = activiteit.get_absolute_url()

    for viewer in (organiser, coordinator):
        assert participant.display_name in login(viewer).get(url).content.decode()
    neighbour_view = login(factories.LidmaatschapFactory(buurt=buurt).user).get(url)
    html = neighbour_view.content.decode()
    assert participant.display_name not in html
    assert "1 van 10 bezet" in html
    assert participant.email not in login(organiser).get(url).content.decode()


def test_scope_other_buurt_and_other_wijk(login, buurt, other_buurt):
    activiteit = factories.activiteit(buurt=buurt)
    outsider = factories.LidmaatschapFactory(buurt=other_buurt).user
    far_coordinator = factories.professional("coordinator", other_buurt.wijk)
    for user in (outsider, far_coordinator):
        client = login(user)
        assert client.get(activiteit.get_absolute_url()).status_code == 404
        assert (
            client.post(reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk})).status_code
            == 404
        )
        assert (
            client.get(
                reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk})
            ).status_code
            == 404
        )
    participant = factories.LidmaatschapFactory(buurt=buurt).user
    assert (
        login(participant)
        .get(reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk}))
        .status_code
        == 403
    )
    assert (
        login(participant)
        .get(reverse("activiteiten:flyer", kwargs={"pk": activiteit.pk}))
        .status_code
        == 403
    )


def test_sign_up_waiting_list_and_cancel_through_the_page(login, buurt):
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1)
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    url = reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk})
    assert "Je bent aangemeld" in login(first).post(url, follow=True).content.decode()
    assert "wachtlijst" in login(second).post(url, follow=True).content.decode()
    login(first).post(reverse("activiteiten:afmelden", kwargs={"pk": activiteit.pk}))
    assert Aanmelding.objects.get(user=second, status__in=Aanmelding.ACTIVE).status == "aangemeld"


def test_calendar_files_for_an_activity_and_a_buurt(client, login, buurt, member):
    private = factories.activiteit(buurt=buurt, titel="Alleen leden")
    factories.activiteit(buurt=buurt, titel="Straatfeest", zichtbaarheid="openbaar")
    single = login(member).get(reverse("activiteiten:ics", kwargs={"pk": private.pk}))
    assert single["Content-Type"] == "text/calendar; charset=utf-8"
    event = Calendar.from_ical(single.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Alleen leden"
    anonymous = Client()
    feed = anonymous.get(reverse("activiteiten:buurt-ics", kwargs={"code": buurt.code}))
    titles = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert titles == ["Straatfeest"]  # members-only activities stay out of the public feed
    assert anonymous.get(reverse("activiteiten:ics", kwargs={"pk": private.pk})).status_code == 404


def test_sign_ups_through_the_invitation_are_counted(client, login, buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, zichtbaarheid="openbaar")
    landing = client.get(
        reverse("activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging})
    )
    assert activiteit.titel in landing.content.decode()
    assert "Account maken" in landing.content.decode()
    neighbour = factories.UserFactory()
    login(neighbour).post(
        reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk}),
        {"uitnodiging": activiteit.uitnodiging},
    )
    assert Aanmelding.objects.get(user=neighbour).via_uitnodiging is True
    flyer = login(organiser).get(reverse("activiteiten:flyer", kwargs={"pk": activiteit.pk}))
    assert "<svg" in flyer.content.decode()


def test_the_list_has_a_constant_number_of_queries(
    login, buurt, member, django_assert_max_num_queries
):
    for _i in range(3):
        factories.activiteit(buurt=buurt)
    client = login(member)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("activiteiten:lijst"))
    for _i in range(20):
        factories.activiteit(buurt=buurt)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("activiteiten:lijst"))
    assert len(response.context["activiteiten"]) == 23


def test_attendance_page_records_who_came(login, buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, rollen=[("Loper", 2)])
    walker = factories.LidmaatschapFactory(buurt=buurt).user
    signup = services.aanmelden(user=walker, activiteit=activiteit, rol=activiteit.rollen.get())
    Activiteit.objects.filter(pk=activiteit.pk).update(start=timezone.now() - timedelta(hours=2))
    url = reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk})
    client = login(organiser)
    bad = client.post(
        url,
        {f"aanwezig_{signup.pk}": "on", f"uren_{signup.pk}": "twee", "extra_bezoekers": "3"},
        follow=True,
    )
    assert "als getal" in bad.content.decode()
    client.post(
        url, {f"aanwezig_{signup.pk}": "on", f"uren_{signup.pk}": "1,5", "extra_bezoekers": "3"}
    )
    signup.refresh_from_db()
    assert signup.aanwezig is True
    assert str(signup.uren) == "1.5"


def test_the_organiser_adds_a_report_with_a_photo(login, buurt):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    Activiteit.objects.filter(pk=activiteit.pk).update(start=timezone.now() - timedelta(hours=2))
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "orange").save(buffer, "JPEG")
    client = login(organiser)
    client.post(
        reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk}),
        {
            "extra_bezoekers": "5",
            "verslag": "Twintig zakken afval opgehaald.",
            "foto": SimpleUploadedFile("x.jpg", buffer.getvalue(), "image/jpeg"),
        },
    )
    page = login(factories.LidmaatschapFactory(buurt=buurt).user).get(activiteit.get_absolute_url())
    assert "Twintig zakken afval opgehaald." in page.content.decode()
    photo = login(organiser).get(reverse("activiteiten:foto", kwargs={"pk": activiteit.pk}))
    assert photo["Content-Type"] == "image/jpeg"
    outsider = factories.LidmaatschapFactory(buurt=factories.BuurtFactory()).user
    assert (
        login(outsider).get(reverse("activiteiten:foto", kwargs={"pk": activiteit.pk})).status_code
        == 404
    )


def test_preferences_page(login, member):
    client = login(member)
    page = client.get(reverse("voorkeuren")).content.decode()
    # What you hear and how often has one place, linked from here.
    assert f'href="{reverse("berichtinstellingen")}"' in page
    assert "berichtvoorkeur" not in page
    client.post(reverse("voorkeuren"), {"weergavenaam": "Sanne B."})
    member.refresh_from_db()
    assert member.weergavenaam == "Sanne B."
    bad = client.post(reverse("voorkeuren"), {"weergavenaam": "x", "leeftijdsgroep": "altijd"})
    assert "Selecteer een geldige keuze" in bad.content.decode()
    member.refresh_from_db()
    assert member.weergavenaam == "Sanne B."  # nothing saved


def test_no_cancelling_after_the_start_and_no_500_on_nonsense_hours(login, buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, rollen=[("Loper", 1)])
    walker = factories.LidmaatschapFactory(buurt=buurt).user
    signup = services.aanmelden(user=walker, activiteit=activiteit, rol=activiteit.rollen.get())
    Activiteit.objects.filter(pk=activiteit.pk).update(start=timezone.now() - timedelta(hours=1))
    late = login(walker).post(
        reverse("activiteiten:afmelden", kwargs={"pk": activiteit.pk}), follow=True
    )
    assert "afmelden kan niet meer" in late.content.decode()
    signup.refresh_from_db()
    assert signup.status == "aangemeld"
    url = reverse("activiteiten:aanwezigheid", kwargs={"pk": activiteit.pk})
    cases = [("NaN", "als getal"), ("Infinity", "als getal"), ("1e9999", "tussen 0 en 24")]
    for nonsense, message in cases:
        response = login(organiser).post(
            url, {f"uren_{signup.pk}": nonsense, "extra_bezoekers": "0"}, follow=True
        )
        assert response.status_code == 200
        assert message in response.content.decode()


def test_invitation_for_non_members_and_past_activities(login, buurt, other_buurt):
    members_only = factories.activiteit(buurt=buurt)
    outsider = factories.LidmaatschapFactory(buurt=other_buurt).user
    html = (
        login(outsider)
        .get(reverse("activiteiten:uitnodiging", kwargs={"token": members_only.uitnodiging}))
        .content.decode()
    )
    assert "Word eerst lid van de buurt" in html
    assert "Ik doe mee" not in html
    Activiteit.objects.filter(pk=members_only.pk).update(
        start=timezone.now() - timedelta(days=2), einde=timezone.now() - timedelta(days=2)
    )
    past = login(outsider).get(
        reverse("activiteiten:uitnodiging", kwargs={"token": members_only.uitnodiging})
    )
    assert "al geweest" in past.content.decode()


def test_messages_show_on_the_page_and_follow_each_persons_preference(
    login, buurt, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.core import mail
    from django.utils import timezone

    from notificaties.models import Keuze, Notificatie
    from notificaties.tasks import relay_notificaties, send_daily_overzichten

    evening = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
    with time_machine.travel(evening, tick=False):
        organiser = factories.LidmaatschapFactory(buurt=buurt).user
        activiteit = factories.activiteit(
            organisator=organiser, titel="Avondronde", start=evening + timedelta(days=2)
        )
        direct, daily, none = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(3))
        for user, keuze in ((daily, Keuze.DAG), (none, Keuze.UIT)):
            factories.kiest(user, {Notificatie.Soort.BERICHT: keuze})
        for user in (direct, daily, none):
            services.aanmelden(user=user, activiteit=activiteit)
        with django_capture_on_commit_callbacks(execute=True):
            login(organiser).post(
                reverse("activiteiten:bericht", kwargs={"pk": activiteit.pk}),
                {"tekst": "Neem een zaklamp mee."},
            )
        assert [m.to for m in mail.outbox] == [[direct.email]]
        assert "Neem een zaklamp mee." in mail.outbox[0].body
        page = login(none).get(activiteit.get_absolute_url()).content.decode()
        assert "Neem een zaklamp mee." in page
    mail.outbox.clear()
    with time_machine.travel(evening + timedelta(hours=12), tick=False):  # 07:00, beat
        send_daily_overzichten()
        relay_notificaties()
    to_daily = [m for m in mail.outbox if m.to == [daily.email]]
    assert len(to_daily) == 1 and "Bericht over Avondronde" in to_daily[0].body
    assert none.email not in {m.to[0] for m in mail.outbox}


def test_a_message_over_2000_characters_is_refused_and_not_sent(login, buurt):
    from activiteiten.models import Bericht

    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    url = reverse("activiteiten:bericht", kwargs={"pk": activiteit.pk})
    response = login(organiser).post(url, {"tekst": "x" * 2001}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je bericht is te lang: hoogstens 2000 tekens (nu 2001)." in html
    assert not Bericht.objects.exists()
    login(organiser).post(url, {"tekst": "x" * 2000})
    assert Bericht.objects.get().tekst == "x" * 2000


def test_an_organiser_sends_at_most_five_messages_an_hour(login, buurt):
    from activiteiten.models import Bericht

    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    first, second = (factories.activiteit(organisator=organiser) for _ in range(2))
    client = login(organiser)
    for activiteit in (first, first, first, second, second):  # per organiser, not per activity
        url = reverse("activiteiten:bericht", kwargs={"pk": activiteit.pk})
        sent = client.post(url, {"tekst": "Neem een zaklamp mee."}, follow=True)
        assert "Je bericht staat bij de activiteit" in sent.content.decode()
    response = client.post(url, {"tekst": "Nog eentje."}, follow=True)
    assert response.status_code == 200
    assert "Je hebt het afgelopen uur al veel berichten verstuurd." in response.content.decode()
    assert Bericht.objects.count() == 5
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        client.post(url, {"tekst": "Een uur later."})
    assert Bericht.objects.count() == 6


@pytest.mark.parametrize("rol", ["abc", "1'", "²", "9" * 30, "-1"])
def test_a_bad_role_id_gets_a_message_and_signs_nobody_up(login, buurt, rol):
    activiteit = factories.activiteit(buurt=buurt, rollen=[("Loper", 2)])
    response = login(factories.LidmaatschapFactory(buurt=buurt).user).post(
        reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk}), {"rol": rol}, follow=True
    )
    assert response.status_code == 200
    assert "Deze vrijwilligersrol bestaat niet (meer)" in response.content.decode()
    assert not Aanmelding.objects.exists()


def test_a_role_of_another_activity_signs_nobody_up(login, buurt):
    activiteit = factories.activiteit(buurt=buurt, rollen=[("Loper", 2)])
    elsewhere = factories.activiteit(buurt=buurt, rollen=[("Koffie", 1)])
    response = login(factories.LidmaatschapFactory(buurt=buurt).user).post(
        reverse("activiteiten:aanmelden", kwargs={"pk": activiteit.pk}),
        {"rol": elsewhere.rollen.get().pk},
        follow=True,
    )
    assert "Deze vrijwilligersrol bestaat niet (meer)" in response.content.decode()
    assert not Aanmelding.objects.exists()


@pytest.mark.parametrize("field", ["start", "einde"])
def test_an_activity_more_than_a_year_ahead_is_refused(login, member, field):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        start = datetime(2027, 11, 26, 18, 0) if field == "einde" else datetime(2099, 12, 5, 10, 0)
        response = login(member).post(
            reverse("activiteiten:nieuw"),
            form_data(
                start=start.strftime("%Y-%m-%dT%H:%M"),
                einde=datetime(2099, 12, 5, 12, 0).strftime("%Y-%m-%dT%H:%M"),
            ),
        )
    assert response.status_code == 200
    assert (
        "Dat is meer dan een jaar vooruit. Kies een datum tot en met 26 november 2027."
        in response.content.decode()
    )
    assert not Activiteit.objects.exists()


def test_a_series_may_not_run_past_a_year_ahead(login, member):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        client = login(member)
        data = form_data(
            start="2027-10-05T19:00", einde="2027-10-05T21:00", herhaling="maandelijks"
        )
        refused = client.post(reverse("activiteiten:nieuw"), {**data, "aantal": "12"})
        assert refused.status_code == 200
        assert (
            "De laatste keer valt meer dan een jaar vooruit. Met deze startdatum kan de reeks "
            "hooguit 2 keer (tot en met 26 november 2027)." in refused.content.decode()
        )
        assert not Activiteit.objects.exists()
        client.post(reverse("activiteiten:nieuw"), {**data, "aantal": "2"})
    assert [timezone.localtime(a.start) for a in Activiteit.objects.order_by("start")] == [
        datetime(2027, 10, 5, 19, 0, tzinfo=AMS),
        datetime(2027, 11, 5, 19, 0, tzinfo=AMS),  # winter time by then: still 19:00
    ]


def _local_times(activiteiten):
    return [
        (timezone.localtime(a.start).strftime("%d-%m %H:%M"), timezone.localtime(a.einde).time())
        for a in activiteiten
    ]


@pytest.mark.parametrize(
    ("first", "herhaling", "dates"),
    [
        # The clocks change on 28 March and 31 October 2027.
        ("2027-03-20", "wekelijks", ["20-03", "27-03", "03-04", "10-04"]),
        ("2027-10-23", "wekelijks", ["23-10", "30-10", "06-11", "13-11"]),
        ("2027-02-23", "maandelijks", ["23-02", "23-03", "23-04", "23-05"]),
        ("2027-10-23", "maandelijks", ["23-10", "23-11", "23-12", "23-01"]),
    ],
)
def test_a_series_stays_at_its_local_time_across_a_dst_switch(
    login, member, first, herhaling, dates
):
    with time_machine.travel(datetime(2027, 2, 1, 10, 0, tzinfo=AMS), tick=False):
        login(member).post(
            reverse("activiteiten:nieuw"),
            form_data(
                start=f"{first}T19:00", einde=f"{first}T21:00", herhaling=herhaling, aantal="4"
            ),
        )
    assert _local_times(Activiteit.objects.order_by("start")) == [
        (f"{day} 19:00", time(21, 0)) for day in dates
    ]


@pytest.mark.parametrize(
    ("einde", "on_the_switch"),
    [
        ("04:00", ("28-03 03:30", time(4, 0))),
        # 02:30 read as 03:30 would pass its end: the occurrence keeps its 45 minutes.
        ("03:15", ("28-03 03:30", time(4, 15))),
    ],
)
def test_a_series_meeting_the_skipped_hour_reads_it_as_a_typed_time_is_read(
    login, member, einde, on_the_switch
):
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=AMS), tick=False):
        login(member).post(
            reverse("activiteiten:nieuw"),
            form_data(
                start="2027-03-21T02:30",
                einde=f"2027-03-21T{einde}",
                herhaling="wekelijks",
                aantal="3",
            ),
        )
    made = Activiteit.objects.order_by("start")
    first_end = datetime.strptime(einde, "%H:%M").time()
    assert _local_times(made) == [
        ("21-03 02:30", first_end),
        on_the_switch,
        ("04-04 02:30", first_end),
    ]
    assert made[1].start == wall_time(date(2027, 3, 28), time(2, 30))


def test_a_series_late_in_the_evening_may_run_up_to_the_last_day_a_year_ahead(login, member):
    """Its dates are the dates here: 23:15 in January is 22:15 UTC, which in June would be
    00:15 on the 16th, a day past the horizon."""
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=AMS), tick=False):
        response = login(member).post(
            reverse("activiteiten:nieuw"),
            form_data(
                start="2027-01-15T23:15",
                einde="2027-01-15T23:45",
                herhaling="maandelijks",
                aantal="6",
            ),
        )
    assert response.status_code == 302
    assert _local_times(Activiteit.objects.order_by("start"))[-1] == ("15-06 23:15", time(23, 45))


def test_an_activity_a_year_ahead_is_fine(login, member):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        login(member).post(
            reverse("activiteiten:nieuw"),
            form_data(start="2027-11-26T18:00", einde="2027-11-26T20:00"),
        )
    assert Activiteit.objects.get().start.year == 2027


def test_lists_show_the_year_of_dates_in_another_year(login, member, buurt):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        factories.activiteit(
            buurt=buurt, titel="Kerstborrel", start=datetime(2026, 12, 19, 16, 0, tzinfo=AMS)
        )
        factories.activiteit(
            buurt=buurt, titel="Nieuwjaarsduik", start=datetime(2027, 1, 9, 11, 0, tzinfo=AMS)
        )
        html = login(member).get(reverse("activiteiten:lijst")).content.decode()
    assert "za 19 dec 16:00" in html
    assert "za 9 jan 2027 11:00" in html


def test_links_in_a_description_are_clickable_and_everything_else_stays_escaped(
    client, login, member, buurt
):
    activiteit = factories.activiteit(
        buurt=buurt,
        zichtbaarheid="openbaar",
        beschrijving=(
            "Meer info: https://buurt.example.nl/plan?a=1&b=2\n"
            '<script>alert(1)</script> https://x.example.nl/"onmouseover="alert(2) '
            "javascript:alert(3)"
        ),
    )
    invitation = reverse("activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging})
    for html in (
        login(member).get(activiteit.get_absolute_url()).content.decode(),
        Client().get(invitation).content.decode(),
    ):
        assert (
            '<a href="https://buurt.example.nl/plan?a=1&amp;b=2" rel="nofollow noopener">'
            "https://buurt.example.nl/plan?a=1&amp;b=2</a><br>"
        ) in html
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'onmouseover="' not in html
        assert 'href="javascript' not in html


def test_a_printed_flyer_links_to_the_site_not_to_the_host_that_built_it(login, buurt, settings):
    """A flyer outlives the request: behind the proxy the request's host is an internal name,
    and the QR code and link must take a neighbour to the public site."""
    settings.WIJKAANPAK_SITE_URL = "https://wijk.example.nl"
    settings.ALLOWED_HOSTS = ["web.internal", "testserver"]
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser, zichtbaarheid="openbaar")
    flyer = login(organiser).get(
        reverse("activiteiten:flyer", kwargs={"pk": activiteit.pk}), HTTP_HOST="web.internal"
    )
    page = flyer.content.decode()
    link = "https://wijk.example.nl" + reverse(
        "activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging}
    )
    assert link in page
    assert "web.internal" not in page
