"""Amounts in euros as people type them: the one parser every amount field uses.

A browser's ``<input type=number>`` reads "85,50" by the browser's language: in an English
browser it became 8550 and was sent without a word. So amounts are text, and this reads both
notations the way a person means them:

- "85,50", "85.50", "€ 85,50", "85,-" and "1250" are plain;
- with both a dot and a comma the last one separates the cents: "1.250,00" and "1,250.00";
- a single separator followed by exactly three digits groups thousands in either notation
  ("1.250" and "1,250" are 1250): with at most two decimals it cannot be anything else;
- anything else that could be read two ways ("85,5,0", "12.50,00") is refused with a
  message, never guessed. So are signs, more than two decimals and absurd sizes.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The largest amount a bedrag column (8 digits, 2 decimals) holds.
MAX_BEDRAG = Decimal("999999.99")
MAX_LENGTH = 30  # "€ 999.999,99" with room to spare; longer text is not an amount
CENT = Decimal("0.01")

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SHAPE = re.compile(r"[0-9.,]*[0-9][0-9.,]*")


def parse_bedrag(text: str) -> Decimal:
    """The amount ``text`` means, with two decimals; ``ValidationError`` with a message that
    says what to type otherwise."""
    raw = _SPACES.sub(" ", str(text)).strip()
    if len(raw) > MAX_LENGTH:
        raise ValidationError(_too_large(), code="max_value")
    raw = re.sub(r"^(€|eur(o)?)\s*", "", raw, flags=re.IGNORECASE).strip()
    raw = re.sub(r"\s*(€|eur(o)?)$", "", raw, flags=re.IGNORECASE).strip()
    raw = re.sub(r"[.,]-$", "", raw)  # "85,-": a whole number of euros
    if raw.startswith("-") or raw.startswith("−"):
        raise ValidationError(_("Een bedrag kan niet negatief zijn."), code="negative")
    if not _SHAPE.fullmatch(raw):
        raise ValidationError(_invalid(), code="invalid")
    whole, cents = _split(raw)
    if len(cents) > 2:
        raise ValidationError(
            _("Een bedrag heeft hoogstens twee cijfers achter de komma, zoals 85,50."),
            code="max_decimal_places",
        )
    # Too many euros is said before the number is made: 27 digits are more than a Decimal
    # rounds to cents without an error.
    if len(whole.lstrip("0")) > len(str(int(MAX_BEDRAG))):
        raise ValidationError(_too_large(), code="max_value")
    amount = Decimal(f"{whole or '0'}.{cents or '0'}").quantize(CENT)
    if amount > MAX_BEDRAG:
        raise ValidationError(_too_large(), code="max_value")
    return amount


def _split(raw: str) -> tuple[str, str]:
    """Whole euros and cents (as digits) of a number made of digits, dots and commas."""
    separators = {c for c in raw if c in ".,"}
    if len(separators) == 2:
        decimal = raw[max(raw.rfind("."), raw.rfind(","))]
        whole, cents = raw.rsplit(decimal, 1)
        grouping = "," if decimal == "." else "."
        if decimal in whole or not _grouped(whole, grouping):
            raise ValidationError(_ambiguous(), code="ambiguous")
        return whole.replace(grouping, ""), cents
    if not separators:
        return raw, ""
    (separator,) = separators
    parts = raw.split(separator)
    if len(parts) > 2:  # only grouping: "1.250.000"
        if not _grouped(raw, separator):
            raise ValidationError(_ambiguous(), code="ambiguous")
        return raw.replace(separator, ""), ""
    whole, after = parts
    if len(after) == 3 and whole and whole != "0" and _grouped(raw, separator):
        return whole + after, ""  # "1.250" or "1,250": thousands in either notation
    return whole, after


def _grouped(number: str, separator: str) -> bool:
    """Whether ``number`` groups thousands with ``separator`` correctly ("1.250.000")."""
    groups = number.split(separator)
    first, rest = groups[0], groups[1:]
    return (
        first.isdigit()
        and len(first) <= 3
        and (not rest or not first.startswith("0"))
        and all(len(g) == 3 and g.isdigit() for g in rest)
    )


def format_bedrag(amount: Decimal) -> str:
    """An amount as the reader's language writes it, with the euro sign: "€ 1.250,00"."""
    return "€ " + number_format(amount, decimal_pos=2, force_grouping=True)


def _invalid() -> str:
    return _("Vul een bedrag in, zoals 85,50 of 1250.")


def _ambiguous() -> str:
    return _(
        "Dit bedrag is op twee manieren te lezen. Gebruik één komma of punt voor de centen, "
        "zoals 85,50 of 1250."
    )


def _too_large() -> str:
    return _("Dat bedrag is te hoog: hoogstens %(max)s.") % {"max": format_bedrag(MAX_BEDRAG)}
