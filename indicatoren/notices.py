"""What the indicator app's notifications say (see ``notificaties.soorten``): the invitation
for a first activity to residents who asked for one at the end of a survey ("starters")."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activiteiten.models import Aanmelding, Activiteit
from activiteiten.notices import wanneer
from notificaties.models import Notificatie
from notificaties.soorten import (
    Regel,
    Rendered,
    register,
    register_bewaren,
    register_regels,
    site_url,
)

from .models import StarterAanmelding


@register(Notificatie.Soort.STARTER_UITNODIGING)
def starter_uitnodiging(row: Notificatie) -> Rendered:
    """Lapses when the resident withdrew, signed up meanwhile, or the activity is off or past."""
    activiteit = (
        Activiteit.objects.select_related("buurt")
        .filter(pk=row.object_id, geannuleerd_at__isnull=True, start__gt=timezone.now())
        .first()
    )
    if activiteit is None or row.ontvanger_id is None:
        return None
    if not StarterAanmelding.objects.filter(user_id=row.ontvanger_id).exists():
        return None
    if Aanmelding.objects.filter(
        user_id=row.ontvanger_id, activiteit=activiteit, status__in=Aanmelding.ACTIVE
    ).exists():
        return None
    context = {
        "activiteit": activiteit,
        "url": site_url(activiteit.get_absolute_url()),
        "afmelden": site_url(reverse("indicatoren:mijn-buurt")),
    }
    return "indicatoren/email/starter_uitnodiging", context


@register_regels(Notificatie.Soort.STARTER_UITNODIGING)
def starter_uitnodiging_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """In the inbox while the activity is still to come and not cancelled."""
    activiteiten = Activiteit.objects.filter(
        geannuleerd_at__isnull=True, start__gt=timezone.now()
    ).in_bulk({row.object_id for row in rows})
    lines = {}
    for row in rows:
        activiteit = activiteiten.get(row.object_id)
        if activiteit is not None:
            titel = _("Uitnodiging: doe een keer mee")
            tekst = f"{activiteit.titel} · {wanneer(activiteit)}"
            lines[row.pk] = Regel(titel, tekst, activiteit.get_absolute_url())
    return lines


@register_bewaren(Notificatie.Soort.STARTER_UITNODIGING)
def starter_uitnodiging_bewaren(activiteit_ids: set[int]) -> set[int]:
    """The invitations to an activity still to come stay past the purge's period: they are
    what keeps a starter from being invited to it again (``services.starters_uitnodigen``), and
    an activity may be planned up to a year ahead."""
    return set(
        Activiteit.objects.filter(pk__in=activiteit_ids, start__gt=timezone.now()).values_list(
            "pk", flat=True
        )
    )
