"""Ids typed into a URL, query string or form.

Database ids are ASCII digits and below 2**63: "abc", "1'", "²" (a digit to ``str.isdigit``,
not to ``int``) or a 30-digit number is "not found" or "invalid", never a 500.
"""

import re

ID_PATTERN = re.compile(r"[0-9]{1,18}")


def as_id(raw) -> int | None:
    """The id ``raw`` stands for, or None when it cannot be one."""
    if raw is None or not ID_PATTERN.fullmatch(str(raw)):
        return None
    return int(raw)
