"""Berichten, the inbox in the site: each person reads their own notices there, newest first,
with one unread count in the menu; opening one marks it read and opens what it is about."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activiteiten import services as activiteiten
from meldingen import services as meldingen
from meldingen.models import Doel, RoutingRegel
from meldingen.workflow import Actie
from notificaties import soorten
from notificaties.models import Notificatie
from notificaties.services import notificaties_purge, notify
from portaal.views import BERICHTEN_PER_PAGINA
from tests import factories

pytestmark = pytest.mark.django_db

Soort = Notificatie.Soort
INBOX = "/berichten/"


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (berichten)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def gemeld(member, categorie, police):
    """The member reported a melding (the receipt) and the police closed it with a message."""
    melding = factories.melding(user=member, categorie=categorie)
    meldingen.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Agent is langs geweest."
    )
    return melding


def _row(user, soort) -> Notificatie:
    return Notificatie.objects.get(ontvanger=user, soort=soort)


def _open(client, row):
    return client.post(reverse("bericht-openen", kwargs={"pk": row.pk}))


def test_a_reporter_reads_the_news_about_her_melding(login, member, gemeld):
    client = login(member)
    page = client.get(INBOX).content.decode()
    assert "Je hebt 2 ongelezen berichten." in page
    # Newest first: the handler's message, then the receipt; a line each, and what it is about.
    assert page.index("Nieuws over je melding") < page.index("Je melding is ontvangen")
    assert "Afgesloten: Agent is langs geweest." in page
    assert gemeld.referentie in page
    # Screen readers hear which are unread, and the menu counts them (also on a phone's button).
    assert page.count('<span class="visually-hidden">Ongelezen: </span>') == 2
    assert "ongelezen: </span>2</span>" in client.get(reverse("activiteiten:lijst")).text

    response = _open(client, _row(member, Soort.TERUGKOPPELING))
    assert response.status_code == 302
    assert response.url == reverse("meldingen:mijn-detail", kwargs={"pk": gemeld.pk})
    assert "Je hebt 1 ongelezen bericht." in client.get(INBOX).text
    # Opening the melding itself reads the rest of the news about it, receipt included.
    client.get(response.url)
    assert "Je hebt alles gelezen." in client.get(INBOX).text
    assert "ongelezen:" not in client.get(reverse("activiteiten:lijst")).text


def test_news_read_on_the_melding_page_is_read_in_the_inbox_too(login, member, gemeld):
    client = login(member)
    client.get(reverse("meldingen:mijn-detail", kwargs={"pk": gemeld.pk}))
    page = client.get(INBOX).text
    assert "Je hebt alles gelezen." in page
    assert "Nieuws over je melding" in page  # still listed, as read
    assert "Ongelezen:" not in page


@pytest.mark.parametrize("role", ["bewoner", "coordinator", "politie", "handhaving", "beheerder"])
def test_no_one_else_reads_or_opens_a_persons_notice(login, member, gemeld, wijk, buurt, role):
    if role == "bewoner":
        other = factories.LidmaatschapFactory(buurt=buurt).user
    elif role == "beheerder":
        other = factories.UserFactory(role=role, is_staff=True, is_superuser=True)
    else:
        other = factories.professional(role, wijk)
    client = login(other)
    page = client.get(INBOX).text
    assert "Agent is langs geweest" not in page and gemeld.referentie not in page
    for soort in (Soort.TERUGKOPPELING, Soort.ONTVANGSTBEVESTIGING):
        row = _row(member, soort)
        assert _open(client, row).status_code == 404
        row.refresh_from_db()
        assert row.gelezen_at is None


def test_a_neighbour_who_said_ik_ook_never_reads_what_was_meant_for_the_reporter(
    login, member, buurt, categorie, police
):
    melding = factories.melding(user=member, categorie=categorie)
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    meldingen.melding_join(user=neighbour, melding=melding, bescherming="coordinator")
    meldingen.melding_transition(
        melding=melding,
        actie=Actie.OPPAKKEN,
        by=police,
        bericht_eerste_melder="Beste melder, dank voor uw foto's van nummer 12.",
    )
    meldingen.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    theirs = login(neighbour).get(INBOX).text
    assert "Opgelost." in theirs
    assert "nummer 12" not in theirs
    assert "Je melding is ontvangen" not in theirs  # the receipt names the reporter's report
    assert "Je hebt 1 ongelezen bericht." in theirs
    hers = login(member).get(INBOX).text
    assert "nummer 12" in hers and "Opgelost." in hers


def test_a_teams_copy_shows_to_no_one_each_coordinator_has_their_own(login, buurt, wijk):
    """An intimidation case: each coordinator of the area is told in a row of their own, the
    team's shared address in another. The team's row is in no one's inbox, so a colleague who
    joins the team later does not read about the case."""
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd (berichten)", is_intimidatie=True)
    coordinator = factories.professional("coordinator", wijk)
    coordinator.team.email = "team@example.org"
    coordinator.team.save()
    melding = factories.melding(buurt=buurt, categorie=bedreigd)
    assert Notificatie.objects.filter(soort=Soort.INTIMIDATIE, team=coordinator.team).exists()
    page = login(coordinator).get(INBOX).text
    assert page.count("Intimidatie: steun gevraagd") == 1
    assert melding.referentie in page
    later = factories.UserFactory(role="coordinator", team=coordinator.team)
    assert "Intimidatie" not in login(later).get(INBOX).text


def test_a_notice_that_names_a_reporter_reaches_no_team_even_if_one_was_written(
    login, member, gemeld, wijk
):
    """Written by mistake for a team, a reporter's notice still reaches only that reporter."""
    colleague = factories.professional("politie", wijk)
    wijziging = _row(member, Soort.TERUGKOPPELING).object_id
    with transaction.atomic():
        notify(soort=Soort.TERUGKOPPELING, object_id=wijziging, teams=[colleague.team])
    assert Soort.TERUGKOPPELING in Notificatie.NAMES_A_REPORTER
    assert "Agent is langs geweest" not in login(colleague).get(INBOX).text


