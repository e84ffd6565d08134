"""Time frames (apps/ingest/extractor/frames.py) and the rules that read a figure as a target or a result
whatever the words near it, on sentences written for these tests (none from the labelled documents)."""

from decimal import Decimal

import pytest

from apps.ingest.extractor import read
from apps.ingest.extractor.frames import DOCUMENT, HORIZON, OPEN, REVIEW, YEAR, heading_frame
from apps.ingest.extractor.passages import Context, infer_reference_year_with_source

CTX = Context(2025, 2025)


@pytest.mark.parametrize(
    ("heading", "kind", "rule"),
    [
        ("一、2024年工作回顾", REVIEW, "heading: 回顾"),
        ("过去一年主要工作", REVIEW, "heading: 过去一年"),
        ("2024年计划执行情况", REVIEW, "heading: 执行情况"),
        ("二、2025年主要预期目标", YEAR, "heading: 2025 预期目标"),
        ("新的一年重点工作", YEAR, "heading: 新的一年"),
        ("到2027年发展目标", HORIZON, "heading: horizon 2027"),
        ("“十五五”时期主要目标", HORIZON, "heading: horizon 2030"),
        ("2023年经济社会发展情况", REVIEW, "heading: 2023 before 2025"),
        ("城乡面貌焕然一新", OPEN, "heading: no time named"),
    ],
)
def test_a_heading_opens_the_frame_of_its_section(heading, kind, rule):
    frame = heading_frame(heading, CTX, DOCUMENT)
    assert (frame.kind, frame.rule) == (kind, rule)


def _read(text, year=2025):
    reading = read(text, reference_year=year)
    targets = [(m.value, m.unit, m.frame, m.frame_rule) for m in reading.targets]
    results = [(m.value, m.unit, m.frame, m.frame_rule) for m in reading.results]
    return targets, results


def test_the_goals_after_a_review_section_are_targets_and_the_review_results():
    text = (
        "一、2024年工作回顾\n\n全区新建口袋公园12处，改造供水管网30公里。\n\n"
        "二、2025年主要预期目标\n\n新建口袋公园15处，改造供水管网40公里。"
    )
    targets, results = _read(text)
    assert [(v, u) for v, u, *_ in results] == [(Decimal(12), "处"), (Decimal(30), "公里")]
    assert {rule for *_, rule in results} == {"heading: 回顾"}
    assert [(v, u, f) for v, u, f, _ in targets] == [
        (Decimal(15), "处", "year"),
        (Decimal(40), "公里", "year"),
    ]


def test_a_paragraph_looking_ahead_ends_a_review_without_a_heading_of_its_own():
    text = "一、2024年工作回顾\n\n全区新建口袋公园12处。\n\n今年，全区新建口袋公园15处。"
    targets, results = _read(text)
    assert [v for v, *_ in results] == [Decimal(12)]
    assert [(v, f) for v, _, f, _ in targets] == [(Decimal(15), "year")]


def test_a_text_that_only_reviews_is_a_review_throughout():
    text = (
        "2024年，全县各项事业取得新成效。\n\n城乡品质大幅提升\n\n"
        "据了解，全县完成造林绿化3000亩、修复矿山图斑80处。"
    )
    targets, results = _read(text)
    assert targets == []
    assert [(v, rule) for v, _, _, rule in results] == [
        (Decimal(3000), "document: reviews a finished period and never looks ahead"),
        (Decimal(80), "document: reviews a finished period and never looks ahead"),
    ]


def test_a_bulletin_is_all_results_even_a_fall_in_prices():
    text = "2024年东川县国民经济和社会发展统计公报\n\n全年居民消费价格比上年下降0.5%。新增城镇就业3100人。"
    targets, results = _read(text, None)
    assert targets == []
    assert [(v, u) for v, u, *_ in results] == [(Decimal("0.5"), "%"), (Decimal(3100), "人")]


