"""What counts as an id typed into a URL, query string or form."""

import pytest

from wijkaanpak.ids import as_id


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), ("000123", 123), (42, 42), ("9" * 18, int("9" * 18))]
)
def test_ids(raw, expected):
    assert as_id(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", "abc", "1'", "²", "١٢", "-1", " 1", "1.0", "9" * 19, "\x00"]
)
def test_no_ids(raw):
    assert as_id(raw) is None
