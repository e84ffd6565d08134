"""Fields: kind, comparator, metric, deadline and department of a figure."""

import re
from datetime import date

import pytest

from apps.ingest.extractor.fields import (
    METRIC_FILLER,
    METRIC_FILLER_WORDS,
    METRIC_TRAILING_VERB,
    METRIC_TRAILING_VERB_WORDS,
    comparator_of,
    deadline_of,
    department_of,
    kind_of,
    metric_of,
)
from apps.ingest.extractor.passages import Context
from tests.ingest.extractor.patterns import assert_finds_the_same, pieces_of


@pytest.mark.parametrize(
    ("governing", "unit", "suffix", "kind"),
    [
        ("增长", "%", "", "growth_rate"),
        ("控制在", "%", "", "cap"),
        ("下降", "%", "", "reduction"),
        ("提高", "个百分点", "", "increment"),
        ("新建", "个", "", "increment"),
        ("累计建成", "个", "", "level"),
        ("覆盖率达到", "%", "", "level"),
        ("", "%", "以内", "cap"),
    ],
)
def test_kind(governing, unit, suffix, kind):
    assert kind_of(governing, unit, suffix) == kind


@pytest.mark.parametrize(
    ("lead", "suffix", "kind", "comparator"),
    [
        ("增长", "左右", "growth_rate", "~"),
        ("突破", "", "level", ">"),
        ("不低于", "", "level", ">="),
        ("控制在", "", "cap", "<="),
        ("约", "", "level", "~"),
        ("新建", "", "increment", ">="),
    ],
)
def test_comparator(lead, suffix, kind, comparator):
    assert comparator_of(lead, suffix, kind) == comparator


@pytest.mark.parametrize(
    ("lead", "following", "metric"),
    [
        ("全市新能源汽车保有量达到", "", "新能源汽车保有量"),
        ("今年新建", "公共充电桩", "新建公共充电桩"),
        ("实施", "重点项目", "实施重点项目"),
        # A framing phrase is no part of the target it frames.
        ("围绕政府工作报告提出的培育重点数据企业", "以上", "培育重点数据企业"),
        # Names listed before the figure, then what they are after it.
        (
            "谋划打造数据标注、低空经济、健康医疗",
            "数据产业集群",
            "谋划打造数据标注、低空经济、健康医疗数据产业集群",
        ),
        ("新建公园、广场", "的目标", "新建公园、广场"),
        # 要 of 数据要素 is part of a word, not the auxiliary 要.
        ("建设数据要素市场主体", "", "建设数据要素市场主体"),
    ],
)
def test_metric(lead, following, metric):
    assert metric_of(lead, following) == metric


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("到2027年，基站达到#", date(2027, 12, 31)),
        ("2026年6月底前建成#", date(2026, 6, 30)),
        ("“十五五”期间新增#", date(2030, 12, 31)),
        ("今后五年新增#", date(2029, 12, 31)),
        ("新建#", date(2025, 12, 31)),
    ],
)
def test_deadline(sentence, deadline):
    at = sentence.index("#")
    assert deadline_of(sentence, 0, at, Context(2025, 2025)) == deadline


def test_department_from_speaker_or_subject():
    text = "市大数据局将新建#"
    assert department_of(text, 0, text.index("#"), 0, None) == "市大数据局"
    assert department_of("张明表示，新建#", 0, 7, 0, {"张明": "济南市住建局"}) == "济南市住建局"


def test_fillers_and_trailing_verbs_tried_only_on_their_first_characters_are_found_as_before():
    """METRIC_FILLER and METRIC_TRAILING_VERB skip to the characters their words begin on."""
    pieces = pieces_of(METRIC_FILLER_WORDS, "2025年", "12年", "年底", "GDP", "增长", "企业")
    assert_finds_the_same(METRIC_FILLER, re.compile(METRIC_FILLER_WORDS), pieces)
    pieces = pieces_of(METRIC_TRAILING_VERB_WORDS, "GDP", "增长", "企业")
    assert_finds_the_same(METRIC_TRAILING_VERB, re.compile(METRIC_TRAILING_VERB_WORDS), pieces)
