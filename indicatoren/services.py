"""Writes for the survey and the indicator computations (house style: keyword-only, atomic,
side effects after commit)."""

import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.access import is_administrator
from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Buurt, Gemeente, Lidmaatschap, Wijk
from notificaties.models import Notificatie
from notificaties.services import notify
from wijkaanpak import batch
from wijkaanpak.celery import enqueue

from . import kwartaal, selectors
from .models import (
    Berekening,
    Peiling,
    Publicatie,
    Respons,
    ResponsMarker,
    StarterAanmelding,
)
from .survey import BY_KEY, ITEM_KEYS, WEET_NIET_CODE

logger = logging.getLogger(__name__)


def default_periode(eind: date | None = None) -> tuple[date, date]:
    """The last 12 months up to and including ``eind`` (today by default)."""
    eind = eind or timezone.localdate()
    try:
        start = eind.replace(year=eind.year - 1)
    except ValueError:  # 29 February
        start = eind.replace(year=eind.year - 1, day=28)
    return start + timedelta(days=1), eind


# --- Survey rounds -------------------------------------------------------------------------------
def peiling_open(*, wijk: Wijk, by, titel: str) -> Peiling:
    if not selectors.can_run_peiling(by, wijk):
        raise PermissionDenied
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError({"titel": _("Geef de peiling een titel.")})
    if len(titel) > 100:
        raise ValidationError({"titel": _("Een titel is hoogstens 100 tekens.")})
    already_open = ValidationError(_("In deze wijk loopt al een peiling. Sluit die eerst."))
    try:
        with transaction.atomic():
            Wijk.objects.select_for_update().filter(pk=wijk.pk).first()
            if Peiling.objects.filter(wijk=wijk, gesloten_at__isnull=True).exists():
                raise already_open
            return Peiling.objects.create(
                wijk=wijk, titel=titel, opened_by=by, geopend_at=timezone.now()
            )
    except IntegrityError:  # the constraint, should two requests slip past the lock
        raise already_open from None


def peiling_close(*, peiling: Peiling, by) -> Peiling:
    if not selectors.can_run_peiling(by, peiling.wijk):
        raise PermissionDenied
    with transaction.atomic():
        peiling = Peiling.objects.select_for_update().get(pk=peiling.pk)
        if peiling.gesloten_at is not None:
            raise ValidationError(_("Deze peiling is al gesloten."))
        peiling.gesloten_at = timezone.now()
        peiling.save(update_fields=["gesloten_at"])
    return peiling


# --- Responses -----------------------------------------------------------------------------------
def respons_marker(*, user_id: int, peiling_id: int) -> str:
    """A one-way marker: the same user and round always give the same value, but the value cannot
    be turned back into the user without the secret key and a guess of every user id."""
    return salted_hmac(
        "indicatoren.respons", f"{peiling_id}:{user_id}", algorithm="sha256"
    ).hexdigest()


