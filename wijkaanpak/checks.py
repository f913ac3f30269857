"""Deployment checks of the platform's own settings (``manage.py check --deploy``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
