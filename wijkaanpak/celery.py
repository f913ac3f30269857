"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkaanpak.settings")

app = Celery("wijkaanpak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def enqueue(task, *args) -> bool:
    """Hand a task to the broker; an outage is logged and left to the periodic sweeps.

    Call it after commit (``transaction.on_commit``), never inside a request's transaction.
    """
    import logging

    from kombu.exceptions import OperationalError

    try:
        # One quick retry only: a request must not wait for a broker that is down, and the
        # outbox/sweep is the real retry.
        task.apply_async(args=args, retry=True, retry_policy=QUICK_RETRY)
    except OperationalError:
        logging.getLogger(__name__).warning(
            "broker unavailable, left for the sweep", extra={"task": task.name}
        )
        return False
    return True