@pytest.mark.parametrize(
    ("text", "year", "deadline"),
    [
        ("到2030年，全县新建充电桩500个。", 2025, 2030),  # an explicit year beats the reference year
        ("“十五五”时期，全县新建充电桩500个。", 2026, 2030),  # a plan period is due at its end
        ("全县新建充电桩500个。", 2025, 2025),
    ],
)
def test_an_explicit_year_or_plan_period_sets_the_deadline(text, year, deadline):
    (target,) = read(text, reference_year=year).targets
    assert target.deadline.year == deadline


def test_a_plan_whose_horizon_is_2030_keeps_its_2027_goals_as_targets():
    text = "东川县“十五五”规划纲要\n\n到2027年，全县森林覆盖率达到45%；到2030年，达到48%。"
    targets, results = _read(text, 2030)
    assert [(v, f) for v, _, f, _ in targets] == [(Decimal(45), "horizon"), (Decimal(48), "horizon")]
    assert results == []


def test_a_year_own_figure_reached_by_a_verb_of_change_is_a_result():
    targets, results = _read("营业收入从2021年的50亿元，跃升至2024年的120亿元。")
    assert targets == []
    assert [v for v, *_ in results] == [Decimal(50), Decimal(120)]


def test_a_finished_part_of_the_present_year_is_a_result():
    targets, results = _read("2025年上半年，全县地区生产总值增长5.9%。")
    assert targets == []
    assert [v for v, *_ in results] == [Decimal("5.9")]


# The named rules of the classes: each row is a sentence and what it must give
# (targets as (value, unit), results as (value, unit)), in a document of 2025.
CLASSES = [
    # numbered 民生实事 list under a heading of the year: items without a known verb are targets
    (
        "list_item",
        "三、2025年农村道路提升工程\n维修更换桥梁护栏12处，县道大修6公里。",
        [(12, "处"), (6, "公里")],
        [],
    ),
    # ‰ rates
    ("permille", "2024年，全县人口出生率5.21‰。", [], [(Decimal("5.21"), "‰")]),
    # plan progress: a result whatever the frame
    ("is_plan_progress", "今年重点项目完成1-5月投资计划的118.4%。", [], [(Decimal("118.4"), "%")]),
    # a first crossing is news of what happened
    ("is_first_crossing", "全县规上工业营业收入首破千亿元。", [], [(1000, "亿元")]),
    # bulletin lists with 分别
    (
        "bulletin_respectively",
        "2024年东川县统计公报\n\n三次产业增加值分别增长3.1%、6.2%和5.4%。",
        [],
        [(Decimal("3.1"), "%"), (Decimal("6.2"), "%"), (Decimal("5.4"), "%")],
    ),
    # a verbless result clause in a review
    (
        "verbless_result",
        "一、2024年工作回顾\n\n全县粮食总产量36.2万吨，农业总产值58亿元。",
        [],
        [(Decimal("36.2"), "万吨"), (58, "亿元")],
    ),
]


@pytest.mark.parametrize(("rule", "text", "targets", "results"), CLASSES, ids=[row[0] for row in CLASSES])
def test_each_class_has_its_rule(rule, text, targets, results):
    reading = read(text, reference_year=2025 if "统计公报" not in text else None)
    assert [(m.value, m.unit) for m in reading.targets] == [(Decimal(v), u) for v, u in targets]
    assert [(m.value, m.unit) for m in reading.results] == [(Decimal(v), u) for v, u in results]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("全年新增城镇就业1.2万人。", "increment"),
        ("累计建成5G基站8000个。", "level"),
        ("全年计划完成投资98亿元。", "level"),
    ],
)
def test_level_or_increment_follows_the_verb_and_its_frame_words(text, kind):
    (target,) = read(text, reference_year=2025).targets
    assert target.kind == kind


@pytest.mark.parametrize(
    ("text", "year", "source"),
    [
        ("东川日报 2025-01-13 08:00\n\n2024年，全县各项事业取得新成效。", 2025, "publication date"),
        (
            "2024年东川县国民经济和社会发展统计公报\n东川县统计局 2025年3月20日",
            2024,
            "heading: bulletin year",
        ),
        ("东川网1月8日讯 2025年经济社会发展的主要预期目标是：增长6%。", 2025, "dated heading"),
    ],
)
def test_the_year_a_text_speaks_from(text, year, source):
    assert infer_reference_year_with_source(text) == (year, source)
