"""Account-wide request rules: MFA and short sessions for professionals, no caching of
personal pages."""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.db import transaction
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .access import works_with_personal_data
from .services import known_language

# What a professional without MFA may still open: account pages (to set MFA up), the
# language switch, health checks and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/")


def requires_mfa(user) -> bool:
    return settings.WIJKAANPAK_STAFF_ROLES_REQUIRE_MFA and works_with_personal_data(user)


# Whether a professional has an authenticator app is asked on every page they open; once
# found, the answer is kept in the shared cache, not asked of the database each time. Saving or
# removing an authenticator forgets it when that commits (``forget_totp``); should that moment
# fall in a cache outage, the kept answer lapses after this many seconds.
TOTP_KEY = "mfa:totp:{}"
TOTP_SECONDS = 600


def has_totp(user) -> bool:
    key = TOTP_KEY.format(user.pk)
    if cache.get(key):
        return True
    found = is_mfa_enabled(user, [Authenticator.Type.TOTP])
    if found:
        cache.set(key, True, TOTP_SECONDS)
    return found


def forget_totp(sender, instance, **kwargs) -> None:
    """``post_save`` and ``post_delete`` of an ``Authenticator``."""
    key = TOTP_KEY.format(instance.user_id)
    transaction.on_commit(lambda: cache.delete(key))


class StaffMFARequiredMiddleware:
    """Coordinators, police, enforcement and administrators open their pages only with TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and requires_mfa(user)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Voor je rol is tweestapsverificatie verplicht: je werkt met gegevens van "
                    "bewoners. Stel eerst een authenticator-app in."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


SESSION_STARTED = "wijkaanpak_session_started"
SESSION_SEEN = "wijkaanpak_session_seen"
# Activity is written to the session at most this often (seconds): not a database write per
# request; the idle timeout is exact to within this.
SEEN_RESOLUTION = 60


def start_session_clock(sender, request, user, **kwargs):
    """A sign-in starts the session's clocks (anew: Django keeps session data across a sign-in
    of the same user)."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = now


class ProfessionalSessionMiddleware:
    """OWASP ASVS L2 (3.3.2, 3.3.4) for the roles that can reveal reporters: signed out after
    ``WIJKAANPAK_PROFESSIONAL_IDLE_TIMEOUT`` seconds without a request and after
    ``WIJKAANPAK_PROFESSIONAL_SESSION_MAX_AGE`` seconds in all, whatever "remember me" said.
    Residents keep their sessions (two weeks with "remember me"). Revealing a reporter also
    asks for a recent sign-in (``meldingen.views.inzage``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (user.is_authenticated and works_with_personal_data(user)):
            return self.get_response(request)
        session = request.session
        now = timezone.now().timestamp()
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            started = seen = now
            self._touch(session, now, started=now)
        idle = now - seen > settings.WIJKAANPAK_PROFESSIONAL_IDLE_TIMEOUT
        too_old = now - started > settings.WIJKAANPAK_PROFESSIONAL_SESSION_MAX_AGE
        if idle or too_old:
            return self._sign_out(request, idle=idle)
        if now - seen >= SEEN_RESOLUTION:
            self._touch(session, now)
        return self.get_response(request)

    def _touch(self, session, now: float, *, started: float | None = None) -> None:
        if started is not None:
            session[SESSION_STARTED] = started
        session[SESSION_SEEN] = now
        if not session.get_expire_at_browser_close():
            # "Remember me" keeps the cookie no longer than a session may last at all.
            session.set_expiry(settings.WIJKAANPAK_PROFESSIONAL_SESSION_MAX_AGE)

    def _sign_out(self, request, *, idle: bool):
        path = request.get_full_path() if request.method == "GET" else "/"
        logout(request)
        messages.info(
            request,
            _("Je was een tijd niet actief en bent uitgelogd. Log opnieuw in.")
            if idle
            else _("Je bent langer dan een werkdag ingelogd en daarom uitgelogd. Log opnieuw in."),
        )
        return redirect(f"{reverse('account_login')}?{urlencode({'next': path})}")


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in user are never stored by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language with the language switch.

    Browsers in the Netherlands are often set to English; the platform speaks Dutch to
    everyone first, so the browser's Accept-Language header is not consulted.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class StoredLanguageMiddleware:
    """A signed-in person on a browser without a language choice (a new phone, cleared
    cookies) gets the site in the language kept with their account (``User.taal``), and the
    cookie, so later pages follow without asking again. A choice in the browser wins: the
    switch stores it on the account too. Dutch needs nothing: it is the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        taal = None
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            taal = known_language(request.user.taal)
            if taal == settings.LANGUAGE_CODE:
                taal = None
            if taal:
                translation.activate(taal)
                request.LANGUAGE_CODE = taal
        response = self.get_response(request)
        if taal:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                taal,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
