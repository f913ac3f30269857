from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import timezone, translation

from notificaties.services import queue_account_mail
from notificaties.soorten import site_domain, site_link
from wijkaanpak.proxies import client_ip

from .models import Role
from .services import known_language


class MailSite:
    """The site as allauth's mail templates name it ("Hello from {{ current_site.name }}",
    "{{ current_site.domain }}"): the domain of WIJKAANPAK_SITE_URL, not the request's Host
    header nor a Site row (django.contrib.sites says example.com until someone edits it)."""

    name = "Wijkaanpak"

    @property
    def domain(self) -> str:
        return site_domain()

    def __str__(self):
        return self.domain


MAIL_SITE = MailSite()


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up is a resident; other roles are given by an administrator."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.BEWONER
        user.weergavenaam = form.cleaned_data.get("weergavenaam", "")
        # The language the form was filled in: that of the verification mail and what follows.
        user.taal = known_language(translation.get_language()) or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account mail (verification, password reset, unknown account, login code, the
        security notices of allauth.mfa too) goes through the notification outbox: rendered
        now, since its one-time link cannot be rebuilt later, and delivered by the relay, so a
        mail server that is down neither fails the request nor loses the message."""
        ctx = {"request": allauth_context.request, "email": email, "current_site": MAIL_SITE}
        ctx.update(context)
        # Links (activate_url, password_reset_url, signup_url…) on the site's public address,
        # as every e-mail's: allauth builds them from the request's Host header.
        ctx.update(
            (name, site_link(value))
            for name, value in context.items()
            if name.endswith("_url") and isinstance(value, str)
        )
        queue_account_mail(self.render_mail(template_prefix, email, ctx))

    def get_client_ip(self, request) -> str:
        """allauth's rate limits (sign-in, TOTP, sign-up, password reset) count per client
        address as the rest of the site does, also behind the proxy."""
        return client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within the reauthentication window counts as reauthentication.

        Professionals are sent to set up MFA right after signing in; asking for the password
        they typed seconds ago again would only teach people to type passwords without thinking.
        """
        request = self.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if (
                records
                and timezone.now().timestamp() - records[-1]["at"]
                < account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
