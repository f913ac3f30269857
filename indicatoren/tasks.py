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
    """Every night: the default period (last 12 months) for every gemeente with buurten."""
    from . import services

    services.berekening_nightly()
