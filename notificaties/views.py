"""The installable site: its web app manifest and the service worker that shows pushes (both
served from the site's root, so the worker's scope is the whole site); and the page where a
person chooses what they hear, when (``berichtinstellingen``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services, voorkeuren
from .forms import BerichtinstellingForm
from .models import Berichtinstelling

# The brand colour of static/css/site.css (the navbar): the phone's status bar takes it.
THEME_COLOUR = "#1f4e79"


@require_GET
def manifest(request):
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/",
        "name": _("Wijkaanpak · Samen voor de buurt"),
        "short_name": _("Wijkaanpak"),
        "description": _("Samen zorgen voor een veilige, prettige buurt."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, max_age=3600)
    return response


@require_GET
def service_worker(request):
    """``/sw.js``: browsers check it for updates themselves; ``no-cache`` makes them ask us
    each time rather than keep an old worker a day."""
    response = render(
        request,
        "notificaties/sw.js",
        {"icon": static("img/icon-192.png"), "badge": static("img/badge-96.png")},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True)
    return response


@login_required
def berichtinstellingen(request):
    """Meldingen en berichten: per kind of notice at once, daily, weekly or not, and quiet
    hours. Every role has the page; each sees the kinds that reach their role."""
    instelling = Berichtinstelling.objects.filter(user=request.user).first()
    form = BerichtinstellingForm(request.POST or None, user=request.user, instelling=instelling)
    if request.method == "POST" and form.is_valid():
        services.berichtinstelling_save(
            user=request.user,
            keuzes=form.keuzes(),
            stille_uren=form.cleaned_data["stille_uren"],
            stil_van=form.cleaned_data["stil_van"],
            stil_tot=form.cleaned_data["stil_tot"],
        )
        messages.success(request, _("Je keuzes voor meldingen en berichten zijn opgeslagen."))
        return redirect("berichtinstellingen")
    vaste = [voorkeuren.label(soort) for soort in voorkeuren.vaste(request.user.role)]
    return render(request, "notificaties/berichtinstellingen.html", {"form": form, "vaste": vaste})
