"""Figures: numbers with units, Chinese numerals after verbs of amount, ranges written many ways."""

from decimal import Decimal

import pytest

from apps.ingest.extractor.figures import find_figures, parse_chinese


def _one(text):
    (figure,) = find_figures(text)
    return figure.value, figure.value_max, figure.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新建基站1,200个", (Decimal(1200), None, "个")),
        ("增长5%-6%", (Decimal(5), Decimal(6), "%")),
        ("增长5%一5.5%", (Decimal(5), Decimal("5.5"), "%")),  # 一 typed for a dash
        ("新增国际航线5~8条", (Decimal(5), Decimal(8), "条")),
        ("新增就业3万~5万人", (Decimal(3), Decimal(5), "万人")),
        ("新增3至5个", (Decimal(3), Decimal(5), "个")),
        ("新建学校三十所", (Decimal(30), None, "所")),
        ("增长百分之五点五", (Decimal("5.5"), None, "%")),
        ("开行千列以上", (Decimal(1000), None, "列")),
    ],
)
def test_figure(text, expected):
    assert _one(text) == expected


def test_rhetorical_chinese_numerals_are_no_figures():
    assert find_figures("抓好三个方面，壮大两大产业") == []


def test_a_lost_figure_is_kept_without_a_value():
    (figure,) = find_figures("建设绿色工厂家,")
    assert figure.lost and figure.value is None


@pytest.mark.parametrize(
    ("numeral", "value"), [("三十", 30), ("一百二十", 120), ("两", 2), ("十", 10), ("零", None)]
)
def test_parse_chinese(numeral, value):
    assert parse_chinese(numeral) == (None if value is None else Decimal(value))
