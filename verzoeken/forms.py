from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meldingen.forms import PhotosField, PhotosFormMixin

from .models import Verzoek, VerzoekSoort
from .services import STILZWIJGEND_MAX_BEDRAG, STILZWIJGEND_WERKDAGEN


class VerzoekForm(forms.ModelForm):
    class Meta:
        model = Verzoek
        fields = ["soort", "bedrag", "nodig_op", "toelichting"]
        widgets = {
            "nodig_op": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "toelichting": forms.Textarea(attrs={"rows": 3}),
            "bedrag": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        }
        help_texts = {"bedrag": gettext_lazy("Alleen als het om geld gaat.")}

    def clean_bedrag(self):
        bedrag = self.cleaned_data["bedrag"]
        if bedrag is not None and bedrag < 0:
            raise forms.ValidationError(_("Een bedrag kan niet negatief zijn."))
        return bedrag


class VerantwoordingForm(PhotosFormMixin, forms.Form):
    foto = PhotosField(label=gettext_lazy("Foto van de activiteit"), max_photos=1)
    deelnemers = forms.IntegerField(label=gettext_lazy("Aantal deelnemers"), min_value=0)
    verantwoording = forms.CharField(
        label=gettext_lazy("Hoe is het geld besteed? (bij meer dan € 250)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegelForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Soort verzoek"), choices=VerzoekSoort.choices)
    max_bedrag = forms.DecimalField(
        label=gettext_lazy("Tot en met bedrag (€)"), required=False, decimal_places=2
    )
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
