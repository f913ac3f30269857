"""Celery tasks: thin, idempotent, taking ids."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def compute_indicators(berekening_id: int) -> None:
    """Compute every snapshot of the Berekening's gemeente and period; progress 0 to 100 as it goes.
    A finished Berekening is left alone, so a redelivered task does nothing."""
    from . import services

    services.berekening_run(berekening_id=berekening_id)


@shared_task
def compute_nightly() -> None:
    """Every night: the live figures (last 12 months) for every gemeente with buurten, and the
    publication of the last ended quarter where it has none yet."""
    from . import services

    services.berekening_nightly()


@shared_task
def deelname_maanden() -> None:
    """Every night before the figures: the month aggregates of the participations (the month
    that ended, the residents whose participations or memberships changed). Safe to run twice."""
    from .deelname import deelname_maanden_bijwerken

    logger.info("deelname_maanden: %s", deelname_maanden_bijwerken())


@shared_task
def publish_quarter(gemeente_id: int, periode_start: str, periode_eind: str) -> None:
    """Publish version 1 of an ended quarter for one gemeente (dates as ISO strings). Safe to
    run twice: the second run finds the publication and does nothing."""
    from datetime import date

    from buurten.models import Gemeente

    from . import services

    gemeente = Gemeente.objects.filter(pk=gemeente_id).first()
    if gemeente is None:
        return
    services.publicatie_first(
        gemeente=gemeente,
        periode_start=date.fromisoformat(periode_start),
        periode_eind=date.fromisoformat(periode_eind),
    )
