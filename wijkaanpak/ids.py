"""Ids typed into a URL, query string or form.

Database ids are ASCII digits and below 2**63: "abc", "1'", "²" (a digit to ``str.isdigit``,
not to ``int``) or a 30-digit number is "not found" or "invalid", never a 500.
"""

import re
import secrets

ID_PATTERN = re.compile(r"[0-9]{1,18}")


def as_id(raw) -> int | None:
    """The id ``raw`` stands for, or None when it cannot be one."""
    if raw is None or not ID_PATTERN.fullmatch(str(raw)):
        return None
    return int(raw)


# Public references: what a resident quotes on the phone or in a letter ("M-7K3Q-9PX2"). No
# 0/O, 1/I/L or U: nothing to misread or mishear. Random, not sequential, so a reference tells
# nobody how many meldingen there are or which came before; 30**8 (about 6.6 * 10**11) values.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8
REFERENCE_PATTERN = re.compile(
    rf"([A-Z])-?([{REFERENCE_ALPHABET}]{{4}})-?([{REFERENCE_ALPHABET}]{{4}})"
)


def new_reference(prefix: str) -> str:
    """A fresh random reference such as ``M-7K3Q-9PX2``; the caller's unique constraint decides
    whether it is free."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def as_reference(raw) -> str | None:
    """The reference ``raw`` stands for, written as stored ("m 7k3q9px2" -> "M-7K3Q-9PX2"), or
    None when it cannot be one."""
    if raw is None:
        return None
    text = re.sub(r"[\s.]", "", str(raw)).upper()
    found = REFERENCE_PATTERN.fullmatch(text)
    if found is None:
        return None
    prefix, first, second = found.groups()
    return f"{prefix}-{first}-{second}"
