"""A cached team token is forgotten once it or its team is changed or deleted
(``services.forget_token``): the cached token carries its team, which decides what it reads."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Team

from .models import FeedToken
from .services import forget_token


@receiver(post_save, sender=FeedToken)
@receiver(post_delete, sender=FeedToken)
def feed_token_changed(instance, **kwargs) -> None:
    forget_token(instance.key_hash)


@receiver(post_save, sender=Team)
def team_changed(instance, created, **kwargs) -> None:
    if created:
        return
    for key_hash in instance.feed_tokens.values_list("key_hash", flat=True):
        forget_token(key_hash)
