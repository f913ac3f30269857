"""The one parser of amounts: what a resident types in either notation is the amount meant,
and what could be read two ways is refused with a message, never guessed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from wijkaanpak.bedragen import MAX_BEDRAG, format_bedrag, parse_bedrag

amounts = st.decimals(min_value=0, max_value=MAX_BEDRAG, places=2, allow_nan=False)


def written(amount: Decimal, *, decimal: str, grouping: str) -> str:
    """An amount as a person writes it: "1.250,00" (Dutch) or "1,250.00" (English)."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return grouping.join(groups) + decimal + cents


@given(amounts)
def test_dutch_notation_reads_back_as_the_same_amount(amount):
    assert parse_bedrag(written(amount, decimal=",", grouping=".")) == amount
    assert parse_bedrag("€ " + written(amount, decimal=",", grouping="")) == amount


@given(amounts)
def test_english_notation_reads_back_as_the_same_amount(amount):
    assert parse_bedrag(written(amount, decimal=".", grouping=",")) == amount
    assert parse_bedrag("€" + written(amount, decimal=".", grouping="")) == amount


@given(amounts, st.sampled_from(["nl", "en"]))
def test_what_the_site_shows_reads_back_as_the_same_amount(amount, language):
    with translation.override(language):
        shown = format_bedrag(amount)
    assert parse_bedrag(shown) == amount


@given(st.integers(min_value=0, max_value=999_999))
def test_whole_euros_with_or_without_grouping(euros):
    assert parse_bedrag(str(euros)) == euros
    assert parse_bedrag(f"{euros:,}") == euros
    assert parse_bedrag(f"{euros:,}".replace(",", ".")) == euros


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("85,50", "85.50"),
        ("85.50", "85.50"),
        ("€ 85,50", "85.50"),
        ("€85.50", "85.50"),
        ("85,5", "85.50"),
        ("85,-", "85.00"),
        ("  1250 ", "1250.00"),
        ("1.250,00", "1250.00"),
        ("1,250.00", "1250.00"),
        ("1.250", "1250.00"),
        ("1,250", "1250.00"),
        ("12.500", "12500.00"),
        ("999.999,99", "999999.99"),
        ("0000000000000000000000012,50", "12.50"),  # leading zeros are no size
        (",50", "0.50"),
        ("85 EUR", "85.00"),
        ("€\u00a085,50", "85.50"),
    ],
)
def test_what_people_type(typed, meant):
    assert parse_bedrag(typed) == Decimal(meant)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("85,5,0", "op twee manieren te lezen"),
        ("12.50,00", "op twee manieren te lezen"),
        ("1.250.00", "op twee manieren te lezen"),
        ("1,250,50.5", "op twee manieren te lezen"),
        ("-5", "niet negatief"),
        ("− 5", "niet negatief"),
        ("85,5055", "hoogstens twee cijfers achter de komma"),
        ("0.250", "hoogstens twee cijfers achter de komma"),
        ("1250,5678", "hoogstens twee cijfers achter de komma"),
        ("1000000", "te hoog: hoogstens € 999.999,99"),
        ("100000000000000000000000000", "te hoog: hoogstens € 999.999,99"),  # found by hypothesis
        ("9" * 40, "te hoog"),
        ("twintig", "Vul een bedrag in, zoals 85,50 of 1250."),
        ("NaN", "Vul een bedrag in"),
        ("1e5", "Vul een bedrag in"),
        ("85 50", "Vul een bedrag in"),
        ("€", "Vul een bedrag in"),
        ("+5", "Vul een bedrag in"),
        ("٣", "Vul een bedrag in"),
    ],
)
def test_what_is_refused_says_why(typed, message):
    with pytest.raises(ValidationError) as refused:
        parse_bedrag(typed)
    assert message in " ".join(refused.value.messages)


@given(st.text(max_size=40))
def test_any_text_is_an_amount_or_a_message(text):
    messages = []
    try:
        amount = parse_bedrag(text)
    except ValidationError as exc:
        messages = exc.messages
        amount = None
    if amount is None:
        assert messages and all(messages)
    else:
        assert Decimal(0) <= amount <= MAX_BEDRAG
        assert amount == amount.quantize(Decimal("0.01"))