def test_alles_gelezen_reads_what_the_page_showed_not_what_came_after(login, member, gemeld):
    client = login(member)
    page = client.get(INBOX)
    tot = page.context["tot"]
    assert tot == _row(member, Soort.TERUGKOPPELING).pk
    with transaction.atomic():  # a welcome arrives while the page is open
        lidmaatschap = member.lidmaatschappen.get()
        notify(soort=Soort.WELKOM, object_id=lidmaatschap.pk, ontvangers=[member], relay=False)
    response = client.post(reverse("berichten-gelezen"), {"tot": tot}, follow=True)
    assert "Alle berichten staan op gelezen." in response.text
    assert "Je hebt 1 ongelezen bericht." in response.text
    assert _row(member, Soort.WELKOM).gelezen_at is None
    assert _row(member, Soort.TERUGKOPPELING).gelezen_at is not None


@pytest.mark.parametrize("tot", [None, "", "abc", "0", "-3", str(2**64), "1.5"])
def test_alles_gelezen_with_bad_input_says_so_and_changes_nothing(login, member, gemeld, tot):
    client = login(member)
    data = {} if tot is None else {"tot": tot}
    response = client.post(reverse("berichten-gelezen"), data, follow=True)
    assert response.status_code == 200
    assert "Dat lukte niet. Laad de pagina opnieuw" in response.text
    assert not Notificatie.objects.filter(gelezen_at__isnull=False).exists()


def test_reading_takes_a_post_with_the_csrf_token(member, gemeld, login):
    login(member)
    row = _row(member, Soort.TERUGKOPPELING)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.get(reverse("bericht-openen", kwargs={"pk": row.pk})).status_code == 405
    assert strict.get(reverse("berichten-gelezen")).status_code == 405
    assert _open(strict, row).status_code == 403
    assert strict.post(reverse("berichten-gelezen"), {"tot": row.pk}).status_code == 403
    row.refresh_from_db()
    assert row.gelezen_at is None
    # With the page's token it works.
    token = strict.get(INBOX).context["csrf_token"]
    url = reverse("bericht-openen", kwargs={"pk": row.pk})
    assert strict.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    row.refresh_from_db()
    assert row.gelezen_at is not None


