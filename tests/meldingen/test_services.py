"""Intake, "ik ook", routing exactly once, handling, feedback, reveals and retention."""

import io
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from meldingen import routing, services, tasks, triage
from meldingen.models import (
    Doel,
    Doorzetting,
    Foto,
    Inzage,
    Melder,
    Melding,
    Outbox,
    Prioriteit,
    RoutingRegel,
    StatusWijziging,
)
from meldingen.photos import clean_photo
from meldingen.selectors import mijn_meldingen
from meldingen.workflow import Actie, Status
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def politie_categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie test")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    return clean_photo(SimpleUploadedFile("x.jpg", buffer.getvalue(), "image/jpeg"))


def test_intake_saves_everything_and_the_routing_work_in_one_go(
    member, buurt, politie_categorie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        melding = services.melding_create(
            user=member,
            buurt=buurt,
            categorie=politie_categorie,
            wat=" Inbreker ",
            waar="Hoek",
            wanneer=timezone.now(),
            fotos=[photo()],
        )
    melding.refresh_from_db()
    # The relay ran the (in-process) task after commit: routed and triaged.
    assert melding.status == Status.GEROUTEERD
    assert melding.doel == Doel.POLITIE
    assert melding.wat == "Inbreker"
    assert melding.samenvatting.startswith("[NORMAAL] Verdachte situatie test")
    assert Melder.objects.get(melding=melding).user == member
    assert Foto.objects.get(melding=melding).bestand.name.endswith(".jpg")
    assert Outbox.objects.get(melding=melding).done_at is not None
    assert list(melding.historie.values_list("naar", flat=True)) == ["ontvangen", "gerouteerd"]


def test_routing_happens_once_however_often_the_task_runs(member, buurt, politie_categorie):
    melding = factories.melding(user=member, categorie=politie_categorie, route=False)
    outbox = Outbox.objects.get(melding=melding)

    assert tasks.route_melding.apply(args=[outbox.pk]).get() is True
    for _redelivery in range(3):
        assert services.melding_route(melding_id=melding.pk) is False
        tasks.route_melding.apply(args=[outbox.pk]).get()

    assert Doorzetting.objects.filter(melding=melding).count() == 1
    assert StatusWijziging.objects.filter(melding=melding, naar="gerouteerd").count() == 1


def test_a_backlog_drains_in_batches_each_melding_routed_once(buurt, politie_categorie):
    """After an outage many route tasks wait: the first routes the oldest waiting meldingen
    with its own, and the tasks of those find nothing left to do."""
    normal = factories.CategorieFactory(naam="Normaal (batch)", ernst=2)
    backlog = [
        factories.melding(
            buurt=buurt, categorie=politie_categorie if i % 2 else normal, route=False
        )
        for i in range(tasks.ROUTE_BATCH + 5)
    ]
    outboxes = list(Outbox.objects.filter(melding__in=backlog).order_by("pk"))

    assert tasks.route_melding.apply(args=[outboxes[-1].pk]).get() is True
    routed = Melding.objects.filter(pk__in=[m.pk for m in backlog], status=Status.GEROUTEERD)
    assert routed.count() == tasks.ROUTE_BATCH
    # The next task routes its own melding and the four left; the rest find nothing to do.
    assert [tasks.route_melding.apply(args=[o.pk]).get() for o in outboxes].count(True) == 1
    assert routed.count() == len(backlog)
    for melding in backlog:
        assert Doorzetting.objects.filter(melding=melding).count() == 1
        assert StatusWijziging.objects.filter(melding=melding, naar="gerouteerd").count() == 1
    targets = dict(Doorzetting.objects.filter(melding__in=backlog).values_list("melding", "doel"))
    assert {targets[m.pk] for m in backlog[1::2]} == {Doel.POLITIE}
    assert {targets[m.pk] for m in backlog[0::2]} == {Doel.COORDINATOR}  # no rule for "Normaal"
    # Triage in a batch counts repeats as one at a time would: the third of a kind is a pattern.
    third = Melding.objects.get(pk=backlog[4].pk)
    assert third.prioriteit == 3 and triage.repeats_of(third) == 2


def test_a_melding_that_fails_to_route_does_not_hold_up_the_others(
    buurt, politie_categorie, monkeypatch
):
    broken = factories.melding(buurt=buurt, categorie=politie_categorie, route=False)
    fine = factories.melding(buurt=buurt, categorie=politie_categorie, route=False)
    real_decide = routing.decide

    def decide(*, categorie, buurt, at, rules=None):  # a fault in one melding's data
        if at == broken.created_at:
            raise ValueError("unroutable")
        return real_decide(categorie=categorie, buurt=buurt, at=at, rules=rules)

    monkeypatch.setattr(routing, "decide", decide)
    own = Outbox.objects.get(melding=fine)
    assert tasks.route_melding.apply(args=[own.pk]).get() is True
    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.status == Status.GEROUTEERD and broken.status == Status.ONTVANGEN
    failing = Outbox.objects.get(melding=broken)
    with pytest.raises(Retry):  # retried later, up to Outbox.MAX_ATTEMPTS, then listed
        tasks.route_melding.apply(args=[failing.pk])
    failing.refresh_from_db()
    assert failing.done_at is None and failing.last_error == "ValueError"


def test_anonymous_melding_keeps_no_identity(member, buurt, politie_categorie):
    melding = factories.melding(
        user=member, categorie=politie_categorie, bescherming=Melder.Bescherming.ANONIEM
    )
    melder = Melder.objects.get(melding=melding)
    assert melder.user is None and melder.telefoon == ""
    assert melding not in mijn_meldingen(member)


def test_an_anonymous_reporters_marker_is_erased_when_the_case_closes(
    member, buurt, police, politie_categorie
):
    known = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(
        user=member, categorie=politie_categorie, bescherming=Melder.Bescherming.ANONIEM
    )
    services.melding_join(user=known, melding=melding, bescherming=Melder.Bescherming.COORDINATOR)
    anonymous = Melder.objects.get(melding=melding, user=None)
    assert anonymous.marker  # while open: it stops the same person saying "ik ook" twice
    with pytest.raises(ValidationError):
        services.melding_join(user=member, melding=melding, bescherming=Melder.Bescherming.ANONIEM)

    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    anonymous.refresh_from_db()
    assert anonymous.marker == ""
    assert Melder.objects.get(melding=melding, user=known).marker  # known reporters keep theirs


def test_bad_intake_saves_nothing(member, resident, buurt, other_buurt, politie_categorie):
    now = timezone.now()
    base = {"categorie": politie_categorie, "wat": "x", "waar": "y"}
    with pytest.raises(ValidationError, match="toekomst"):
        services.melding_create(user=member, buurt=buurt, wanneer=now + timedelta(days=1), **base)
    with pytest.raises(ValidationError, match="afgelopen jaar"):
        services.melding_create(user=member, buurt=buurt, wanneer=now - timedelta(days=400), **base)
    with pytest.raises(ValidationError, match="telefoonnummer"):
        services.melding_create(
            user=member, buurt=buurt, wanneer=now, telefoon="0612345678", **base
        )
    elders = factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=factories.GemeenteFactory(code="GM0599", naam="R"))
    )
    with pytest.raises(PermissionDenied):  # a buurt of another gemeente than the member's
        services.melding_create(user=member, buurt=elders, wanneer=now, **base)
    with pytest.raises(PermissionDenied):  # not a verified member at all
        services.melding_create(user=resident, buurt=buurt, wanneer=now, **base)
    assert not Melding.objects.exists()
    assert not Outbox.objects.exists()
    # A place across the border of the member's own buurt is reported where it is.
    across = services.melding_create(user=member, buurt=other_buurt, wanneer=now, **base)
    assert across.buurt == other_buurt


