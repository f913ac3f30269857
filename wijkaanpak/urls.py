from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import push_views
from accounts import views as account_views
from notificaties import views as notificatie_views
from portaal import views as portaal_views

from .health import healthz


def favicon(request):
    # Resolved per request: the static manifest (production) exists only after collectstatic.
    return redirect(static("img/favicon.svg"))


admin.site.site_header = _("Wijkaanpak beheer")
admin.site.site_title = _("Wijkaanpak beheer")
# Administrators sign in like everyone else: through allauth, with MFA.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", portaal_views.home, name="home"),
    path("berichten/", portaal_views.berichten, name="berichten"),
    path("berichten/<int:pk>/openen/", portaal_views.bericht_openen, name="bericht-openen"),
    path("berichten/alles-gelezen/", portaal_views.berichten_gelezen, name="berichten-gelezen"),
    path("buurten/", include("buurten.urls")),
    path("meldingen/", include("meldingen.urls")),
    path("activiteiten/verzoeken/", include("verzoeken.urls")),
    path("activiteiten/", include("activiteiten.urls")),
    path("api/", include("wijkaanpak.api_urls")),
    path("open311/", include("open311.urls")),
    path("indicatoren/", include("indicatoren.urls")),
    path("accounts/voorkeuren/", account_views.voorkeuren, name="voorkeuren"),
    path(
        "accounts/meldingen-en-berichten/",
        notificatie_views.berichtinstellingen,
        name="berichtinstellingen",
    ),
    path("accounts/push/", push_views.push_abonnement, name="push_abonnement"),
    path("accounts/", include("allauth.urls")),
    # Django's language switch, which also keeps a signed-in user's e-mail language.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for it on pages that name no icon (a photo opened on its own, say).
    path("favicon.ico", favicon, name="favicon"),
    # The installable site: served from the root, so the service worker's scope is all of it.
    path("manifest.webmanifest", notificatie_views.manifest, name="manifest"),
    path("sw.js", notificatie_views.service_worker, name="service_worker"),
]

# Under /api/ every error is the API's JSON body; elsewhere Django's pages (templates/4xx.html).
handler400 = "teamapi.errors.bad_request"
handler403 = "teamapi.errors.permission_denied"
handler404 = "teamapi.errors.page_not_found"
handler500 = "teamapi.errors.server_error"
