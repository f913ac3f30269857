"""``check --deploy`` refuses the placeholder secret from .env.example and weak keys."""

import os
import secrets

import pytest
from django.test import override_settings

from wijkaanpak.checks import _example_secret_key, secret_key

from .test_operations import deploy_check

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "wijk.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://wijk.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "WIJKAANPAK_SITE_URL": "https://wijk.example.org",
    "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings",
}


def test_the_placeholder_from_env_example_fails_the_deploy_check():
    placeholder = _example_secret_key()
    assert placeholder and placeholder.startswith("replace-with")
    result = deploy_check({**os.environ, **PRODUCTION, "DJANGO_SECRET_KEY": placeholder})
    assert result.returncode != 0
    assert "wijkaanpak.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "kort-geheim-2026",  # short
        "a" * 80,  # long but one character
        "django-insecure-" + secrets.token_urlsafe(50),  # Django's own throwaway prefix
        "please-change-me-" + secrets.token_urlsafe(40),
    ],
    # Fixed ids: random ones would differ between pytest-xdist workers, which then refuse to run.
    ids=["short", "one-character", "django-insecure", "please-change-me"],
)
def test_weak_keys_are_refused(key):
    with override_settings(SECRET_KEY=key):
        assert [error.id for error in secret_key(None)] == ["wijkaanpak.E001"]


def test_a_generated_key_passes():
    with override_settings(SECRET_KEY=secrets.token_urlsafe(50)):
        assert secret_key(None) == []
