"""Every write about membership and invite codes goes through these functions."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_resident
from notificaties.models import Notificatie
from notificaties.services import notify

from . import borgstelling, workflow
from .models import Borgstelling, Buurt, Lidmaatschap, LidmaatschapHistorie, Uitnodigingscode
from .namen import before_full_stop
from .selectors import (
    active_invite,
    active_lidmaatschap,
    can_coordinate,
    coordinator_recipients,
    is_verified_member,
)

# No 0/O, 1/I/L: a code must survive being typed over from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

ALREADY_DECIDED = gettext_lazy("Over deze aanvraag is al besloten.")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def _require_resident(user) -> None:
    if not is_resident(user):
        raise ValidationError(_("Alleen bewoners kunnen lid worden van een buurt."))


def _require_no_membership(user) -> None:
    current = active_lidmaatschap(user)
    if current is None:
        return
    if current.status == Lidmaatschap.Status.LID:
        raise ValidationError(
            _("Je bent al lid van %(buurt)s. Zeg dat lidmaatschap eerst op.")
            % {"buurt": before_full_stop(current.buurt.naam)}
        )
    raise ValidationError(
        _("Je hebt al gevraagd om lid te worden van %(buurt)s. Trek die aanvraag eerst in.")
        % {"buurt": before_full_stop(current.buurt.naam)}
    )


def _open(*, user, buurt: Buurt, actie: str, door, **fields) -> Lidmaatschap:
    """A new membership, in the state the table gives ``actie`` from nothing, with its first
    history row. Raises IntegrityError when the resident already has an active one."""
    lidmaatschap = Lidmaatschap.objects.create(
        user=user, buurt=buurt, status=workflow.next_status(workflow.NIEUW, actie), **fields
    )
    LidmaatschapHistorie.objects.create(
        lidmaatschap=lidmaatschap,
        van=workflow.NIEUW,
        naar=lidmaatschap.status,
        actie=actie,
        door=door,
    )
    return lidmaatschap


def _move(
    lidmaatschap: Lidmaatschap, *, actie: str, door, reden: str = "", refused: str = "", **fields
) -> Lidmaatschap:
    """The one place a membership changes state: lock the row, ask the table
    (``workflow.next_status``), save the new state with ``fields`` and append the history.
    ``refused`` is what the person is told when the table does not allow ``actie`` (anymore)."""
    locked = (
        Lidmaatschap.objects.select_for_update(of=("self",))
        .select_related("buurt")
        .get(pk=lidmaatschap.pk)
    )
    van = locked.status
    try:
        locked.status = workflow.next_status(van, actie)
    except workflow.TransitionNotAllowed as exc:
        raise (ValidationError(refused) if refused else exc) from None
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    LidmaatschapHistorie.objects.create(
        lidmaatschap=locked, van=van, naar=locked.status, actie=actie, door=door, reden=reden
    )
    return locked


def _admitted(lidmaatschap: Lidmaatschap) -> None:
    """A verified member now: queue the welcome e-mail and, for an admission by vouching, the
    coordinators' notice (they can undo it within the review period)."""
    notify(
        soort=Notificatie.Soort.WELKOM, object_id=lidmaatschap.pk, ontvangers=[lidmaatschap.user]
    )
    if lidmaatschap.via == Lidmaatschap.Via.BORGSTELLING:
        coordinators, teams = coordinator_recipients(lidmaatschap.buurt)
        notify(
            soort=Notificatie.Soort.BORGSTELLING,
            object_id=lidmaatschap.pk,
            ontvangers=coordinators,
            teams=teams,
        )


def _verified(*, via: str, by=None, **fields) -> dict:
    """The fields a verification sets; the e-mails are queued in the same transaction."""
    now = timezone.now()
    fields.update(via=via, decided_at=now, decided_by=by, welcome_sent_at=now)
    if via == Lidmaatschap.Via.BORGSTELLING:
        fields["coordinators_notified_of_vouching_at"] = now
    return fields


@transaction.atomic
def aanvraag_create(*, user, buurt: Buurt, toelichting: str = "") -> Lidmaatschap:
    """Ask to join a buurt; the coordinator or two verified members can then verify it."""
    _require_resident(user)
    _require_no_membership(user)
    try:
        with transaction.atomic():
            lidmaatschap = _open(
                user=user,
                buurt=buurt,
                actie=workflow.Actie.AANVRAGEN,
                door=user,
                toelichting=toelichting.strip(),
                coordinators_notified_at=timezone.now(),  # queued below, in this transaction
            )
    except IntegrityError as exc:  # a double click raced past the check above
        raise ValidationError(_("Je hebt al een lopende aanvraag.")) from exc
    coordinators, teams = coordinator_recipients(buurt)
    notify(
        soort=Notificatie.Soort.LIDMAATSCHAP_AANVRAAG,
        object_id=lidmaatschap.pk,
        ontvangers=coordinators,
        teams=teams,
    )
    return lidmaatschap


