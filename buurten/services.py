"""Every write about membership and invite codes goes through these functions."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_resident
from notificaties.models import Notificatie
from notificaties.services import notify

from . import borgstelling
from .models import Borgstelling, Buurt, Lidmaatschap, Uitnodigingscode
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
            % {"buurt": current.buurt.naam}
        )
    raise ValidationError(
        _("Je hebt al gevraagd om lid te worden van %(buurt)s. Trek die aanvraag eerst in.")
        % {"buurt": current.buurt.naam}
    )


def _verify(lidmaatschap: Lidmaatschap, *, via: str, by=None) -> None:
    lidmaatschap.status = Lidmaatschap.Status.LID
    lidmaatschap.via = via
    lidmaatschap.decided_at = timezone.now()
    lidmaatschap.decided_by = by
    lidmaatschap.welcome_sent_at = lidmaatschap.decided_at  # queued, in this transaction
    lidmaatschap.save(
        update_fields=["status", "via", "decided_at", "decided_by", "welcome_sent_at"]
    )
    notify(
        soort=Notificatie.Soort.WELKOM, object_id=lidmaatschap.pk, ontvangers=[lidmaatschap.user]
    )
    if via == Lidmaatschap.Via.BORGSTELLING:
        # The area's coordinators are told, and can undo it within the review period.
        lidmaatschap.coordinators_notified_of_vouching_at = lidmaatschap.decided_at  # queued
        lidmaatschap.save(update_fields=["coordinators_notified_of_vouching_at"])
        coordinators, teams = coordinator_recipients(lidmaatschap.buurt)
        notify(
            soort=Notificatie.Soort.BORGSTELLING,
            object_id=lidmaatschap.pk,
            ontvangers=coordinators,
            teams=teams,
        )


@transaction.atomic
def lidmaatschap_request(*, user, buurt: Buurt, toelichting: str = "") -> Lidmaatschap:
    """Ask to join a buurt; the coordinator or two verified members can then verify it."""
    _require_resident(user)
    _require_no_membership(user)
    try:
        with transaction.atomic():
            lidmaatschap = Lidmaatschap.objects.create(
                user=user, buurt=buurt, toelichting=toelichting.strip()
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
    lidmaatschap.coordinators_notified_at = timezone.now()  # queued, in this transaction
    lidmaatschap.save(update_fields=["coordinators_notified_at"])
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
    if current and current.status == Lidmaatschap.Status.AANGEVRAAGD:
        # The code proves what the pending request asked for; a request for another
        # buurt is replaced by this one.
        current = Lidmaatschap.objects.select_for_update().get(pk=current.pk)
        if current.buurt_id != uitnodiging.buurt_id:
            current.status = Lidmaatschap.Status.BEEINDIGD
            current.decided_at = timezone.now()
            current.save(update_fields=["status", "decided_at"])
            current = None
    elif current:
        _require_no_membership(user)
    lidmaatschap = current or Lidmaatschap.objects.create(user=user, buurt=uitnodiging.buurt)
    lidmaatschap.uitnodigingscode = uitnodiging
    lidmaatschap.save(update_fields=["uitnodigingscode"])
    _verify(lidmaatschap, via=Lidmaatschap.Via.CODE)
    return lidmaatschap


def _lock_pending(lidmaatschap: Lidmaatschap) -> Lidmaatschap:
    locked = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk)
    if locked.status != Lidmaatschap.Status.AANGEVRAAGD:
        raise ValidationError(_("Over deze aanvraag is al besloten."))
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
def lidmaatschap_decide(
    *, lidmaatschap: Lidmaatschap, by, approve: bool, reden: str = ""
) -> Lidmaatschap:
    """A coordinator of the buurt's area approves or rejects a join request.

    A rejection needs a short reason: the resident is told it, and it stays with the request.
    """
    if not can_coordinate(by, lidmaatschap.buurt):
        raise PermissionDenied
    if not approve:
        reden = _clean_reden(reden)
    locked = _lock_pending(lidmaatschap)
    if approve:
        _verify(locked, via=Lidmaatschap.Via.COORDINATOR, by=by)
    else:
        _reject(locked, reden=reden, by=by)
    return locked


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
    if locked.borgstellingen.count() >= settings.WIJKAANPAK_VOUCHES_NEEDED:
        _verify(locked, via=Lidmaatschap.Via.BORGSTELLING)
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
    _reject(locked, reden=reden, by=by)
    return locked


def _reject(lidmaatschap: Lidmaatschap, *, reden: str, by) -> None:
    """Refused or undone: the resident sees the reason (on a locked row)."""
    lidmaatschap.status = Lidmaatschap.Status.AFGEWEZEN
    lidmaatschap.reden_afwijzing = reden
    lidmaatschap.decided_at = timezone.now()
    lidmaatschap.decided_by = by
    lidmaatschap.save(update_fields=["status", "reden_afwijzing", "decided_at", "decided_by"])


@transaction.atomic
def lidmaatschap_withdraw(*, lidmaatschap: Lidmaatschap, user) -> Lidmaatschap:
    """The resident withdraws their pending request. A request decided in the meantime stays
    as it is: withdrawing never ends a membership (that is :func:`lidmaatschap_end`)."""
    if lidmaatschap.user_id != user.pk:
        raise PermissionDenied
    locked = (
        Lidmaatschap.objects.select_for_update().select_related("buurt").get(pk=lidmaatschap.pk)
    )
    if locked.status == Lidmaatschap.Status.LID:
        raise ValidationError(
            _("Je aanvraag is intussen goedgekeurd: je bent lid van %(buurt)s.")
            % {"buurt": locked.buurt.naam}
        )
    if locked.status != Lidmaatschap.Status.AANGEVRAAGD:
        raise ValidationError(_("Deze aanvraag loopt niet meer."))
    locked.status = Lidmaatschap.Status.BEEINDIGD
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked


@transaction.atomic
def lidmaatschap_end(*, lidmaatschap: Lidmaatschap, user) -> Lidmaatschap:
    """The resident withdraws a request or leaves the buurt."""
    locked = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied
    if locked.status not in Lidmaatschap.ACTIVE:
        raise ValidationError(_("Dit lidmaatschap is al beëindigd."))
    locked.status = Lidmaatschap.Status.BEEINDIGD
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked


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
