"""Units as written (万辆, 亿元) and decimals as a reader writes them (apps/goals/units.py)."""

from decimal import Decimal

import pytest

from apps.goals.units import (
    absolute_amount,
    amount_display,
    amount_text,
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
    ("value", "percent"),
    [
        (Decimal("50.25"), "50.3"),  # the share done and points behind: one decimal, half up
        (Decimal("50.24"), "50.2"),
        (Decimal("100"), "100"),
        (Decimal("133.3333"), "133.3"),  # past the target, as it is
        (Decimal("-12.345"), "-12.3"),  # behind the baseline, as it is
        (Decimal("-0.04"), "0"),  # never "-0"
        (Decimal("0.05"), "0.1"),
    ],
)
def test_percentages_the_site_computed_show_one_decimal(value, percent):
    assert amount_display(value, percent=True) == percent


@pytest.mark.parametrize(
    ("value", "options", "text"),
    [
        (Decimal("52500"), {}, "52500"),  # Chinese groups no digits: 应完成52500个
        (Decimal("52500"), {"grouped": True}, "52,500"),  # English does
        (Decimal("1234567.891"), {"grouped": True}, "1,234,567.891"),  # stated: every digit
        (Decimal("1234567.891"), {"grouped": True, "computed": True}, "1,234,568"),
        (Decimal("-9833.3333"), {"grouped": True, "computed": True}, "-9,833"),
        (Decimal("999"), {"grouped": True}, "999"),
        (1234, {"grouped": True}, "1,234"),  # a count of days
    ],
)
def test_digits_are_grouped_only_where_the_language_groups_them(value, options, text):
    assert amount_display(value, **options) == text


@pytest.mark.parametrize(
    ("value", "unit", "computed", "text"),
    [
        (Decimal("1470.1613"), "亿元", True, "1470 亿元"),  # 序时进度 in the entry form and the digest
        (Decimal("1470.1613"), "亿元", False, "1470.1613 亿元"),  # a figure as a recorder typed it
        (Decimal("9.5018"), "个", True, "9.5 个"),
        (Decimal("5.55"), "%", True, "5.55%"),  # a percentage sign joins its number
        (None, "亿元", True, "—"),
    ],
)
def test_amounts_with_their_unit_follow_the_one_rule(value, unit, computed, text):
    assert amount_text(value, unit, computed=computed) == text


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
