"""The extractor on the shapes of documents it meets beyond the seeds: work reports' results sections,
statistical bulletins, plans counting years ahead, Chinese numerals, estimates and headlines.

Each case is a sentence or short text of our own, dated by its reference year: what the extractor should
find, as (value, value_max, unit, kind, comparator, deadline year).
"""

from decimal import Decimal

import pytest

from apps.ingest.extractor import extract, infer_reference_year
from tests.ingest.tables import expected as expected_rows
from tests.ingest.tables import observed

CASES = [
    # a year end already passed, stated as reached, is a result; a plan's interim deadline is not
    ("到2023年底，全市5G基站达到3万个。", 2024, []),
    ("到2023年底，累计完成老旧小区改造300个。", 2024, []),
    ("到2025年底，全市5G基站达到3万个。", 2024, [(3, None, "万个", "level", ">=", 2025)]),
    ("到2024年底，全市新建公共充电桩3000个。", 2025, [(3000, None, "个", "increment", ">=", 2024)]),
    # results reported the way statistical bulletins do, without 比上年
    ("全年实现地区生产总值1.2万亿元。", 2024, []),
    ("初步核算，全年实现地区生产总值1.2万亿元。", 2024, []),
    ("力争全年实现旅游收入1500亿元。", 2025, [(1500, None, "亿元", "level", ">=", 2025)]),
    # Chinese numerals after the noun they count; rhetoric is still no target
    ("新建学校三十所。", 2025, [(30, None, "所", "increment", ">=", 2025)]),
    ("打造千亿级产业集群两个。", 2025, [(2, None, "个", "increment", ">=", 2025)]),
    ("中欧班列开行千列以上。", 2025, [(1000, None, "列", "level", ">=", 2025)]),
    ("坚持两个毫不动摇，做好三个方面工作。", 2025, []),
    # years in Chinese numerals
    ("二〇二六年，全市新能源汽车保有量达到20万辆。", 2025, [(20, None, "万辆", "level", ">=", 2026)]),
    ("到二〇三〇年，全市常住人口达到1000万人。", None, [(1000, None, "万人", "level", ">=", 2030)]),
    # the next N years count the present year as the first
    ("今后五年，全市新增城镇就业50万人。", 2025, [(50, None, "万人", "increment", ">=", 2029)]),
    ("未来三年，新建改建城市道路300公里。", 2025, [(300, None, "公里", "increment", ">=", 2027)]),
    # 有望 (is expected to) is an estimate, even after 全年
    ("外贸进出口总额有望突破1000亿元。", 2025, []),
    ("新增经营主体1.5万户，全年有望达到10万户。", 2025, [(1.5, None, "万户", "increment", ">=", 2025)]),
    # 其中 breaks down a portfolio only when sums or stages are named
    (
        "实施亿元以上项目200个，其中新开工项目80个。",
        2025,
        [(200, None, "个", "increment", ">=", 2025), (80, None, "个", "increment", ">=", 2025)],
    ),
    ("扎实推进共96个重点项目。其中，21个是续建项目，总投资达到176.94亿元。", 2025, []),
    # a reporting lead before last year's results (报告显示，去年…) sets the paragraph in the past
    ("报告显示，去年全市GDP增长5.6%。全年新增城镇就业5.2万人。", 2025, []),
    ("报告显示,去年全市GDP增长5.6%.全年新增城镇就业5.2万人.", 2025, []),
]


@pytest.mark.parametrize(("text", "reference_year", "expected"), CASES, ids=[c[0][:20] for c in CASES])
def test_genre_sentence(text, reference_year, expected):
    mentions = extract(text, reference_year=reference_year)
    assert observed(mentions) == expected_rows(expected)


@pytest.mark.parametrize("stop", ["。", "."])
def test_a_numbered_heading_opens_a_past_section(stop):
    text = (
        f"现在，我代表市人民政府作报告{stop}\n\n一、2024年工作回顾\n\n过去一年，全市新建5G基站4200个{stop}\n\n"
        f"产业动能持续增强{stop}新认定高新技术企业420家{stop}\n\n二、2025年重点工作\n\n新建5G基站3000个{stop}"
    )
    assert [m.value for m in extract(text, reference_year=2025)] == [Decimal(3000)]