@transaction.atomic
def lidmaatschap_join_with_code(*, user, code: str) -> Lidmaatschap:
    """Become a verified member straight away with a valid invite code."""
    _require_resident(user)
    uitnodiging = active_invite(code)
    if uitnodiging is None:
        raise ValidationError(
            _("Deze code kennen we niet of hij is ingetrokken. Controleer de code op je flyer.")
        )
    current = active_lidmaatschap(user)
    if current and current.status == Lidmaatschap.Status.LID:
        _require_no_membership(user)
    verified = _verified(via=Lidmaatschap.Via.CODE, uitnodigingscode=uitnodiging)
    if current and current.buurt_id == uitnodiging.buurt_id:
        # The code proves what the pending aanvraag asked for.
        lidmaatschap = _move(current, actie=workflow.Actie.CODE, door=user, **verified)
    else:
        if current:  # an aanvraag for another buurt is replaced by this one
            _move(
                current,
                actie=workflow.Actie.INTREKKEN,
                door=user,
                reden=_("Lid geworden met een uitnodigingscode voor een andere buurt."),
                decided_at=timezone.now(),
            )
        lidmaatschap = _open(
            user=user, buurt=uitnodiging.buurt, actie=workflow.Actie.CODE, door=user, **verified
        )
    _admitted(lidmaatschap)
    return lidmaatschap


def _lock_pending(lidmaatschap: Lidmaatschap) -> Lidmaatschap:
    locked = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk)
    if locked.status != Lidmaatschap.Status.AANGEVRAAGD:
        raise ValidationError(ALREADY_DECIDED)
    return locked


REDEN_MAX_LENGTH = Lidmaatschap._meta.get_field("reden_afwijzing").max_length


def _clean_reden(reden: str, *, missing: str = "") -> str:
    reden = reden.strip()
    if not reden:
        raise ValidationError(
            missing or _("Geef een korte reden voor de afwijzing. De bewoner krijgt die te zien.")
        )
    if len(reden) > REDEN_MAX_LENGTH:
        raise ValidationError(
            _("De reden is te lang (maximaal %(limit_value)s tekens).")
            % {"limit_value": REDEN_MAX_LENGTH}
        )
    return reden


@transaction.atomic
def aanvraag_decide(
    *, lidmaatschap: Lidmaatschap, by, approve: bool, reden: str = ""
) -> Lidmaatschap:
    """A coordinator of the buurt's area approves or rejects an aanvraag to join it.

    A rejection needs a short reason: the resident is told it, and it stays with the aanvraag.
    """
    if not can_coordinate(by, lidmaatschap.buurt):
        raise PermissionDenied
    if not approve:
        reden = _clean_reden(reden)
    if approve:
        locked = _move(
            lidmaatschap,
            actie=workflow.Actie.GOEDKEUREN,
            door=by,
            refused=ALREADY_DECIDED,
            **_verified(via=Lidmaatschap.Via.COORDINATOR, by=by),
        )
        _admitted(locked)
        return locked
    return _reject(lidmaatschap, actie=workflow.Actie.AFWIJZEN, reden=reden, by=by)


@transaction.atomic
def lidmaatschap_vouch(*, lidmaatschap: Lidmaatschap, borg) -> Lidmaatschap:
    """A member with standing vouches for a neighbour; enough vouches verify the membership.

    Who has standing, and how often they may vouch, is :mod:`buurten.borgstelling`. The
    voucher's own membership is locked first, so two vouches at once cannot both pass the limit.
    """
    if borg.pk == lidmaatschap.user_id:
        raise ValidationError(_("Je kunt niet voor jezelf instaan."))
    if not is_verified_member(borg, lidmaatschap.buurt):
        raise PermissionDenied
    own = Lidmaatschap.objects.select_for_update().get(
        user=borg, buurt=lidmaatschap.buurt, status=Lidmaatschap.Status.LID
    )
    allowed = borgstelling.standing(own)
    if not allowed.may_vouch:
        raise ValidationError(allowed.reason)
    locked = _lock_pending(lidmaatschap)
    if borgstelling.undone_before(user=locked.user_id, buurt=locked.buurt_id).exists():
        raise ValidationError(
            _(
                "De wijkcoördinator heeft eerder besloten dat instaan voor deze buur niet genoeg "
                "is. De coördinator beslist over deze aanvraag."
            )
        )
    _borgstelling, created = Borgstelling.objects.get_or_create(lidmaatschap=locked, borg=borg)
    if not created:
        raise ValidationError(_("Je staat al in voor deze buur."))
    if locked.borgstellingen.count() < settings.WIJKAANPAK_VOUCHES_NEEDED:
        return locked
    # The rule admits, not one neighbour: no one "decided"; the history names the vouch that
    # completed it, the others are the Borgstelling rows.
    locked = _move(
        locked,
        actie=workflow.Actie.INSTAAN,
        door=borg,
        **_verified(via=Lidmaatschap.Via.BORGSTELLING),
    )
    _admitted(locked)
    return locked


