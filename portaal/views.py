"""The start page, per role, and the administrator's tools on it; the inbox of one's own
notices (*Berichten*)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Team, User
from buurten import borgstelling, selectors
from buurten.forms import BuurtSearchForm
from meldingen.models import Categorie, Melding, Outbox, RoutingRegel
from meldingen.selectors import meldingen_visible_to, mijn_meldingen, overdue, routing_attention
from meldingen.workflow import OPEN, Status
from notificaties import selectors as berichten_selectors
from notificaties import services as berichten_services
from notificaties import soorten
from open311.models import Client
from teamapi.models import FeedToken
from verzoeken.selectors import wachtrij_samenvatting


def home(request):
    """The start page: what to do next depends on who you are."""
    user = request.user
    context = {"search_form": BuurtSearchForm()}
    if user.is_authenticated:
        context["lidmaatschap"] = selectors.active_lidmaatschap(user)
        if context["lidmaatschap"] is None:
            context["afgewezen"] = selectors.recent_rejection(user)
        # The start page shows the cards of the user's own sections (``access``, as the menu).
        if access.offers(user, "feed"):
            context["area"] = (
                selectors.buurten_in_area(user)
                .values("wijk__naam", "wijk__code")
                .annotate(buurten=Count("id"))
                .order_by("wijk__naam")
            )
            visible = meldingen_visible_to(user)
            context["open_meldingen"] = visible.filter(status__in=OPEN).count()
            context["te_laat"] = visible.filter(overdue(timezone.now())).count()
        if access.offers(user, "nieuwe_leden"):
            context["open_aanvragen"] = selectors.aanvragen_to_decide(user).count()
            context["vouched_admissions"] = selectors.vouched_admissions_to_review(user).count()
        if access.offers(user, "verzoeken_beslissen"):
            context["verzoeken_wachtrij"] = wachtrij_samenvatting(user)
        if access.offers(user, "mijn_meldingen"):
            context["nieuwe_berichten"] = mijn_meldingen(user).filter(nieuw=True).count()
        if borgstelling.standing(context["lidmaatschap"]).may_vouch:
            context["to_vouch"] = selectors.aanvragen_to_vouch_for(user).count()
        if access.offers(user, "beheer"):
            context["beheer"] = _administrator_tools()
    return render(request, "portaal/home.html", context)


def _admin_list(model, query: str = "") -> dict:
    """A link to a model's list in the admin, named as the admin names it."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return {"label": capfirst(meta.verbose_name_plural), "url": url + query}


def _administrator_tools() -> dict:
    """The administrator's start: what needs doing in routing, and where the tools are."""
    return {
        "attention": routing_attention(),
        "failed_url": _admin_list(Outbox, "?toestand=mislukt")["url"],
        "unrouted_url": _admin_list(Melding, f"?status__exact={Status.ONTVANGEN}")["url"],
        "sections": [
            {
                "title": _("Routering"),
                "links": [
                    _admin_list(RoutingRegel),
                    {"label": _("Proefrit"), "url": reverse("admin:meldingen_routing_proef")},
                    _admin_list(Categorie),
                ],
            },
            {
                "title": _("Koppelingen en API-sleutels"),
                "links": [
                    _admin_list(FeedToken),
                    _admin_list(Client),
                    {"label": _("API-documentatie"), "url": reverse("api-docs")},
                ],
            },
            {
                "title": _("Beheer"),
                "links": [
                    {"label": _("Naar het beheer"), "url": reverse("admin:index")},
                    _admin_list(User),
                    _admin_list(Team),
                    {"label": _("Gezondheid (healthz)"), "url": reverse("healthz")},
                ],
            },
        ],
    }


# --- Berichten: the inbox in the site ------------------------------------------------------------

BERICHTEN_PER_PAGINA = 20


@access.section_required("berichten")
def berichten(request):
    """One's own notices, newest first, each with its line (``soorten.summarise``): a constant
    number of queries per page, however many it shows."""
    user = request.user
    pagina = Paginator(berichten_selectors.berichten(user), BERICHTEN_PER_PAGINA)
    pagina = pagina.get_page(request.GET.get("pagina"))
    rows = list(pagina.object_list)
    lines = soorten.summarise(rows)
    # A notice whose cause went after it was written does not show; it counts as read, so
    # the menu's number agrees with the list.
    gone = [row.pk for row in rows if row.pk not in lines and row.gelezen_at is None]
    if gone:
        berichten_services.berichten_gelezen(user=user, ids=gone)
    ongelezen = berichten_selectors.ongelezen(user)
    context = {
        "page": pagina,
        "items": [(row, lines[row.pk]) for row in rows if row.pk in lines],
        "ongelezen": ongelezen,
        "menu_ongelezen": ongelezen,  # counted once
        "bewaardagen": settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS,
        # "Alles gelezen" reaches up to the newest notice there was when the page was drawn.
        "tot": (
            berichten_selectors.berichten(user).order_by("-pk").values_list("pk", flat=True)
        ).first()
        if ongelezen
        else None,
    }
    return render(request, "portaal/berichten.html", context)


@access.section_required("berichten")
@require_POST
def bericht_openen(request, pk):
    """Open a notice: it is read, and the page it is about opens."""
    row = get_object_or_404(berichten_selectors.berichten(request.user), pk=pk)
    berichten_services.berichten_gelezen(user=request.user, ids=[row.pk])
    line = soorten.summarise([row]).get(row.pk)
    if line is None:
        messages.info(request, _("Dit bericht is niet meer actueel: waar het over ging, is weg."))
        return redirect("berichten")
    return redirect(line.url)


class AllesGelezenForm(forms.Form):
    tot = forms.IntegerField(min_value=1, max_value=2**63 - 1)


@access.section_required("berichten")
@require_POST
def berichten_gelezen(request):
    """Alles gelezen: every notice up to the newest the page showed."""
    form = AllesGelezenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens.")
        )
        return redirect("berichten")
    berichten_services.berichten_gelezen(user=request.user, tot=form.cleaned_data["tot"])
    messages.success(request, _("Alle berichten staan op gelezen."))
    return redirect("berichten")