def test_a_work_report_closing_a_plan_period_speaks_from_its_own_year():
    text = (
        "二〇二五年是“十四五”规划收官之年。到2024年底，全市高新技术企业达到2100家。"
        "今年新增高新技术企业300家。"
    )
    found = extract(text, reference_year=2025, title="某市2025年政府工作报告")
    assert [m.value for m in found] == [Decimal(300)]


@pytest.mark.parametrize(
    "title",
    ["西河市2024年国民经济和社会发展统计公报", ""],
)
def test_a_statistical_bulletin_states_no_targets(title):
    text = "西河市2024年国民经济和社会发展统计公报\n\n全年新建5G基站6200个，年末5G基站总数达到4.3万个。"
    assert extract(text, title=title) == []


@pytest.mark.parametrize(
    ("text", "title", "year"),
    [
        ("", "临江市国民经济和社会发展第十五个五年规划纲要", 2030),
        ("回顾了2024年工作，提出了2025年目标任务。到2027年，城镇化率达到72%。", "", 2025),
        ("二〇二五年政府工作报告", "", 2025),
    ],
)
def test_reference_year(text, title, year):
    assert infer_reference_year(text, title) == year


def test_a_headline_without_a_subject_takes_the_body_metric():
    text = "力争突破3000家\n\n今年，全市高新技术企业数量力争突破3000家。"
    headline, body = extract(text, reference_year=2025, include_headlines=True)
    assert headline.headline and headline.quote == "力争突破3000家"
    assert headline.metric == body.metric == "高新技术企业数量"


def test_numbered_headings_on_their_own_lines_open_sections_without_blank_lines():
    text = (
        "2025年某市政府工作报告（摘要）\n"
        "一、2024年工作回顾\n"
        "过去一年，全市地区生产总值增长5.7%。新建成5G基站1.2万个，累计达到9.5万个。\n"
        "二、2025年主要目标任务\n"
        "地区生产总值增长6%左右；新建5G基站8000个。\n"
    )
    found = [(m.metric, m.value, m.unit) for m in extract(text)]
    assert found == [("地区生产总值增长", Decimal("6"), "%"), ("新建5G基站", Decimal("8000"), "个")]


def test_a_numbered_line_inside_a_wrapped_sentence_is_no_heading():
    text = "今年要做好以下工作，包括\n一、二季度新建5G基站8000个的任务。"
    assert [m.value for m in extract(text, reference_year=2025)] == [Decimal("8000")]


def test_a_clause_opening_on_yuji_is_a_forecast_even_after_a_planned_target():
    text = "到2025年，全市计划新建数据中心机架2万个，预计新增投资120亿元。"
    assert [(m.value, m.unit) for m in extract(text, reference_year=2025)] == [(Decimal("2"), "万个")]


@pytest.mark.parametrize(
    "text, quotes",
    [
        ("今年应出席代表620人，实到605人。", []),
        ("会议应到委员300人，实到290人。", []),
        ("今年参会企业达到500家。", ["今年参会企业达到500家"]),
        (
            "今年计划筹集保障性租赁住房1.2万套（间），比上年多3000套。",
            ["今年计划筹集保障性租赁住房1.2万套（间）"],
        ),
        ("到2025年，能耗强度比2020年降低14%以上。", ["能耗强度比2020年降低14%以上"]),
    ],
)
def test_head_counts_and_year_on_year_deltas_are_not_targets(text, quotes):
    assert [m.quote for m in extract(text, reference_year=2026)] == quotes


def test_a_span_of_years_is_no_part_of_the_metric():
    (mention,) = extract("每年新增智能算力不少于2000P，3年内建成2个千P级智算中心。", reference_year=2026)[1:]
    assert (mention.metric, mention.value) == ("建成千P级智算中心", Decimal("2"))
