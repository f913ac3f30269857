"""Periodic tasks of the accounts app (beat)."""

from celery import shared_task

from . import inzendingen


@shared_task
def forget_inzendingen() -> int:
    """Nightly (beat): forget the claims of forms sent more than a day ago."""
    return inzendingen.forget()
