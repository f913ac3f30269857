"""The weekly digest: it tells residents their buurt's news, so it lives on top."""

from celery import shared_task

from notificaties.services import overzichten_versturen

from . import overzicht


@shared_task
def send_weekly_overzichten() -> int:
    """Weekly (beat, Monday 07:00 Amsterdam): one digest per person of the notices they chose
    to get once a week, and for every member who wants it the buurt's news. Safe to run twice
    (``notificaties.services.overzichten_versturen``)."""
    return overzichten_versturen(bundel="week", extra=overzicht.ontvangers())
