from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import Leeftijdsgroep, User


class VoorkeurenForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["weergavenaam", "berichtvoorkeur", "leeftijdsgroep"]
        widgets = {"berichtvoorkeur": forms.RadioSelect, "leeftijdsgroep": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional: the empty choice is an explicit, equal answer.
        self.fields["leeftijdsgroep"].choices = [
            ("", _("Zeg ik liever niet")),
            *Leeftijdsgroep.choices,
        ]


@login_required
def voorkeuren(request):
    """How neighbours see you, how much e-mail you get about activities, and (optionally) your
    age band, counted only for representativiteit."""
    form = VoorkeurenForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Je voorkeuren zijn opgeslagen."))
        return redirect("voorkeuren")
    return render(request, "account/voorkeuren.html", {"form": form})
