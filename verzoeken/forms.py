from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meldingen.forms import PhotosField, PhotosFormMixin
from wijkaanpak.forms import BedragField, BerichtField, EenmaligField
from wijkaanpak.tijdstippen import year_in_range, years_message

from .models import Verzoek, VerzoekSoort
from .services import STILZWIJGEND_MAX_BEDRAG, STILZWIJGEND_WERKDAGEN
from .workflow import Status


class VerzoekForm(forms.ModelForm):
    inzending = EenmaligField()

    class Meta:
        model = Verzoek
        fields = ["soort", "bedrag", "nodig_op", "toelichting"]
        field_classes = {"bedrag": BedragField}
        widgets = {
            "nodig_op": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "toelichting": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "bedrag": gettext_lazy("Alleen als het om geld gaat. Met een komma of een punt.")
        }


class VerantwoordingForm(PhotosFormMixin, forms.Form):
    foto = PhotosField(label=gettext_lazy("Foto van de activiteit"), max_photos=1)
    deelnemers = forms.IntegerField(
        label=gettext_lazy("Aantal deelnemers"), min_value=0, max_value=10000
    )
    verantwoording = forms.CharField(
        label=gettext_lazy("Hoe is het geld besteed? (bij meer dan € 250)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MAX_BERICHT = 1000  # what ``VerzoekHistorie.bericht`` and ``Verzoek.reden`` hold


class BesluitForm(forms.Form):
    """The coordinator's message with a decision (the reason, when rejecting)."""

    bericht = BerichtField(max_length=MAX_BERICHT)


class AntwoordForm(forms.Form):
    """The resident's answer when the gemeente asked for more information."""

    antwoord = BerichtField(max_length=MAX_BERICHT)


class RegelForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Soort verzoek"), choices=VerzoekSoort.choices)
    max_bedrag = BedragField(label=gettext_lazy("Tot en met bedrag (€)"), required=False)
    werkdagen = forms.IntegerField(label=gettext_lazy("Werkdagen"))
    actief = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {
            "max": number_format(STILZWIJGEND_MAX_BEDRAG, force_grouping=True),
            "min": STILZWIJGEND_WERKDAGEN[0],
            "dagen": STILZWIJGEND_WERKDAGEN[-1],
        }
        self.fields["max_bedrag"].help_text = (
            _("Hoogstens € %(max)s. Leeg: tot € %(max)s, of geen bedrag nodig.") % bounds
        )
        self.fields["werkdagen"].help_text = _("%(min)s tot en met %(dagen)s werkdagen.") % bounds


class WachtrijFilter(forms.Form):
    """The coordinator's queue: what is open by default, and every request ever submitted in
    their area (the history) by status, buurt, kind, date submitted and words."""

    OPEN, ALLE = "open", "alle"

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    buurt = forms.ChoiceField(label=gettext_lazy("Buurt"), required=False)
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False)
    van = forms.DateField(
        label=gettext_lazy("Ingediend vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tot = forms.DateField(
        label=gettext_lazy("Ingediend tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label=gettext_lazy("Zoeken"), required=False, max_length=100)

    def __init__(self, *args, buurten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (self.OPEN, _("Open (te besluiten)")),
            (self.ALLE, _("Alle")),
            *[(value, label) for value, label in Status.choices if value != Status.CONCEPT],
        ]
        self.fields["buurt"].choices = [("", _("Alle"))] + [(str(pk), n) for pk, n in buurten]
        self.fields["buurt"].error_messages["invalid_choice"] = _(
            "Deze buurt hoort niet bij je gebied. Kies een buurt uit de lijst."
        )
        self.fields["soort"].choices = [("", _("Alle")), *VerzoekSoort.choices]
        self.fields["q"].help_text = _("Woorden uit de toelichting, de buurt of het nummer.")
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else ("form-control form-control-sm")
            )

    def clean_van(self):
        return self._within_years(self.cleaned_data["van"])

    def clean_tot(self):
        return self._within_years(self.cleaned_data["tot"])

    @staticmethod
    def _within_years(day):
        if day is not None and not year_in_range(day):
            raise forms.ValidationError(years_message())
        return day

    def clean(self):
        cleaned = super().clean()
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if van and tot and van > tot:
            self.add_error("tot", _("Deze datum ligt vóór de begindatum."))
        return cleaned

    def choices(self) -> dict:
        """The filters that are valid; a wrong one is left out (and shown with its message)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: data.get(name) for name in self.fields if name not in self.errors}
