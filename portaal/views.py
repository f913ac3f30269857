"""The start page, per role, and the administrator's tools on it."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Team, User
from buurten import borgstelling, selectors
from buurten.forms import BuurtSearchForm
from meldingen.models import Categorie, Melding, Outbox, RoutingRegel
from meldingen.selectors import meldingen_visible_to, mijn_meldingen, overdue, routing_attention
from meldingen.workflow import OPEN, Status
from open311.models import Client
from teamapi.models import FeedToken


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
        if access.offers(user, "mijn_meldingen"):
            context["nieuwe_berichten"] = mijn_meldingen(user).filter(nieuw=True).count()
            context["menu_nieuwe_berichten"] = context["nieuwe_berichten"]  # counted once
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
