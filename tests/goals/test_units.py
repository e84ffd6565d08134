"""Units as written (万辆, 亿元) and decimals as a reader writes them (apps/goals/units.py)."""

from decimal import Decimal

import pytest

from apps.goals.units import absolute_amount, base_unit, in_unit, plain_decimal, unit_magnitude


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
