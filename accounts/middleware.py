"""Account-wide request rules: MFA for professionals, no caching of personal pages."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .models import PROFESSIONAL_ROLES, Role

# What a professional without MFA may still open: account pages (to set MFA up), the
# language switch, health checks and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/")


def requires_mfa(user) -> bool:
    return settings.WIJKAANPAK_STAFF_ROLES_REQUIRE_MFA and (
        user.role in PROFESSIONAL_ROLES or user.role == Role.BEHEERDER or user.is_superuser
    )


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
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
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
