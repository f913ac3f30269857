"""An administrator corrects a published quarter: the period is computed again as a new
version with a note; the earlier versions stay published as they were (ADR 0006)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import section_required
from buurten.models import Gemeente

from . import kwartaal, publicatie, selectors, services
from .forms import CorrectieForm


@section_required("beheer")
def corrigeren(request, gemeente_code, periode):
    gemeente = get_object_or_404(Gemeente, code=gemeente_code.upper())
    periode_eind = publicatie.parse_periode(periode)
    latest = periode_eind and selectors.publicatie_for(gemeente, periode_eind=periode_eind)
    if not latest:
        raise Http404
    form = CorrectieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nieuw = services.publicatie_correct(
                publicatie=latest, by=request.user, notitie=form.cleaned_data["notitie"]
            )
        except ValidationError as exc:
            form.add_error("notitie", exc.messages)
        else:
            label = kwartaal.label(nieuw.periode_start, nieuw.periode_eind)
            messages.success(
                request,
                _("Versie %(versie)s van %(kwartaal)s is gepubliceerd.")
                % {"versie": nieuw.versie, "kwartaal": label},
            )
            return redirect("indicatoren:open-data")
    context = {
        "form": form,
        "gemeente": gemeente,
        "publicatie": latest,
        "kwartaal": kwartaal.label(latest.periode_start, latest.periode_eind),
        "versies": selectors.versies(latest),
    }
    return render(request, "indicatoren/publicatie_corrigeren.html", context)
