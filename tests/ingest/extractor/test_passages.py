"""Passages and tense: future, past, present, estimate; the year a document speaks from and why."""

import re

import pytest

from apps.ingest.extractor.passages import (
    _PAST_MARKERS,
    PAST_MARKER_WORDS,
    YEAR,
    Context,
    infer_reference_year_with_source,
    tense,
)
from tests.ingest.extractor.patterns import assert_finds_the_same, pieces_of


def _tense(sentence, present=2025, reference=2025):
    at = sentence.index("#")
    return tense(sentence.replace("#", "0"), 0, at, Context(present, reference), False)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("今年地区生产总值增长#", "future"),
        ("去年地区生产总值增长#", "past"),
        ("力争同比增长#", "future"),
        ("同比增长#", "past"),
        ("预计全年增长#", "estimate"),
        ("目前全市共有基站#", "present"),
        ("2024年全市完成投资#", "past"),
        ("到2027年全市基站达到#", "future"),
        ("今年1-10月完成投资#", "past"),
    ],
)
def test_tense(sentence, expected):
    assert _tense(sentence) == expected


@pytest.mark.parametrize(
    ("text", "title", "year", "source"),
    [
        ("", "2025年济南市政府工作报告", 2025, "title"),
        ("一、2024年工作回顾\n过去一年……", "", 2025, "heading: year reviewed"),
        ("各位代表：\n一、2024年工作回顾", "", 2025, "review heading"),
        ("在十四届全国人大三次会议上", "", 2025, "session"),
        ("济南市“十四五”规划……", "", 2025, "heading: plan period"),
        ("各位代表：\n济南市“十四五”时期……", "", 2025, "opening: plan period"),
        ("（2023—2025年）", "", 2025, "heading: plan period"),
        ("记者 王明\n2026年是“十五五”规划开局之年", "", 2026, "year ahead"),
        ("济南市第十八届人民代表大会第四次会议开幕", "", 2025, "local session"),
        ("2023年,市大数据局圆满完成年度目标任务。", "", 2024, "opening: year reviewed"),
        ("全市2024年……2024年……2023年", "", 2024, "years in text"),
        ("没有年份", "", None, "unknown"),
    ],
)
def test_reference_year_and_where_it_came_from(text, title, year, source):
    assert infer_reference_year_with_source(text, title) == (year, source)


def test_years_and_past_markers_written_for_speed_are_found_as_before():
    """YEAR has its look-behind after the digits and _PAST_MARKERS is tried only where a marker can begin;
    both find what their readable forms find."""
    readable_year = re.compile(r"(?<![\d])(?P<year>(?:19|20)\d\d)年(?!代)(?:(?P<month>1[0-2]|[1-9])月)?")
    pieces = ["19", "20", "2025", "1", "0", "5", "年", "月", "代", "12", "a"]
    assert_finds_the_same(YEAR, readable_year, pieces)
    pieces = pieces_of(PAST_MARKER_WORDS, "增长", "完成", "了解", "为了", "比上年")
    assert_finds_the_same(_PAST_MARKERS, re.compile(PAST_MARKER_WORDS), pieces)
