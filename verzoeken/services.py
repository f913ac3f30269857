"""Every write about faciliteringsverzoeken: drafting, submitting with a deadline (silent consent
where a rule allows), the coordinator's decisions, and accounting afterwards."""

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from activiteiten.planning import check_planning_horizon
from buurten.selectors import can_coordinate, coordinator_recipients, is_verified_member
from meldingen.photos import erased_if_not_saved
from notificaties.models import Notificatie
from notificaties.services import notify
from wijkaanpak import batch

from .models import StilzwijgendRegel, Verzoek, VerzoekHistorie, VerzoekSoort
from .selectors import sets_regels
from .termijnen import add_working_days
from .workflow import TRANSITIONS, Status, target_of

# Working days for a decision when no silent-consent rule applies (practice: 2-4 weeks for money).
DECISION_DAYS = {VerzoekSoort.BUDGET: 10}
DEFAULT_DECISION_DAYS = 5
# Up to this amount, accounting is a photo and a headcount; above it, also how it was spent.
RECEIPTS_ABOVE = Decimal("250")
# Silent consent is for small, low-risk requests (DOMAIN.md: funds cap small requests at a few
# hundred euros, a street BBQ costs ~€100, a street party goes ahead after ~3 working days of
# silence). So a rule covers at most € 2.500, room for a loan of costly materials but far below
# anything that needs a real decision, and an empty amount means "up to" that cap, never "any".
# Its term is 1 to 10 working days: at least a day for a coordinator to object, at most two weeks
# (the term for budget requests without a rule), or silence is no faster than a decision.
STILZWIJGEND_MAX_BEDRAG = Decimal("2500")
STILZWIJGEND_WERKDAGEN = range(1, 11)


def _move(verzoek: Verzoek, actie: str, *, by=None, bericht: str = "") -> VerzoekHistorie:
    target = target_of(actie, verzoek.status)
    if target is None:
        raise ValidationError(
            _("Dit kan niet meer: het verzoek is inmiddels '%(status)s'.")
            % {"status": verzoek.get_status_display()}
        )
    tell_aanvrager = TRANSITIONS[actie][2] != "aanvrager"
    historie = VerzoekHistorie.objects.create(
        verzoek=verzoek,
        van=verzoek.status,
        naar=target,
        door=by,
        bericht=bericht.strip(),
        notified_at=timezone.now() if tell_aanvrager else None,  # queued, in this transaction
    )
    verzoek.status = target
    if tell_aanvrager:
        notify(
            soort=Notificatie.Soort.VERZOEK_BESLUIT,
            object_id=historie.pk,
            ontvangers=[verzoek.aanvrager],
        )
    return historie


def _lock(verzoek: Verzoek) -> Verzoek:
    return Verzoek.objects.select_for_update().select_related("buurt__wijk").get(pk=verzoek.pk)


def stilzwijgend_grens(rule: StilzwijgendRegel) -> Decimal:
    """The largest amount a rule approves by silent consent (an empty amount: up to the cap)."""
    return min(rule.max_bedrag or STILZWIJGEND_MAX_BEDRAG, STILZWIJGEND_MAX_BEDRAG)


def _rule_for(*, gemeente_id: int, soort: str, bedrag: Decimal | None) -> StilzwijgendRegel | None:
    rule = StilzwijgendRegel.objects.filter(
        gemeente_id=gemeente_id, soort=soort, actief=True
    ).first()
    if rule is None or (bedrag or 0) > stilzwijgend_grens(rule):
        return None
    return rule


@dataclass(frozen=True)
class Termijn:
    deadline: date  # silent consent: approved at its start; otherwise decided by its end
    stilzwijgend: bool


