from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurten.selectors import (
    buurt_at,
    buurten_of_gemeente,
    has_shapes,
    near_gemeente,
    shapes_missing,
)
from wijkaanpak.forms import EenmaligField, LocalDateTimeField
from wijkaanpak.singleline import SingleLineField

from .models import Categorie, Inzage, Melder, Nazorg
from .photos import (
    MAX_PHOTOS,
    PhotoRejected,
    check_photo,
    count_photo_failure,
    encode_photo,
    photo_failures_over_limit,
)
from .workflow import Actie


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``max_photos`` photos, each checked by content and re-encoded without metadata.

    Cleaning the field only counts the files; PhotosFormMixin checks them (size, type and
    pixel count from the header) and decodes and re-encodes them once the rest of the form is
    valid. A form with this field must use that mixin."""

    def __init__(self, *args, max_photos: int = MAX_PHOTOS, **kwargs):
        self.max_photos = max_photos
        attrs = {"accept": "image/jpeg,image/png,image/webp"}
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs=attrs) if max_photos > 1 else forms.FileInput(attrs=attrs),
        )
        super().__init__(*args, **kwargs)

    def get_bound_field(self, form, field_name):
        if not isinstance(form, PhotosFormMixin):
            raise ImproperlyConfigured(f"{type(form).__name__} needs PhotosFormMixin")
        return super().get_bound_field(form, field_name)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_photos:
            raise forms.ValidationError(
                _("Je kunt hoogstens %(n)s foto's toevoegen.") % {"n": self.max_photos}
            )
        return files


TOO_MANY_FAILURES = _(
    "Er zijn de afgelopen tijd te veel foto's geweigerd. Probeer het over een uur opnieuw, of "
    "verstuur het formulier zonder foto."
)


class PhotosFormMixin:
    """Photos are decoded last: their headers are always checked (cheap), but they are
    decoded only when every other field and the form's own checks pass (a form with errors
    comes back anyway, and the browser does not keep the files), so an invalid form costs no
    decoding. Refused photos count towards a limit per user and per IP
    address (``FAILED_PHOTOS_RATE``); over it, photos are refused without being looked at,
    while the form itself can still be sent without them.

    ``request`` is required for a bound form: it is who the limit counts."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and request is None:
            raise TypeError(f"{type(self).__name__} needs the request when it is bound")
        self.request = request

    def _post_clean(self):
        super()._post_clean()
        fields = [
            name
            for name, field in self.fields.items()
            if isinstance(field, PhotosField) and self.cleaned_data.get(name)
        ]
        if not fields:
            return
        if photo_failures_over_limit(self.request):
            for name in fields:
                self.add_error(name, TOO_MANY_FAILURES)
            return
        invalid = bool(self._errors)
        for name in fields:
            uploads = self.cleaned_data[name]
            try:
                for upload in uploads:  # every header first: no decoding for a bad set
                    check_photo(upload)
                # One at a time, so one decoded photo is in memory at once.
                self.cleaned_data[name] = (
                    [] if invalid else [encode_photo(check_photo(upload)) for upload in uploads]
                )
            except PhotoRejected as exc:
                count_photo_failure(self.request)
                self.add_error(name, str(exc))


BESCHERMING_UITLEG = {
    Melder.Bescherming.ANONIEM: _(
        "Niemand weet dat jij dit meldde. We kunnen je dan ook niet laten weten wat ermee gebeurt."
    ),
    Melder.Bescherming.COORDINATOR: _(
        "Alleen de wijkcoördinator kan zien wie je bent. Je krijgt bericht over wat er gebeurt."
    ),
    Melder.Bescherming.CONTACT: _(
        "Politie of handhaving mag je benaderen voor meer informatie. Buren zien het nooit."
    ),
}


PIN_LOST = _("De plek van de speld kwam niet goed door. Zet hem opnieuw.")


