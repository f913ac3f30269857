"""Shared fixtures. Tests that need a real service say so with a marker; locally a missing
service skips them with the reason, in CI (CI=true) it fails the run."""

import os
import shutil
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from wijkaanpak.celery import app as celery_app

from . import celery_worker, factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# CI runs the suite again with the clock set to awkward moments (03:30, the DST switches, New
# Year's Eve, a leap day): no test may pass or fail with the hour it happens to run at.
TEST_CLOCK = os.environ.get("WIJKAANPAK_TEST_CLOCK", "")


def _missing(item) -> str | None:
    is_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if item.get_closest_marker("postgres") and not is_postgres:
        return "needs Postgres: set DATABASE_URL"
    if item.get_closest_marker("worker") and not (is_postgres and settings.REDIS_URL):
        return "needs Postgres and Redis for a real Celery worker: set DATABASE_URL and REDIS_URL"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL"
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


# ``tests/lanes.py`` runs the suite in shares side by side: "2/3" keeps the second of three.
TEST_SHARE = os.environ.get("WIJKAANPAK_TEST_SHARE", "")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Deal the collected tests into shares like cards, the slow ones (a browser or a real
    worker) apart from the rest, so that every share gets as many of each as the others (within
    one) and the shares take about as long. Every run collects the same tests in the same
    order, so each test is in exactly one share."""
    if not TEST_SHARE:
        return
    share, shares = (int(part) for part in TEST_SHARE.split("/"))
    dealt = Counter()
    keep, drop = [], []
    for item in items:
        slow = any(item.get_closest_marker(m) for m in ("browser", "worker"))
        turn = dealt[slow]
        dealt[slow] += 1
        # The rest are dealt from the other end, so that the first share does not get one
        # more of both.
        seat = turn % shares if slow else shares - 1 - turn % shares
        (keep if seat == share - 1 else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def pytest_runtest_setup(item):
    reason = _missing(item)
    if reason:
        if IN_CI:
            pytest.fail(f"CI must not skip: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _wall_clock(request):
    """With WIJKAANPAK_TEST_CLOCK set, every in-process test starts at that moment and the clock
    runs on from there; without it at the start of the next hour (one second past: forward, as
    the clocks are, so nothing made before the test, by a migration say, lies ahead). The rate
    limits count in fixed windows of a minute or an hour (``accounts.ratelimit``): a test making
    a limit's worth of requests failed when a minute turned between them (seen once in 1,975).
    Worker and browser tests are left on the real clock: a separate process (the Celery
    worker, Chromium) cannot be moved with this one."""
    if any(request.node.get_closest_marker(m) for m in ("worker", "browser")):
        yield
        return
    if TEST_CLOCK:
        start = datetime.fromisoformat(TEST_CLOCK)
    else:
        start = datetime.now(UTC).replace(minute=0, second=1, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Unit and view tests run Celery tasks in-process; `worker` tests use the real broker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _no_default_quiet_hours(settings):
    """Tests about other things send at whatever hour they run (the suite runs at 03:30 and
    on New Year's Eve too). The default quiet hours are tested where they are the subject:
    ``tests/notificaties/test_voorkeuren.py`` switches them on (``stille_uren``)."""
    settings.WIJKAANPAK_STILLE_UREN = False


@pytest.fixture
def stille_uren(settings):
    """The site's default: quiet hours 22:00-07:00 for everyone who did not choose."""
    settings.WIJKAANPAK_STILLE_UREN = True


@pytest.fixture(autouse=True)
def _dutch():
    """Each test starts in the site's default language (a request may have switched it)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wijk(db):
    return factories.WijkFactory()


@pytest.fixture
def buurt(wijk):
    return factories.BuurtFactory(wijk=wijk)


@pytest.fixture
def other_buurt(db):
    """A buurt in another wijk: outside the area of the professionals below."""
    return factories.BuurtFactory()


@pytest.fixture
def resident(db):
    return factories.UserFactory()


@pytest.fixture
def member(buurt):
    return factories.LidmaatschapFactory(buurt=buurt).user


@pytest.fixture
def coordinator(wijk):
    return factories.professional("coordinator", wijk)


@pytest.fixture
def police(wijk):
    return factories.professional("politie", wijk)


@pytest.fixture
def enforcement(wijk):
    return factories.professional("handhaving", wijk)


@pytest.fixture
def login(client):
    """Signed in as if through the login page just now: with allauth's record of the sign-in,
    which actions asking for a recent sign-in (revealing a reporter) look at."""

    def _login(user):
        import time

        from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

        client.force_login(user)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": time.time()}]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is Django's business; tests only need passwords to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a per-test folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queue():
    name = f"test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def worker(tmp_path, transactional_db, queue):
    started = celery_worker.Worker(tmp_path, queue)
    yield started
    started.stop()


@pytest.fixture
def locatieserver(settings):
    """PDOK Locatieserver switched on, served by a local stub with recorded answers."""
    from .locatieserver_stub import Stub

    stub = Stub()
    settings.WIJKAANPAK_LOCATIESERVER_URL = stub.url
    settings.WIJKAANPAK_LOCATIESERVER_TIMEOUT = 0.5
    yield stub
    stub.close()