def termijn_bij_indienen(*, gemeente_id: int, soort: str, bedrag: Decimal | None) -> Termijn:
    """The deadline of a request submitted today: the term of the gemeente's silent-consent
    rule where it applies, else the decision term for its kind, in working days. Submitting
    sets it; the form asks it beforehand, to warn when it falls on or after the day needed."""
    rule = _rule_for(gemeente_id=gemeente_id, soort=soort, bedrag=bedrag)
    days = rule.werkdagen if rule else DECISION_DAYS.get(soort, DEFAULT_DECISION_DAYS)
    return Termijn(
        deadline=add_working_days(timezone.localdate(), days), stilzwijgend=rule is not None
    )


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
    """Submit: the deadline starts now; where a rule allows, it is approved by silent consent.
    The area's coordinators hear of it (their choice, ``VERZOEK_NIEUW``), once per submission:
    a request sent back with the answer to their question is news again."""
    locked = _lock(verzoek)
    if locked.aanvrager_id != by.pk:
        raise PermissionDenied
    if locked.status == Status.AANVULLING and not antwoord.strip():
        raise ValidationError({"antwoord": _("Beantwoord eerst de vraag van de gemeente.")})
    stap = _move(locked, "indienen", by=by, bericht=antwoord)
    termijn = termijn_bij_indienen(
        gemeente_id=locked.buurt.wijk.gemeente_id, soort=locked.soort, bedrag=locked.bedrag
    )
    locked.stilzwijgend = termijn.stilzwijgend
    locked.deadline = termijn.deadline
    locked.ingediend_at = timezone.now()
    locked.save(update_fields=["status", "stilzwijgend", "deadline", "ingediend_at"])
    coordinators, teams = coordinator_recipients(locked.buurt)
    notify(
        soort=Notificatie.Soort.VERZOEK_NIEUW,
        object_id=stap.pk,
        ontvangers=coordinators,
        teams=teams,
    )
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
    with erased_if_not_saved(locked, "verantwoording_foto"):
        locked.save()
    return locked


class RuleExists(Exception):
    """Saving would replace the gemeente's rule for this kind of request: ask first."""

    def __init__(self, regel: StilzwijgendRegel):
        super().__init__(regel)
        self.regel = regel


@transaction.atomic
def regel_opslaan(
    *,
    by,
    soort: str,
    werkdagen: int,
    max_bedrag: Decimal | None = None,
    actief: bool = True,
    vervangen: bool = False,
) -> StilzwijgendRegel:
    """A coordinator sets their gemeente's silent-consent rule for one kind of request, within
    the bounds above. Changing an existing rule needs ``vervangen`` (the coordinator confirmed
    it: the rule holds for the whole gemeente); the rule records who set it and when."""
    if not sets_regels(by):
        raise PermissionDenied
    if soort not in VerzoekSoort.values:
        raise ValidationError({"soort": _("Kies een soort verzoek.")})
    if max_bedrag is not None and not 0 <= max_bedrag <= STILZWIJGEND_MAX_BEDRAG:
        raise ValidationError(
            {
                "max_bedrag": _(
                    "Stilzwijgend akkoord is voor kleine verzoeken: kies een bedrag van € 0 tot "
                    "en met € %(max)s, of laat het leeg."
                )
                % {"max": number_format(STILZWIJGEND_MAX_BEDRAG, force_grouping=True)}
            }
        )
    if werkdagen not in STILZWIJGEND_WERKDAGEN:
        raise ValidationError(
            {
                "werkdagen": _("Kies %(min)s tot en met %(max)s werkdagen.")
                % {"min": STILZWIJGEND_WERKDAGEN[0], "max": STILZWIJGEND_WERKDAGEN[-1]}
            }
        )
    values = {"max_bedrag": max_bedrag, "werkdagen": werkdagen, "actief": actief}
    regel = (
        StilzwijgendRegel.objects.select_for_update()
        .filter(gemeente_id=by.team.gemeente_id, soort=soort)
        .first()
    )
    if regel is None:
        regel = StilzwijgendRegel(gemeente_id=by.team.gemeente_id, soort=soort)
    elif any(getattr(regel, k) != v for k, v in values.items()) and not vervangen:
        raise RuleExists(regel)
    for field, value in values.items():
        setattr(regel, field, value)
    regel.gewijzigd_door = by
    regel.gewijzigd_at = timezone.now()
    regel.save()
    return regel


def apply_silent_consent(*, today: date | None = None) -> int:
    """Approve submitted requests whose silent-consent deadline has come without objection."""
    today = today or timezone.localdate()
    due = _silently_due(Verzoek.objects.all(), today).values_list("pk", flat=True)
    consent = functools.partial(_consent_silently, today=today)
    return batch.each(list(due), consent, what="silent consent").done


def _silently_due(verzoeken, today: date):
    return verzoeken.filter(status=Status.INGEDIEND, stilzwijgend=True, deadline__lte=today)


@transaction.atomic
def _consent_silently(verzoek_id: int, *, today: date) -> bool:
    """Approve one request, asked again under its lock: sent back and submitted again since
    the list was read, it has a new deadline (or is no longer small) and must wait for it."""
    locked = _silently_due(Verzoek.objects.select_for_update(), today).filter(pk=verzoek_id).first()
    if locked is None:
        return False
    _move(locked, "stilzwijgend_toekennen", bericht=_("Stilzwijgend akkoord."))
    locked.besloten_at = timezone.now()
    locked.save(update_fields=["status", "besloten_at"])
    return True
