"""Shared by the benchmark scripts: the environment, the seeded actors and a Celery worker."""

import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
QUEUE = "bench"

# Engineers working in parallel keep their own copy: another database name (ending in _bench,
# ``bench/settings.py`` checks) and Redis database number.
DB = os.environ.get("BENCH_DB", "wijkaanpak_bench")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "5"))
# The feed tokens' keys, one file per database (each database issues its own).
TOKENS = BENCH_DIR / (".tokens.json" if DB == "wijkaanpak_bench" else f".tokens.{DB}.json")

# Always these values, whatever the shell says: benchmarks never touch another database.
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    "CELERY_QUEUE": QUEUE,
    "WIJKAANPAK_OUTBOX_RETRY_AFTER": "2",  # faults.py: the sweep re-offers work after 2 s
}

WIJK = "WK0363AA"  # Haarlemmerbuurt, Centrum: the busy wijk of the one-wijk team
GEMEENTE = "GM0363"
DOMAIN = "@bench.invalid"  # every benchmark user; residents are bewoner.<buurt code>@…
POLICE_WIJK = f"politie.wijk{DOMAIN}"
POLICE_GEMEENTE = f"politie.gemeente{DOMAIN}"
# Routed to the police by the default rules; submissions cycle over buurten and these.
SUBMIT_CATEGORIES = ["Verdachte situatie", "Drugshandel", "Inbraak of vernieling"]


def setup(**overrides: str) -> None:
    os.environ.update(ENV, **overrides)
    import django

    django.setup()


def user(email: str):
    from accounts.models import User

    return User.objects.select_related("team").get(email=email)


@cache
def _reporters() -> list[tuple]:
    from buurten.models import Lidmaatschap
    from meldingen.models import Categorie

    members = Lidmaatschap.objects.filter(
        user__email__endswith=DOMAIN, status=Lidmaatschap.Status.LID
    ).select_related("user", "buurt")
    categories = Categorie.objects.filter(naam__in=SUBMIT_CATEGORIES)
    return [(m.user, m.buurt, c) for m in members for c in categories]


_turn = itertools.count()


def submit() -> int:
    """One melding through the intake service, as the view makes it; returns its id."""
    from django.utils import timezone

    from meldingen import services

    reporters = _reporters()
    resident, buurt, categorie = reporters[next(_turn) % len(reporters)]
    melding = services.melding_create(
        user=resident,
        buurt=buurt,
        categorie=categorie,
        wat="Man probeert portieren van geparkeerde auto's.",
        waar="Zoutkeetsgracht",
        wanneer=timezone.now(),
    )
    return melding.pk


def delete_submissions() -> None:
    """Remove what the benchmarks submitted, so every run starts from the seeded data."""
    from django.db import connection

    from meldingen.models import Melding

    Melding.objects.filter(melders__user__email__endswith=DOMAIN).delete()
    with connection.cursor() as cursor:  # no dead index entries left for the next run
        cursor.execute("VACUUM (ANALYZE) meldingen_melding")


def purge_queue() -> None:
    from wijkaanpak.celery import app

    app.control.purge()


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.05) -> float:
    """Poll until ``condition()`` is true; returns the time.monotonic() it was seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


class Worker:
    """``celery -A wijkaanpak worker --concurrency 2 -Q bench`` in its own process group."""

    def __init__(self, name: str):
        self.log = Path(tempfile.gettempdir()) / f"bench-{name}.log"
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                *(sys.executable, "-m", "celery", "-A", "wijkaanpak", "worker"),
                *("--concurrency", "2", "-Q", QUEUE, "-I", "bench.tasks", "-n", f"{name}@%h"),
                *("--without-mingle", "--without-gossip", "--loglevel", "INFO"),
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: " ready" in self.log.read_text(), timeout=60, what=f"{name} to start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
