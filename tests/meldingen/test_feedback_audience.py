"""A handler's message to the first reporter stays with the first reporter: neighbours who said
"ik ook" read only the message to all reporters, on their pages and in their e-mail."""

import importlib

import pytest
from django.core import mail
from django.urls import reverse

from meldingen import services
from meldingen.models import Doel, RoutingRegel, StatusWijziging
from meldingen.workflow import Actie, Status
from tests import factories

pytestmark = pytest.mark.django_db

# A ground and a case number: what a reviewer of the audit log can check.
REVEAL = {"grond": "afhandeling", "reden": "Zaak 2026-123456"}
PRIVATE = "Beste Zara, u belde vanuit uw woning op nr 4 (KANARIE-EERSTE)"
TO_ALL = "We hebben de situatie gecontroleerd (KANARIE-ALLEN)"


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (berichten)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def case(buurt, categorie, police, django_capture_on_commit_callbacks):
    """Zara reported, a neighbour said "ik ook"; the police closed it with both messages."""
    zara = factories.UserFactory(weergavenaam="Zara")
    factories.LidmaatschapFactory(user=zara, buurt=buurt)
    joiner = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=zara, categorie=categorie)
    services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        services.melding_transition(
            melding=melding,
            actie=Actie.AFSLUITEN,
            by=police,
            terugkoppeling=TO_ALL,
            bericht_eerste_melder=PRIVATE,
        )
    return melding, zara, joiner


def mail_to(user) -> str:
    """The feedback mail to ``user`` (Zara also had the receipt of her report)."""
    mails = [m for m in mail.outbox if m.to == [user.email] and "is ontvangen" not in m.subject]
    assert len(mails) == 1
    return mails[0].subject + "\n" + mails[0].body


def test_joiners_read_the_message_to_all_never_the_first_reporters(login, case):
    melding, zara, joiner = case
    client = login(joiner)
    pages = [
        client.get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk})),
        client.get(reverse("meldingen:mijn")),
        client.get("/"),
    ]
    assert TO_ALL in pages[0].content.decode()
    for page in pages:
        assert page.status_code == 200
        assert PRIVATE not in page.content.decode()
    assert TO_ALL in mail_to(joiner)
    assert PRIVATE not in mail_to(joiner)

    # The first reporter reads both, on the page and in the e-mail.
    html = login(zara).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    assert PRIVATE in html.content.decode() and TO_ALL in html.content.decode()
    assert PRIVATE in mail_to(zara) and TO_ALL in mail_to(zara)


def test_a_message_to_the_first_reporter_alone_is_no_news_to_joiners(
    login, buurt, categorie, police, django_capture_on_commit_callbacks
):
    zara = factories.LidmaatschapFactory(buurt=buurt).user
    joiner = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=zara, categorie=categorie)
    services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        services.melding_transition(
            melding=melding, actie=Actie.OPPAKKEN, by=police, bericht_eerste_melder=PRIVATE
        )
    feedback = [m for m in mail.outbox if "is ontvangen" not in m.subject]  # not the receipt
    assert [m.to for m in feedback] == [[zara.email]]
    assert PRIVATE in feedback[0].body
    joiner_page = login(joiner).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    assert PRIVATE not in joiner_page.content.decode()
    assert "nieuw bericht" not in login(joiner).get("/").content.decode().lower()
    assert "nieuw bericht" in login(zara).get("/").content.decode().lower()


def test_closing_needs_a_message_to_all_reporters(buurt, categorie, police):
    from django.core.exceptions import ValidationError

    melding = factories.melding(buurt=buurt, categorie=categorie)
    with pytest.raises(ValidationError, match="alle melders"):
        services.melding_transition(
            melding=melding, actie=Actie.AFSLUITEN, by=police, bericht_eerste_melder=PRIVATE
        )
    melding.refresh_from_db()
    assert melding.status != Status.AFGESLOTEN


def test_the_officers_form_says_who_reads_what(login, case, buurt, categorie, police):
    melding = factories.melding(buurt=buurt, categorie=categorie)
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))
    html = html.content.decode()
    assert "Bericht aan alle melders" in html
    assert "ook buren die 'Ik ook' zeiden" in html
    assert "Bericht alleen aan de eerste melder" in html
    assert "zien het nooit" in html
    # The history tells the handler which message went to whom.
    closed, _zara, _joiner = case
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": closed.pk}))
    html = html.content.decode()
    assert "Aan alle melders:" in html and "Alleen aan de eerste melder:" in html
    assert PRIVATE in html and TO_ALL in html  # the author reads their own message


