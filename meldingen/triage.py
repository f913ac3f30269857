"""Priority, deadline and the one-line summary an officer reads first."""

from datetime import timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkaanpak.talen import BRONTAAL, VERTALINGEN, velden, veldnaam

from .models import GESLACHT_LABELS, Melding, Prioriteit

REPEAT_WINDOW = timedelta(days=30)
REPEAT_THRESHOLD = 2  # earlier meldingen of the same kind in the buurt that make a pattern
IK_OOK_THRESHOLD = 3  # reporters of one case that raise its priority
STALE_AFTER = timedelta(hours=72)


def priority(melding: Melding, *, repeats: int) -> int:
    """Category severity, raised by "ik ook" weight and repeats, lowered when old news;
    intimidation of a resident is always high."""
    if melding.categorie.is_intimidatie:
        return Prioriteit.HOOG
    score = melding.categorie.ernst
    if melding.gewicht >= IK_OOK_THRESHOLD:
        score += 1
    if repeats >= REPEAT_THRESHOLD:
        score += 1
    if melding.created_at - melding.wanneer > STALE_AFTER:
        score -= 1
    return max(Prioriteit.LAAG, min(Prioriteit.HOOG, score))


def repeats_of(melding: Melding) -> int:
    """Earlier meldingen of the same category in the same buurt within the window."""
    return repeats_for([melding.pk]).get(melding.pk, 0)


def repeats_for(melding_ids: list[int]) -> dict[int, int]:
    """``repeats_of`` for many meldingen in one query."""
    earlier = (
        Melding.objects.filter(
            buurt_id=OuterRef("buurt_id"),
            categorie_id=OuterRef("categorie_id"),
            created_at__gte=ExpressionWrapper(
                OuterRef("created_at") - REPEAT_WINDOW, output_field=DateTimeField()
            ),
            created_at__lt=OuterRef("created_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("buurt_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return dict(
        Melding.objects.filter(pk__in=melding_ids)
        .annotate(repeats=Coalesce(Subquery(earlier), 0))
        .values_list("pk", "repeats")
    )


def descriptors(melding: Melding) -> list[str]:
    """The person and vehicle in the active language; what the reporter typed stays as typed."""
    person = [
        str(GESLACHT_LABELS.get(melding.persoon_geslacht, melding.persoon_geslacht)),
        melding.persoon_lengte,
        melding.persoon_kleding,
        melding.persoon_kenmerken,
    ]
    vehicle = melding.voertuig
    plate = (
        _("kenteken %(kenteken)s") % {"kenteken": melding.voertuig_kenteken}
        if melding.voertuig_kenteken
        else ""
    )
    return [part for part in [*person, vehicle, plate] if part]


# Where the summary is stored, one field per language (``Melding.vertaald.samenvatting``).
SUMMARY_FIELDS = velden("samenvatting")


def summary(melding: Melding, *, language: str | None = None) -> str:
    """``[HOOG] Drugshandel · Planciusbuurt-Noord · za 21:40 · 3 melders · man, donkere jas``,
    in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        when = timezone.localtime(melding.wanneer)
        parts = [
            f"[{Prioriteit(melding.prioriteit).label.upper()}] {melding.categorie.vertaald.naam}",
            melding.buurt.naam,
            f"{formats.date_format(when, 'D')} {when:%H:%M}",
        ]
        if melding.gewicht > 1:
            parts.append(
                ngettext("%(aantal)d melder", "%(aantal)d melders", melding.gewicht)
                % {"aantal": melding.gewicht}
            )
        if melding.al_112_gebeld:
            parts.append(_("112 gebeld"))
        details = descriptors(melding)
        if details:
            parts.append(", ".join(details))
        return " · ".join(parts)[:240]


def set_summaries(melding: Melding) -> Melding:
    """Write the summary in every language the site offers into its field."""
    for code in (BRONTAAL, *VERTALINGEN):
        setattr(melding, veldnaam("samenvatting", code), summary(melding, language=code))
    return melding


def apply(melding: Melding, *, repeats: int | None = None) -> Melding:
    """Set priority, summary and deadline on the (locked) melding; the caller saves."""
    if repeats is None:
        repeats = repeats_of(melding)
    melding.prioriteit = priority(melding, repeats=repeats)
    set_summaries(melding)
    melding.deadline_at = deadline(melding, start=melding.created_at)
    return melding


def deadline(melding: Melding, *, start, prioriteit: int | None = None):
    """When a response is due: the category's term from ``start`` (the report, or a
    reopening), at most a day for high priority. The one place a deadline is computed: the
    routing, a reopening and the receipt (``ontvangst``) all ask here. ``prioriteit``: the
    priority to assume, when it is not yet set on the melding."""
    if prioriteit is None:
        prioriteit = melding.prioriteit
    hours = melding.categorie.reactietermijn_uren
    if prioriteit == Prioriteit.HOOG:
        hours = min(hours, 24)
    return start + timedelta(hours=hours)


def expected(melding: Melding) -> tuple[int, object]:
    """The priority and deadline the routing will give a melding it has not routed yet: the
    same rules on the same data (a later "ik ook" can only raise the priority, so the deadline
    shown is the latest it can be)."""
    prioriteit = priority(melding, repeats=repeats_of(melding))
    return prioriteit, deadline(melding, start=melding.created_at, prioriteit=prioriteit)