def test_ik_ook_adds_weight_once_and_raises_priority(buurt, politie_categorie):
    melding = factories.melding(buurt=buurt, categorie=politie_categorie)
    neighbours = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2)]
    for neighbour in neighbours:
        services.melding_join(user=neighbour, melding=melding, bescherming="coordinator")
    with pytest.raises(ValidationError, match="al gesteund"):
        services.melding_join(user=neighbours[0], melding=melding, bescherming="coordinator")

    melding.refresh_from_db()
    assert melding.gewicht == 3
    assert melding.prioriteit == 3
    assert "3 melders" in melding.samenvatting


def test_ik_ook_is_not_possible_for_intimidation_or_closed_cases(buurt, police):
    intimidatie = factories.CategorieFactory(is_intimidatie=True)
    threatened = factories.melding(buurt=buurt, categorie=intimidatie)
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    with pytest.raises(PermissionDenied):
        services.melding_join(user=neighbour, melding=threatened, bescherming="coordinator")

    coordinator = factories.professional("coordinator", buurt.wijk)
    closed = factories.melding(buurt=buurt)
    services.melding_transition(
        melding=closed, actie=Actie.AFSLUITEN, by=coordinator, terugkoppeling="Opgeruimd."
    )
    with pytest.raises(ValidationError, match="afgehandeld"):
        services.melding_join(user=neighbour, melding=closed, bescherming="coordinator")