def test_other_professionals_read_the_first_reporters_message_only_through_the_reveal(
    login, case, buurt
):
    """It is personal ("Beste Zara, ... nr 4"): a colleague reads it with the reporter's
    details, audited, not on the case page."""
    from meldingen.models import Inzage

    melding, zara, _joiner = case
    coordinator = factories.professional("coordinator", buurt.wijk)
    client = login(coordinator)
    html = client.get(reverse("meldingen:detail", kwargs={"pk": melding.pk})).content.decode()
    assert TO_ALL in html and PRIVATE not in html
    assert "bericht verstuurd" in html
    melder = melding.melders.get(user=zara)
    response = client.post(reverse("meldingen:inzage", kwargs={"pk": melder.pk}), REVEAL)
    page = client.get(response.url).content.decode()
    assert PRIVATE in page
    assert Inzage.objects.filter(melder=melder, door=coordinator).count() == 1
    # The joiner's details come without it.
    joined = melding.melders.exclude(user=zara).get()
    response = client.post(reverse("meldingen:inzage", kwargs={"pk": joined.pk}), REVEAL)
    assert PRIVATE not in client.get(response.url).content.decode()


def test_the_first_reporters_message_is_posted_from_the_officers_form(
    login, buurt, categorie, police
):
    zara = factories.LidmaatschapFactory(buurt=buurt).user
    joiner = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=zara, categorie=categorie)
    services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
    login(police).post(
        reverse("meldingen:actie", kwargs={"pk": melding.pk}),
        {"actie": "afsluiten", "terugkoppeling": TO_ALL, "bericht_eerste_melder": PRIVATE},
    )
    wijziging = StatusWijziging.objects.get(melding=melding, naar=Status.AFGESLOTEN)
    assert (wijziging.terugkoppeling, wijziging.bericht_eerste_melder) == (TO_ALL, PRIVATE)
    joiner_page = login(joiner).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    assert PRIVATE not in joiner_page.content.decode()
    assert TO_ALL in joiner_page.content.decode()


def test_messages_written_before_the_split_stay_with_the_first_reporter(buurt, categorie, police):
    """They were typed into "Bericht aan de melder": the migration gives them to the first
    reporter only, and takes the reporter's account out of the history."""
    from django.apps import apps

    migration = importlib.import_module(
        "meldingen.migrations.0013_berichten_per_publiek_en_rol_melder"
    )
    zara = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=zara, categorie=categorie)
    old = StatusWijziging.objects.create(
        melding=melding, van=Status.GEROUTEERD, naar=Status.AFGESLOTEN, terugkoppeling=PRIVATE
    )
    reopened = StatusWijziging.objects.create(
        melding=melding, van=Status.AFGESLOTEN, naar=Status.HEROPEND, door=zara
    )
    by_police = StatusWijziging.objects.create(
        melding=melding, van=Status.HEROPEND, naar=Status.GEZIEN, door=police
    )
    migration.split_messages_and_unname_reporters(apps, None)
    old.refresh_from_db()
    reopened.refresh_from_db()
    by_police.refresh_from_db()
    assert (old.terugkoppeling, old.bericht_eerste_melder) == ("", PRIVATE)
    assert (reopened.door_id, reopened.door_rol) == (None, "melder")
    assert (by_police.door_id, by_police.door_rol) == (police.pk, "")


def test_retention_erases_the_message_to_the_first_reporter(buurt, categorie, police, settings):
    import time_machine
    from django.utils import timezone

    melding = factories.melding(buurt=buurt, categorie=categorie)
    services.melding_transition(
        melding=melding,
        actie=Actie.AFSLUITEN,
        by=police,
        terugkoppeling=TO_ALL,
        bericht_eerste_melder=PRIVATE,
    )
    later = timezone.now() + timezone.timedelta(days=settings.WIJKAANPAK_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        services.meldingen_anonymise(dry_run=False)
    closing = StatusWijziging.objects.get(melding=melding, naar=Status.AFGESLOTEN)
    assert "KANARIE" not in closing.bericht_eerste_melder
    assert not StatusWijziging.objects.filter(bericht_eerste_melder__contains="KANARIE").exists()


def test_an_anonymous_first_reporter_is_offered_no_message_of_their_own(
    login, buurt, categorie, police
):
    """No one can read a message to an anonymous reporter: the officer is told so, the field is
    not offered, and a message posted anyway is refused, nothing saved."""
    melding = factories.melding(buurt=buurt, categorie=categorie, bescherming="anoniem")
    page = login(police).get(reverse("meldingen:detail", kwargs={"pk": melding.pk}))
    html = page.content.decode()
    assert "De eerste melder is anoniem" in html
    assert 'name="bericht_eerste_melder"' not in html

    response = login(police).post(
        reverse("meldingen:actie", kwargs={"pk": melding.pk}),
        {"actie": Actie.AFSLUITEN, "terugkoppeling": TO_ALL, "bericht_eerste_melder": PRIVATE},
    )
    assert response.status_code == 200
    assert "kan niemand lezen" in response.content.decode()
    melding.refresh_from_db()
    assert melding.status != Status.AFGESLOTEN
    assert not StatusWijziging.objects.filter(bericht_eerste_melder=PRIVATE).exists()