@transaction.atomic
def lidmaatschap_undo_vouched(*, lidmaatschap: Lidmaatschap, by, reden: str) -> Lidmaatschap:
    """A coordinator of the area undoes an admission by vouching, within the review period.

    The membership ends as turned down (``via`` stays, so it reads as an undone admission),
    with the reason, which the resident sees; they can ask again or use an invite code.
    """
    if not can_coordinate(by, lidmaatschap.buurt):
        raise PermissionDenied
    reden = _clean_reden(
        reden,
        missing=_("Geef een korte reden voor het terugdraaien. De bewoner krijgt die te zien."),
    )
    locked = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk)
    if not borgstelling.can_be_undone(locked):
        raise ValidationError(_("Dit lidmaatschap kan niet (meer) worden teruggedraaid."))
    return _reject(locked, actie=workflow.Actie.TERUGDRAAIEN, reden=reden, by=by)


def _reject(lidmaatschap: Lidmaatschap, *, actie: str, reden: str, by) -> Lidmaatschap:
    """Refused or undone: the resident sees the reason."""
    return _move(
        lidmaatschap,
        actie=actie,
        door=by,
        reden=reden,
        refused=ALREADY_DECIDED,
        reden_afwijzing=reden,
        decided_at=timezone.now(),
        decided_by=by,
    )


@transaction.atomic
def aanvraag_withdraw(*, lidmaatschap: Lidmaatschap, user) -> Lidmaatschap:
    """The resident withdraws their pending aanvraag. An aanvraag decided in the meantime stays
    as it is: withdrawing never ends a membership (that is :func:`lidmaatschap_end`)."""
    if lidmaatschap.user_id != user.pk:
        raise PermissionDenied
    locked = (
        Lidmaatschap.objects.select_for_update().select_related("buurt").get(pk=lidmaatschap.pk)
    )
    if locked.status == Lidmaatschap.Status.LID:
        raise ValidationError(
            _("Je aanvraag is intussen goedgekeurd: je bent lid van %(buurt)s.")
            % {"buurt": before_full_stop(locked.buurt.naam)}
        )
    return _move(
        locked,
        actie=workflow.Actie.INTREKKEN,
        door=user,
        refused=_("Deze aanvraag loopt niet meer."),
        decided_at=timezone.now(),
    )


@transaction.atomic
def lidmaatschap_end(*, lidmaatschap: Lidmaatschap, user) -> Lidmaatschap:
    """The resident withdraws an aanvraag or leaves the buurt."""
    if lidmaatschap.user_id != user.pk:
        raise PermissionDenied
    current = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk).status
    actie = (
        workflow.Actie.INTREKKEN
        if current == Lidmaatschap.Status.AANGEVRAAGD
        else workflow.Actie.BEEINDIGEN
    )
    return _move(
        lidmaatschap,
        actie=actie,
        door=user,
        refused=_("Dit lidmaatschap is al beëindigd."),
        decided_at=timezone.now(),
    )


@transaction.atomic
def uitnodigingscode_create(*, buurt: Buurt, by, label: str) -> Uitnodigingscode:
    if not can_coordinate(by, buurt):
        raise PermissionDenied
    for _attempt in range(5):
        code = _new_code()
        if not Uitnodigingscode.objects.filter(code=code).exists():
            return Uitnodigingscode.objects.create(
                buurt=buurt, code=code, label=label.strip(), created_by=by
            )
    raise RuntimeError("Could not find a free invite code")  # 31^8 codes: practically never


@transaction.atomic
def uitnodigingscode_revoke(*, uitnodiging: Uitnodigingscode, by) -> Uitnodigingscode:
    if not can_coordinate(by, uitnodiging.buurt):
        raise PermissionDenied
    locked = Uitnodigingscode.objects.select_for_update().get(pk=uitnodiging.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked
