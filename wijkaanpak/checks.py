"""Deployment checks of the platform's own settings (``manage.py check --deploy``)."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIN_SECRET_KEY_LENGTH = 50
# Words of placeholders people copy from examples and tutorials.
PLACEHOLDER_WORDS = ("replace", "change-me", "changeme", "placeholder", "example", "insecure")


def _example_secret_key() -> str | None:
    """The placeholder DJANGO_SECRET_KEY in .env.example, which a copied file keeps."""
    example = Path(settings.BASE_DIR) / ".env.example"
    if not example.is_file():
        return None
    for line in example.read_text(encoding="utf-8").splitlines():
        name, _eq, value = line.partition("=")
        if name.strip() == "DJANGO_SECRET_KEY":
            return value.strip().strip("\"'")
    return None


@register(Tags.security, deploy=True)
def secret_key(app_configs, **kwargs):
    """Sessions, password-reset links and the intake limit's keyed hashes rest on SECRET_KEY:
    the placeholder from .env.example, or anything short or guessable, is refused."""
    key = str(settings.SECRET_KEY)
    problem = None
    if key == _example_secret_key() or any(word in key.lower() for word in PLACEHOLDER_WORDS):
        problem = "is the placeholder from .env.example (or looks like one)"
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 10:
        problem = f"is shorter than {MIN_SECRET_KEY_LENGTH} characters or too uniform"
    if problem is None:
        return []
    return [
        Error(
            f"DJANGO_SECRET_KEY {problem}.",
            hint="Generate one: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="wijkaanpak.E001",
        )
    ]


@register(Tags.security, deploy=True)
def site_url(app_configs, **kwargs):
    """Links in e-mails and calendar files are built from WIJKAANPAK_SITE_URL, outside any
    request: the local default would send residents to 127.0.0.1."""
    url = urlsplit(settings.WIJKAANPAK_SITE_URL)
    allowed = settings.ALLOWED_HOSTS
    host_ok = url.hostname and ("*" in allowed or url.hostname in allowed)
    if url.scheme == "https" and host_ok:
        return []
    return [
        Warning(
            f"WIJKAANPAK_SITE_URL is {settings.WIJKAANPAK_SITE_URL!r}: links in e-mails would "
            "not reach the site.",
            hint="Set it to the site's public https address, a host in DJANGO_ALLOWED_HOSTS.",
            id="wijkaanpak.W001",
        )
    ]


@register(Tags.security, deploy=True)
def inbox_retention(app_configs, **kwargs):
    """A notice in a person's inbox links them to what it is about (a reporter to their
    melding): it must be deleted before that melding is anonymised, which the defaults do
    (90 days after it was written; the melding 180 days after it closed)."""
    keep, retention = settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS, settings.WIJKAANPAK_RETENTION_DAYS
    if keep < retention:
        return []
    return [
        Error(
            f"WIJKAANPAK_BERICHTEN_KEEP_DAYS ({keep}) is not shorter than "
            f"WIJKAANPAK_RETENTION_DAYS ({retention}): a reporter's notices would outlive the "
            "anonymised melding.",
            hint="Keep notices in the inbox for fewer days than meldingen are kept.",
            id="wijkaanpak.E002",
        )
    ]
