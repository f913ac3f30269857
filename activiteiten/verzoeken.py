"""Every write about faciliteringsverzoeken: drafting, submitting with a deadline (silent consent
where a rule allows), the coordinator's decisions, and accounting afterwards."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurten.selectors import can_coordinate, is_verified_member
from wijkaanpak.celery import enqueue

from . import tasks
from .models import StilzwijgendRegel, Verzoek, VerzoekHistorie, VerzoekSoort
from .termijnen import add_working_days, check_planning_horizon
from .workflow import TRANSITIONS, Status, target_of

# Working days for a decision when no silent-consent rule applies (practice: 2-4 weeks for money).
DECISION_DAYS = {VerzoekSoort.BUDGET: 10}
DEFAULT_DECISION_DAYS = 5
# Up to this amount, accounting is a photo and a headcount; above it, also how it was spent.
RECEIPTS_ABOVE = Decimal("250")


def _move(verzoek: Verzoek, actie: str, *, by=None, bericht: str = "") -> Verzoek:
    target = target_of(actie, verzoek.status)
    if target is None:
        raise ValidationError(
            _("Dit kan niet meer: het verzoek is inmiddels '%(status)s'.")
            % {"status": verzoek.get_status_display()}
        )
    historie = VerzoekHistorie.objects.create(
        verzoek=verzoek, van=verzoek.status, naar=target, door=by, bericht=bericht.strip()
    )
    verzoek.status = target
    if TRANSITIONS[actie][2] != "aanvrager":
        transaction.on_commit(lambda: enqueue(tasks.notify_aanvrager, historie.pk))
    return verzoek


def _lock(verzoek: Verzoek) -> Verzoek:
    return Verzoek.objects.select_for_update().select_related("buurt__wijk").get(pk=verzoek.pk)


def _rule_for(verzoek: Verzoek) -> StilzwijgendRegel | None:
    rule = StilzwijgendRegel.objects.filter(
        gemeente_id=verzoek.buurt.wijk.gemeente_id, soort=verzoek.soort, actief=True
    ).first()
    if rule is None:
        return None
    if rule.max_bedrag is not None and (verzoek.bedrag or 0) > rule.max_bedrag:
        return None
    return rule


def _validate(*, soort, bedrag, nodig_op: date, toelichting: str) -> None:
    if soort not in VerzoekSoort.values:
        raise ValidationError({"soort": _("Kies wat je nodig hebt.")})
    if bedrag is not None and bedrag < 0:
        raise ValidationError({"bedrag": _("Een bedrag kan niet negatief zijn.")})
    if soort == VerzoekSoort.BUDGET and not bedrag:
        raise ValidationError({"bedrag": _("Hoeveel budget heb je nodig?")})
    if nodig_op < timezone.localdate():
        raise ValidationError({"nodig_op": _("Deze datum ligt in het verleden.")})
    check_planning_horizon(nodig_op, field="nodig_op")
    if not toelichting.strip():
        raise ValidationError({"toelichting": _("Vertel kort waarvoor het is.")})


@transaction.atomic
def verzoek_create(
    *, aanvrager, buurt, soort, nodig_op, toelichting, bedrag=None, activiteit=None, indienen=False
) -> Verzoek:
    if not is_verified_member(aanvrager, buurt):
        raise PermissionDenied
    if activiteit is not None and (
        activiteit.buurt_id != buurt.pk or activiteit.organisator_id != aanvrager.pk
    ):
        raise PermissionDenied
    _validate(soort=soort, bedrag=bedrag, nodig_op=nodig_op, toelichting=toelichting)
    verzoek = Verzoek.objects.create(
        buurt=buurt,
        aanvrager=aanvrager,
        activiteit=activiteit,
        soort=soort,
        bedrag=bedrag,
        nodig_op=nodig_op,
        toelichting=toelichting.strip(),
    )
    VerzoekHistorie.objects.create(verzoek=verzoek, naar=Status.CONCEPT, door=aanvrager)
    if indienen:
        verzoek_indienen(verzoek=verzoek, by=aanvrager)
        verzoek.refresh_from_db()
    return verzoek


@transaction.atomic
def verzoek_indienen(*, verzoek: Verzoek, by, antwoord: str = "") -> Verzoek:
    """Submit: the deadline starts now; where a rule allows, it is approved by silent consent."""
    locked = _lock(verzoek)
    if locked.aanvrager_id != by.pk:
        raise PermissionDenied
    if locked.status == Status.AANVULLING and not antwoord.strip():
        raise ValidationError({"antwoord": _("Beantwoord eerst de vraag van de gemeente.")})
    _move(locked, "indienen", by=by, bericht=antwoord)
    rule = _rule_for(locked)
    today = timezone.localdate()
    days = rule.werkdagen if rule else DECISION_DAYS.get(locked.soort, DEFAULT_DECISION_DAYS)
    locked.stilzwijgend = rule is not None
    locked.deadline = add_working_days(today, days)
    locked.ingediend_at = timezone.now()
    locked.save(update_fields=["status", "stilzwijgend", "deadline", "ingediend_at"])
    return locked


@transaction.atomic
def verzoek_besluiten(*, verzoek: Verzoek, by, actie: str, bericht: str = "") -> Verzoek:
    """The coordinator approves, asks for more information, or rejects (with a reason)."""
    locked = _lock(verzoek)
    if actie not in ("toekennen", "aanvulling_vragen", "afwijzen") or not can_coordinate(
        by, locked.buurt
    ):
        raise PermissionDenied
    if actie in ("afwijzen", "aanvulling_vragen") and not bericht.strip():
        field = "reden" if actie == "afwijzen" else "bericht"
        raise ValidationError({field: _("Schrijf kort waarom, voor de aanvrager.")})
    _move(locked, actie, by=by, bericht=bericht)
    locked.besloten_at = timezone.now() if actie != "aanvulling_vragen" else None
    locked.reden = bericht.strip() if actie == "afwijzen" else locked.reden
    locked.save(update_fields=["status", "besloten_at", "reden"])
    return locked


def verzoeken_toekennen(*, verzoeken, by) -> int:
    """Bulk approval of small requests from the queue; each is its own decision."""
    approved = 0
    for verzoek in verzoeken:
        try:
            verzoek_besluiten(verzoek=verzoek, by=by, actie="toekennen")
        except ValidationError:
            continue  # decided meanwhile
        approved += 1
    return approved


@transaction.atomic
def verzoek_aanvrager_actie(
    *, verzoek: Verzoek, by, actie: str, verantwoording: str = "", foto=None, deelnemers=None
) -> Verzoek:
    """What the resident does: withdraw, mark as carried out, account for it afterwards."""
    locked = _lock(verzoek)
    if locked.aanvrager_id != by.pk or actie not in ("intrekken", "uitgevoerd", "verantwoorden"):
        raise PermissionDenied
    if actie == "verantwoorden":
        if foto is None or deelnemers is None:
            raise ValidationError(
                _("Voeg een foto en het aantal deelnemers toe; meer hoeven we niet te weten.")
            )
        if (locked.bedrag or 0) > RECEIPTS_ABOVE and not verantwoording.strip():
            raise ValidationError(
                {"verantwoording": _("Vertel bij meer dan € 250 kort hoe het geld is besteed.")}
            )
        locked.verantwoording_foto = foto
        locked.deelnemers = deelnemers
        locked.verantwoording = verantwoording.strip()
    _move(locked, actie, by=by)
    locked.save()
    return locked


def apply_silent_consent(*, today: date | None = None) -> int:
    """Approve submitted requests whose silent-consent deadline has come without objection."""
    today = today or timezone.localdate()
    approved = 0
    for pk in Verzoek.objects.filter(
        status=Status.INGEDIEND, stilzwijgend=True, deadline__lte=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Verzoek.objects.select_for_update().get(pk=pk)
            if locked.status != Status.INGEDIEND:
                continue
            _move(locked, "stilzwijgend_toekennen", bericht=_("Stilzwijgend akkoord."))
            locked.besloten_at = timezone.now()
            locked.save(update_fields=["status", "besloten_at"])
            approved += 1
    return approved
