"""The admin's editable lists (``list_editable``) with a name on every input.

Django draws those inputs in table cells with the column header as their only caption, which
screen readers do not connect to them: axe-core counts each as an unlabelled form field
(critical). Here each input is named after its column and row: "Volgorde: Overlast".
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext


class LabelledRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = gettext("%(kolom)s: %(rij)s") % {
                "kolom": capfirst(field.label),
                "rij": self.instance,
            }


class LabelledListEditable:
    """Mixin for a ModelAdmin with ``list_editable``."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", LabelledRowForm)
        return super().get_changelist_form(request, **kwargs)
