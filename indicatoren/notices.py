"""What the indicator app's notifications say (see ``notificaties.soorten``): the invitation
for a first activity to residents who asked for one at the end of a survey ("starters")."""

from django.urls import reverse
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

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