def test_closing_needs_feedback_and_tells_each_reachable_reporter_once(
    buurt, police, politie_categorie, django_capture_on_commit_callbacks
):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=reporter, categorie=politie_categorie)
    anonymous = factories.LidmaatschapFactory(buurt=buurt).user
    services.melding_join(user=anonymous, melding=melding, bescherming="anoniem")

    with pytest.raises(ValidationError, match="kort bericht"):
        services.melding_transition(melding=melding, actie=Actie.AFSLUITEN, by=police)
    services.melding_transition(melding=melding, actie=Actie.OPPAKKEN, by=police)
    with django_capture_on_commit_callbacks(execute=True):
        services.melding_transition(
            melding=melding,
            actie=Actie.AFSLUITEN,
            by=police,
            terugkoppeling="We hebben de scooter gecontroleerd.",
        )
    relay_notificaties()  # the relay again (beat's run): nothing more is sent

    receipt, feedback = mail.outbox  # the receipt of the report went out with the first relay
    assert receipt.to == feedback.to == [reporter.email]
    assert "is ontvangen" in receipt.subject
    assert "We hebben de scooter gecontroleerd." in feedback.body
    melding.refresh_from_db()
    assert melding.status == Status.AFGESLOTEN and melding.closed_at is not None


def test_transitions_follow_the_table_and_the_area(buurt, other_buurt, police, politie_categorie):
    melding = factories.melding(buurt=buurt, categorie=politie_categorie)
    services.melding_transition(
        melding=melding, actie=Actie.DOORZETTEN, by=police, terugkoppeling="Doorgegeven."
    )
    with pytest.raises(ValidationError, match="Dit kan niet meer"):
        services.melding_transition(melding=melding, actie=Actie.OPPAKKEN, by=police)

    elsewhere = factories.melding(buurt=other_buurt, categorie=politie_categorie)
    with pytest.raises(PermissionDenied):
        services.melding_transition(melding=elsewhere, actie=Actie.ERKENNEN, by=police)
    enforcement = factories.professional("handhaving", buurt.wijk)
    with pytest.raises(PermissionDenied):  # routed to the police, not to enforcement
        services.melding_transition(melding=melding, actie=Actie.HEROPENEN, by=enforcement)


def test_reporter_says_not_solved_and_the_case_reopens(buurt, police, politie_categorie):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=reporter, categorie=politie_categorie)
    melder = Melder.objects.get(melding=melding)
    with pytest.raises(ValidationError, match="pas reageren"):
        services.melder_oordeel(melder=melder, user=reporter, opgelost=False)

    services.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
    )
    services.melder_oordeel(melder=melder, user=reporter, opgelost=False)
    melding.refresh_from_db()
    assert melding.status == Status.HEROPEND and melding.closed_at is None
    taken = services.melding_transition(melding=melding, actie=Actie.OPPAKKEN, by=police)
    assert taken.status == Status.IN_BEHANDELING
    with pytest.raises(PermissionDenied):
        services.melder_oordeel(melder=melder, user=factories.UserFactory(), opgelost=True)


