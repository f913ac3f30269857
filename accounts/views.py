from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import User


class VoorkeurenForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["weergavenaam", "berichtvoorkeur"]
        widgets = {"berichtvoorkeur": forms.RadioSelect}


@login_required
def voorkeuren(request):
    """How neighbours see you, and how much e-mail you get about activities."""
    form = VoorkeurenForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Je voorkeuren zijn opgeslagen."))
        return redirect("voorkeuren")
    return render(request, "account/voorkeuren.html", {"form": form})
