"""Forms: the buurt survey (built from :mod:`indicatoren.survey`), opening a round, and the
dashboard's choices (validated so that garbage parameters give a message, never a 500)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buurten.models import Wijk
from wijkaanpak.singleline import SingleLineField

from .registry import INDICATORS
from .survey import GROEP_INTRO, ITEMS, STAPPEN, WEET_NIET, WEET_NIET_CODE

WEET_NIET_VALUE = "weet-niet"


class SurveyForm(forms.Form):
    """One radio group per item, each with "weet niet" as an answer of its own. Skipping an item
    is allowed too and is stored differently: "weet niet" is a signal (and the midpoint for
    collective efficacy), a skipped item is only missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.tekst,
                choices=[(str(value), label) for value, label in item.schaal]
                + [(WEET_NIET_VALUE, WEET_NIET)],
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                required=False,
                coerce=str,
            )

    def stappen(self):
        """Per step of :data:`~indicatoren.survey.STAPPEN`: its groups as (intro, [bound fields]),
        and whether a field of the step has an error (the step to open after a failed submit)."""
        return [
            {
                "groepen": [
                    (GROEP_INTRO.get(groep, ""), [self[item.key] for item in items])
                    for groep, items in stap
                ],
                "fout": any(item.key in self.errors for _groep, items in stap for item in items),
            }
            for stap in STAPPEN
        ]

    def antwoorden(self) -> dict[str, int | None]:
        """Item key → scale value, ``WEET_NIET_CODE`` for "weet niet", or None when skipped."""
        answers = {}
        for item in ITEMS:
            raw = self.cleaned_data.get(item.key) or ""
            if raw == WEET_NIET_VALUE:
                answers[item.key] = WEET_NIET_CODE
            else:
                answers[item.key] = int(raw) if raw.isdigit() else None
        return answers

    def answered(self) -> int:
        return sum(value is not None for value in self.antwoorden().values())


class PeilingOpenForm(forms.Form):
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=Wijk.objects.none(), empty_label=None)
    titel = SingleLineField(
        label=_("Titel"),
        max_length=120,
        required=False,
        help_text=_("Bijvoorbeeld 'Buurtpeiling voorjaar 2027'. Leeg laten mag."),
    )

    def __init__(self, *args, wijken, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijken


SORT_CHOICES = ("naam", "waarde", "n")


class DashboardForm(forms.Form):
    """The dashboard's query parameters; invalid values fall back to defaults with a message."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(key, indicator.label) for key, indicator in INDICATORS.items()],
        required=False,
    )
    wijk = SingleLineField(required=False, max_length=12)
    sorteer = forms.ChoiceField(
        choices=[(value, value) for value in SORT_CHOICES] + [(f"-{v}", v) for v in SORT_CHOICES],
        required=False,
    )
    periode = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


class StarterForm(forms.Form):
    """The round a resident opts in for, as shown on their page (it may have closed since)."""

    peiling = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class StarterUitnodigingForm(forms.Form):
    """The activity a coordinator invites the starters of its buurt to."""

    activiteit = forms.IntegerField(
        label=_("Activiteit"),
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": _("Kies een activiteit uit de lijst."),
            "invalid": _("Kies een activiteit uit de lijst."),
            "min_value": _("Kies een activiteit uit de lijst."),
            "max_value": _("Kies een activiteit uit de lijst."),
        },
    )


class CorrectieForm(forms.Form):
    """An administrator's correction of a published quarter: the note says what and why."""

    notitie = forms.CharField(
        label=_("Wat wordt er gecorrigeerd, en waarom?"),
        help_text=_(
            "Dit komt openbaar bij de nieuwe versie te staan (“gecorrigeerd op …”). Noem geen "
            "personen."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )
