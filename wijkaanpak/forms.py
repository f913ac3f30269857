"""Form fields that every app uses the same way."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from .bedragen import parse_bedrag
from .tijdstippen import year_in_range, years_message

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
        # Year 1 or 9999 is a typo, and cannot be moved to UTC (OverflowError).
        if not year_in_range(naive):
            raise ValidationError(years_message(), code="invalid")
        # fold=0: the first of a repeated hour; for a skipped hour, the offset before the jump.
        # In UTC, so that the moment compares equal to itself in any zone (PEP 495).
        local = naive.replace(tzinfo=timezone.get_current_timezone(), fold=0)
        try:
            return local.astimezone(UTC)
        except OverflowError:
            raise ValidationError(years_message(), code="invalid") from None


class EenmaligField(forms.CharField):
    """A form's one-time token, so that it makes what it asks once (``accounts.inzendingen``):
    new on every page, kept when the page comes back with errors. Anything but a token reads
    as none."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", lambda: uuid.uuid4().hex)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return uuid.UUID(str(value)).hex if value else None
        except ValueError:
            return None


class BerichtField(forms.CharField):
    """A message read from a form that the model's TextField would not limit (the database
    does not enforce ``max_length`` on text): over it, the person is told how long it is.
    Optional here: the service says when a message is needed, and why."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": gettext_lazy(
                    "Je bericht is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
                )
            },
        )
        super().__init__(max_length=max_length, **kwargs)


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
