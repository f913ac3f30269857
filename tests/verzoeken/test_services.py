"""Faciliteringsverzoeken: working days, silent consent at the boundary, decisions, accounting."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DataError
from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.services import berichtinstelling_save
from notificaties.tasks import relay_notificaties
from tests import factories
from verzoeken import services, tasks
from verzoeken.models import StilzwijgendRegel, Verzoek
from verzoeken.termijnen import add_working_days

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 26), 3, date(2026, 12, 1)),  # Thu + 3 → skips the weekend
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # Christmas on Fri/Sat
        (date(2027, 4, 23), 3, date(2027, 4, 29)),  # Fri + 3, skipping King's Day (Tue 27 April)
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Day, Thu 14 May
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Whit Monday, 25 May
    ],
)
def test_working_days_skip_weekends_and_dutch_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.fixture
def rule(buurt):
    return StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="materialen", max_bedrag=Decimal("250"), werkdagen=3
    )


def submit(member, buurt, **kwargs):
    values = {
        "soort": "materialen",
        # Three and a half weeks ahead of "today" (the frozen clock's, where a test sets one).
        "nodig_op": timezone.localdate() + timedelta(days=24),
        "toelichting": "Hesjes voor de avondronde",
        "indienen": True,
        **kwargs,
    }
    return services.verzoek_create(aanvrager=member, buurt=buurt, **values)


def test_silent_consent_approves_exactly_at_the_deadline(member, buurt, rule):
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        verzoek = submit(member, buurt, bedrag=Decimal("80"))
    assert verzoek.stilzwijgend is True
    assert verzoek.deadline == date(2026, 12, 1)

    with time_machine.travel(datetime(2026, 11, 30, 23, 59, tzinfo=AMS), tick=False):
        assert services.apply_silent_consent() == 0
    with time_machine.travel(datetime(2026, 12, 1, 0, 1, tzinfo=AMS), tick=False):
        assert services.apply_silent_consent() == 1
        assert services.apply_silent_consent() == 0  # beat again: nothing more
    verzoek.refresh_from_db()
    assert verzoek.status == "toegekend"
    assert list(verzoek.historie.values_list("naar", flat=True)) == [
        "concept",
        "ingediend",
        "toegekend",
    ]


def test_larger_requests_get_a_decision_deadline_and_escalate_once(member, buurt, rule):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        verzoek = submit(member, buurt, soort="budget", bedrag=Decimal("900"))
    assert verzoek.stilzwijgend is False
    assert verzoek.deadline == date(2026, 12, 10)  # 10 working days for money

    with time_machine.travel(datetime(2026, 12, 11, 9, 0, tzinfo=AMS), tick=False):
        assert tasks.silent_consent_and_escalation() == {"approved": 0, "escalated": 1}
        assert tasks.silent_consent_and_escalation() == {"approved": 0, "escalated": 0}
    # Not relayed at submission (no commit in this test), the submission's notice goes out
    # with the escalation: the request still waits.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [coordinator.email],
            f"Verzoek uit {buurt.naam} (Klein budget): besluit uiterlijk 10 december",
        ),
        ([coordinator.email], f"Verzoek over de termijn: {buurt.naam}"),
    ]
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"  # escalated, not decided


def test_an_escalation_lapses_when_the_request_is_decided_before_it_is_sent(member, buurt, rule):
    """Escalations are written just after midnight and wait for the coordinator's quiet hours
    or digest: one decided meanwhile is not "past its deadline" any more, so no e-mail."""
    coordinator = factories.professional("coordinator", buurt.wijk)
    berichtinstelling_save(
        user=coordinator, keuzes={}, stille_uren=True, stil_van=time(22), stil_tot=time(7)
    )
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        verzoek = submit(member, buurt, soort="budget", bedrag=Decimal("900"))
        relay_notificaties()
    with time_machine.travel(datetime(2026, 12, 11, 0, 5, tzinfo=AMS), tick=False):
        assert tasks.silent_consent_and_escalation() == {"approved": 0, "escalated": 1}
        services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    with time_machine.travel(datetime(2026, 12, 11, 7, 0, tzinfo=AMS), tick=False):
        relay_notificaties()
    subjects = [m.subject for m in mail.outbox if m.to == [coordinator.email]]
    assert f"Verzoek over de termijn: {buurt.naam}" not in subjects
    assert Notificatie.objects.get(soort=Notificatie.Soort.VERZOEK_ESCALATIE).status == (
        Notificatie.Status.VERVALLEN
    )


def test_an_objection_before_the_deadline_stops_silent_consent(member, buurt, rule):
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = submit(member, buurt, bedrag=Decimal("80"))
    with pytest.raises(ValidationError, match="waarom"):
        services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="aanvulling_vragen")
    services.verzoek_besluiten(
        verzoek=verzoek,
        by=coordinator,
        actie="aanvulling_vragen",
        bericht="Hoeveel hesjes precies?",
    )
    with time_machine.travel(verzoek.deadline.isoformat() + " 12:00 +0100", tick=False):
        assert services.apply_silent_consent() == 0
    verzoek.refresh_from_db()
    assert verzoek.status == "aanvulling_gevraagd"
    with pytest.raises(ValidationError, match="Beantwoord"):
        services.verzoek_indienen(verzoek=verzoek, by=member)
    services.verzoek_indienen(verzoek=verzoek, by=member, antwoord="Acht hesjes.")  # new deadline
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend"


def test_rejection_needs_a_reason_and_only_the_areas_coordinator_decides(
    member, buurt, other_buurt
):
    verzoek = submit(member, buurt, soort="ruimte")
    far = factories.professional("coordinator", other_buurt.wijk)
    with pytest.raises(PermissionDenied):
        services.verzoek_besluiten(verzoek=verzoek, by=far, actie="toekennen")
    near = factories.professional("coordinator", buurt.wijk)
    with pytest.raises(ValidationError, match="waarom"):
        services.verzoek_besluiten(verzoek=verzoek, by=near, actie="afwijzen", bericht=" ")
    services.verzoek_besluiten(
        verzoek=verzoek, by=near, actie="afwijzen", bericht="De buurtkamer is die dag bezet."
    )
    verzoek.refresh_from_db()
    assert (verzoek.status, verzoek.reden) == ("afgewezen", "De buurtkamer is die dag bezet.")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"bedrag": Decimal("-5")}, "negatief"),
        ({"soort": "budget"}, "Hoeveel budget"),
        ({"nodig_op": date(2020, 1, 1)}, "verleden"),
        ({"nodig_op": date(2099, 12, 5)}, "meer dan een jaar vooruit"),
        ({"toelichting": "  "}, "waarvoor"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_saved(member, buurt, values, message):
    with pytest.raises(ValidationError, match=message):
        submit(member, buurt, **values)
    assert not Verzoek.objects.exists()


def test_accounting_below_the_threshold_is_a_photo_and_a_headcount(member, buurt):
    coordinator = factories.professional("coordinator", buurt.wijk)
    small = submit(member, buurt, soort="budget", bedrag=Decimal("100"))
    services.verzoek_besluiten(verzoek=small, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=small, by=member, actie="uitgevoerd")
    with pytest.raises(ValidationError, match="Voeg een foto"):
        services.verzoek_aanvrager_actie(verzoek=small, by=member, actie="verantwoorden")
    services.verzoek_aanvrager_actie(
        verzoek=small,
        by=member,
        actie="verantwoorden",
        foto=ContentFile(b"jpeg", name="feest.jpg"),
        deelnemers=34,
    )
    small.refresh_from_db()
    assert (small.status, small.deelnemers) == ("verantwoord", 34)

    big = submit(member, buurt, soort="budget", bedrag=Decimal("400"))
    services.verzoek_besluiten(verzoek=big, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=big, by=member, actie="uitgevoerd")
    with pytest.raises(ValidationError, match="250"):
        services.verzoek_aanvrager_actie(
            verzoek=big,
            by=member,
            actie="verantwoorden",
            foto=ContentFile(b"jpeg", name="x.jpg"),
            deelnemers=10,
        )


def test_a_photo_is_not_kept_when_the_database_refuses_its_row(member, buurt, settings):
    """Saving the row writes the photo first: a row the database refuses (here a headcount
    beyond its integer; the form bounds it) must not leave a file that no row points to."""
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = submit(member, buurt, soort="budget", bedrag=Decimal("100"))
    services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    services.verzoek_aanvrager_actie(verzoek=verzoek, by=member, actie="uitgevoerd")
    with pytest.raises(DataError):
        services.verzoek_aanvrager_actie(
            verzoek=verzoek,
            by=member,
            actie="verantwoorden",
            foto=ContentFile(b"jpeg", name="feest.jpg"),
            deelnemers=2**31,
        )
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    verzoek.refresh_from_db()
    assert verzoek.status == "uitgevoerd" and not verzoek.verantwoording_foto


def test_decisions_are_mailed_to_the_resident_once(
    member, buurt, django_capture_on_commit_callbacks
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = submit(member, buurt, soort="contact")
    with django_capture_on_commit_callbacks(execute=True):
        services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    historie = verzoek.historie.get(naar="toegekend")
    assert historie.notified_at is not None
    relay_notificaties()  # the relay again (beat's run): nothing more is sent
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Toegekend" in mail.outbox[0].subject


def test_silent_consent_asks_again_under_the_lock(member, buurt, rule, monkeypatch):
    """Between reading which requests are due and approving each, a coordinator may send one
    back and the resident submit it again, with a new deadline: it is not approved early."""
    from wijkaanpak import batch

    coordinator = factories.professional("coordinator", buurt.wijk)
    verzoek = submit(member, buurt, bedrag=Decimal("80"))
    each = batch.each

    def meanwhile(ids, work, *, what):
        services.verzoek_besluiten(
            verzoek=verzoek, by=coordinator, actie="aanvulling_vragen", bericht="Hoeveel?"
        )
        services.verzoek_indienen(verzoek=verzoek, by=member, antwoord="Acht hesjes.")
        return each(ids, work, what=what)

    monkeypatch.setattr(batch, "each", meanwhile)
    with time_machine.travel(verzoek.deadline.isoformat() + " 12:00 +0100", tick=False):
        assert services.apply_silent_consent() == 0
    verzoek.refresh_from_db()
    assert verzoek.status == "ingediend" and verzoek.deadline > timezone.localdate()


@pytest.mark.parametrize(
    ("max_bedrag", "bedrag", "stilzwijgend"),
    [
        (None, Decimal("2500"), True),
        (None, Decimal("2500.01"), False),  # an empty amount is "up to the cap", never "any"
        (Decimal("100000"), Decimal("5000"), False),  # a rule from before the bounds
        (Decimal("300"), Decimal("300.01"), False),
    ],
)
def test_silent_consent_never_covers_more_than_the_cap(
    member, buurt, max_bedrag, bedrag, stilzwijgend
):
    StilzwijgendRegel.objects.create(
        gemeente=buurt.wijk.gemeente, soort="budget", max_bedrag=max_bedrag, werkdagen=3
    )
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        verzoek = submit(member, buurt, soort="budget", bedrag=bedrag)
    assert verzoek.stilzwijgend is stilzwijgend


def test_only_coordinators_set_rules_and_nothing_is_saved_outside_the_bounds(member, buurt):
    with pytest.raises(PermissionDenied):
        services.regel_opslaan(by=member, soort="budget", werkdagen=3)
    coordinator = factories.professional("coordinator", buurt.wijk)
    with pytest.raises(ValidationError, match="kleine verzoeken"):
        services.regel_opslaan(
            by=coordinator, soort="budget", werkdagen=3, max_bedrag=Decimal("-1")
        )
    with pytest.raises(ValidationError, match="werkdagen"):
        services.regel_opslaan(by=coordinator, soort="budget", werkdagen=60)
    assert not StilzwijgendRegel.objects.exists()
    services.regel_opslaan(by=coordinator, soort="budget", werkdagen=3)
    with pytest.raises(services.RuleExists):
        services.regel_opslaan(by=coordinator, soort="budget", werkdagen=4)
    assert StilzwijgendRegel.objects.get().werkdagen == 3


class _RulesWhereTheyLiveNow:
    """The migration asks for the rule model by its old app; it now lives in ``verzoeken``,
    in the same rows (tests/verzoeken/test_migration.py)."""

    def get_model(self, app_label, model_name):
        assert (app_label, model_name) == ("activiteiten", "StilzwijgendRegel")
        return StilzwijgendRegel


def test_rules_from_before_the_bounds_are_brought_within_them(buurt):
    from importlib import import_module

    migration = import_module("activiteiten.migrations.0006_regel_gewijzigd")
    gemeente = buurt.wijk.gemeente
    StilzwijgendRegel.objects.create(
        gemeente=gemeente, soort="materialen", max_bedrag=Decimal("100000"), werkdagen=1
    )
    StilzwijgendRegel.objects.create(
        gemeente=gemeente, soort="budget", max_bedrag=Decimal("250"), werkdagen=60
    )
    migration.within_bounds(_RulesWhereTheyLiveNow(), None)
    assert sorted(StilzwijgendRegel.objects.values_list("soort", "max_bedrag", "werkdagen")) == [
        ("budget", Decimal("250"), 10),
        ("materialen", Decimal("2500"), 1),
    ]


def test_a_submitted_request_tells_the_areas_coordinators_once_with_its_deadline(
    member, buurt, rule, django_capture_on_commit_callbacks
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    team_address = factories.professional("coordinator", buurt.wijk).team
    team_address.email = "wijkteam@gemeente.example"
    team_address.save()
    elsewhere = factories.professional("coordinator", factories.WijkFactory())
    with (
        time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        small = submit(member, buurt, bedrag=Decimal("80"))
        budget = submit(member, buurt, soort="budget", bedrag=Decimal("900"))
        relay_notificaties()  # beat's run as well: nothing is sent twice
    by_address = {}
    for message in mail.outbox:
        by_address.setdefault(message.to[0], []).append(message.subject)
    subjects = [
        f"Verzoek uit {buurt.naam} (Materialen of iets lenen): stilzwijgend akkoord op 1 december",
        f"Verzoek uit {buurt.naam} (Klein budget): besluit uiterlijk 10 december",
    ]
    assert by_address.pop(coordinator.email) == subjects
    assert by_address.pop("wijkteam@gemeente.example") == subjects
    assert elsewhere.email not in by_address
    assert member.email not in by_address  # the resident's own submission is no news to her
    body = next(m.body for m in mail.outbox if "budget" in m.subject)
    assert "Gevraagd bedrag: € 900,00." in body
    assert "uiterlijk donderdag 10 december je besluit" in body
    assert budget.get_absolute_url() in body
    assert small.stilzwijgend is True


def test_the_answer_to_a_question_is_news_again_and_a_decided_request_is_not(
    member, buurt, rule, django_capture_on_commit_callbacks
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with django_capture_on_commit_callbacks(execute=True):
        verzoek = submit(member, buurt, bedrag=Decimal("80"))
    with django_capture_on_commit_callbacks(execute=True):
        services.verzoek_besluiten(
            verzoek=verzoek, by=coordinator, actie="aanvulling_vragen", bericht="Hoeveel?"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.verzoek_indienen(verzoek=verzoek, by=member, antwoord="Acht hesjes.")
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 2
    assert "opnieuw ingediend, met het antwoord" in to_coordinator[1].body

    # A notice still waiting (quiet hours, a digest) when the request is decided lapses.
    mail.outbox.clear()
    other = submit(member, buurt, bedrag=Decimal("60"))  # not relayed yet
    services.verzoek_besluiten(verzoek=other, by=coordinator, actie="toekennen")
    relay_notificaties()
    assert [m.to for m in mail.outbox] == [[member.email]]  # only the decision, to her


def test_a_coordinator_who_uses_english_reads_the_request_notice_in_english(
    member, buurt, rule, django_capture_on_commit_callbacks
):
    coordinator = factories.professional("coordinator", buurt.wijk, taal="en")
    with (
        time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit(member, buurt, bedrag=Decimal("80.5"))
    (notice,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert notice.subject == (
        f"Request from {buurt.naam} (Materials or borrowing something): "
        "silent consent on 1 December"
    )
    assert "Amount asked: € 80.50." in notice.body
    assert "approved on Tuesday 1 December" in notice.body
    assert notice.body.startswith("Hello,") and "Kind regards," in notice.body


def _last_day_notices():
    return [(m.to, m.subject) for m in mail.outbox if m.subject.startswith(("Laatste", "Vandaag"))]


def test_the_coordinators_hear_on_the_last_day_to_decide_once(member, buurt, rule):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=AMS), tick=False):  # Wed
        small = submit(member, buurt, bedrag=Decimal("80"))
        budget = submit(member, buurt, soort="budget", bedrag=Decimal("900"))
    assert small.deadline == date(2026, 11, 30)  # Monday: granted at its start
    assert budget.deadline == date(2026, 12, 9)

    def beat(moment):
        with time_machine.travel(moment, tick=False):
            warned = tasks.warn_on_the_last_day()
            relay_notificaties()
            return warned

    assert beat(datetime(2026, 11, 26, 9, 0, tzinfo=AMS)) == 0  # Thursday: not yet
    # Friday is the last working day to object before Monday's silent consent.
    assert beat(datetime(2026, 11, 27, 9, 0, tzinfo=AMS)) == 1
    assert beat(datetime(2026, 11, 27, 9, 15, tzinfo=AMS)) == 0  # beat again: once
    assert beat(datetime(2026, 11, 28, 11, 0, tzinfo=AMS)) == 0  # the weekend: told already
    assert _last_day_notices() == [
        (
            [coordinator.email],
            f"Laatste dag voor bezwaar: verzoek uit {buurt.naam} (Materialen of iets lenen)",
        )
    ]
    assert "op maandag 30 november stilzwijgend toegekend" in mail.outbox[-1].body
    # A decision deadline: on the day itself, not before and not after (the escalation).
    assert beat(datetime(2026, 12, 8, 9, 0, tzinfo=AMS)) == 0
    assert beat(datetime(2026, 12, 9, 9, 0, tzinfo=AMS)) == 1
    assert beat(datetime(2026, 12, 10, 9, 0, tzinfo=AMS)) == 0
    assert _last_day_notices()[-1] == (
        [coordinator.email],
        f"Vandaag besluiten: verzoek uit {buurt.naam} (Klein budget)",
    )


def test_no_last_day_notice_for_a_decided_request_and_a_new_one_after_an_answer(
    member, buurt, rule
):
    coordinator = factories.professional("coordinator", buurt.wijk)
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=AMS), tick=False):
        decided = submit(member, buurt, bedrag=Decimal("80"))
        asked = submit(member, buurt, bedrag=Decimal("90"))
        services.verzoek_besluiten(verzoek=decided, by=coordinator, actie="toekennen")
        services.verzoek_besluiten(
            verzoek=asked, by=coordinator, actie="aanvulling_vragen", bericht="Hoeveel?"
        )
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=AMS), tick=False):
        assert tasks.warn_on_the_last_day() == 0
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=AMS), tick=False):
        services.verzoek_indienen(verzoek=asked, by=member, antwoord="Acht.")  # to Thu 3 Dec
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=AMS), tick=False):
        assert tasks.warn_on_the_last_day() == 1
        relay_notificaties()
    assert len(_last_day_notices()) == 1
