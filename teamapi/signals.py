"""A cached team token is forgotten once it is changed or deleted (``services.forget_token``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import FeedToken
from .services import forget_token


@receiver(post_save, sender=FeedToken)
@receiver(post_delete, sender=FeedToken)
def feed_token_changed(instance, **kwargs) -> None:
    forget_token(instance.key_hash)
