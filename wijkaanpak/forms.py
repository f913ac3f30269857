"""Form fields that every app uses the same way."""

from datetime import UTC, datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format

from .bedragen import parse_bedrag

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as read from a clock here, in a phone's date-and-time picker.

    Django refuses the times a clock shows around a DST switch, so a resident reporting at
    02:30 on the last Sunday of October would be told her time "may be ambiguous". This reads
    such a time as a person means it: the hour shown twice in October is its first (earlier)
    occurrence, and an hour skipped in March counts from before the jump (02:30 is 03:30 summer
    time), so that neither is ever in the future.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                return value
            naive = value
        else:
            naive = super(forms.DateTimeField, self).to_python(value)  # parsed, without a zone
        # fold=0: the first of a repeated hour; for a skipped hour, the offset before the jump.
        # In UTC, so that the moment compares equal to itself in any zone (PEP 495).
        local = naive.replace(tzinfo=timezone.get_current_timezone(), fold=0)
        return local.astimezone(UTC)


class BedragField(forms.CharField):
    """An amount in euros typed as text, in Dutch or English notation ("85,50", "1,250.00"):
    read by ``bedragen.parse_bedrag``, never by the browser's idea of a number."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs):
        for numeric in ("max_digits", "decimal_places", "max_value", "min_value"):
            kwargs.pop(numeric, None)  # from a model's DecimalField: the parser has its bounds
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_bedrag(value)
