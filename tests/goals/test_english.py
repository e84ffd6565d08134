"""Targets and figures in English: magnitudes said as English readers say them, units named."""

from decimal import Decimal

import pytest

from apps.goals.english import amount_en, goal_title_en, target_en


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("1700", "亿元", "170 billion yuan"),
        ("40", "万辆", "400,000 vehicles"),
        ("5.5", "%", "5.5%"),
        ("7000", "个", "7,000"),
        ("1.5", "万亿元", "1.5 trillion yuan"),
        ("300.5", "万吨", "3.005 million tonnes"),
        ("51.3", "亿斤", "5.13 billion jin"),
        ("15", "万人", "150,000 people"),
        ("10000", "P", "10,000P"),
        ("35", "亿美元", "3.5 billion US dollars"),
        ("300", "万", "3 million"),
        ("3500", "套", "3,500"),
        ("92", "公里", "92 km"),
        ("7", "光年", "7 光年"),  # an unknown unit stays as written
    ],
)
def test_amounts_read_as_english(value, unit, expected):
    assert amount_en(Decimal(value), unit) == expected


@pytest.mark.parametrize(
    "comparator, value, value_max, unit, expected",
    [
        (">=", "5", None, "%", "5% or more"),
        (">", "5000", None, "P", "more than 5,000P"),
        ("~", "20", None, "个", "about 20"),
        ("<=", "3", None, "%", "at most 3%"),
        (">=", "3", "5", "家", "3 to 5"),
        (">=", None, None, "个", "—"),
    ],
)
def test_targets_read_as_english(comparator, value, value_max, unit, expected):
    assert (
        target_en(comparator=comparator, value=_decimal(value), value_max=_decimal(value_max), unit=unit)
        == expected
    )


def test_a_title_names_the_indicator_the_target_and_the_year():
    title = goal_title_en(
        metric_en="Software business revenue",
        kind="level",
        comparator=">=",
        value=Decimal("5700"),
        value_max=None,
        unit="亿元",
        deadline_year=2024,
    )
    assert title == "Software business revenue: 570 billion yuan or more (2024)"
    milestone = goal_title_en(
        metric_en="Metro line 6 opened",
        kind="milestone",
        comparator=">=",
        value=None,
        value_max=None,
        unit="",
        deadline_year=2026,
    )
    assert milestone == "Metro line 6 opened (by 2026)"


def _decimal(text):
    return None if text is None else Decimal(text)
