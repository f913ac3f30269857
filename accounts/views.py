from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n

from .models import Leeftijdsgroep, User
from .services import user_set_taal


class VoorkeurenForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["weergavenaam", "leeftijdsgroep"]
        widgets = {"leeftijdsgroep": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional: the empty choice is an explicit, equal answer.
        self.fields["leeftijdsgroep"].choices = [
            ("", _("Zeg ik liever niet")),
            *Leeftijdsgroep.choices,
        ]


@login_required
def voorkeuren(request):
    """How neighbours see you and (optionally) your age band, counted only for
    representativiteit. What you hear, and how often, is on "Meldingen en berichten"."""
    form = VoorkeurenForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Je voorkeuren zijn opgeslagen."))
        return redirect("voorkeuren")
    return render(request, "account/voorkeuren.html", {"form": form})


def set_language(request):
    """The site's language switch (Django's, which sets the cookie). A signed-in user's choice
    is also the language of the e-mails they get from then on."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_set_taal(user=request.user, taal=request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER))
    return response
