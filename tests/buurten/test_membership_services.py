"""Joining a buurt: request, invite code, coordinator decision, two neighbours vouching."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from buurten import services
from buurten.models import Borgstelling, Lidmaatschap
from tests import factories

pytestmark = pytest.mark.django_db


def test_aanvraag_creates_a_pending_membership_and_tells_the_coordinators(
    resident, buurt, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lidmaatschap = services.aanvraag_create(
            user=resident, buurt=buurt, toelichting="  Ik woon op nummer 12 "
        )

    assert lidmaatschap.status == Lidmaatschap.Status.AANGEVRAAGD
    assert lidmaatschap.toelichting == "Ik woon op nummer 12"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    # The e-mail names the buurt, not who asked.
    assert buurt.naam in mail.outbox[0].subject
    assert resident.email not in mail.outbox[0].body
    assert resident.weergavenaam not in mail.outbox[0].body


def test_a_resident_asks_for_one_buurt_at_a_time(resident, buurt, other_buurt):
    services.aanvraag_create(user=resident, buurt=buurt)
    with pytest.raises(ValidationError, match="al gevraagd"):
        services.aanvraag_create(user=resident, buurt=other_buurt)
    assert Lidmaatschap.objects.filter(user=resident).count() == 1


def test_professionals_cannot_join_a_buurt(police, buurt):
    with pytest.raises(ValidationError, match="Alleen bewoners"):
        services.aanvraag_create(user=police, buurt=buurt)
    assert not Lidmaatschap.objects.exists()


def test_invite_code_makes_a_verified_member_and_sends_a_welcome(
    resident, buurt, django_capture_on_commit_callbacks
):
    code = factories.UitnodigingscodeFactory(buurt=buurt, code="K7QM4XPT")
    with django_capture_on_commit_callbacks(execute=True):
        # Typed over from paper: lower case, with a dash and spaces.
        lidmaatschap = services.lidmaatschap_join_with_code(user=resident, code=" k7qm-4xpt ")

    assert lidmaatschap.status == Lidmaatschap.Status.LID
    assert lidmaatschap.via == Lidmaatschap.Via.CODE
    assert lidmaatschap.uitnodigingscode == code
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert buurt.naam in mail.outbox[0].subject
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.welcome_sent_at is not None


def test_a_revoked_or_unknown_code_is_refused_and_nothing_is_saved(resident, buurt, coordinator):
    code = factories.UitnodigingscodeFactory(buurt=buurt)
    services.uitnodigingscode_revoke(uitnodiging=code, by=coordinator)

    for attempt in (code.code, "NOSUCHCD"):
        with pytest.raises(ValidationError, match="kennen we niet"):
            services.lidmaatschap_join_with_code(user=resident, code=attempt)
    assert not Lidmaatschap.objects.exists()


def test_a_code_replaces_a_pending_aanvraag_for_another_buurt(resident, buurt, other_buurt):
    services.aanvraag_create(user=resident, buurt=other_buurt)
    code = factories.UitnodigingscodeFactory(buurt=buurt)

    lidmaatschap = services.lidmaatschap_join_with_code(user=resident, code=code.code)

    assert lidmaatschap.buurt == buurt
    statuses = dict(Lidmaatschap.objects.values_list("buurt_id", "status"))
    assert statuses == {buurt.pk: "lid", other_buurt.pk: "ingetrokken"}


def test_a_member_cannot_use_a_code_for_a_second_buurt(member, other_buurt):
    code = factories.UitnodigingscodeFactory(buurt=other_buurt)
    with pytest.raises(ValidationError, match="al lid"):
        services.lidmaatschap_join_with_code(user=member, code=code.code)


def test_coordinator_approves_a_aanvraag_in_their_area(resident, buurt, coordinator):
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)
    services.aanvraag_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)

    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.LID
    assert lidmaatschap.via == Lidmaatschap.Via.COORDINATOR
    assert lidmaatschap.decided_by == coordinator


def test_coordinator_rejects_with_a_reason_and_the_resident_may_ask_again(
    resident, buurt, coordinator
):
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)
    services.aanvraag_decide(
        lidmaatschap=lidmaatschap,
        by=coordinator,
        approve=False,
        reden="  Dit adres hoort bij de buurt ernaast. ",
    )
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.AFGEWEZEN
    assert lidmaatschap.reden_afwijzing == "Dit adres hoort bij de buurt ernaast."
    assert lidmaatschap.decided_by == coordinator
    with pytest.raises(ValidationError, match="al besloten"):
        services.aanvraag_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)

    again = services.aanvraag_create(user=resident, buurt=buurt)
    assert again.status == Lidmaatschap.Status.AANGEVRAAGD


@pytest.mark.parametrize(
    ("reden", "message"), [("", "korte reden"), ("   ", "korte reden"), ("x" * 201, "te lang")]
)
def test_a_rejection_without_a_usable_reason_changes_nothing(
    resident, buurt, coordinator, reden, message
):
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)
    with pytest.raises(ValidationError, match=message):
        services.aanvraag_decide(
            lidmaatschap=lidmaatschap, by=coordinator, approve=False, reden=reden
        )
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.AANGEVRAAGD
    assert lidmaatschap.reden_afwijzing == ""
    assert lidmaatschap.decided_at is None


def test_coordinator_of_another_wijk_cannot_decide(resident, other_buurt, coordinator):
    lidmaatschap = services.aanvraag_create(user=resident, buurt=other_buurt)
    with pytest.raises(PermissionDenied):
        services.aanvraag_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.AANGEVRAAGD


def test_two_verified_neighbours_vouching_make_a_member(resident, buurt):
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)

    services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=first)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.AANGEVRAAGD

    services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=second)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.LID
    assert lidmaatschap.via == Lidmaatschap.Via.BORGSTELLING


def test_vouching_rules(resident, buurt, other_buurt, member):
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)
    stranger = factories.LidmaatschapFactory(buurt=other_buurt).user

    with pytest.raises(PermissionDenied):
        services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=stranger)
    with pytest.raises(ValidationError, match="jezelf"):
        services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=resident)
    services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=member)
    with pytest.raises(ValidationError, match="al in"):
        services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=member)
    assert Borgstelling.objects.count() == 1


def test_a_pending_member_cannot_vouch(resident, buurt):
    pending = services.aanvraag_create(user=resident, buurt=buurt)
    other = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)
    with pytest.raises(PermissionDenied):
        services.lidmaatschap_vouch(lidmaatschap=other, borg=pending.user)


def test_leaving_ends_the_membership(member):
    lidmaatschap = Lidmaatschap.objects.get(user=member)
    services.lidmaatschap_end(lidmaatschap=lidmaatschap, user=member)
    lidmaatschap.refresh_from_db()
    assert lidmaatschap.status == Lidmaatschap.Status.BEEINDIGD
    with pytest.raises(PermissionDenied):
        services.lidmaatschap_end(lidmaatschap=lidmaatschap, user=factories.UserFactory())


def test_invite_codes_are_readable_and_unique(buurt, coordinator):
    codes = {
        services.uitnodigingscode_create(buurt=buurt, by=coordinator, label=f"Flyer {i}").code
        for i in range(20)
    }
    assert len(codes) == 20
    assert all(len(code) == 8 and not set(code) & set("01OIL") for code in codes)


def test_only_the_areas_coordinator_makes_codes(other_buurt, coordinator, police, buurt):
    with pytest.raises(PermissionDenied):
        services.uitnodigingscode_create(buurt=other_buurt, by=coordinator, label="x")
    with pytest.raises(PermissionDenied):
        services.uitnodigingscode_create(buurt=buurt, by=police, label="x")
