"""Keeping ``DeelnameMaand`` and the kept counts of the live period (``DeelnameKubus``) in step
with the participations and memberships (issue 15, ADR 0006 "Computation").

A resident's months change when a sign-up, its attendance, role or hours change, when an
activity is moved, cancelled, deleted or changes organiser, and when a membership or its
history changes (an admission undone after vouching changes the past: that membership never
counted). Every such write marks the resident (``DeelnameGewijzigd``) in its own transaction,
through the model signals below, or, for the one service that writes in bulk (attendance,
``bulk_update`` sends no model signal), through ``activiteiten.signals``. ``QuerySet.update``
on these models would go unnoticed: the project has none outside migrations and tests, and
``test_deelname_maand.py`` checks each write path. The kept counts also hold each resident's
age band (a changed band marks the resident) and count per wijk (a buurt moved to another wijk
sets them aside until they are built again). The computation reads a marked resident's
participations directly, so the figures are right whether or not the nightly maintenance
(``deelname_maanden_bijwerken``) has run since."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from activiteiten.signals import aanmeldingen_bijgewerkt
from buurten.models import Buurt, Gemeente, Lidmaatschap, LidmaatschapHistorie

from .compute.activity import month_number, month_start
from .compute.months import build_months
from .compute.participation import keep_live_period
from .models import DeelnameGewijzigd, DeelnameMaand, DeelnameMaandStand, DeelnamePeriodeStand

# What of an activity its participants' months depend on.
ACTIVITEIT_FIELDS = ("start", "geannuleerd_at", "organisator_id")
# A save naming none of these in ``update_fields`` changes no one's months.
ACTIVITEIT_SAVED = {"start", "geannuleerd_at", "organisator", "organisator_id"}
UNCHANGED = object()


def mark_changed(persoon_ids: Iterable[int]) -> None:
    """Mark residents whose participations or memberships changed (in the caller's
    transaction, so the mark commits or rolls back with the change)."""
    ids = {pk for pk in persoon_ids if pk is not None}
    DeelnameGewijzigd.objects.bulk_create(DeelnameGewijzigd(persoon_id=pk) for pk in sorted(ids))


def _bulk_origin(origin) -> bool:
    """A deletion that began at an activity or an account: its ``pre_delete`` receiver below
    marked everyone at once, so the sign-ups deleted with it need not mark one by one."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is Activiteit or model._meta.label == settings.AUTH_USER_MODEL


@receiver(post_save, sender=Aanmelding)
@receiver(post_delete, sender=Aanmelding)
def _aanmelding_changed(sender, instance: Aanmelding, origin=None, **kwargs) -> None:
    if origin is not None and _bulk_origin(origin):
        return
    mark_changed([instance.user_id])


@receiver(aanmeldingen_bijgewerkt)
def _aanmeldingen_bijgewerkt(sender, user_ids, **kwargs) -> None:
    mark_changed(user_ids)


@receiver(pre_save, sender=Activiteit)
def _activiteit_before(sender, instance: Activiteit, update_fields=None, **kwargs) -> None:
    if instance.pk is None:
        instance._deelname_before = None
        return
    if update_fields is not None and not ACTIVITEIT_SAVED & set(update_fields):
        instance._deelname_before = UNCHANGED
        return
    instance._deelname_before = (
        Activiteit.objects.filter(pk=instance.pk).values_list(*ACTIVITEIT_FIELDS).first()
    )


@receiver(post_save, sender=Activiteit)
def _activiteit_changed(sender, instance: Activiteit, created: bool, **kwargs) -> None:
    before = getattr(instance, "_deelname_before", None)
    if before is UNCHANGED and not created:
        return
    after = tuple(getattr(instance, field) for field in ACTIVITEIT_FIELDS)
    if created or before is None:
        mark_changed([instance.organisator_id])
    elif before != after:
        signed_up = Aanmelding.objects.filter(activiteit=instance).values_list("user_id", flat=True)
        mark_changed([before[2], instance.organisator_id, *signed_up])