def clean_antwoorden(antwoorden: dict) -> dict:
    """Every item once, as an int on its scale, ``WEET_NIET_CODE`` ("weet niet") or None
    (skipped); unknown keys are errors. "Weet niet" everywhere is an answer; all skipped is not."""
    unknown = set(antwoorden) - set(ITEM_KEYS)
    if unknown:
        raise ValidationError(
            _("Onbekende vraag: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    cleaned, errors = {}, {}
    for key in ITEM_KEYS:
        value = antwoorden.get(key)
        if value in (None, ""):
            cleaned[key] = None
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = -1
        if value not in (*BY_KEY[key].waarden, WEET_NIET_CODE):
            errors[key] = _("Kies een van de antwoorden of 'weet niet'.")
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    if all(value is None for value in cleaned.values()):
        raise ValidationError(_("Geef bij minstens één vraag een antwoord."))
    return cleaned


def respons_submit(*, peiling: Peiling, user, antwoorden: dict) -> None:
    """Store one anonymous response for a verified member of a buurt in the round's wijk.

    Returns nothing on purpose: the caller never holds a link between the user and the row.
    """
    buurt = (
        Buurt.objects.filter(
            wijk_id=peiling.wijk_id,
            lidmaatschappen__user=user,
            lidmaatschappen__status=Lidmaatschap.Status.LID,
        )
        .only("pk")
        .first()
    )
    if buurt is None:
        raise PermissionDenied
    cleaned = clean_antwoorden(antwoorden)
    marker = respons_marker(user_id=user.pk, peiling_id=peiling.pk)
    try:
        with transaction.atomic():
            current = Peiling.objects.select_for_update().get(pk=peiling.pk)
            if current.gesloten_at is not None:
                raise ValidationError(_("Deze peiling is gesloten."))
            ResponsMarker.objects.create(peiling=current, marker=marker)
            Respons.objects.create(peiling=current, buurt=buurt, **cleaned)
    except IntegrityError:
        raise ValidationError(_("Je hebt deze peiling al ingevuld. Dank je wel!")) from None


# --- Computations --------------------------------------------------------------------------------
def berekening_request(
    *,
    gemeente: Gemeente,
    by,
    periode_start: date | None = None,
    periode_eind: date | None = None,
) -> Berekening:
    """Ask for a (re)computation; a request for the same gemeente and period that is still
    waiting or running is returned instead of starting a second one."""
    if by is not None and not selectors.gemeenten_for(by).filter(pk=gemeente.pk).exists():
        raise PermissionDenied
    start, eind = default_periode(periode_eind)
    start = periode_start or start
    if start > eind:
        raise ValidationError(_("De periode begint na het einde."))
    if eind > timezone.localdate():
        raise ValidationError(_("De periode kan niet in de toekomst eindigen."))
    from . import tasks

    with transaction.atomic():
        Gemeente.objects.select_for_update().filter(pk=gemeente.pk).first()
        running = Berekening.objects.filter(
            gemeente=gemeente,
            periode_start=start,
            periode_eind=eind,
            status__in=[Berekening.Status.WACHTEND, Berekening.Status.BEZIG],
        ).first()
        if running and not running.is_stalled:
            if running.status == Berekening.Status.WACHTEND:
                # Offered again: if the broker was down the first time, this gets it going; a
                # duplicate is harmless (the task skips a computation another worker runs).
                transaction.on_commit(lambda: enqueue(tasks.compute_indicators, running.pk))
            return running
        if running:  # its worker died: record that, and start afresh
            Berekening.objects.filter(pk=running.pk).update(
                status=Berekening.Status.MISLUKT,
                fout=_("De berekening is afgebroken; ze is opnieuw gestart."),
                klaar_at=timezone.now(),
            )
        berekening = Berekening.objects.create(
            gemeente=gemeente, periode_start=start, periode_eind=eind, gevraagd_door=by
        )
        transaction.on_commit(lambda: enqueue(tasks.compute_indicators, berekening.pk))
    return berekening


def berekening_run(*, berekening_id: int) -> None:
    """Run a computation (called by the task). Idempotent: finished ones are left alone."""
    from .compute import compute_snapshots

    with transaction.atomic():
        berekening = Berekening.objects.select_for_update().filter(pk=berekening_id).first()
        if berekening is None or berekening.is_done:
            return
        if berekening.status == Berekening.Status.BEZIG and not berekening.is_stalled:
            return  # another worker is computing it
        berekening.status = Berekening.Status.BEZIG
        berekening.gestart_at = timezone.now()
        berekening.voortgang = 0
        berekening.save(update_fields=["status", "gestart_at", "voortgang"])

    def progress(percent: int) -> None:
        Berekening.objects.filter(pk=berekening_id).update(voortgang=min(99, percent))

    try:
        compute_snapshots(
            gemeente=berekening.gemeente,
            periode_start=berekening.periode_start,
            periode_eind=berekening.periode_eind,
            progress=progress,
        )
    except Exception:
        logger.exception("indicator computation failed", extra={"berekening": berekening_id})
        Berekening.objects.filter(pk=berekening_id).update(
            status=Berekening.Status.MISLUKT,
            fout=_("De berekening is mislukt; probeer het later opnieuw."),
            klaar_at=timezone.now(),
        )
        raise
    Berekening.objects.filter(pk=berekening_id).update(
        status=Berekening.Status.KLAAR, voortgang=100, klaar_at=timezone.now()
    )


def berekening_nightly() -> list[Berekening]:
    """The nightly run, for every gemeente with buurten: the live figures of the last 12 months
    up to today (for the coordinators), and, when the last ended quarter has no publication yet,
    its version 1 (for open data). The publication is a task of its own, made once however often
    it is asked for (``publicatie_first``)."""
    from . import tasks

    start, eind = kwartaal.last_ended()
    requested = []

    def request(gemeente_id: int) -> None:
        gemeente = Gemeente.objects.get(pk=gemeente_id)
        requested.append(berekening_request(gemeente=gemeente, by=None))
        if not Publicatie.objects.filter(
            gemeente=gemeente, periode_start=start, periode_eind=eind
        ).exists():
            args = (gemeente_id, start.isoformat(), eind.isoformat())
            transaction.on_commit(lambda: enqueue(tasks.publish_quarter, *args))

    gemeenten = Gemeente.objects.filter(wijken__buurten__isnull=False).distinct()
    batch.each(list(gemeenten.values_list("pk", flat=True)), request, what="nightly indicators")
    return requested


# --- Publications --------------------------------------------------------------------------------
def _check_ended_quarter(periode_start: date, periode_eind: date) -> None:
    if not kwartaal.is_quarter(periode_start, periode_eind):
        raise ValidationError(_("Alleen kalenderkwartalen worden gepubliceerd."))
    if periode_eind >= timezone.localdate():
        raise ValidationError(_("Een kwartaal wordt pas gepubliceerd als het voorbij is."))


def publicatie_first(*, gemeente: Gemeente, periode_start: date, periode_eind: date) -> Publicatie:
    """Version 1 of an ended quarter: computed and published once. Asked again (a second
    nightly run, a redelivered task) it returns the publication that exists."""
    from .compute import compute_snapshots

    _check_ended_quarter(periode_start, periode_eind)
    with transaction.atomic():
        Gemeente.objects.select_for_update().filter(pk=gemeente.pk).first()
        existing = (
            Publicatie.objects.filter(
                gemeente=gemeente, periode_start=periode_start, periode_eind=periode_eind
            )
            .order_by("versie")
            .first()
        )
        if existing is not None:
            return existing
        publicatie = Publicatie.objects.create(
            gemeente=gemeente,
            periode_start=periode_start,
            periode_eind=periode_eind,
            versie=1,
            gepubliceerd_at=timezone.now(),
        )
        compute_snapshots(
            gemeente=gemeente,
            periode_start=periode_start,
            periode_eind=periode_eind,
            publicatie=publicatie,
        )
    return publicatie


NOTITIE_MAX = 500


def publicatie_correct(*, publicatie: Publicatie, by, notitie: str) -> Publicatie:
    """An administrator's correction: the quarter computed again from today's data as a new
    version with a note saying why. The earlier versions stay as they are, and downloadable."""
    from .compute import compute_snapshots

    if by is None or not is_administrator(by):
        raise PermissionDenied
    notitie = " ".join((notitie or "").split())
    if not notitie:
        raise ValidationError({"notitie": _("Schrijf op wat er gecorrigeerd wordt en waarom.")})
    if len(notitie) > NOTITIE_MAX:
        raise ValidationError(
            {"notitie": _("Een toelichting is hoogstens %(n)s tekens.") % {"n": NOTITIE_MAX}}
        )
    with transaction.atomic():
        Gemeente.objects.select_for_update().filter(pk=publicatie.gemeente_id).first()
        versies = Publicatie.objects.filter(
            gemeente_id=publicatie.gemeente_id,
            periode_start=publicatie.periode_start,
            periode_eind=publicatie.periode_eind,
        )
        latest = versies.order_by("-versie").first()
        nieuw = Publicatie.objects.create(
            gemeente_id=publicatie.gemeente_id,
            periode_start=publicatie.periode_start,
            periode_eind=publicatie.periode_eind,
            versie=latest.versie + 1,
            gepubliceerd_at=timezone.now(),
            notitie=notitie,
            gepubliceerd_door=by,
        )
        compute_snapshots(
            gemeente=publicatie.gemeente,
            periode_start=publicatie.periode_start,
            periode_eind=publicatie.periode_eind,
            publicatie=nieuw,
        )
        if _figures_of(nieuw) == _figures_of(latest):
            # A version that changes nothing would only say "corrected" where nothing was
            # wrong; the transaction is rolled back, so no version 2 and no snapshots remain.
            raise ValidationError(
                {
                    "notitie": _(
                        "De cijfers zijn opnieuw berekend en niet veranderd: er is niets te "
                        "corrigeren. Er is geen nieuwe versie gepubliceerd."
                    )
                }
            )
    logger.info("publication corrected", extra={"publicatie": nieuw.pk, "versie": nieuw.versie})
    return nieuw


def _figures_of(publicatie: Publicatie) -> dict:
    """{area: figures} of one published version, to tell whether a correction changes anything
    (the computation time is not a figure)."""
    return {
        (row["niveau"], row["wijk_id"], row["buurt_id"]): row["waarden"]
        for row in publicatie.snapshots.values("niveau", "wijk_id", "buurt_id", "waarden")
    }


# --- Starters ------------------------------------------------------------------------------------
def starter_aanmelden(*, user, peiling: Peiling) -> bool:
    """A resident asks to be invited for a first activity, in the open round of their wijk.

    Stored by its own request, after (and apart from) the answers: the row holds the round and
    the day only, so that it cannot be paired with a response. Returns False when they had
    already asked in this round."""
    if not Lidmaatschap.objects.filter(
        user=user, buurt__wijk_id=peiling.wijk_id, status=Lidmaatschap.Status.LID
    ).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            current = Peiling.objects.select_for_update().get(pk=peiling.pk)
            if current.gesloten_at is not None:
                raise ValidationError(_("Deze peiling is gesloten; aanmelden kan niet meer."))
            _row, created = StarterAanmelding.objects.get_or_create(
                user=user, peiling=current, defaults={"aangemeld_op": timezone.localdate()}
            )
    except IntegrityError:  # the same resident twice at once
        return False
    return created


def starter_intrekken(*, user) -> int:
    """Withdraw every opt-in of a resident: the rows go, and invitations still waiting in the
    outbox lapse when they are sent (their renderer finds no opt-in). Returns how many."""
    with transaction.atomic():
        deleted, _per_model = StarterAanmelding.objects.filter(user=user).delete()
    return deleted


def starters_uitnodigen(*, activiteit: Activiteit, by) -> int:
    """Queue an invitation for an upcoming activity to the starters of its buurt: residents who
    opted in during a round of its wijk, are members of its buurt, are not signed up yet and
    were not invited to it before (once per starter per activity; the outbox's unique
    constraint guards it too). Returns how many were queued: for the caller's tests and logs,
    not for the coordinator (it differs by who signed up: ``selectors.starters_of`` is what
    they may be told, suppressed when few)."""
    if not selectors.wijken_for(by).filter(pk=activiteit.buurt.wijk_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        current = (
            Activiteit.objects.select_for_update().select_related("buurt").get(pk=activiteit.pk)
        )
        if current.geannuleerd_at is not None or current.start <= timezone.now():
            raise ValidationError(
                _("Deze activiteit is al begonnen of afgelast; kies een activiteit die nog komt.")
            )
        ontvangers = list(
            selectors.starters_of(current.buurt)
            .filter(
                ~Exists(
                    Aanmelding.objects.filter(
                        user=OuterRef("pk"), activiteit=current, status__in=Aanmelding.ACTIVE
                    )
                ),
                ~Exists(
                    Notificatie.objects.filter(
                        soort=Notificatie.Soort.STARTER_UITNODIGING,
                        object_id=current.pk,
                        ontvanger=OuterRef("pk"),
                    )
                ),
            )
            .order_by("pk")
        )
        notify(
            soort=Notificatie.Soort.STARTER_UITNODIGING,
            object_id=current.pk,
            ontvangers=ontvangers,
        )
    return len(ontvangers)