def test_a_reopened_case_gets_a_fresh_response_term(buurt, police, politie_categorie):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        melding = factories.melding(user=reporter, categorie=politie_categorie)
        services.melding_transition(
            melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Opgelost."
        )
    melding.refresh_from_db()
    assert melding.deadline_at < timezone.now()  # the first term ran out long ago

    services.melder_oordeel(
        melder=Melder.objects.get(melding=melding), user=reporter, opgelost=False
    )
    melding.refresh_from_db()
    term = timedelta(hours=politie_categorie.reactietermijn_uren)
    if melding.prioriteit == Prioriteit.HOOG:  # at most a day
        term = min(term, timedelta(hours=24))
    assert timezone.now() + term - timedelta(minutes=1) < melding.deadline_at
    assert melding.deadline_at <= timezone.now() + term


def test_reveals_follow_the_tier_and_are_audited(buurt, police, politie_categorie):
    coordinator = factories.professional("coordinator", buurt.wijk)
    tiers = {}
    for tier in Melder.Bescherming.values:
        made = factories.melding(
            buurt=buurt,
            categorie=politie_categorie,
            bescherming=tier,
            telefoon="06 1234 5678" if tier == "contact" else "",
        )
        tiers[tier] = Melder.objects.get(melding=made)

    nazorg = "De melder vroeg om steun na bedreiging bij de voordeur"
    with pytest.raises(PermissionDenied):
        services.melder_reveal(
            melder=tiers["anoniem"], by=coordinator, grond="nazorg", reden=nazorg
        )
    with pytest.raises(PermissionDenied):
        services.melder_reveal(
            melder=tiers["coordinator"], by=police, grond="aangifte", reden="2026-123456"
        )
    with pytest.raises(ValidationError, match="waarom"):
        services.melder_reveal(melder=tiers["contact"], by=police, grond="aangifte", reden="  ")
    services.melder_reveal(
        melder=tiers["coordinator"], by=coordinator, grond="nazorg", reden=nazorg
    )
    services.melder_reveal(
        melder=tiers["contact"], by=police, grond="aangifte", reden="2026-123456"
    )

    audit = list(Inzage.objects.order_by("created_at").values_list("door", "grond", "reden"))
    assert audit == [(coordinator.pk, "nazorg", nazorg), (police.pk, "aangifte", "2026-123456")]


def test_retention_erases_reporters_and_photos_once(
    buurt, police, politie_categorie, django_capture_on_commit_callbacks
):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    old = factories.melding(
        user=reporter,
        categorie=politie_categorie,
        fotos=[photo()],
        bescherming="contact",
        telefoon="0612345678",
        beschrijving=services.Beschrijving(persoon_kleding="rode jas"),
    )
    recent = factories.melding(user=reporter, categorie=politie_categorie)
    for melding in (old, recent):
        services.melding_transition(
            melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Klaar."
        )
    Melding.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=181))
    foto_name = Foto.objects.get(melding=old).bestand.name

    dry = services.meldingen_anonymise(dry_run=True)
    assert (dry.meldingen, dry.melders, dry.fotos) == (1, 1, 1)
    assert Melder.objects.get(melding=old).user == reporter  # dry run changed nothing

    assert default_storage.exists(foto_name)

    with django_capture_on_commit_callbacks(execute=True):
        services.meldingen_anonymise(dry_run=False)
    old.refresh_from_db()
    melder = Melder.objects.get(melding=old)
    assert (melder.user, melder.telefoon) == (None, "")
    assert old.persoon_kleding == "" and old.anonymised_at is not None
    assert not Foto.objects.filter(melding=old).exists()
    assert Melder.objects.get(melding=recent).user == reporter
    assert Melding.objects.count() == 2  # counts for the indicators remain
    assert not default_storage.exists(foto_name)
    again = services.meldingen_anonymise(dry_run=False)
    assert again.meldingen == 0


