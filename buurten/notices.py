"""What the membership notifications say (see ``notificaties.soorten``)."""

from django.urls import reverse
from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

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