class MeldingForm(PhotosFormMixin, forms.Form):
    inzending = EenmaligField()
    wat = forms.CharField(
        label=_("Wat gebeurde er?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Beschrijf wat je zag of hoorde: gedrag, niet je vermoeden."),
    )
    waar = SingleLineField(
        label=_("Waar?"),
        max_length=200,
        required=False,  # a pin or a description: see clean()
        help_text=_(
            "Adres, hoek of plek, en de richting waarin iemand wegging. Of zet een speld op "
            "de kaart."
        ),
    )
    # Without a pin, the buurt the resident chooses (their own to begin with); with a pin, the
    # buurt under it, found from the shapes (clean()).
    buurt = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=None,
        to_field_name="code",
        required=False,
        help_text=_("Staat er een speld op de kaart, dan telt de buurt onder de speld."),
    )
    wanneer = LocalDateTimeField(label=_("Wanneer?"))
    al_112_gebeld = forms.BooleanField(label=_("Ik heb al 112 gebeld"), required=False)
    # Optional point: the map's pin or the "use my location" button; roughly the Netherlands.
    latitude = forms.FloatField(
        required=False, min_value=50.7, max_value=53.6, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=3.3, max_value=7.3, widget=forms.HiddenInput
    )
    persoon_geslacht = forms.ChoiceField(
        label=_("Geslacht"),
        required=False,
        choices=[
            ("", "–"),
            ("man", _("man")),
            ("vrouw", _("vrouw")),
            ("onbekend", _("weet ik niet")),
        ],
    )
    persoon_lengte = SingleLineField(
        label=_("Lengte"),
        max_length=30,
        required=False,
        help_text=_("Bijvoorbeeld: ca. 1,80 m."),
    )
    persoon_kleding = SingleLineField(
        label=_("Kleding"),
        max_length=120,
        required=False,
        help_text=_("Bijvoorbeeld: donkere jas, witte sneakers."),
    )
    persoon_kenmerken = SingleLineField(
        label=_("Opvallende kenmerken"),
        max_length=120,
        required=False,
        help_text=_("Bijvoorbeeld: baard, rugzak, tatoeage."),
    )
    voertuig_kleur = SingleLineField(label=_("Kleur"), max_length=30, required=False)
    voertuig_merk = SingleLineField(label=_("Merk"), max_length=40, required=False)
    voertuig_type = SingleLineField(
        label=_("Soort voertuig"),
        max_length=40,
        required=False,
        help_text=_("Bijvoorbeeld: auto, scooter, busje."),
    )
    voertuig_kenteken = SingleLineField(
        label=_("(Deel van het) kenteken"), max_length=12, required=False
    )
    fotos = PhotosField(
        label=_("Foto's (optioneel)"),
        required=False,
        help_text="",  # set per request in __init__, in the active language
    )
    bescherming = forms.ChoiceField(
        label=_("Wie mag weten dat jij dit meldde?"),
        choices=Melder.Bescherming.choices,
        initial=Melder.Bescherming.COORDINATOR,
        widget=forms.RadioSelect,
    )
    telefoon = forms.RegexField(
        label=_("Telefoonnummer (optioneel)"),
        regex=r"^\+?[0-9 ()-]{8,20}$",
        required=False,
        help_text=_("Alleen als politie of handhaving je mag bellen."),
        error_messages={"invalid": _("Dit lijkt geen telefoonnummer.")},
    )

    def __init__(self, *args, categorie: Categorie, buurt, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("wanneer", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        initial.setdefault("buurt", buurt.code)
        super().__init__(*args, **kwargs)
        self.categorie = categorie
        self.eigen_buurt = buurt
        self.gemeente = buurt.wijk.gemeente
        self.fields["buurt"].queryset = buurten_of_gemeente(self.gemeente.pk).only("code", "naam")
        self.fields["fotos"].help_text = _(
            "Hoogstens %(n)s foto's. Locatiegegevens halen we eraf."
        ) % {"n": MAX_PHOTOS}
        if voorbeeld := categorie.vertaald.voorbeeld:
            self.fields["wat"].help_text = _("%(uitleg)s Bijvoorbeeld: “%(voorbeeld)s”") % {
                "uitleg": self.fields["wat"].help_text,
                "voorbeeld": voorbeeld,
            }
        self.fields["bescherming"].choices = [
            (value, f"{label}: {BESCHERMING_UITLEG[value]}")
            for value, label in Melder.Bescherming.choices
        ]

    def clean(self):
        cleaned = super().clean()
        self._clean_place(cleaned)
        if cleaned.get("telefoon") and cleaned.get("bescherming") != Melder.Bescherming.CONTACT:
            self.add_error(
                "telefoon",
                _(
                    "Een telefoonnummer bewaren we alleen als politie of handhaving "
                    "contact mag opnemen."
                ),
            )
        return cleaned

    def _clean_place(self, cleaned) -> None:
        """A pin or a description is required. With a pin, the melding goes to the buurt under
        it (when the gemeente has shapes); a pin outside every buurt of the gemeente is
        refused, so nothing is saved for a place no one here handles. Where some buurten have
        no shape, a pin near the gemeente in none goes to the chosen buurt if that is one of
        them (the map cannot tell), and asks for the buurt otherwise."""
        if "latitude" in self.errors or "longitude" in self.errors:
            # Hidden fields: their own messages ("enter a number") point at nothing visible.
            codes = {
                error.code
                for name in ("latitude", "longitude")
                for error in self.errors.as_data().get(name, [])
            }
            self.errors.pop("latitude", None)
            self.errors.pop("longitude", None)
            self.add_error(
                None, self._outside() if codes <= {"min_value", "max_value"} else PIN_LOST
            )
            return
        if "waar" in self.errors or "buurt" in self.errors:
            return
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error(None, PIN_LOST)
            return
        if lat is None:
            if not cleaned.get("waar"):
                self.add_error(
                    "waar", _("Zet een speld op de kaart of beschrijf waar het gebeurde.")
                )
            cleaned["buurt"] = cleaned.get("buurt") or self.eigen_buurt
            return
        if not has_shapes(self.gemeente.pk):  # no shapes to tell: the buurt as chosen
            cleaned["buurt"] = cleaned.get("buurt") or self.eigen_buurt
            return
        onder_speld = buurt_at(self.gemeente.pk, lat, lon)
        if onder_speld is not None:
            cleaned["buurt"] = onder_speld
            return
        if shapes_missing(self.gemeente.pk) and near_gemeente(self.gemeente.pk, lat, lon):
            gekozen = cleaned.get("buurt") or self.eigen_buurt
            if gekozen.geometrie:
                self.add_error(
                    "buurt",
                    _(
                        "Op de plek van de speld kent de kaart geen buurt. Kies de buurt waar "
                        "het was, of haal de speld weg en beschrijf de plek."
                    ),
                )
            else:  # a buurt the map has no shape for: as chosen
                cleaned["buurt"] = gekozen
            return
        self.add_error(None, self._outside())

    def _outside(self) -> str:
        return _(
            "De speld staat buiten %(gemeente)s. Zet hem op de plek in %(gemeente)s, "
            "of haal hem weg en beschrijf de plek."
        ) % {"gemeente": self.gemeente.naam}


class IkOokForm(forms.Form):
    SHORT_LABELS = [
        (Melder.Bescherming.COORDINATOR, _("Alleen coördinator weet het")),
        (Melder.Bescherming.CONTACT, _("Contact mag")),
        (Melder.Bescherming.ANONIEM, _("Anoniem")),
    ]
    bescherming = forms.ChoiceField(choices=SHORT_LABELS, initial=Melder.Bescherming.COORDINATOR)


class ActieForm(forms.Form):
    actie = forms.ChoiceField(
        choices=Actie.choices,
        error_messages={
            "required": _("Kies wat je met de melding doet."),
            "invalid_choice": _("Kies wat je met de melding doet."),
        },
    )
    terugkoppeling = forms.CharField(
        label=_("Bericht aan alle melders"),
        help_text=_(
            "Lezen allen die dit meldden, ook buren die 'Ik ook' zeiden, op de site en per "
            "e-mail. Zet hier geen naam, adres of iets anders dat een melder herkenbaar maakt."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bericht_eerste_melder = forms.CharField(
        label=_("Bericht alleen aan de eerste melder (optioneel)"),
        help_text=_(
            "Leest alleen de bewoner die de melding deed, op de site en per e-mail; buren die "
            "'Ik ook' zeiden zien het nooit. Collega's lezen de tekst alleen bij een inzage "
            "van de melder."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InzageForm(forms.Form):
    """Why a professional needs to know who reported: a ground and a case number or sentence
    (checked by ``services.melder_reveal``, the one place of that rule)."""

    grond = forms.ChoiceField(
        label=_("Grond"),
        choices=[("", _("Kies een grond")), *Inzage.Grond.choices],
        error_messages={
            "required": _("Kies de grond waarop je de gegevens van de melder nodig hebt."),
            "invalid_choice": _("Kies een van de gronden uit de lijst."),
        },
    )
    reden = SingleLineField(
        label=_("Zaaknummer of toelichting"),
        max_length=200,
        error_messages={
            "required": _(
                "Geef een zaaknummer, of beschrijf in een zin waarom je de gegevens van de "
                "melder nodig hebt."
            ),
            "max_length": _("Houd de toelichting kort: hooguit %(limit_value)d tekens."),
        },
    )


class NazorgForm(forms.Form):
    notitie = forms.CharField(
        label=_("Wat is er gedaan?"),
        help_text=_(
            "Bijvoorbeeld: gebeld, gesprek afgesproken, doorverwezen naar Slachtofferhulp. "
            "Alleen coördinatoren van dit gebied lezen dit."
        ),
        max_length=500,
        required=False,  # required, with a message that fits the choice below (``clean``)
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    volgende_contact = forms.DateField(
        label=_("Volgende contact op"),
        help_text=_(
            "Vandaag of later, binnen een jaar. De coördinatoren van dit gebied krijgen die "
            "ochtend om 8 uur een herinnering."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 14-03-2027.")},
    )
    afronden = forms.BooleanField(
        label=_("Nazorg afronden"),
        help_text=_("De bewoner heeft geen steun meer nodig. Schrijf hierboven kort waarom."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker offers the days the service accepts (it checks them again).
        today = timezone.localdate()
        self.fields["volgende_contact"].widget.attrs.update(
            min=today.isoformat(), max=(today + Nazorg.MAX_VOORUIT).isoformat()
        )

    def clean(self):
        cleaned = super().clean()
        if "notitie" in cleaned and not cleaned["notitie"].strip():
            self.add_error(
                "notitie",
                _("Schrijf kort waarom de nazorg is afgerond.")
                if cleaned.get("afronden")
                else forms.Field.default_error_messages["required"],
            )
        return cleaned
