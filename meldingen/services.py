"""Every write about meldingen: intake, "ik ook", routing, handling, feedback, reveals."""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from buurten import adressen
from buurten.selectors import coordinator_recipients, member_buurt
from notificaties.models import Notificatie
from notificaties.services import berichten_gelezen_over, kick, notify, notify_each

from . import feedcache, retention, routing, tasks, triage
from .models import (
    Categorie,
    Doel,
    Doorzetting,
    Foto,
    Inzage,
    Melder,
    Melding,
    Nazorg,
    Outbox,
    Prioriteit,
    RoutingRegel,
    StatusWijziging,
)
from .selectors import (
    can_act,
    feedback_recipients,
    first_reporter_reads,
    handling_team_members,
    may_follow_up,
    may_reveal,
    nazorg_current,
    nazorg_reminders_due,
    overdue_unalerted,
    reporter_marker,
    term_start,
)
from .workflow import CLOSED, NEEDS_FEEDBACK, OPEN, Actie, Status, next_status

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(minutes=10)
OLDEST_REPORTABLE = timedelta(days=365)


@dataclass(frozen=True)
class Beschrijving:
    """Optional structured descriptions of a person and a vehicle."""

    persoon_geslacht: str = ""
    persoon_lengte: str = ""
    persoon_kleding: str = ""
    persoon_kenmerken: str = ""
    voertuig_kleur: str = ""
    voertuig_merk: str = ""
    voertuig_type: str = ""
    voertuig_kenteken: str = ""


def _check_reporter(user, buurt, bescherming: str, telefoon: str) -> None:
    """The reporter is a verified member of a buurt in the gemeente of the melding's buurt: a
    place across the border of one's own buurt is reported where it is (the pin's buurt)."""
    eigen = member_buurt(user)
    if eigen is None or eigen.wijk.gemeente_id != buurt.wijk.gemeente_id:
        raise PermissionDenied
    if bescherming not in Melder.Bescherming.values:
        raise ValidationError({"bescherming": _("Kies hoe je beschermd wilt worden.")})
    if telefoon and bescherming != Melder.Bescherming.CONTACT:
        raise ValidationError(
            {
                "telefoon": _(
                    "Een telefoonnummer bewaren we alleen als politie of handhaving "
                    "contact mag opnemen."
                )
            }
        )


def _move(melding: Melding, *, actie: str, **history) -> StatusWijziging:
    """The one place a melding's status changes: the table decides the new state
    (``workflow.next_status`` refuses a pair it does not hold) and the change comes with its
    history row. Both are left unsaved, so that routing writes a whole batch in one statement;
    the caller holds the melding's lock and saves them."""
    van = melding.status
    melding.status = next_status(van, actie)
    melding.closed_at = timezone.now() if melding.status in CLOSED else None
    return StatusWijziging(melding=melding, van=van, naar=melding.status, **history)


def _record(wijziging: StatusWijziging) -> StatusWijziging:
    """Append a history row; a message with it goes to the reporters it is meant for."""
    wijziging.save()
    if wijziging.terugkoppeling or wijziging.bericht_eerste_melder:
        notify(
            soort=Notificatie.Soort.TERUGKOPPELING,
            object_id=wijziging.pk,
            ontvangers=feedback_recipients(wijziging),
        )
    return wijziging


@dataclass(frozen=True)
class Contact:
    """What a reporter without an account gave an outside app to be reached by."""

    naam: str = ""
    email: str = ""
    telefoon: str = ""


def melding_create(
    *,
    user,
    buurt,
    categorie: Categorie,
    wat: str,
    waar: str,
    wanneer: datetime,
    al_112_gebeld: bool = False,
    beschrijving: Beschrijving | None = None,
    bescherming: str = Melder.Bescherming.COORDINATOR,
    telefoon: str = "",
    fotos=(),
    latitude: float | None = None,
    longitude: float | None = None,
) -> Melding:
    """A resident's melding about a place in ``buurt``: the reporter must be a verified member
    of a buurt in the same gemeente (``_check_reporter``)."""
    plek = address_at(latitude, longitude)  # before the transaction: it may wait on PDOK
    with transaction.atomic():
        return _resident_intake(
            user=user,
            buurt=buurt,
            categorie=categorie,
            wat=wat,
            waar=waar,
            wanneer=wanneer,
            al_112_gebeld=al_112_gebeld,
            beschrijving=beschrijving,
            bescherming=bescherming,
            telefoon=telefoon,
            fotos=fotos,
            latitude=latitude,
            longitude=longitude,
            plek=plek,
        )


