from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldingen.forms import PhotosField, PhotosFormMixin
from wijkaanpak.forms import BerichtField, EenmaligField, LocalDateTimeField
from wijkaanpak.singleline import SingleLineField

from .models import Activiteit, Soort
from .services import MAX_IN_SERIES, RolSpec

ROLE_ROWS = 3


class ActiviteitForm(forms.Form):
    inzending = EenmaligField()
    soort = forms.ModelChoiceField(label=_("Soort"), queryset=Soort.objects.filter(actief=True))
    titel = SingleLineField(label=_("Titel"), max_length=100)
    beschrijving = forms.CharField(
        label=_("Beschrijving"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plek = SingleLineField(label=_("Plek"), max_length=200)
    start = LocalDateTimeField(label=_("Begint"))
    einde = LocalDateTimeField(label=_("Eindigt"))
    capaciteit = forms.IntegerField(
        label=_("Aantal deelnemers"),
        min_value=1,
        max_value=10000,
        help_text=_("Zonder de vrijwilligersrollen hieronder."),
    )
    zichtbaarheid = forms.ChoiceField(
        label=_("Wie ziet het"),
        choices=Activiteit.Zichtbaarheid.choices,
        initial=Activiteit.Zichtbaarheid.LEDEN,
        widget=forms.RadioSelect,
    )
    herhaling = forms.ChoiceField(
        label=_("Herhalen"),
        required=False,
        choices=[
            ("", _("Eenmalig")),
            ("wekelijks", _("Elke week")),
            ("tweewekelijks", _("Elke twee weken")),
            ("maandelijks", _("Elke maand")),
        ],
    )
    aantal = forms.IntegerField(
        label=_("Hoe vaak"), min_value=1, max_value=MAX_IN_SERIES, initial=1, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, ROLE_ROWS + 1):
            self.fields[f"rol_{index}_naam"] = SingleLineField(
                label=_("Vrijwilligersrol %(n)s") % {"n": index},
                max_length=80,
                required=False,
                # One example for the rows, under the first (not in the field: it reads as filled).
                help_text=_("Bijvoorbeeld: loper met hesje.") if index == 1 else "",
            )
            self.fields[f"rol_{index}_plaatsen"] = forms.IntegerField(
                label=_("Plaatsen rol %(n)s") % {"n": index},
                min_value=1,
                max_value=100,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        start, einde = cleaned.get("start"), cleaned.get("einde")
        if start and einde and einde <= start:
            self.add_error("einde", _("Het einde moet na het begin liggen."))
        if start and start < timezone.now():
            self.add_error("start", _("Het begin ligt in het verleden."))
        for index in range(1, ROLE_ROWS + 1):
            naam, plaatsen = cleaned.get(f"rol_{index}_naam"), cleaned.get(f"rol_{index}_plaatsen")
            if naam and not plaatsen:
                self.add_error(f"rol_{index}_plaatsen", _("Hoeveel plaatsen heeft deze rol?"))
            if plaatsen and not naam:
                self.add_error(f"rol_{index}_naam", _("Geef de rol een naam."))
        return cleaned

    def rollen(self) -> list[RolSpec]:
        return [
            RolSpec(
                naam=self.cleaned_data[f"rol_{i}_naam"],
                plaatsen=self.cleaned_data[f"rol_{i}_plaatsen"],
            )
            for i in range(1, ROLE_ROWS + 1)
            if self.cleaned_data.get(f"rol_{i}_naam")
        ]

    def role_rows(self):
        return [(self[f"rol_{i}_naam"], self[f"rol_{i}_plaatsen"]) for i in range(1, ROLE_ROWS + 1)]


class BerichtForm(forms.Form):
    """The organiser's message to everyone signed up or waiting."""

    tekst = BerichtField(max_length=2000)  # what ``Bericht.tekst`` holds


class AanwezigheidForm(PhotosFormMixin, forms.Form):
    extra_bezoekers = forms.IntegerField(
        label=_("Buren zonder account"), min_value=0, max_value=10000, initial=0
    )
    verslag = forms.CharField(
        label=_("Kort verslag (optioneel)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    foto = PhotosField(label=_("Foto (optioneel)"), required=False, max_photos=1)