def test_outbox_sweep_hands_over_lost_work_and_gives_up_visibly(buurt, politie_categorie):
    lost = factories.melding(buurt=buurt, categorie=politie_categorie, route=False)
    hopeless = factories.melding(buurt=buurt, categorie=politie_categorie, route=False)
    long_ago = timezone.now() - timedelta(hours=1)
    Outbox.objects.update(created_at=long_ago)
    Outbox.objects.filter(melding=hopeless).update(
        attempts=Outbox.MAX_ATTEMPTS, enqueued_at=long_ago
    )

    result = tasks.sweep_outbox()

    assert result == {"relayed": 1, "failed": 1}
    lost.refresh_from_db()
    assert lost.status == Status.GEROUTEERD  # the in-process task routed it
    failed = Outbox.objects.get(melding=hopeless)
    assert failed.failed_at is not None and failed.done_at is None
    assert Melding.objects.get(pk=hopeless.pk).status == Status.ONTVANGEN


def test_intimidation_goes_to_police_and_to_the_coordinator_once(
    buurt, django_capture_on_commit_callbacks
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    intimidatie = factories.CategorieFactory(naam="Intimidatie (test)", is_intimidatie=True)
    RoutingRegel.objects.create(volgorde=1, categorie=intimidatie, doel=Doel.POLITIE)
    threatened = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=threatened, categorie=intimidatie, route=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.melding_route(melding_id=melding.pk)
    doorzettingen = Doorzetting.objects.filter(melding=melding)
    relay_notificaties()  # the relay again (beat's run): nothing more is sent

    assert set(doorzettingen.values_list("doel", flat=True)) == {Doel.POLITIE, Doel.COORDINATOR}
    melding.refresh_from_db()
    assert melding.prioriteit == 3
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 1
    assert threatened.email not in to_coordinator[0].body
    assert threatened.weergavenaam not in to_coordinator[0].body
    # The resident has the receipt, with the coordinator's follow-up announced.
    (receipt,) = [m for m in mail.outbox if m.to == [threatened.email]]
    assert "neemt ook de wijkcoördinator contact met je op" in receipt.body


def _extern(buurt, categorie, **kwargs):
    return services.melding_create_extern(
        buurt=buurt,
        categorie=categorie,
        wat="Man probeert fietsen open te breken.",
        waar="Bij de brug",
        wanneer=timezone.now(),
        **kwargs,
    )


def test_an_outside_app_files_through_the_same_intake_with_the_tier_it_states(
    buurt, django_capture_on_commit_callbacks
):
    categorie = factories.CategorieFactory(naam="Extern-test")
    contact = services.Contact(naam="Extern Canarie", email="extern@example.org", telefoon="0612")
    with django_capture_on_commit_callbacks(execute=True):
        melding = _extern(buurt, categorie, contact=contact)
    melding.refresh_from_db()
    assert melding.status == Status.GEROUTEERD and melding.samenvatting
    melder = melding.melders.get()
    assert melder.bescherming == Melder.Bescherming.COORDINATOR and melder.user is None
    assert (melder.contact_naam, melder.contact_email) == ("Extern Canarie", "extern@example.org")
    assert melder.marker == ""  # no "ik ook" from outside

    anonymous = _extern(buurt, categorie, contact=contact, bescherming="anoniem").melders.get()
    assert (anonymous.contact_naam, anonymous.contact_email, anonymous.telefoon) == ("", "", "")


def test_an_outside_app_cannot_file_intimidation_or_an_unknown_tier(buurt):
    bedreigd = factories.CategorieFactory(naam="Extern-bedreigd", is_intimidatie=True)
    with pytest.raises(PermissionDenied):
        _extern(buurt, bedreigd)
    with pytest.raises(ValidationError):
        _extern(buurt, factories.CategorieFactory(naam="Extern-2"), bescherming="iedereen")
    assert not Melding.objects.exists()