def _resident_intake(*, user, bescherming: str, telefoon: str, **fields) -> Melding:
    _check_reporter(user, fields["buurt"], bescherming, telefoon)
    anonymous = bescherming == Melder.Bescherming.ANONIEM
    return _intake(
        melder=Melder(
            user=None if anonymous else user, bescherming=bescherming, telefoon=telefoon.strip()
        ),
        marker_user=user,
        **fields,
    )


def melding_create_extern(
    *,
    buurt,
    categorie: Categorie,
    wat: str,
    waar: str,
    wanneer: datetime,
    al_112_gebeld: bool = False,
    beschrijving: Beschrijving | None = None,
    bescherming: str = Melder.Bescherming.COORDINATOR,
    contact: Contact | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Melding:
    """A melding from an outside app (Open311) for a reporter without an account.

    The same intake as a resident's: validation, triage and routing through the outbox. The
    contact details are kept at the tier the reporter chose (the coordinator only, unless
    stated otherwise) and not at all when anonymous. Intimidation is never taken from outside:
    a threatened resident needs the coordinator's follow-up, which needs an account.
    """
    if categorie.is_intimidatie:
        raise PermissionDenied
    if bescherming not in Melder.Bescherming.values:
        raise ValidationError({"bescherming": _("Kies hoe je beschermd wilt worden.")})
    contact = Contact() if bescherming == Melder.Bescherming.ANONIEM else contact or Contact()
    plek = address_at(latitude, longitude)  # no query yet: the caller's transaction waits
    with transaction.atomic():
        return _intake(
            melder=Melder(
                bescherming=bescherming,
                contact_naam=contact.naam.strip(),
                contact_email=contact.email.strip(),
                telefoon=contact.telefoon.strip(),
            ),
            marker_user=None,
            buurt=buurt,
            categorie=categorie,
            wat=wat,
            waar=waar,
            wanneer=wanneer,
            al_112_gebeld=al_112_gebeld,
            beschrijving=beschrijving,
            latitude=latitude,
            longitude=longitude,
            plek=plek,
        )


@dataclass(frozen=True)
class Plek:
    """The address nearest a melding's point (for the handlers) and its street alone (what a
    neighbour may see)."""

    adres: str = ""
    straat: str = ""


def address_at(latitude: float | None, longitude: float | None) -> Plek:
    """The one place a melding's ``adres`` and ``straat`` come from: the address service's
    nearest address to the point itself, never text a browser or an outside app sent (a
    neighbour sees the street). Empty without a point, and when the service is off, down or
    slow (``adressen`` gives up after its timeout and caches good answers): the melding is
    saved without them."""
    if latitude is None or longitude is None:
        return Plek()
    found = adressen.reverse(latitude, longitude)
    if found is None:
        return Plek()
    adres_field = Melding._meta.get_field("adres")
    straat_field = Melding._meta.get_field("straat")
    return Plek(
        adres=" ".join(found.label.split())[: adres_field.max_length],
        straat=" ".join(found.straat.split())[: straat_field.max_length],
    )


def _intake(
    *,
    melder: Melder,
    marker_user,
    buurt,
    categorie: Categorie,
    wat: str,
    waar: str,
    wanneer: datetime,
    al_112_gebeld: bool,
    beschrijving: Beschrijving | None,
    fotos=(),
    latitude: float | None,
    longitude: float | None,
    plek: Plek,
) -> Melding:
    """Save a melding, its reporter and photos, and the routing work, in one transaction.

    The broker is never contacted here: the outbox row is handed over after commit (and by the
    periodic sweep when that fails), so a saved melding is never lost.
    """
    if not categorie.actief:
        raise ValidationError({"categorie": _("Deze categorie bestaat niet meer.")})
    now = timezone.now()
    if wanneer > now + FUTURE_TOLERANCE:
        raise ValidationError({"wanneer": _("Dit tijdstip ligt in de toekomst.")})
    if wanneer < now - OLDEST_REPORTABLE:
        raise ValidationError({"wanneer": _("Meld alleen wat in het afgelopen jaar gebeurde.")})
    melding = _create_with_reference(
        buurt=buurt,
        categorie=categorie,
        wat=wat.strip(),
        waar=waar.strip(),
        wanneer=wanneer,
        al_112_gebeld=al_112_gebeld,
        latitude=latitude,
        longitude=longitude,
        adres=plek.adres,
        straat=plek.straat,
        **(beschrijving or Beschrijving()).__dict__,
    )
    melder.melding = melding
    # Outside reporters have no identity to recognise a repeat by ("ik ook" is for members).
    melder.marker = reporter_marker(marker_user, melding) if marker_user else ""
    melder.save()
    for foto in fotos:
        Foto.objects.create(melding=melding, bestand=foto)
    _record(StatusWijziging(melding=melding, van="", naar=melding.status))
    outbox = Outbox.objects.create(melding=melding, soort=Outbox.Soort.ROUTE)
    transaction.on_commit(lambda: tasks.relay(outbox.pk))
    return melding


REFERENCE_TRIES = 3


def _create_with_reference(**fields) -> Melding:
    """Create the melding; its random reference (``Melding.referentie``) is drawn again in the
    rare case that it is taken (one in several hundred thousand at 200k meldingen)."""
    for _attempt in range(REFERENCE_TRIES - 1):
        try:
            with transaction.atomic():  # a savepoint: a taken reference spoils nothing else
                return Melding.objects.create(**fields)
        except IntegrityError:  # the reference is the melding's one unique column
            continue
    return Melding.objects.create(**fields)


@transaction.atomic
def melding_join(*, user, melding: Melding, bescherming: str, telefoon: str = "") -> Melder:
    """ "Ik ook": the resident adds their voice to an open melding instead of a new one."""
    _check_reporter(user, melding.buurt, bescherming, telefoon)
    locked = Melding.objects.select_for_update().get(pk=melding.pk)
    if locked.status not in OPEN and locked.status != Status.ONTVANGEN:
        raise ValidationError(_("Deze melding is al afgehandeld. Maak een nieuwe melding."))
    if locked.categorie.is_intimidatie:
        raise PermissionDenied
    anonymous = bescherming == Melder.Bescherming.ANONIEM
    try:
        with transaction.atomic():
            melder = Melder.objects.create(
                melding=locked,
                user=None if anonymous else user,
                marker=reporter_marker(user, locked),
                bescherming=bescherming,
                telefoon=telefoon.strip(),
                is_eerste=False,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Je hebt deze melding al gesteund.")) from exc
    locked.gewicht = F("gewicht") + 1
    locked.save(update_fields=["gewicht"])
    locked.refresh_from_db()
    if locked.status != Status.ONTVANGEN:  # routed already: the weight changes the triage
        triage.apply(locked)
        locked.save(update_fields=["prioriteit", *triage.SUMMARY_FIELDS, "deadline_at"])
    return melder


def melding_route(*, melding_id: int) -> bool:
    """Route and triage one received melding; see ``meldingen_route``."""
    return melding_id in meldingen_route(melding_ids=[melding_id])


@transaction.atomic
def meldingen_route(*, melding_ids: list[int]) -> list[int]:
    """Route and triage received meldingen in one transaction, so that a backlog (after a
    broker outage, say) drains in batches. Safe to run twice: a routed melding is left alone,
    one that another worker holds is skipped (that worker routes it), and the hand-off to a
    target is unique per (melding, target). Returns the ids routed here."""
    meldingen = list(
        Melding.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("categorie", "buurt")
        .filter(pk__in=melding_ids, status=Status.ONTVANGEN)
        .order_by("pk")
    )
    if not meldingen:
        return []
    rules = list(RoutingRegel.objects.filter(actief=True).order_by("volgorde", "pk"))
    repeats = triage.repeats_for([melding.pk for melding in meldingen])
    now = timezone.now()
    doorzettingen, historie = [], []
    for melding in meldingen:
        decision = routing.decide(
            categorie=melding.categorie, buurt=melding.buurt, at=melding.created_at, rules=rules
        )
        doorzettingen.append(Doorzetting(melding=melding, doel=decision.doel, regel=decision.regel))
        if melding.categorie.is_intimidatie:
            # A threatened resident also gets the coordinator's follow-up, told by e-mail.
            doorzettingen.append(Doorzetting(melding=melding, doel=Doel.COORDINATOR))
        melding.doel = decision.doel
        triage.apply(melding, repeats=repeats.get(melding.pk, 0))
        historie.append(_move(melding, actie=Actie.ROUTEREN))
        melding.routed_at = now
    Doorzetting.objects.bulk_create(doorzettingen, ignore_conflicts=True)
    Melding.objects.bulk_update(
        meldingen,
        ["doel", "prioriteit", *triage.SUMMARY_FIELDS, "deadline_at", "status", "routed_at"],
    )
    StatusWijziging.objects.bulk_create(historie)
    Outbox.objects.filter(melding__in=meldingen, soort=Outbox.Soort.ROUTE).update(done_at=now)
    feedcache.bump_on_commit()  # bulk updates send no post_save
    threatened = [m.pk for m in meldingen if m.categorie.is_intimidatie]
    if threatened:
        _alert_coordinators(threatened, now=now)
    _alert_handlers(historie)
    _confirm_to_reporters(meldingen)
    return [melding.pk for melding in meldingen]


def _alert_handlers(routings: list[StatusWijziging]) -> None:
    """The people of the team that handles a high-priority melding hear of it (at once, by
    default, outside their quiet hours): its one-line summary, never the reporter. The event is
    the routing, so a melding that rises to high priority later is in the feed, not a mail."""
    for wijziging in routings:
        if wijziging.melding.prioriteit == Prioriteit.HOOG:
            notify(
                soort=Notificatie.Soort.HOGE_PRIORITEIT,
                object_id=wijziging.pk,
                ontvangers=handling_team_members(wijziging.melding),
            )


def _confirm_to_reporters(meldingen: list[Melding]) -> None:
    """The receipt by e-mail (``ontvangst``), now that handler and deadline are decided: to the
    resident who made the report, if they have an account with an address; not to neighbours
    who said "ik ook", not to anonymous reporters (no one is kept to write to). Once: a melding
    is routed once, and the outbox holds (kind, melding, person) once."""
    first_reporters = (
        Melder.objects.filter(melding__in=meldingen, is_eerste=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    notify_each(
        soort=Notificatie.Soort.ONTVANGSTBEVESTIGING,
        events=[(melder.melding_id, melder.user) for melder in first_reporters],
    )


def _alert_coordinators(melding_ids: list[int], *, now) -> None:
    """Tell the area's coordinators that a resident asks for support against intimidation; the
    e-mail names the category and the buurt only (the case is in the coordinator's feed)."""
    follow_ups = Doorzetting.objects.filter(
        melding__in=melding_ids, doel=Doel.COORDINATOR, notified_at=None
    ).select_related("melding__buurt__wijk")
    for doorzetting in follow_ups:
        coordinators, teams = coordinator_recipients(doorzetting.melding.buurt)
        notify(
            soort=Notificatie.Soort.INTIMIDATIE,
            object_id=doorzetting.pk,
            ontvangers=coordinators,
            teams=teams,
        )
    follow_ups.update(notified_at=now)


@transaction.atomic
def meldingen_alert_overdue() -> int:
    """Tell the handling team about high-priority meldingen whose deadline passed without a
    reaction (``selectors.overdue_unalerted``); returns how many meldingen.

    Each is stamped in the same transaction that queues its notices: a second run, or one
    after a crash, finds nothing left to tell (the outbox's unique (kind, term, person) guards
    a second time). The notice's event is the status change that started the term (routing,
    or a reopening), so a reopened case that runs late again is told about again."""
    now = timezone.now()
    due = list(
        overdue_unalerted(now)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("buurt")
        .annotate(term_started_by=term_start())
        .order_by("deadline_at", "pk")
    )
    for melding in due:
        if melding.term_started_by is None:  # no history: nothing to hang the notice on
            continue
        notify(
            soort=Notificatie.Soort.TERMIJN_VERSTREKEN,
            object_id=melding.term_started_by,
            ontvangers=handling_team_members(melding),
            relay=False,
        )
    Melding.objects.filter(pk__in=[melding.pk for melding in due]).update(overdue_alerted_at=now)
    if due:
        transaction.on_commit(kick)
    return len(due)


@transaction.atomic
def melding_transition(
    *,
    melding: Melding,
    actie: str,
    by,
    terugkoppeling: str = "",
    bericht_eerste_melder: str = "",
) -> Melding:
    """An officer or coordinator acknowledges, takes, closes or passes on a melding.

    ``terugkoppeling`` is read by everyone who reported, neighbours who said "ik ook" included;
    ``bericht_eerste_melder`` only by the resident who made the report. Closing and passing on
    need the first: every reporter is told how it ended."""
    if actie in (Actie.ROUTEREN, Actie.HEROPENEN):
        raise PermissionDenied
    locked = Melding.objects.select_for_update().get(pk=melding.pk)
    if not can_act(by, locked):
        raise PermissionDenied
    terugkoppeling, bericht_eerste_melder = terugkoppeling.strip(), bericht_eerste_melder.strip()
    wijziging = _move(
        locked,
        actie=actie,
        door=by,
        terugkoppeling=terugkoppeling,
        bericht_eerste_melder=bericht_eerste_melder,
    )
    if actie in NEEDS_FEEDBACK and not terugkoppeling:
        raise ValidationError({"terugkoppeling": _("Schrijf een kort bericht voor alle melders.")})
    if bericht_eerste_melder.strip() and not first_reporter_reads(locked):
        raise ValidationError(
            {
                "bericht_eerste_melder": _(
                    "De eerste melder is anoniem: een bericht alleen aan hem of haar kan "
                    "niemand lezen. Schrijf wat alle melders mogen lezen bij het bericht aan "
                    "alle melders."
                )
            }
        )
    locked.save(update_fields=["status", "closed_at"])
    if locked.status in CLOSED:
        # An anonymous reporter's marker only stops a second "ik ook", which a closed case no
        # longer takes: erase it now rather than at retention, so that nobody holding the
        # database and the secret key can test user ids against it.
        Melder.objects.filter(melding=locked, user=None).exclude(marker="").update(marker="")
    _record(wijziging)
    return locked


@transaction.atomic
def melder_oordeel(*, melder: Melder, user, opgelost: bool, reactie: str = "") -> Melder:
    """After closure the reporter says whether it was solved; "not solved" reopens the case."""
    locked = Melder.objects.select_for_update().select_related("melding").get(pk=melder.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied
    melding = (
        Melding.objects.select_for_update(of=("self",))
        .select_related("categorie")
        .get(pk=locked.melding_id)
    )
    if melding.status not in CLOSED:
        raise ValidationError(_("Je kunt pas reageren als de melding is afgehandeld."))
    locked.oordeel = Melder.Oordeel.OPGELOST if opgelost else Melder.Oordeel.NIET_OPGELOST
    locked.reactie = reactie.strip()[:500]
    locked.save(update_fields=["oordeel", "reactie"])
    if not opgelost:
        # The reporter as a role, not a person: the history is read by handlers and kept
        # for years, and who reported is shown only through the audited reveal.
        wijziging = _move(melding, actie=Actie.HEROPENEN, door_rol=StatusWijziging.Rol.MELDER)
        # A fresh term: the old deadline would have the case overdue the moment it reopens.
        melding.deadline_at = triage.deadline(melding, start=timezone.now())
        melding.overdue_alerted_at = None  # a new term: the team is told again if it passes
        melding.save(update_fields=["status", "closed_at", "deadline_at", "overdue_alerted_at"])
        _record(wijziging)
    return locked


@transaction.atomic
def melder_reveal(*, melder: Melder, by, grond: str, reden: str) -> Inzage:
    """Show a professional who reported, with an audit entry of who, when and why. The entry
    is what the professional then reads the details through (``selectors.inzage_for``).

    Why must be checkable by a reviewer: a ground from ``Inzage.Grond`` and either a case
    number (a word with at least six digits) or a sentence of at least six real words.
    Who may not reveal this reporter is refused before the reason is judged."""
    if not may_reveal(by, melder):
        raise PermissionDenied
    reden = " ".join(reden.split())
    if grond not in Inzage.Grond.values:
        raise ValidationError(
            {"grond": _("Kies de grond waarop je de gegevens van de melder nodig hebt.")}
        )
    if not (_is_zaaknummer(reden) or _is_sentence(reden)):
        raise ValidationError(
            {
                "reden": _(
                    "Geef een zaaknummer (bijvoorbeeld 2026-123456) of beschrijf in een zin van "
                    "minstens %(n)d woorden waarom je de gegevens nodig hebt: de reden komt in "
                    "het auditlog en wordt gecontroleerd."
                )
                % {"n": Inzage.REDEN_MIN_WORDS}
            }
        )
    if len(reden) > 200:
        raise ValidationError({"reden": _("Houd de toelichting kort: hooguit 200 tekens.")})
    inzage = Inzage.objects.create(melder=melder, door=by, grond=grond, reden=reden)
    logger.info("reporter revealed", extra={"melder": melder.pk, "door": by.pk})
    return inzage


ZAAKNUMMER_RE = re.compile(r"[A-Za-z]{0,8}[-/.]?\d[\d\-/.]*")
WORD_RE = re.compile(r"[^\W\d_]{2,}")
VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")


def _is_zaaknummer(reden: str) -> bool:
    """A police or municipal case number: letters, then digits with separators; at least
    six digits, not all the same ("2026-123456", "PL1300-2026012345")."""
    for word in reden.split():
        word = word.strip(",;:()")
        digits = [c for c in word if c.isdigit()]
        if (
            ZAAKNUMMER_RE.fullmatch(word)
            and len(digits) >= Inzage.ZAAKNUMMER_MIN_DIGITS
            and len(set(digits)) > 1
        ):
            return True
    return False


def _is_sentence(reden: str) -> bool:
    """At least six words of two letters or more, most of them different and pronounceable:
    "aaaaa" or "asdf asdf asdf asdf asdf asdf" is no sentence."""
    words = [word.lower() for word in WORD_RE.findall(reden)]
    if len(words) < Inzage.REDEN_MIN_WORDS:
        return False
    distinct = set(words)
    pronounceable = [word for word in distinct if VOWELS & set(word) and len(set(word)) > 1]
    return (
        len(distinct) >= Inzage.REDEN_MIN_WORDS - 1 and len(pronounceable) * 4 >= len(distinct) * 3
    )


@transaction.atomic
def nazorg_record(
    *, melding: Melding, by, notitie: str, volgende_contact=None, afronden: bool = False
) -> Nazorg:
    """The coordinator notes the support given to a resident threatened for doing good, and
    either plans the next contact (a date from today up to a year ahead: the area's coordinators
    get a reminder that morning) or closes the nazorg (the note is the closing note). The case
    needs nazorg until it is afgerond; an afgerond case is reopened by a note with a new date."""
    if not may_follow_up(by, melding):
        raise PermissionDenied
    locked = Melding.objects.select_for_update().get(pk=melding.pk)  # one note at a time
    if locked.anonymised_at is not None:
        raise ValidationError(_("Deze melding is na de bewaartermijn geanonimiseerd."))
    notitie = notitie.strip()
    errors = {}
    if not notitie:
        errors["notitie"] = (
            _("Schrijf kort waarom de nazorg is afgerond.")
            if afronden
            else _("Schrijf kort wat er is gedaan.")
        )
    elif len(notitie) > 500:
        errors["notitie"] = _("Houd het kort: hooguit 500 tekens.")
    today = timezone.localdate()
    if afronden and volgende_contact is not None:
        errors["volgende_contact"] = _(
            "Plan een volgend contact of rond de nazorg af, niet allebei."
        )
    elif volgende_contact is not None and volgende_contact < today:
        errors["volgende_contact"] = _("Kies vandaag of een dag in de toekomst.")
    elif volgende_contact is not None and volgende_contact > today + Nazorg.MAX_VOORUIT:
        errors["volgende_contact"] = _("Plan het volgende contact binnen een jaar.")
    elif volgende_contact is None and not afronden:
        current = nazorg_current(locked)
        if current is not None and current.afgerond:
            errors["volgende_contact"] = _(
                "Deze nazorg is afgerond. Kies een datum voor het volgende contact om haar "
                "weer te openen."
            )
    if errors:
        raise ValidationError(errors)
    nazorg = Nazorg.objects.create(
        melding=locked,
        door=by,
        notitie=notitie,
        volgende_contact=volgende_contact,
        afgerond=afronden,
    )
    logger.info(
        "follow-up recorded",
        extra={"melding": melding.pk, "door": by.pk, "afgerond": afronden},
    )
    return nazorg


@transaction.atomic
def gebiedsoverzicht_queue() -> int:
    """Daily (07:00): each police and enforcement officer gets the summary of their area for
    the past day (``notices.gebiedsoverzicht``), as they chose (``notificaties.voorkeuren``).
    The event is the day (YYYYMMDD): a second run queues nothing more."""
    now = timezone.now()
    officers = User.objects.filter(
        role__in=[Role.POLITIE, Role.HANDHAVING], is_active=True, team__isnull=False
    ).exclude(email="")
    count = notify(
        soort=Notificatie.Soort.GEBIEDSOVERZICHT,
        object_id=int(timezone.localdate(now).strftime("%Y%m%d")),
        ontvangers=list(officers.order_by("pk")),
        relay=False,
    )
    if count:
        transaction.on_commit(kick)
    return count


@transaction.atomic
def nazorg_remind() -> int:
    """Tell the area's coordinators, once, that a planned nazorg contact is due today (from
    08:00 local time, or the first run after); returns how many cases. Each note is stamped
    in the transaction that queues its notices, and the outbox holds (kind, note, person)
    once: a second run tells no one again. A new date is a new note, so a new reminder."""
    now = timezone.now()
    due = list(
        nazorg_reminders_due(now)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("melding__buurt")
        .order_by("volgende_contact", "pk")
    )
    for nazorg in due:
        coordinators, teams = coordinator_recipients(nazorg.melding.buurt)
        notify(
            soort=Notificatie.Soort.NAZORG_HERINNERING,
            object_id=nazorg.pk,
            ontvangers=coordinators,
            teams=teams,
            relay=False,
        )
    Nazorg.objects.filter(pk__in=[nazorg.pk for nazorg in due]).update(herinnerd_at=now)
    if due:
        transaction.on_commit(kick)
    return len(due)


@dataclass(frozen=True)
class AnonymiseReport:
    meldingen: int
    melders: int
    fotos: int
    failed: tuple[int, ...] = ()


RETENTION_BATCH = 200


def meldingen_anonymise(
    *, dry_run: bool, now: datetime | None = None, batch_size: int = RETENTION_BATCH
) -> AnonymiseReport:
    """Erase everything that could identify a reporter or a described person from meldingen
    closed longer than the retention term ago, as ``retention.plans()`` lists field by field;
    category, buurt, times, counts and status stay for the indicators.

    One transaction per batch; a batch that fails is done again one melding at a time, so one
    bad row is skipped (and logged by id) while the others are erased. Running it again
    changes nothing more, and erases what an older, narrower plan left."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WIJKAANPAK_RETENTION_DAYS)
    ids = list(_due_for_retention(cutoff).order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return _retention_counts(ids)
    done, failed = [], []
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        try:
            done.append(_anonymise_batch(batch, cutoff))
        except Exception:  # any failure: isolate the row that causes it
            for pk in batch:
                try:
                    done.append(_anonymise_batch([pk], cutoff))
                except Exception as exc:
                    # The id and the kind of error only: a message may quote the row's data.
                    logger.error(
                        "retention failed", extra={"melding": pk, "error": type(exc).__name__}
                    )
                    failed.append(pk)
    return AnonymiseReport(
        meldingen=sum(r.meldingen for r in done),
        melders=sum(r.melders for r in done),
        fotos=sum(r.fotos for r in done),
        failed=tuple(failed),
    )


def _due_for_retention(cutoff: datetime):
    return Melding.objects.filter(status__in=CLOSED, closed_at__lt=cutoff).filter(
        Q(anonymised_at__isnull=True) | retention.leftovers()
    )


def _retention_counts(ids: list[int]) -> AnonymiseReport:
    return AnonymiseReport(
        meldingen=len(ids),
        melders=Melder.objects.filter(melding__in=ids)
        .exclude(user=None, telefoon="", contact_naam="", contact_email="")
        .count(),
        fotos=Foto.objects.filter(melding__in=ids).count(),
    )


@transaction.atomic
def _anonymise_batch(ids: list[int], cutoff: datetime) -> AnonymiseReport:
    """Lock the batch's meldingen that are still due (one may have changed since the list was
    read), erase them, stamp them; returns what this took away."""
    locked = list(
        _due_for_retention(cutoff)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    report = _retention_counts(locked)  # before the erasing
    if locked:
        retention.erase(locked)
        Melding.objects.filter(pk__in=locked).update(anonymised_at=timezone.now())
        feedcache.bump_on_commit()  # bulk updates send no post_save
    return report


def melding_berichten_gelezen(*, user, melding: Melding) -> int:
    """The reporter opened their melding: the receipt and the news about it in their inbox
    (``notificaties``) are read, so the menu's count agrees with what they saw."""
    return berichten_gelezen_over(
        user=user,
        events={
            Notificatie.Soort.ONTVANGSTBEVESTIGING: [melding.pk],
            Notificatie.Soort.TERUGKOPPELING: StatusWijziging.objects.filter(
                melding=melding
            ).values("pk"),
        },
    )
