"""Faciliteringsverzoeken pages: the resident's form, the coordinator's queue and decisions."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.meldingen.test_upload_limits import jpeg
from verzoeken import services
from verzoeken.models import StilzwijgendRegel, Verzoek

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def form_data(**overrides):
    data = {
        "soort": "materialen",
        "bedrag": "",
        "toelichting": "Hesjes en zaklampen",
        "nodig_op": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "indienen": "1",
    }
    data.update(overrides)
    return data


def test_a_resident_asks_and_sees_the_silent_consent_date(login, member, buurt):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="materialen", max_bedrag=Decimal("250"), werkdagen=3
    )
    client = login(member)
    response = client.post(reverse("verzoeken:nieuw"), form_data(), follow=True)
    verzoek = Verzoek.objects.get()
    assert verzoek.status == "ingediend"
    html = response.content.decode()
    assert "tenzij de gemeente voor die tijd bezwaar maakt" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bedrag": "twintig"}, "Vul een bedrag in, zoals 85,50 of 1250."),
        ({"bedrag": "-5"}, "negatief"),
        ({"nodig_op": "2020-01-01"}, "verleden"),
        ({"soort": "alles"}, "Selecteer een geldige keuze"),
        ({"toelichting": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_requests_get_a_clear_message_and_save_nothing(login, member, overrides, message):
    response = login(member).post(reverse("verzoeken:nieuw"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Verzoek.objects.exists()


def test_scope_of_requests(login, member, buurt, other_buurt, police):
    verzoek = services.verzoek_create(
        aanvrager=member,
        buurt=buurt,
        soort="ruimte",
        nodig_op=timezone.localdate() + timedelta(days=5),
        toelichting="Buurtkamer",
        indienen=True,
    )
    url = verzoek.get_absolute_url()
    assert login(member).get(url).status_code == 200
    assert login(factories.professional("coordinator", buurt.wijk)).get(url).status_code == 200
    for outsider in (
        factories.LidmaatschapFactory(buurt=buurt).user,
        factories.professional("coordinator", other_buurt.wijk),
    ):
        assert login(outsider).get(url).status_code == 404
    assert login(member).get(reverse("verzoeken:wachtrij")).status_code == 404
    assert login(police).get(reverse("verzoeken:wachtrij")).status_code == 404


def test_coordinator_queue_sorted_by_deadline_with_bulk_approval(
    login, buurt, other_buurt, django_assert_max_num_queries
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    made = []
    for days in (9, 3, 6):
        member = factories.LidmaatschapFactory(buurt=buurt).user
        verzoek = services.verzoek_create(
            aanvrager=member,
            buurt=buurt,
            soort="materialen",
            nodig_op=timezone.localdate() + timedelta(days=20),
            toelichting="x",
            indienen=True,
        )
        Verzoek.objects.filter(pk=verzoek.pk).update(deadline=date.today() + timedelta(days=days))
        made.append(verzoek)
    elsewhere = factories.LidmaatschapFactory(buurt=other_buurt).user
    services.verzoek_create(
        aanvrager=elsewhere,
        buurt=other_buurt,
        soort="materialen",
        nodig_op=timezone.localdate() + timedelta(days=20),
        toelichting="y",
        indienen=True,
    )
    client = login(coordinator)
    with django_assert_max_num_queries(10) as few:
        page = client.get(reverse("verzoeken:wachtrij"))
    assert [v.pk for v in page.context["verzoeken"]] == [made[1].pk, made[2].pk, made[0].pk]
    for _i in range(15):
        services.verzoek_create(
            aanvrager=factories.LidmaatschapFactory(buurt=buurt).user,
            buurt=buurt,
            soort="materialen",
            toelichting="z",
            indienen=True,
            nodig_op=timezone.localdate() + timedelta(days=20),
        )
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(reverse("verzoeken:wachtrij")).context["verzoeken"]) == 18

    client.post(reverse("verzoeken:wachtrij"), {"verzoek": [made[0].pk, made[1].pk]})
    statuses = dict(Verzoek.objects.values_list("pk", "status"))
    assert [statuses[v.pk] for v in made] == ["toegekend", "toegekend", "ingediend"]


def test_rejecting_from_the_page_needs_a_reason(login, member, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = services.verzoek_create(
        aanvrager=member,
        buurt=buurt,
        soort="straatfeest",
        nodig_op=timezone.localdate() + timedelta(days=8),
        toelichting="Straatfeest zaterdag",
        indienen=True,
    )
    url = reverse("verzoeken:actie", kwargs={"pk": verzoek.pk})
    refused = login(coordinator).post(url, {"actie": "afwijzen", "bericht": ""}, follow=True)
    assert "waarom" in refused.content.decode()
    login(coordinator).post(url, {"actie": "afwijzen", "bericht": "Die straat is dan opgebroken."})
    verzoek.refresh_from_db()
    assert verzoek.status == "afgewezen"
    page = login(member).get(verzoek.get_absolute_url()).content.decode()
    assert "Die straat is dan opgebroken." in page


def test_coordinator_sets_silent_consent_rules(login, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    client = login(coordinator)
    client.post(
        reverse("verzoeken:regels"),
        {"soort": "budget", "max_bedrag": "250", "werkdagen": "3", "actief": "on"},
    )
    rule = StilzwijgendRegel.objects.get()
    assert (rule.soort, rule.max_bedrag, rule.werkdagen) == ("budget", Decimal("250"), 3)
    bad = client.post(reverse("verzoeken:regels"), {"soort": "budget", "werkdagen": "-1"})
    assert bad.status_code == 200
    assert StilzwijgendRegel.objects.count() == 1


def test_rules_and_bulk_approval_refuse_nonsense_without_errors(login, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    client = login(coordinator)
    for bad in (
        {"soort": "budget", "werkdagen": "5000000"},
        {"soort": "budget", "werkdagen": "3", "max_bedrag": "-5"},
    ):
        assert client.post(reverse("verzoeken:regels"), bad).status_code == 200
    assert not StilzwijgendRegel.objects.exists()
    response = client.post(
        reverse("verzoeken:wachtrij"), {"verzoek": ["abc", "1;DROP"]}, follow=True
    )
    assert response.status_code == 200
    assert "Selecteer minstens één verzoek" in response.content.decode()


def test_the_resident_answers_a_question_and_is_warned_about_late_deadlines(login, member, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = services.verzoek_create(
        aanvrager=member,
        buurt=buurt,
        soort="budget",
        bedrag=Decimal("300"),
        toelichting="Springkussen",
        nodig_op=timezone.localdate() + timedelta(days=2),
        indienen=True,
    )
    page = login(member).get(verzoek.get_absolute_url()).content.decode()
    assert "Let op: je hoort misschien pas op" in page
    services.verzoek_besluiten(
        verzoek=verzoek, by=coordinator, actie="aanvulling_vragen", bericht="Voor hoeveel kinderen?"
    )
    url = reverse("verzoeken:actie", kwargs={"pk": verzoek.pk})
    login(member).post(url, {"actie": "indienen", "antwoord": "Ongeveer dertig."})
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"
    assert verzoek.historie.last().bericht == "Ongeveer dertig."


@pytest.mark.parametrize("raw", ["abc", "1'", "²", "9" * 30])
def test_a_bad_activity_id_on_the_request_form_is_not_found(login, member, raw):
    url = reverse("verzoeken:nieuw")
    assert login(member).get(url, {"activiteit": raw}).status_code == 404
    assert login(member).post(f"{url}?activiteit={raw}", form_data()).status_code == 404
    assert not Verzoek.objects.exists()


def test_the_request_form_links_only_the_residents_own_activity(login, member, buurt):
    own = factories.activiteit(organisator=member)
    someone_elses = factories.activiteit(buurt=buurt)
    url = reverse("verzoeken:nieuw")
    assert own.titel in login(member).get(url, {"activiteit": own.pk}).content.decode()
    assert login(member).get(url, {"activiteit": someone_elses.pk}).status_code == 404


def test_bulk_approval_ignores_ids_that_cannot_be_ids(login, member, buurt):
    verzoek = factories.submitted_verzoek(member, buurt)
    coordinator = factories.professional("coordinator", buurt.wijk)
    response = login(coordinator).post(
        reverse("verzoeken:wachtrij"), {"verzoek": ["²", "9" * 30, str(verzoek.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert "1 verzoek toegekend" in response.content.decode()
    verzoek.refresh_from_db()
    assert verzoek.status == "toegekend"


def test_bulk_approval_with_nothing_selected_asks_for_a_selection(login, member, buurt):
    verzoek = factories.submitted_verzoek(member, buurt)
    client = login(factories.professional("coordinator", buurt.wijk))
    response = client.post(reverse("verzoeken:wachtrij"), {}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Selecteer minstens één verzoek om toe te kennen." in html
    assert "alert-danger" in html
    assert "toegekend." not in html
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"


def test_bulk_approval_of_requests_decided_meanwhile_says_nothing_was_approved(
    login, member, buurt
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = factories.submitted_verzoek(member, buurt)
    services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="afwijzen", bericht="Nee.")
    response = login(coordinator).post(
        reverse("verzoeken:wachtrij"), {"verzoek": [verzoek.pk]}, follow=True
    )
    assert "Er is niets toegekend: de gekozen verzoeken zijn al besloten." in (
        response.content.decode()
    )
    verzoek.refresh_from_db()
    assert verzoek.status == "afgewezen"


@pytest.mark.parametrize("role", ["bewoner", "politie", "handhaving"])
def test_only_coordinators_approve_in_bulk(login, member, buurt, role):
    verzoek = factories.submitted_verzoek(member, buurt)
    user = member if role == "bewoner" else factories.professional(role, buurt.wijk)
    response = login(user).post(reverse("verzoeken:wachtrij"), {"verzoek": [verzoek.pk]})
    assert response.status_code == 404
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"


def test_a_coordinator_elsewhere_cannot_approve_in_bulk(login, member, buurt, other_buurt):
    verzoek = factories.submitted_verzoek(member, buurt)
    far = factories.professional("coordinator", other_buurt.wijk)
    response = login(far).post(
        reverse("verzoeken:wachtrij"), {"verzoek": [verzoek.pk]}, follow=True
    )
    assert "verzoek toegekend" not in response.content.decode()
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"


def test_silent_consent_is_announced_as_future_until_the_deadline(login, member, buurt):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="materialen", max_bedrag=Decimal("250"), werkdagen=3
    )
    thursday = datetime(2026, 11, 26, 10, 0, tzinfo=AMS)
    with time_machine.travel(thursday, tick=False):
        verzoek = factories.submitted_verzoek(member, buurt, nodig_op=date(2026, 12, 20))
        html = login(member).get(verzoek.get_absolute_url()).content.decode()
    assert "Wordt op dinsdag 1 december goedgekeurd, tenzij de gemeente" in html
    assert "Goedgekeurd op" not in html
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=AMS), tick=False):
        late = login(member).get(verzoek.get_absolute_url()).content.decode()
    assert "De termijn voor bezwaar is voorbij" in late
    assert "Wordt op" not in late


def test_the_coordinator_is_warned_when_the_deadline_falls_after_the_date_needed(
    login, member, buurt
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    thursday = datetime(2026, 11, 26, 10, 0, tzinfo=AMS)
    with time_machine.travel(thursday, tick=False):
        late = factories.submitted_verzoek(
            member, buurt, soort="budget", bedrag=Decimal("80"), nodig_op=date(2026, 11, 28)
        )
        in_time = factories.submitted_verzoek(member, buurt, nodig_op=date(2026, 12, 20))
        client = login(coordinator)
        queue = client.get(reverse("verzoeken:wachtrij")).content.decode()
        detail = client.get(late.get_absolute_url()).content.decode()
    assert late.deadline > late.nodig_op and in_time.deadline < in_time.nodig_op
    rows = {
        verzoek.pk: next(li for li in queue.split("<li") if verzoek.get_absolute_url() in li)
        for verzoek in (late, in_time)
    }
    assert "Let op: nodig op of vóór de laatste dag van de termijn" in rows[late.pk]
    assert "Let op" not in rows[in_time.pk]
    assert "de aanvrager heeft het nodig op of vóór de laatste dag van de termijn" in detail
    assert "Besluit vóór zaterdag 28 november" in detail


# Submitted on Tuesday 8 December 2026 under a rule of 3 working days: approved by silent
# consent on Friday 11 December.
TUESDAY = datetime(2026, 12, 8, 10, 0, tzinfo=AMS)
WARNING = "Let op: je hoort misschien pas op vrijdag 11 december of het doorgaat"


@pytest.fixture
def three_days(buurt):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="materialen", max_bedrag=Decimal("250"), werkdagen=3
    )


@pytest.mark.usefixtures("three_days")
def test_the_form_warns_when_silent_consent_falls_on_the_day_needed(login, member):
    with time_machine.travel(TUESDAY, tick=False):
        client = login(member)
        warned = client.post(reverse("verzoeken:nieuw"), form_data(nodig_op="2026-12-11"))
        assert not Verzoek.objects.exists()  # not yet: the resident sees the warning first
        html = warned.content.decode()
        assert WARNING in html
        assert "en je hebt het nodig op vrijdag 11 december" in html
        assert 'name="datum_gezien" value="2026-12-11"' in html
        # A warning, not a refusal: the second click submits.
        sent = client.post(
            reverse("verzoeken:nieuw"),
            form_data(nodig_op="2026-12-11", datum_gezien="2026-12-11"),
            follow=True,
        )
    verzoek = Verzoek.objects.get()
    assert (verzoek.status, verzoek.deadline) == ("ingediend", date(2026, 12, 11))
    assert WARNING in sent.content.decode()  # and the request's page keeps saying it


@pytest.mark.usefixtures("three_days")
def test_a_changed_date_that_is_still_too_close_is_warned_about_again(login, member):
    with time_machine.travel(TUESDAY, tick=False):
        response = login(member).post(
            reverse("verzoeken:nieuw"), form_data(nodig_op="2026-12-10", datum_gezien="2026-12-11")
        )
    assert not Verzoek.objects.exists()
    assert "en je hebt het nodig op donderdag 10 december" in response.content.decode()


@pytest.mark.usefixtures("three_days")
def test_no_warning_when_the_answer_comes_before_the_day_needed(login, member):
    with time_machine.travel(TUESDAY, tick=False):
        client = login(member)
        response = client.post(
            reverse("verzoeken:nieuw"), form_data(nodig_op="2026-12-14"), follow=True
        )
    assert Verzoek.objects.get().status == "ingediend"
    html = response.content.decode()
    assert "Wordt op vrijdag 11 december goedgekeurd" in html
    assert "Let op" not in html


@pytest.mark.usefixtures("three_days")
def test_a_draft_is_saved_without_the_warning(login, member):
    with time_machine.travel(TUESDAY, tick=False):
        draft = form_data(nodig_op="2026-12-11")
        del draft["indienen"]
        login(member).post(reverse("verzoeken:nieuw"), draft)
    assert Verzoek.objects.get().status == "concept"


@pytest.mark.usefixtures("three_days")
def test_the_request_page_warns_when_silent_consent_falls_on_the_day_needed(login, member, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with time_machine.travel(TUESDAY, tick=False):
        verzoek = factories.submitted_verzoek(member, buurt, nodig_op=date(2026, 12, 11))
        own = login(member).get(verzoek.get_absolute_url()).content.decode()
        theirs = login(coordinator).get(verzoek.get_absolute_url()).content.decode()
        queue = login(coordinator).get(reverse("verzoeken:wachtrij")).content.decode()
    assert verzoek.stilzwijgend and verzoek.deadline == verzoek.nodig_op
    assert WARNING in own
    assert "Neem contact op met je wijkcoördinator als het haast heeft" in own
    assert "Besluit vóór vrijdag 11 december" in theirs
    assert "Let op: nodig op of vóór de laatste dag van de termijn" in queue


def test_a_request_needed_more_than_a_year_ahead_is_refused(login, member):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        client = login(member)
        refused = client.post(reverse("verzoeken:nieuw"), form_data(nodig_op="2099-12-05"))
        assert not Verzoek.objects.exists()
        client.post(reverse("verzoeken:nieuw"), form_data(nodig_op="2027-11-26"))
    assert refused.status_code == 200
    assert (
        "Dat is meer dan een jaar vooruit. Kies een datum tot en met 26 november 2027."
        in refused.content.decode()
    )
    assert Verzoek.objects.get().nodig_op == date(2027, 11, 26)


def test_the_queue_shows_the_year_of_dates_in_another_year(login, member, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with time_machine.travel(datetime(2026, 12, 21, 10, 0, tzinfo=AMS), tick=False):
        factories.submitted_verzoek(member, buurt, nodig_op=date(2027, 1, 15))
        html = login(coordinator).get(reverse("verzoeken:wachtrij")).content.decode()
    assert "nodig op 15 jan 2027" in html
    assert "uiterlijk di 29 dec" in html and "29 dec 2026" not in html  # this year: no year


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"max_bedrag": "100000"},
            "Stilzwijgend akkoord is voor kleine verzoeken: kies een bedrag van € 0 tot en met "
            "€ 2.500, of laat het leeg.",
        ),
        ({"max_bedrag": "2500.01"}, "kies een bedrag van € 0 tot en met € 2.500"),
        ({"werkdagen": "11"}, "Kies 1 tot en met 10 werkdagen."),
        ({"werkdagen": "0"}, "Kies 1 tot en met 10 werkdagen."),
        ({"max_bedrag": "NaN"}, "Vul een bedrag in, zoals 85,50 of 1250."),
    ],
)
def test_silent_consent_rules_stay_within_bounds(login, coordinator, values, message):
    data = {"soort": "materialen", "werkdagen": "1", "actief": "on", **values}
    response = login(coordinator).post(reverse("verzoeken:regels"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StilzwijgendRegel.objects.exists()


def test_the_bounds_themselves_are_allowed(login, coordinator):
    client = login(coordinator)
    for soort, werkdagen in (("materialen", "1"), ("budget", "10")):
        data = {"soort": soort, "max_bedrag": "2500", "werkdagen": werkdagen, "actief": "on"}
        client.post(reverse("verzoeken:regels"), data)
    assert sorted(StilzwijgendRegel.objects.values_list("werkdagen", flat=True)) == [1, 10]
    page = client.get(reverse("verzoeken:regels")).content.decode()
    assert "tot € 2.500,00" in page
    assert "een regel geldt tot en met € 2.500, met een termijn van 1 tot en met 10" in page


def test_replacing_a_rule_asks_first_and_records_who_changed_it(login, buurt):
    first = factories.professional("coordinator", buurt.wijk, weergavenaam="Anouk de Vries")
    second = factories.professional("coordinator", buurt.wijk, weergavenaam="Bram Jansen")
    url = reverse("verzoeken:regels")
    rule = {"soort": "materialen", "max_bedrag": "250", "werkdagen": "3", "actief": "on"}
    with time_machine.travel(datetime(2026, 11, 20, 9, 15, tzinfo=AMS), tick=False):
        login(first).post(url, rule)
    page = login(second).get(url).content.decode()
    assert "laatst gewijzigd door Anouk de Vries op 20 november 2026 09:15" in page

    change = {**rule, "max_bedrag": "2000", "werkdagen": "1"}
    asked = login(second).post(url, change).content.decode()
    assert "Er is al een regel voor deze soort. Opslaan vervangt die regel" in asked
    assert "tot € 250,00" in asked
    assert "Ja, vervang de regel" in asked
    saved = StilzwijgendRegel.objects.get()
    assert (saved.max_bedrag, saved.werkdagen, saved.gewijzigd_door) == (Decimal("250"), 3, first)

    with time_machine.travel(datetime(2026, 11, 26, 14, 5, tzinfo=AMS), tick=False):
        done = login(second).post(url, {**change, "vervangen": "1"}, follow=True)
    html = done.content.decode()
    assert "De regel is opgeslagen." in html
    assert "tot € 2.000,00" in html
    assert "laatst gewijzigd door Bram Jansen op 26 november 2026 14:05" in html
    saved.refresh_from_db()
    assert (saved.max_bedrag, saved.werkdagen, saved.gewijzigd_door) == (
        Decimal("2000"),
        1,
        second,
    )


def test_rules_page_per_role(login, member, police, enforcement, buurt):
    url = reverse("verzoeken:regels")
    for user in (member, police, enforcement):
        assert login(user).post(url, {"soort": "budget", "werkdagen": "3"}).status_code == 404
    assert not StilzwijgendRegel.objects.exists()
    rotterdam = factories.GemeenteFactory(code="GM0599", naam="Rotterdam")
    elsewhere = factories.UserFactory(
        role="coordinator", team=factories.TeamFactory(gemeente=rotterdam)
    )
    own = factories.professional("coordinator", buurt.wijk)
    login(own).post(url, {"soort": "budget", "max_bedrag": "250", "werkdagen": "3"})
    response = login(elsewhere).get(url)
    assert response.status_code == 200
    assert "tot € 250,00" not in response.content.decode()
    login(elsewhere).post(url, {"soort": "budget", "max_bedrag": "100", "werkdagen": "5"})
    rules = dict(StilzwijgendRegel.objects.values_list("gemeente__code", "werkdagen"))
    assert rules == {"GM0363": 3, "GM0599": 5}


def test_amounts_show_thousands_separators(login, member, buurt):
    verzoek = factories.submitted_verzoek(member, buurt, soort="budget", bedrag=Decimal("1250"))
    coordinator = factories.professional("coordinator", buurt.wijk)
    for user, url in (
        (coordinator, reverse("verzoeken:wachtrij")),
        (coordinator, verzoek.get_absolute_url()),
        (member, reverse("verzoeken:lijst")),
    ):
        assert "€ 1.250,00" in login(user).get(url).content.decode()


# --- bad input on the request's page: a message, nothing half-saved ------------------------


def carried_out(member, buurt):
    verzoek = factories.submitted_verzoek(member, buurt)
    coordinator = factories.professional("coordinator", buurt.wijk)
    services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=verzoek, by=member, actie="uitgevoerd")
    return verzoek


def stored_files(settings) -> list:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("deelnemers", ["99999999999", "10001"])
def test_accounting_with_an_impossible_headcount_gets_a_message_and_keeps_no_photo(
    login, member, buurt, settings, deelnemers
):
    # 99999999999 was "integer out of range" from Postgres: a 500, the photo already stored.
    verzoek = carried_out(member, buurt)
    photo = SimpleUploadedFile("feest.jpg", jpeg(), "image/jpeg")
    response = login(member).post(
        reverse("verzoeken:actie", kwargs={"pk": verzoek.pk}),
        {"actie": "verantwoorden", "deelnemers": deelnemers, "foto": photo},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aantal deelnemers: Zorg ervoor dat deze waarde hoogstens 10000 is." in html
    verzoek.refresh_from_db()
    assert (verzoek.status, verzoek.deelnemers) == ("uitgevoerd", None)
    assert not verzoek.verantwoording_foto
    assert stored_files(settings) == []


TOO_LONG = "Je bericht is te lang: hoogstens 1000 tekens (nu 1001)."


@pytest.mark.parametrize("actie", ["afwijzen", "aanvulling_vragen", "toekennen"])
def test_a_decision_with_a_message_over_1000_characters_is_refused(login, member, buurt, actie):
    verzoek = factories.submitted_verzoek(member, buurt)
    coordinator = factories.professional("coordinator", buurt.wijk)
    response = login(coordinator).post(
        reverse("verzoeken:actie", kwargs={"pk": verzoek.pk}),
        {"actie": actie, "bericht": "x" * 1001},
        follow=True,
    )
    assert TOO_LONG in response.content.decode()
    verzoek.refresh_from_db()
    assert (verzoek.status, verzoek.reden) == ("ingediend", "")
    assert verzoek.historie.count() == 2  # concept, ingediend


def test_an_answer_over_1000_characters_is_refused(login, member, buurt):
    verzoek = factories.submitted_verzoek(member, buurt)
    coordinator = factories.professional("coordinator", buurt.wijk)
    services.verzoek_besluiten(
        verzoek=verzoek, by=coordinator, actie="aanvulling_vragen", bericht="Hoeveel hesjes?"
    )
    url = reverse("verzoeken:actie", kwargs={"pk": verzoek.pk})
    response = login(member).post(url, {"actie": "indienen", "antwoord": "x" * 1001}, follow=True)
    assert TOO_LONG in response.content.decode()
    verzoek.refresh_from_db()
    assert verzoek.status == "aanvulling_gevraagd"
    assert verzoek.historie.count() == 3
    # A thousand characters is fine.
    login(member).post(url, {"actie": "indienen", "antwoord": "x" * 1000})
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"