def test_a_visitor_is_asked_to_sign_in(client, member, gemeld):
    row = _row(member, Soort.TERUGKOPPELING)
    for response in (client.get(INBOX), _open(client, row)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    row.refresh_from_db()
    assert row.gelezen_at is None


def _promoted(buurt):
    """A neighbour promoted from the waiting list (told so) and her place."""
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1)
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    taken = activiteiten.aanmelden(user=first, activiteit=activiteit)
    activiteiten.aanmelden(user=second, activiteit=activiteit)
    return second, activiteiten.afmelden(aanmelding=taken, user=first)


def test_a_notice_whose_cause_is_gone_does_not_show_nor_count(login, buurt):
    """Promoted from the waiting list, then cancelled: the place is no longer hers."""
    second, promoted = _promoted(buurt)
    client = login(second)
    assert "Er is een plek voor je vrijgekomen" in client.get(INBOX).text
    assert "ongelezen: </span>1</span>" in client.get(reverse("activiteiten:lijst")).text
    activiteiten.afmelden(aanmelding=promoted, user=second)
    page = client.get(INBOX).text
    assert "Er is een plek voor je vrijgekomen" not in page
    assert "Je hebt alles gelezen." in page
    assert "ongelezen:" not in client.get(reverse("activiteiten:lijst")).text
    # Opened from an old page anyway: it says so, and nothing breaks.
    row = _row(second, Soort.WACHTLIJST)
    response = client.post(reverse("bericht-openen", kwargs={"pk": row.pk}), follow=True)
    assert "Dit bericht is niet meer actueel" in response.text


def test_a_notice_that_lapses_when_it_is_sent_leaves_the_menus_count_at_once(login, buurt):
    from notificaties.services import notificaties_relay

    second, promoted = _promoted(buurt)
    client = login(second)
    assert "ongelezen: </span>1</span>" in client.get(reverse("activiteiten:lijst")).text
    activiteiten.afmelden(aanmelding=promoted, user=second)
    notificaties_relay()  # its cause is gone: lapsed, not sent
    assert _row(second, Soort.WACHTLIJST).status == Notificatie.Status.VERVALLEN
    assert "ongelezen:" not in client.get(reverse("activiteiten:lijst")).text


def test_account_mail_and_lapsed_rows_stay_out(login, member, gemeld):
    Notificatie.objects.filter(ontvanger=member, soort=Soort.ONTVANGSTBEVESTIGING).update(
        status=Notificatie.Status.VERVALLEN  # its cause was gone when it was to be sent
    )
    client = login(member)
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert Notificatie.objects.filter(soort=Soort.ACCOUNT).exists()
    page = client.get(INBOX).text
    assert "Je melding is ontvangen" not in page
    assert "Je hebt 1 ongelezen bericht." in page


def _news(member, police, categorie, n: int):
    """n meldingen of the member, each with a receipt and a message: 2n notices."""
    for _ in range(n):
        melding = factories.melding(user=member, categorie=categorie)
        meldingen.melding_transition(
            melding=melding, actie=Actie.OPPAKKEN, by=police, terugkoppeling="We kijken ernaar."
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_page_costs_the_same_number_of_queries_however_many_it_shows(
    login, member, police, categorie, buurt, django_assert_max_num_queries
):
    activiteit = factories.activiteit(buurt=buurt)
    activiteiten.aanmelden(user=member, activiteit=activiteit)
    organiser = activiteit.organisator
    activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Neem een lamp mee.")
    _news(member, police, categorie, 1)
    client = login(member)
    few = _queries(client, INBOX)
    assert few <= 12  # session, user, count, rows, a query or two per kind, unread, newest
    _news(member, police, categorie, 12)
    for _ in range(3):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Tot straks.")
    assert Notificatie.objects.filter(ontvanger=member).count() > BERICHTEN_PER_PAGINA
    with django_assert_max_num_queries(few):
        page = client.get(INBOX)
    assert len(page.context["items"]) == BERICHTEN_PER_PAGINA
    assert "Bericht over Avondronde" in page.text and "Nieuws over je melding" in page.text
    with django_assert_max_num_queries(few):
        assert client.get(INBOX + "?pagina=2").status_code == 200


def test_the_menu_counts_with_one_query_and_keeps_the_count_until_a_notice_changes(
    login, member, gemeld, police, categorie
):
    client = login(member)

    def menu() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("activiteiten:lijst")).text
        return page, [q["sql"] for q in captured if "notificaties_notificatie" in q["sql"]]

    page, inbox = menu()
    assert "ongelezen: </span>2</span>" in page and len(inbox) == 1
    page, inbox = menu()
    assert "ongelezen: </span>2</span>" in page and not inbox  # kept

    _news(member, police, categorie, 1)  # new notices count on the next page: a receipt, news
    page, inbox = menu()
    assert "ongelezen: </span>4</span>" in page and len(inbox) == 1

    _open(client, Notificatie.objects.filter(ontvanger=member).earliest("pk"))  # one read
    page, inbox = menu()
    assert "ongelezen: </span>3</span>" in page and len(inbox) == 1


