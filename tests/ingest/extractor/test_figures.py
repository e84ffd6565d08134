"""Figures: numbers with units, Chinese numerals after verbs of amount, ranges written many ways."""

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from apps.ingest.extractor.figures import AFTER_NUMBER, DIGIT_FIGURE, NUMBER, find_figures, parse_chinese
from apps.ingest.extractor.folding import fold_chars

DOCUMENTS = Path(__file__).resolve().parents[3] / "fixtures" / "documents"


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


def test_the_figure_pattern_written_for_speed_finds_what_its_readable_form_finds():
    """DIGIT_FIGURE starts on the number's first character, so that the regex engine skips to digits; it
    finds what its readable form (a look-behind, then NUMBER, then AFTER_NUMBER) finds, groups and all."""
    readable = re.compile(r"(?<![\d.A-Za-z])(?P<num>" + NUMBER + ")" + AFTER_NUMBER)
    pieces = ["1", "0", "25", "1,200", ",", ".", "5.5", ".8", "a", "GW", "%", "个", "万", "亿元", "-", "~"]
    pieces += ["至", "多", "余", "年", "增长", "。", "以上", "套(间)", "\n", "１", "一"]
    rng = random.Random(24)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(20000)]
    texts += [fold_chars(path.read_text(encoding="utf-8")) for path in sorted(DOCUMENTS.glob("*.txt"))]
    for text in texts:
        found = [(m.span(), m.groupdict()) for m in DIGIT_FIGURE.finditer(text)]
        assert found == [(m.span(), m.groupdict()) for m in readable.finditer(text)], text
