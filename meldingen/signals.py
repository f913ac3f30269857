"""What invalidates cached feed pages (``feedcache``): any committed change to a melding, a
category or a team's area; and a cached feed token, once it is changed or deleted."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Team
from buurten.models import Buurt

from . import feedcache
from .models import Categorie, FeedToken, Melding, Nazorg


@receiver(post_save, sender=Melding)
@receiver(post_delete, sender=Melding)
@receiver(post_save, sender=Nazorg)  # coordinators' feed marks follow-ups still open
def feed_changed(**kwargs) -> None:
    feedcache.bump_on_commit()


@receiver(post_save, sender=Categorie)
@receiver(post_delete, sender=Categorie)
@receiver(post_save, sender=Buurt)
@receiver(m2m_changed, sender=Team.wijken.through)
@receiver(m2m_changed, sender=Team.buurten.through)
def feed_and_choices_changed(**kwargs) -> None:
    """Pages and the filter options (categories, the wijken of a team's area)."""
    feedcache.bump_on_commit(choices=True)


@receiver(post_save, sender=FeedToken)
@receiver(post_delete, sender=FeedToken)
def feed_token_changed(instance, **kwargs) -> None:
    from .api import forget_token

    forget_token(instance.key_hash)