def test_pages_hold_twenty_and_a_bad_page_number_shows_a_page(login, member, police, categorie):
    _news(member, police, categorie, 13)  # 26 notices
    client = login(member)
    assert len(client.get(INBOX).context["items"]) == 20
    assert len(client.get(INBOX + "?pagina=2").context["items"]) == 6
    assert "Pagina 2 van 2" in client.get(INBOX + "?pagina=2").text
    for bad in ("abc", "-1", "999", "1e9", ""):
        response = client.get(INBOX + "?pagina=" + bad)
        assert response.status_code == 200
        assert response.context["items"]


def test_notices_stay_in_the_inbox_after_sending_for_the_inbox_period(login, member, gemeld):
    from notificaties.services import notificaties_relay

    notificaties_relay()  # sent by e-mail
    assert set(Notificatie.objects.values_list("status", flat=True)) == {"verzonden"}
    mail_period = timedelta(days=settings.WIJKAANPAK_NOTIFICATIE_KEEP_DAYS, hours=1)
    with time_machine.travel(timezone.now() + mail_period):
        notificaties_purge()
        assert "Je hebt 2 ongelezen berichten." in login(member).get(INBOX).text
    inbox_period = timedelta(days=settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS, hours=1)
    with time_machine.travel(timezone.now() + inbox_period):
        # Out of the list at once, deleted by the next purge.
        assert "Je hebt alles gelezen." in login(member).get(INBOX).text
        assert notificaties_purge() == 2
    assert not Notificatie.objects.exists()


def test_the_inbox_must_go_before_the_melding_is_anonymised(settings):
    from wijkaanpak.checks import inbox_retention

    assert inbox_retention(None) == []
    settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS = settings.WIJKAANPAK_RETENTION_DAYS
    assert [error.id for error in inbox_retention(None)] == ["wijkaanpak.E002"]


def test_an_officer_who_moved_to_another_area_reads_nothing_more_about_a_case_there(
    login, buurt, other_buurt, police
):
    """The high-priority notice was theirs when it was written; after the move the case is not
    theirs to read, so neither is its line ("category · buurt · reference") nor whether it
    still waits for a reaction, in the inbox, in a digest or an e-mail sent late."""
    urgent = factories.CategorieFactory(naam="Drugshandel (berichten)", ernst=3)
    RoutingRegel.objects.create(volgorde=1, categorie=urgent, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=urgent)
    row = _row(police, Soort.HOGE_PRIORITEIT)
    client = login(police)
    assert melding.referentie in client.get(INBOX).text
    assert soorten.render(row) is not None

    police.team = factories.professional("politie", other_buurt.wijk).team
    police.save(update_fields=["team"])
    assert client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).status_code == 404
    page = client.get(INBOX).text
    assert melding.referentie not in page and str(melding.buurt) not in page
    assert "Je hebt alles gelezen." in page
    opened = _open(client, row)
    assert opened.status_code == 302 and opened.url == INBOX  # not the case page
    assert soorten.render(row) is None  # an e-mail or digest still to go lapses
    assert soorten.items([row.pk]) == []

    # Back in the area while the case still waits: the line is theirs again.
    police.team = factories.professional("politie", buurt.wijk).team
    police.save(update_fields=["team"])
    assert melding.referentie in client.get(INBOX).text
