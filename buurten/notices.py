"""What the membership notifications say (see ``notificaties.soorten``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, register, register_regels, site_url

from .borgstelling import undo_until
from .models import Lidmaatschap

Soort = Notificatie.Soort


@register(Soort.LIDMAATSCHAP_AANVRAAG)
def aanvraag(row: Notificatie) -> Rendered:
    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt")
        .filter(pk=row.object_id, status=Lidmaatschap.Status.AANGEVRAAGD)
        .first()
    )
    if lidmaatschap is None:
        return None
    # The buurt only: who asked is visible after signing in.
    context = {"buurt": lidmaatschap.buurt, "url": site_url(reverse("buurten:aanvragen"))}
    return "buurten/email/aanvraag", context


@register(Soort.BORGSTELLING)
def borgstelling(row: Notificatie) -> Rendered:
    """Neighbours vouched a resident in: the coordinators may undo it until the review ends.
    The buurt only, like the aanvraag e-mail; lapses once undone or past review."""
    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt__wijk")
        .filter(
            pk=row.object_id,
            status=Lidmaatschap.Status.LID,
            via=Lidmaatschap.Via.BORGSTELLING,
        )
        .first()
    )
    if lidmaatschap is None or undo_until(lidmaatschap) < timezone.now():
        return None
    context = {
        "buurt": lidmaatschap.buurt,
        "tot": undo_until(lidmaatschap),
        "url": site_url(reverse("buurten:aanvragen") + "#borgstellingen"),
    }
    return "buurten/email/borgstelling", context


@register(Soort.WELKOM)
def welkom(row: Notificatie) -> Rendered:
    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt")
        .filter(pk=row.object_id, status=Lidmaatschap.Status.LID)
        .first()
    )
    if lidmaatschap is None:
        return None
    buurt = lidmaatschap.buurt
    return "buurten/email/welkom", {"buurt": buurt, "url": site_url(buurt.get_absolute_url())}


# --- the inbox in the site (see ``notificaties.soorten``) -------------------------------------


def _lidmaatschappen(rows: list[Notificatie], **filters) -> dict[int, Lidmaatschap]:
    found = Lidmaatschap.objects.select_related("buurt").filter(
        pk__in=[row.object_id for row in rows], **filters
    )
    return {lidmaatschap.pk: lidmaatschap for lidmaatschap in found}


@register_regels(Soort.LIDMAATSCHAP_AANVRAAG)
def aanvraag_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """Open requests only; who asked shows on the page it links to, not here."""
    open_ = _lidmaatschappen(rows, status=Lidmaatschap.Status.AANGEVRAAGD)
    url = reverse("buurten:aanvragen")
    return {
        row.pk: Regel(
            _("Aanvraag lidmaatschap"),
            _("Iemand wil lid worden van %(buurt)s.") % {"buurt": open_[row.object_id].buurt},
            url,
        )
        for row in rows
        if row.object_id in open_
    }


@register_regels(Soort.BORGSTELLING)
def borgstelling_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """As the e-mail: until the review period ends, while the admission stands."""
    now = timezone.now()
    admitted = _lidmaatschappen(
        rows, status=Lidmaatschap.Status.LID, via=Lidmaatschap.Via.BORGSTELLING
    )
    url = reverse("buurten:aanvragen") + "#borgstellingen"
    lines = {}
    for row in rows:
        lidmaatschap = admitted.get(row.object_id)
        if lidmaatschap is None or undo_until(lidmaatschap) < now:
            continue
        tekst = _("Buren stonden borg voor een nieuw lid van %(buurt)s.") % {
            "buurt": lidmaatschap.buurt
        }
        lines[row.pk] = Regel(_("Nieuw lid door borgstelling"), tekst, url)
    return lines


@register_regels(Soort.WELKOM)
def welkom_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    members = _lidmaatschappen(rows, status=Lidmaatschap.Status.LID)
    lines = {}
    for row in rows:
        if row.object_id in members:
            buurt = members[row.object_id].buurt
            tekst = _("Je bent nu lid van %(buurt)s.") % {"buurt": buurt}
            lines[row.pk] = Regel(_("Welkom in de buurt"), tekst, buurt.get_absolute_url())
    return lines
