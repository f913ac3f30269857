"""What invalidates cached feed pages (``feedcache``): any committed change to a melding, a
category or a team's area."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Team
from buurten.models import Buurt

from . import feedcache
from .models import Categorie, Melding, Nazorg


@receiver(post_save, sender=Melding)
@receiver(post_delete, sender=Melding)
@receiver(post_save, sender=Nazorg)  # coordinators' feed marks follow-ups still open
def feed_changed(**kwargs) -> None:
    feedcache.bump_on_commit()


@receiver(post_save, sender=Categorie)
@receiver(post_delete, sender=Categorie)
@receiver(post_save, sender=Buurt)
# A team's organisation decides its systems' target (``scope_of_team``); its name heads its feed.
@receiver(post_save, sender=Team)
@receiver(m2m_changed, sender=Team.wijken.through)
@receiver(m2m_changed, sender=Team.buurten.through)
def feed_and_choices_changed(**kwargs) -> None:
    """Pages and the filter options (categories, the wijken of a team's area, its name)."""
    feedcache.bump_on_commit(choices=True)
