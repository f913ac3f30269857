from django import forms
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineField

from .models import Lidmaatschap, Uitnodigingscode


class BuurtSearchForm(forms.Form):
    q = SingleLineField(
        label=_("Zoek je buurt"),
        max_length=100,
        required=False,
        help_text=_("Buurtnaam, wijk, stadsdeel of CBS-code, bijvoorbeeld 'Jordaan' of 'Osdorp'."),
    )


class AanvraagForm(forms.ModelForm):
    class Meta:
        model = Lidmaatschap
        fields = ["toelichting"]


class InviteCodeForm(forms.Form):
    code = SingleLineField(
        label=_("Uitnodigingscode"),
        max_length=20,
        help_text=_("De code van 8 tekens op de flyer of brief, bijvoorbeeld K7QM-4XPT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class NewInviteCodeForm(forms.ModelForm):
    class Meta:
        model = Uitnodigingscode
        fields = ["label"]


class DecisionForm(forms.Form):
    """Approving is one click; rejecting needs a reason, which the resident is shown."""

    besluit = forms.ChoiceField(
        choices=[("goedkeuren", _("Goedkeuren")), ("afwijzen", _("Afwijzen"))]
    )
    reden = SingleLineField(
        label=_("Reden (de bewoner ziet deze)"),
        max_length=Lidmaatschap._meta.get_field("reden_afwijzing").max_length,
        required=False,
        error_messages={"max_length": _("De reden is te lang (maximaal %(limit_value)s tekens).")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("besluit") == "afwijzen"
            and not data.get("reden")
            and "reden" not in self.errors
        ):
            self.add_error(
                "reden",
                _("Geef een korte reden voor de afwijzing. De bewoner krijgt die te zien."),
            )
        return data


class UndoVouchedForm(forms.Form):
    """Undoing an admission by vouching needs a reason, which the resident is shown."""

    reden = forms.CharField(
        label=_("Reden (de bewoner ziet deze)"),
        max_length=Lidmaatschap._meta.get_field("reden_afwijzing").max_length,
        error_messages={
            "required": _(
                "Geef een korte reden voor het terugdraaien. De bewoner krijgt die te zien."
            ),
            "max_length": _("De reden is te lang (maximaal %(limit_value)s tekens)."),
        },
    )
