"""Units as written (万辆, 亿元) and decimals as a reader writes them (apps/goals/units.py)."""

from decimal import Decimal

import pytest

from apps.goals.units import (
    absolute_amount,
    amount_display,
    base_unit,
    in_unit,
    plain_decimal,
    unit_after_number_en,
    unit_en,
    unit_magnitude,
)


@pytest.mark.parametrize(
    ("unit", "magnitude", "base"),
    [
        ("万辆", Decimal(10) ** 4, "辆"),
        ("亿元", Decimal(10) ** 8, "元"),
        ("万亿元", Decimal(10) ** 12, "元"),
        ("个", Decimal(1), "个"),
        ("%", Decimal(1), "%"),
        ("", Decimal(1), ""),
        ("萬輛", Decimal(10) ** 4, "辆"),  # a repost in traditional characters
        ("億元", Decimal(10) ** 8, "元"),
    ],
)
def test_a_unit_prefix_carries_its_magnitude(unit, magnitude, base):
    assert unit_magnitude(unit) == magnitude
    assert base_unit(unit) == base


@pytest.mark.parametrize(
    ("value", "unit", "amount"),
    [
        (Decimal("40"), "万辆", (Decimal("400000"), "辆")),
        (Decimal("1.5"), "万亿元", (Decimal("1500000000000"), "元")),
        (Decimal("3"), "万", (Decimal("30000"), "")),  # a bare 万 counts whatever it counts
        (Decimal("7000"), "个", (Decimal("7000"), "个")),
        (None, "亿元", (None, "元")),
    ],
)
def test_amounts_compare_without_their_prefix(value, unit, amount):
    assert absolute_amount(value, unit) == amount


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("7000.0000"), "7000"),
        (Decimal("5.5000"), "5.5"),
        (Decimal("1E+1"), "10"),
        (Decimal("0.0500"), "0.05"),
        (Decimal("-2.10"), "-2.1"),
    ],
)
def test_decimals_are_written_without_trailing_zeros_or_exponent(value, text):
    assert plain_decimal(value) == text


def test_a_figure_in_traditional_characters_converts_into_the_goals_unit():
    assert in_unit(Decimal("50"), "萬輛", "万辆") == Decimal("50")
    assert in_unit(Decimal("50"), "萬輛", "辆") == Decimal("500000")
    assert in_unit(Decimal("50"), "萬輛", "亿元") is None


@pytest.mark.parametrize(
    ("value", "stated", "computed"),
    [
        (Decimal("9800.0000"), "9800", "9800"),  # the reviewer's figure, as the recorder typed it
        (Decimal("1405.35"), "1405.35", "1405"),  # a stated figure keeps every digit
        (Decimal("16.0273"), "16.0273", "16"),  # a forecast of 个: three significant digits
        (Decimal("9.5018"), "9.5018", "9.5"),
        (Decimal("5250"), "5250", "5250"),  # whole digits are never rounded away
        (Decimal("13527.6"), "13527.6", "13528"),
        (Decimal("0.1449"), "0.1449", "0.14"),
        (Decimal("0.0123"), "0.0123", "0.01"),  # at most two decimals
        (Decimal("-2.50"), "-2.5", "-2.5"),
        (Decimal("-0.001"), "-0.001", "0"),  # never "-0"
        (Decimal("0E-4"), "0", "0"),
        (None, "—", "—"),
    ],
)
def test_amounts_show_stated_figures_exactly_and_computed_ones_at_sensible_precision(value, stated, computed):
    assert amount_display(value) == stated
    assert amount_display(value, computed=True) == computed


@pytest.mark.parametrize(
    ("unit", "alone", "after_a_number"),
    [
        ("万个", "10,000 units", ""),
        ("个", "units", ""),  # the indicator's name says what is counted
        ("套(间)", "units", ""),  # measure words as alternatives: flats or rooms
        ("万套（间）", "10,000 units", ""),
        ("()", "()", None),
        ("亿元", "100 million yuan", " yuan"),
        ("万亿元", "trillion yuan", " yuan"),
        ("万辆", "10,000 vehicles", " vehicles"),
        ("萬輛", "10,000 vehicles", " vehicles"),  # traditional characters
        ("户", "households", " households"),
        ("平方米", "m²", " m²"),
        ("万", "10,000 units", ""),  # a bare 万: 300万 (people) reads 3 million
        ("%", "%", "%"),
        ("％", "%", "%"),
        ("P", "P", "P"),
        ("PFlops", "P", "P"),
        ("米/秒", "米/秒", None),  # unknown: kept as written, None for the caller to decide
    ],
)
def test_units_read_in_english(unit, alone, after_a_number):
    assert unit_en(unit) == alone
    assert unit_after_number_en(unit) == after_a_number
