from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import voorkeuren
from .models import Berichtinstelling, Keuze


class BerichtinstellingForm(forms.Form):
    """One form: per kind of notice the person's role gets, how they want to hear of it; and
    their quiet hours. The kinds that cannot be switched off are not fields (the page names
    them)."""

    stille_uren = forms.BooleanField(
        label=_("Stille uren: 's nachts niets, berichten wachten tot de ochtend"),
        required=False,
    )
    stil_van = forms.TimeField(
        label=_("Stil vanaf"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    stil_tot = forms.TimeField(
        label=_("Stil tot"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, user, instelling: Berichtinstelling | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.onderwerpen = voorkeuren.onderwerpen(user.role)
        for onderwerp in self.onderwerpen:
            self.fields[onderwerp] = forms.ChoiceField(
                label=voorkeuren.label(onderwerp),
                choices=[(k, Keuze(k).label) for k in voorkeuren.keuzes(onderwerp)],
                initial=voorkeuren.keuze(instelling, onderwerp),
                widget=forms.RadioSelect,
            )
        quiet = voorkeuren.stille_uren(instelling)
        self.fields["stille_uren"].initial = quiet is not None
        self.fields["stil_van"].initial = quiet.van if quiet else voorkeuren.STIL_VAN
        self.fields["stil_tot"].initial = quiet.tot if quiet else voorkeuren.STIL_TOT

    def keuze_fields(self):
        return [self[onderwerp] for onderwerp in self.onderwerpen]

    def clean(self):
        cleaned = super().clean()
        van, tot = cleaned.get("stil_van"), cleaned.get("stil_tot")
        if cleaned.get("stille_uren") and van is not None and van == tot:
            raise ValidationError(
                {"stil_tot": _("Het einde van de stille uren moet een ander tijdstip zijn.")}
            )
        return cleaned

    def keuzes(self) -> dict[str, str]:
        return {onderwerp: self.cleaned_data[onderwerp] for onderwerp in self.onderwerpen}
