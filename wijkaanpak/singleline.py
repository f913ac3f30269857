"""Single-line text: names, titles, places, short reasons. One rule for every such field.

A text input in a browser cannot hold a line break, but a request posted directly can, and so
can the admin or an outside app (Open311). Written into an e-mail subject, an iCalendar line
or a log line, a line break ends the line: Django refuses the e-mail (BadHeaderError) and an
.ics would be cut. So line breaks, tabs and other control characters become one space, runs of
spaces one space, and the ends are trimmed: at the form (the value shown back is the cleaned
one) and again at the model, whatever path the value took (save, bulk_create, update).

NUL is left alone: forms refuse it with a message (Django's ProhibitNullCharactersValidator),
and it is not this module's to hide.
"""

from django import forms
from django.db import models

# Control characters that str.split() does not treat as whitespace (C0, DEL, C1 without NEL):
# dropped. Those it does (tab, CR, LF, VT, FF, FS/GS/RS/US, NEL, U+2028, U+2029) and all other
# whitespace end up as one space.
_DROP = dict.fromkeys(
    [code for code in [*range(0x01, 0x20), 0x7F, *range(0x80, 0xA0)] if not chr(code).isspace()]
)

# A regular expression (Python and PostgreSQL alike) matching what single_line changes other
# than spaces: the data migrations clean the rows it matches.
NOT_SINGLE_LINE = (
    "[" + "".join(map(chr, [*range(0x01, 0x20), *range(0x7F, 0xA0)])) + "\u2028\u2029]"
)


def single_line(value):
    """``value`` on one line; anything that is not a str (None, say) is returned as it is."""
    if not isinstance(value, str):
        return value
    return " ".join(value.translate(_DROP).split())


class SingleLineField(forms.CharField):
    """A form's CharField whose value is cleaned onto one line."""

    def to_python(self, value):
        return single_line(super().to_python(value))


class SingleLineCharField(models.CharField):
    """A model's CharField whose value is stored on one line.

    The column is an ordinary varchar, so ``deconstruct`` reports a plain CharField: a
    migration would have nothing to change in the database (existing rows are cleaned by data
    migrations)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value):
        return single_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = single_line(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return single_line(super().get_prep_value(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineField, **kwargs})
