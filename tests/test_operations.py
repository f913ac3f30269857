"""Health checks, the production security check, logs without personal data (demo seeding:
tests/portaal/test_seed_demo.py)."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from accounts.logging import ScrubPersonalDataFilter

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_reports_the_database_and_redis(client, settings):
    settings.REDIS_URL = ""
    ok = client.get("/healthz")
    assert ok.status_code == 200
    assert ok.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-store" in ok["Cache-Control"]

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    down = client.get("/healthz")
    # The site still serves without Redis: monitoring sees "degraded", balancers keep it.
    assert down.status_code == 200
    assert down.json() == {
        "status": "degraded",
        "degraded": ["redis"],
        "checks": {"database": "ok", "redis": "error: ConnectionError"},
    }


def test_deploy_check_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "wijk.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://wijk.example.org",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "WIJKAANPAK_SITE_URL": "https://wijk.example.org",
        "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings",
    }
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

    # Left at the local default, e-mails would link residents to 127.0.0.1.
    result = deploy_check({**env, "WIJKAANPAK_SITE_URL": "http://127.0.0.1:8000"})
    assert result.returncode != 0
    assert "wijkaanpak.W001" in result.stdout + result.stderr


def deploy_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_DEBUG="false", DJANGO_ENV_FILE="/nonexistent")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_logs_carry_no_email_addresses(caplog):
    record = logging.LogRecord(
        "buurten", logging.INFO, __file__, 1, "welcome for %s failed", ("sanne@example.org",), None
    )
    record.request = object()
    assert ScrubPersonalDataFilter().filter(record)
    assert record.getMessage() == "welcome for [e-mail] failed"
    assert not hasattr(record, "request")


def test_log_lines_are_json_without_personal_data():
    """The configured console handler writes one JSON object per line, scrubbed."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    record = logging.getLogger("buurten.test").makeRecord(
        "buurten.test",
        logging.WARNING,
        __file__,
        1,
        "no broker for %s",
        ("piet@example.org",),
        None,
        extra={"task": "notificaties.tasks.relay_notificaties"},
    )
    assert handler.filter(record)
    payload = json.loads(handler.format(record))
    assert payload["message"] == "no broker for [e-mail]"
    assert payload["level"] == "WARNING"
    assert payload["task"] == "notificaties.tasks.relay_notificaties"


def test_tracebacks_and_extra_fields_are_scrubbed_too():
    """An exception's own text (a database error quotes the row it refused) and the fields
    Celery and log calls pass in ``extra`` leave the console handler without addresses."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    try:
        raise ValueError("Key (email)=(zara.jansen@example.nl) already exists.")
    except ValueError:
        record = logging.getLogger("meldingen.test").makeRecord(
            "meldingen.test",
            logging.ERROR,
            __file__,
            1,
            "routing failed",
            (),
            sys.exc_info(),
            extra={"contact": "zara.jansen@example.nl", "data": {"args": ["zara@example.nl", 7]}},
        )
    assert handler.filter(record)
    line = handler.format(record)
    payload = json.loads(line)
    assert "example.nl" not in line
    assert "Key (email)=([e-mail]) already exists." in payload["exc_info"]
    assert "ValueError" in payload["exc_info"]
    assert payload["contact"] == "[e-mail]"
    assert payload["data"] == {"args": ["[e-mail]", 7]}


def test_env_example_lists_every_setting_the_code_reads():
    import re

    settings_source = (BASE_DIR / "wijkaanpak" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', settings_source))
    example = (BASE_DIR / ".env.example").read_text()
    missing = sorted(name for name in read if name not in example)
    assert len(read) > 15
    assert missing == []


@pytest.mark.django_db
def test_plain_text_emails_are_not_html_escaped():
    from django.template.loader import render_to_string

    from tests import factories

    activiteit = factories.activiteit(titel="Tafels & stoelen")
    context = {
        "bericht": type(
            "B",
            (),
            {
                "activiteit": activiteit,
                "tekst": "Kom 's avonds <b>",
                "afzender": activiteit.organisator,
            },
        )(),
        "url": "u",
    }
    body = render_to_string("activiteiten/email/bericht.txt", context)
    subject = render_to_string("activiteiten/email/bericht_subject.txt", context)
    assert "Kom 's avonds <b>" in body
    assert "Tafels & stoelen" in subject


@pytest.mark.django_db
def test_the_browsers_own_icon_request_finds_the_site_icon(client):
    """Browsers ask for /favicon.ico on pages without an icon link, such as a photo opened on
    its own; a 404 there is an error in the console."""
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == static("img/favicon.svg")
    assert (BASE_DIR / "static" / "img" / "favicon.svg").is_file()


def test_no_daily_job_is_put_off_by_restarting_beat():
    """An interval schedule counts from beat's own start: a job every 24 hours would never run
    if beat restarted daily (a deploy). Jobs rarer than hourly run at a fixed hour, and beat
    keeps when each last ran on a volume, so a new container neither repeats nor skips them."""
    from celery.schedules import crontab

    intervals = {
        name: entry["schedule"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if not isinstance(entry["schedule"], crontab)
    }
    assert intervals and all(0 < seconds <= 3600 for seconds in intervals.values()), intervals
    assert isinstance(
        settings.CELERY_BEAT_SCHEDULE["anonymise-closed-meldingen"]["schedule"], crontab
    )
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    beat = compose[compose.index("\n  beat:") : compose.index("\nvolumes:")]
    assert '"--schedule", "/app/beat/celerybeat-schedule"' in beat
    assert "- beat:/app/beat" in beat
