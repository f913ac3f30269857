"""The feed's filters, once, for the officers' page and the team systems' JSON alike (a
django-filter ``FilterSet``): what may be chosen, what each choice means as a query, and the
keyset cursor ``na``, and the search ``zoek`` (``search``). The page shows its form's errors;
the API answers them as a 400."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkaanpak.talen import vertaling

from . import feed, search
from .models import Melding, Prioriteit
from .selectors import FeedChoices
from .workflow import OPEN, Status

PERIODS = {
    "24h": (timedelta(hours=24), _("Laatste 24 uur")),
    "7d": (timedelta(days=7), _("Laatste 7 dagen")),
    "30d": (timedelta(days=30), _("Laatste 30 dagen")),
}
ALLE = "alle"  # every status; no status chosen means the open ones
# Received but not routed yet: never in a feed.
STATUSES = [(value, label) for value, label in Status.choices if value != Status.ONTVANGEN]


class CursorField(forms.CharField):
    """``na``: where the previous page ended (``feed.encode``), as a position."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        position = feed.decode(value)
        if position is None:
            # A system must not loop over page 1 because a cursor got mangled on the way.
            raise forms.ValidationError("Not a cursor: use `volgende` as given.")
        return position


class CursorFilter(django_filters.Filter):
    field_class = CursorField


class SearchField(forms.CharField):
    """``zoek``: words, a number plate or a melding's number (``search.matching``)."""

    widget = forms.TextInput(attrs={"type": "search"})

    def __init__(self, **kwargs):
        super().__init__(max_length=search.MAX_LENGTH, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not search.is_searchable(value):
            raise forms.ValidationError(
                _("Zoek op minstens %(min)d tekens, of op het nummer van een melding."),
                params={"min": search.MIN_TERM},
            )


class SearchFilter(django_filters.Filter):
    field_class = SearchField


class FeedFilter(django_filters.FilterSet):
    """Bind it always (an empty query is "the open meldingen, newest high priority first");
    ``choices``: the categories and the wijken of the reader's area (``feed_choices``)."""

    zoek = SearchFilter(label=_("Zoeken"), method="filter_zoek")
    categorie = django_filters.TypedChoiceFilter(label=_("Categorie"), coerce=int, empty_value=None)
    wijk = django_filters.ChoiceFilter(label=_("Wijk"), empty_label=_("Alle"), method="filter_wijk")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*STATUSES, (ALLE, _("Alle statussen"))],
        empty_label=_("Open"),
        method="filter_status",
    )
    periode = django_filters.ChoiceFilter(
        label=_("Periode"),
        choices=[(name, label) for name, (_span, label) in PERIODS.items()],
        empty_label=_("Altijd"),
        method="filter_periode",
    )
    na = CursorFilter(method="filter_after")

    class Meta:
        model = Melding
        fields = []

    def __init__(self, data, queryset, *, choices: FeedChoices):
        super().__init__(data, queryset)
        self.choices = choices

    @property
    def form(self):
        if not hasattr(self, "_form"):
            # The reader's options go on the form's own copy of its fields: given to the
            # filters, they would be deep-copied with the fields on every request (100+ wijken).
            form = super().form
            form.fields["categorie"].choices = [
                ("", _("Alle")),
                *((row["pk"], vertaling(row, "naam")) for row in self.choices.categorieen),
            ]
            form.fields["wijk"].choices = self.choices.wijken
        return self._form

    def buurten_to_read(self) -> tuple[int, ...] | None:
        """The buurten of the area (or of the chosen wijk) when the page is best read buurt by
        buurt (``feed.page``): few enough, and no search (its trigram index finds the rows)."""
        data = self.form.cleaned_data
        if data.get("zoek"):
            return None
        if data.get("wijk"):
            buurten = self.choices.buurten.get(data["wijk"], ())
        else:
            buurten = self.choices.area
        return buurten if 0 < len(buurten) <= feed.PER_BUURT_MAX else None

    def reads_per_priority(self) -> bool:
        """Whether a large area's page is read priority by priority (``feed.page``): when a
        period bounds it, and not a search."""
        data = self.form.cleaned_data
        return bool(data.get("periode")) and not data.get("zoek") and not self.buurten_to_read()

    def priorities_to_read(self) -> tuple[int, ...]:
        """The priorities a page after the cursor can hold (``feed.page``): the cursor's and
        those below it. Asked for a higher one, an index range bounded by the cursor read every
        row of the lower ones (a gemeente's page 40 of a period at 2M: 4,825 buffers)."""
        position = self.form.cleaned_data.get("na")
        values = sorted(Prioriteit.values, reverse=True)
        return tuple(p for p in values if position is None or p <= position[0])

    def statuses_to_read(self) -> tuple[str, ...] | None:
        """The statuses the page is limited to (none chosen: the open ones), for reading buurt
        by buurt (``feed.page``); None for every status, and with a category chosen (its own
        index serves it, the status a condition within)."""
        status = self.form.cleaned_data.get("status")
        if status == ALLE or self.form.cleaned_data.get("categorie"):
            return None
        return (status,) if status else tuple(OPEN)

    def filter_queryset(self, queryset):
        queryset = queryset.exclude(status=Status.ONTVANGEN)
        if not self.form.cleaned_data.get("status"):  # none chosen, or not a valid one
            queryset = queryset.filter(status__in=OPEN)
        return super().filter_queryset(queryset)

    def filter_wijk(self, queryset, name, value):
        # The area's buurten in the wijk, as a list: what the planner can count on.
        return queryset.filter(buurt__among=self.choices.buurten.get(value, ()))

    def filter_status(self, queryset, name, value):
        return queryset if value == ALLE else queryset.filter(status=value)

    def filter_periode(self, queryset, name, value):
        return queryset.filter(created_at__gte=timezone.now() - PERIODS[value][0])

    def filter_zoek(self, queryset, name, value):
        wijk = self.form.cleaned_data.get("wijk")
        area = self.choices.buurten.get(wijk, ()) if wijk else self.choices.area
        return queryset.filter(search.matching(value, indexed=len(area) > search.SCAN_AREA_MAX))

    def filter_after(self, queryset, name, value):
        return feed.after(queryset, value)
