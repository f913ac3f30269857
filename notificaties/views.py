from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services, voorkeuren
from .forms import BerichtinstellingForm
from .models import Berichtinstelling, Notificatie


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
    vaste = [Notificatie.Soort(soort).label for soort in voorkeuren.vaste(request.user.role)]
    return render(request, "notificaties/berichtinstellingen.html", {"form": form, "vaste": vaste})