@receiver(pre_delete, sender=Activiteit)
def _activiteit_deleted(sender, instance: Activiteit, **kwargs) -> None:
    # Everyone at once, before the cascade deletes the sign-ups (which then mark no one).
    signed_up = Aanmelding.objects.filter(activiteit=instance).values_list("user_id", flat=True)
    mark_changed([instance.organisator_id, *signed_up])


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _account_deleted(sender, instance, **kwargs) -> None:
    # Their own sign-ups go with the account (and mark no one one by one); the activities
    # they organised mark their participants above.
    mark_changed([instance.pk])


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _account_band(sender, instance, update_fields=None, **kwargs) -> None:
    # The kept counts of the live period hold each resident's age band.
    if instance.pk is None or (update_fields is not None and "leeftijdsgroep" not in update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values_list("leeftijdsgroep", flat=True)
    if before.first() not in (None, instance.leeftijdsgroep):
        mark_changed([instance.pk])


@receiver(pre_save, sender=Buurt)
def _buurt_moved(sender, instance: Buurt, update_fields=None, **kwargs) -> None:
    # The kept counts of the live period count each resident in a wijk: a buurt that moves to
    # another wijk (a new CBS division) takes them out of use until they are built again.
    if instance.pk is None or (update_fields is not None and "wijk" not in update_fields):
        return
    before = Buurt.objects.filter(pk=instance.pk).values_list("wijk__gemeente_id", "wijk_id")
    for gemeente_id, wijk_id in before:
        if wijk_id != instance.wijk_id:
            DeelnamePeriodeStand.objects.filter(
                gemeente_id__in={gemeente_id, instance.wijk.gemeente_id}
            ).delete()


@receiver(post_save, sender=Lidmaatschap)
@receiver(post_delete, sender=Lidmaatschap)
def _lidmaatschap_changed(sender, instance: Lidmaatschap, **kwargs) -> None:
    mark_changed([instance.user_id])


@receiver(post_save, sender=LidmaatschapHistorie)
@receiver(pre_delete, sender=LidmaatschapHistorie)
def _historie_changed(sender, instance: LidmaatschapHistorie, **kwargs) -> None:
    # Before a deletion: the membership may be deleted in the same cascade.
    user = Lidmaatschap.objects.filter(pk=instance.lidmaatschap_id).values_list("user_id")
    mark_changed(pk for (pk,) in user)


def _chunks(ids: list[int], size: int = 10_000):
    """Lists of at most ``size`` (SQLite takes at most 32,766 parameters in a statement)."""
    for begin in range(0, len(ids), size):
        yield ids[begin : begin + size]


@transaction.atomic
def deelname_maanden_bijwerken(*, now: datetime | None = None) -> dict[str, int]:
    """The nightly maintenance: build the months that ended since the last run for everyone
    (the first run: every month so far), and rebuild every month of the residents marked as
    changed; bring the kept counts of each gemeente's live period up to ``now``
    (``compute.participation.keep_live_period``); then remove those marks. Its cost follows
    the new month's data and the day's changes. Safe to run twice and beside the computation:
    the stand rows are locked, marks written meanwhile stay for the next run, and a marked
    resident is read from the participations until then."""
    now = now or timezone.now()
    current = month_number(timezone.localtime(now).date())
    stand = DeelnameMaandStand.objects.select_for_update().first()
    marks = list(DeelnameGewijzigd.objects.values_list("pk", "persoon_id"))
    persons = sorted({persoon for _pk, persoon in marks})
    rebuilt = written = 0
    if stand is None:
        DeelnameMaand.objects.all().delete()
        written = build_months(None, month_start(current))
        stand = DeelnameMaandStand(tot=current, bijgewerkt_at=now)
    else:
        if persons and stand.tot > 0:
            for chunk in _chunks(persons):
                DeelnameMaand.objects.filter(persoon_id__in=chunk).delete()
            rebuilt = build_months(None, month_start(stand.tot), persons)
        if current > stand.tot:
            DeelnameMaand.objects.filter(maand__gte=stand.tot).delete()
            written = build_months(month_start(stand.tot), month_start(current))
        stand.tot, stand.bijgewerkt_at = max(stand.tot, current), now
    stand.save()
    # The kept counts of the live period read the marked residents again: before the marks go.
    periode = 0
    for gemeente in Gemeente.objects.filter(wijken__isnull=False).distinct().order_by("pk"):
        periode += keep_live_period(gemeente, now)["bewoners"]
    # By the rows read (not "up to the highest id"): a mark committed meanwhile stays.
    for chunk in _chunks([pk for pk, _persoon in marks]):
        DeelnameGewijzigd.objects.filter(pk__in=chunk).delete()
    return {
        "gemarkeerd": len(persons),
        "herbouwd": rebuilt,
        "nieuw": written,
        "periode": periode,
    }
