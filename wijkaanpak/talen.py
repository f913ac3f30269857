"""Data in the reader's language: per-language fields beside the Dutch one (ADR 0014).

A text that administrators maintain (a category's name and guidance, an activity kind) is
stored in Dutch in its plain field (``naam``) and in every other language the site offers in a
field with that language's suffix (``naam_en``), blank allowed. What a reader sees is the field
of the active language (``translation.override`` for an e-mail, the language switch on a page),
Dutch when that one is empty. This module is the one place that picks: models expose it as
``obj.vertaald.naam``, rows read with ``.values()`` call ``vertaling(row, "naam")``. The fields
live on the same row, so translating costs no query.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language

BRONTAAL = settings.LANGUAGE_CODE  # the plain field's language
VERTALINGEN = tuple(code for code, _name in settings.LANGUAGES if code != BRONTAAL)


def taal(language: str | None = None) -> str:
    """The site language ``language`` (default: the active one) stands for: "en-gb" is "en";
    one the site does not offer is Dutch."""
    code = (language or get_language() or BRONTAAL).lower().split("-")[0]
    return code if code in VERTALINGEN else BRONTAAL


def veldnaam(field: str, language: str | None = None) -> str:
    """The field holding ``field`` in ``language``: ``naam`` for Dutch, ``naam_en``."""
    code = taal(language)
    return field if code == BRONTAAL else f"{field}_{code}"


def velden(*fields: str) -> list[str]:
    """Every language's field of ``fields``: what ``.values()``/``.only()`` must read."""
    return [veldnaam(field, code) for field in fields for code in (BRONTAAL, *VERTALINGEN)]


def vertaling(row, field: str, language: str | None = None) -> str:
    """``field`` of ``row`` (a model instance or a ``.values()`` dict) in ``language``
    (default: the active one), the Dutch text when that translation is empty."""
    read = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name, "")
    return read(veldnaam(field, language)) or read(field)


class Vertaald:
    """``obj.vertaald.naam``: the model's translated fields in the active language. Only the
    names given are offered, so a typo fails loudly in Python (templates show it empty)."""

    def __init__(self, *fields: str):
        self.fields = frozenset(fields)

    def __get__(self, obj, owner=None):
        return self if obj is None else _InTaal(obj, self.fields)


class _InTaal:
    __slots__ = ("_fields", "_obj")

    def __init__(self, obj, fields):
        self._obj = obj
        self._fields = fields

    def __getattr__(self, field: str) -> str:
        if field not in self._fields:
            raise AttributeError(field)
        return vertaling(self._obj, field)
