"""The extractor's linguistic rules, one short sentence of our own per phenomenon (not seed sentences)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.ingest.extractor import Mention, extract, infer_reference_year, to_json
from tests.ingest.tables import JSON_KEYS

# sentence -> the targets expected, each (value, value_max, unit, kind, comparator, deadline)
CASES = [
    # verbs, units, comparators
    ("到2026年，全市新能源汽车保有量达到20万辆以上。", [(20, None, "万辆", "level", ">=", "2026-12-31")]),
    ("今年全市地区生产总值增长6%左右。", [(6, None, "%", "growth_rate", "~", "2024-12-31")]),
    ("城镇登记失业率控制在4.5%以内。", [(4.5, None, "%", "cap", "<=", "2024-12-31")]),
    ("力争快递业务量超过8亿件。", [(8, None, "亿件", "level", ">", "2024-12-31")]),
    ("将对外贸易依存度提升到约30%。", [(30, None, "%", "level", "~", "2024-12-31")]),
    (
        "到2027年，单位地区生产总值能耗比2020年下降15%以上。",
        [(15, None, "%", "reduction", ">=", "2027-12-31")],
    ),
    ("今年新建公共充电桩3000个。", [(3000, None, "个", "increment", ">=", "2024-12-31")]),
    ("累计建成口袋公园150处。", [(150, None, "处", "level", ">=", "2024-12-31")]),
    # line breaks and spaces inside phrases (newspaper columns)
    (
        "全市将加快充电设施建设，今年新建公共充电\n\n桩 3000 个。",
        [(3000, None, "个", "increment", ">=", "2024-12-31")],
    ),
    ("粮食总产量稳定在120万\n吨以上。", [(120, None, "万吨", "level", ">=", "2024-12-31")]),
    # full-width digits and punctuation
    (
        "今年新建５Ｇ基站１０００个，城镇调查失业率控制在５．５％左右。",
        [
            (1000, None, "个", "increment", ">=", "2024-12-31"),
            (5.5, None, "%", "cap", "<=", "2024-12-31"),
        ],
    ),
    # Chinese and implicit numerals
    ("力争2026年进出口总额突破千亿元。", [(1000, None, "亿元", "level", ">", "2026-12-31")]),
    ("全市经济总量突破万亿元。", [(1, None, "万亿元", "level", ">", "2024-12-31")]),
    ("全年中欧班列开行稳定在两千列以上。", [(2000, None, "列", "level", ">=", "2024-12-31")]),
    # ranges
    ("新建区域医疗中心2～3个。", [(2, 3, "个", "increment", ">=", "2024-12-31")]),
    ("计划引进世界500强企业3至5家。", [(3, 5, "家", "increment", ">=", "2024-12-31")]),
    # enumerations sharing one verb
    (
        "城乡居民人均可支配收入分别增长6%和7%左右。",
        [
            (6, None, "%", "growth_rate", ">=", "2024-12-31"),
            (7, None, "%", "growth_rate", "~", "2024-12-31"),
        ],
    ),
    (
        "新建口袋公园5个、社区食堂12处、养老服务站30家。",
        [
            (5, None, "个", "increment", ">=", "2024-12-31"),
            (12, None, "处", "increment", ">=", "2024-12-31"),
            (30, None, "家", "increment", ">=", "2024-12-31"),
        ],
    ),
    (
        "开工棚户区改造项目12个350万平方米。",
        [
            (12, None, "个", "increment", ">=", "2024-12-31"),
            (350, None, "万平方米", "increment", ">=", "2024-12-31"),
        ],
    ),
    # qualifiers that look like targets but only describe what is counted
    ("新增年营业收入10亿元以上的企业12家。", [(12, None, "家", "increment", ">=", "2024-12-31")]),
    ("实施总投资5亿元以上的产业项目40个以上。", [(40, None, "个", "increment", ">=", "2024-12-31")]),
    ("力争每年实施亿元以上工业项目150个以上。", [(150, None, "个", "increment", ">=", "2024-12-31")]),
    ("到2026年将利税超过5亿元的企业数量增加到30家。", [(30, None, "家", "level", ">=", "2026-12-31")]),
    ("有序淘汰功率小于50千瓦的燃煤锅炉。", []),
    ("推广车长10米以下的新能源公交车。", []),
    ("保障性住房覆盖全市30%左右的新市民。", [(30, None, "%", "level", "~", "2024-12-31")]),
    # past results, estimates, present states and head counts
    ("预计全年规模以上工业增加值增长8%左右。", []),
    ("去年，全市新建5G基站6000个。", []),
    ("2023年，全市新增城镇就业12万人，引进高端人才300人。", []),
    ("截至2023年底，全市充电桩总数达到了5万个。", []),
    ("全市规模以上工业增加值同比增长9.1%。", []),
    ("应到委员480人，实到委员452人。", []),
    ("目前，数字经济占地区生产总值的比重达到45%。", []),
    ("全市民营经济约占经济总量的60%以上。", []),
    ("新增城镇就业突破12万人……2023年，全市经济稳中向好。", []),
    # rhetoric, ordinals, scopes and the text's own structure
    ("重点抓好三个方面的工作，关乎千家万户。", []),
    ("经济总量居全省第2位。", []),
    ("力争在3个领域取得突破。", []),
    ("认真抓好5项重点工作。", []),
    ("前瞻布局量子信息、元宇宙等6个未来产业。", []),
    ("实施“百个项目、千亿投资”工程。", []),
    ("过去一年，全市新建5G基站1.2万个。", []),
    ("一年来，全市完成固定资产投资3000亿元。", []),
    ("今年以来，全市已新建5G基站3000个，完成全年目标的60%。", []),
    ("1—11月，全市规上工业增加值增长8%。", []),
    ("全市共有高新技术企业5000家。", []),
    # a baseline year or 同比 inside a target is not a past marker
    ("地区生产总值比上年增长6%左右。", [(6, None, "%", "growth_rate", "~", "2024-12-31")]),
    ("力争外贸进出口同比增长8%。", [(8, None, "%", "growth_rate", ">=", "2024-12-31")]),
    # more units, comparators and kinds
    ("软件业务收入年均增长百分之十二点五。", [(12.5, None, "%", "growth_rate", ">=", "2024-12-31")]),
    ("新增城镇就业3万～5万人。", [(3, 5, "万人", "increment", ">=", "2024-12-31")]),
    ("重污染天数减少到5天以内。", [(5, None, "天", "cap", "<=", "2024-12-31")]),
    ("研发经费投入强度提高0.2个百分点。", [(0.2, None, "个百分点", "increment", ">=", "2024-12-31")]),
    ("全社会研发投入强度不低于3%。", [(3, None, "%", "level", ">=", "2024-12-31")]),
    ("PM2.5平均浓度控制在35微克/立方米以内。", [(35, None, "微克/立方米", "cap", "<=", "2024-12-31")]),
    ("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", [(4.5, None, "个", "level", ">=", "2024-12-31")]),
    # a plan's project portfolio, or one project's size, is not a target
    ("计划总投资50亿元的科技园项目开工建设。", []),
    ("扎实推进总投资820亿元的45个重点项目，其中续建项目20个，新开工项目25个。", []),
]


def _expected(values):
    return [
        (
            Decimal(str(v)),
            None if vmax is None else Decimal(str(vmax)),
            unit,
            kind,
            cmp,
            date.fromisoformat(d),
        )
        for v, vmax, unit, kind, cmp, d in values
    ]


def _found(mentions):
    return [(m.value, m.value_max, m.unit, m.kind, m.comparator, m.deadline) for m in mentions]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_sentence(sentence, expected):
    mentions = extract(sentence, reference_year=2024)
    assert _found(mentions) == _expected(expected)
    for m in mentions:
        assert m.quote == sentence[m.start : m.end]
        assert not m.incomplete
        assert 0 < m.confidence <= 1


def test_quote_and_offsets_point_into_the_original_text():
    text = "  今年，全市将\n新建５Ｇ基站 7000\n\n 个，智能算力达到2000P。"
    found = extract(text, reference_year=2024)
    assert [(m.value, m.unit) for m in found] == [(Decimal(7000), "个"), (Decimal(2000), "P")]
    for m in found:
        assert text[m.start : m.end] == m.quote
    assert found[0].quote.endswith("个")
    assert "新建" in found[0].quote
    assert found[0].metric == "新建5G基站"


def test_metric_is_the_indicator_without_whitespace():
    (mention,) = extract("全市地区生产\n总值增长 6%左右。", reference_year=2024)
    assert mention.metric == "地区生产总值增长"


def test_headline_repeating_the_body_is_not_counted_twice():
    text = "新建学校10所\n\n今年，全市将新建学校10所，新增学位1.2万个。"
    found = extract(text, reference_year=2024)
    assert [(m.value, m.unit) for m in found] == [(Decimal(10), "所"), (Decimal("1.2"), "万个")]
    assert found[0].start > text.index("\n")


def test_list_of_figure_lines_is_kept():
    text = (
        "2024年主要预期目标\n\n地区生产总值\n增长 6%左右\n\n"
        "一般公共预算收入\n增长 5%\n\n居民消费价格涨幅\n控制在 3%左右\n"
    )
    found = extract(text, reference_year=2024)
    assert [(m.value, m.kind) for m in found] == [
        (Decimal(6), "growth_rate"),
        (Decimal(5), "growth_rate"),
        (Decimal(3), "cap"),
    ]


def test_past_section_of_a_report_is_skipped():
    text = (
        "2023年经济社会发展情况\n\n  全市经营主体达到150万户，新建5G基站6000个\n\n"
        "2024年主要预期目标\n\n  新建5G基站7000个，新增城镇就业15万人以上\n"
    )
    found = extract(text, reference_year=2024)
    assert [(m.value, m.unit) for m in found] == [(Decimal(7000), "个"), (Decimal(15), "万人")]


def test_work_report_review_paragraph_is_past_and_the_plan_paragraph_is_not():
    text = (
        "这一年，我们迎难而上。全市地区生产总值达到8500亿元，新建学校30所。\n\n"
        "今年的主要目标是：地区生产总值增长5.5%左右。全市新建学校20所。"
    )
    found = extract(text, reference_year=2024)
    assert [(m.value, m.unit) for m in found] == [(Decimal("5.5"), "%"), (Decimal(20), "所")]


def test_paragraph_opening_on_a_finished_period_is_past():
    text = (
        "“十三五”时期，全市工业实现了跨越发展。先进制造业占比达到50%以上，工业投资年均增长12%。\n\n"
        "“十四五”时期，到年，工业增加值占比提高到35%以上。"
    )
    found = extract(text, reference_year=2025, title="某市工业“十四五”发展规划")
    assert [(m.value, m.deadline) for m in found] == [(Decimal(35), date(2025, 12, 31))]


@pytest.mark.parametrize(
    ("text", "title", "year"),
    [
        ("今年经济社会发展主要预期目标是：地区生产总值增长6%左右。", "2024年市政府工作报告解读", 2024),
        ("行动计划全文", "某市数字经济三年行动计划（2023—2025年）", 2025),
        ("某市“十四五”发展规划印发。到年，全市……", "", 2025),
        ("2025年政府工作报告提出……", "", 2025),
        ("没有年份的文字。", "", None),
    ],
)
def test_infer_reference_year(text, title, year):
    assert infer_reference_year(text, title) == year


def test_plan_title_sets_the_default_deadline():
    text = "培育省级专精特新企业200家。到2024年，建成10个数字化车间。"
    found = extract(text, title="某市制造业三年行动计划（2023—2025年）")
    assert [m.deadline for m in found] == [date(2025, 12, 31), date(2024, 12, 31)]


def test_lost_year_digits_fall_back_to_the_reference_year():
    (mention,) = extract("到年，全市高新技术企业达到5000家。", reference_year=2025)
    assert mention.deadline == date(2025, 12, 31)


def test_figures_missing_from_the_source_are_reported_incomplete_only_on_request():
    text = "到年，建设绿色工厂家，千兆用户数量达到个，5G基站达到3万个。"
    assert [m.value for m in extract(text, reference_year=2025)] == [Decimal(3)]
    found = extract(text, reference_year=2025, include_incomplete=True)
    assert [(m.value, m.unit, m.incomplete) for m in found] == [
        (None, "家", True),
        (None, "个", True),
        (Decimal(3), "万个", False),
    ]
    assert all(m.confidence < 0.9 for m in found if m.incomplete)


def test_dated_milestones_only_on_request():
    text = "到2024年6月底前出台城市更新实施方案。"
    assert extract(text, reference_year=2024) == []
    (milestone,) = extract(text, reference_year=2024, include_milestones=True)
    assert milestone.kind == "milestone"
    assert milestone.value is None
    assert milestone.deadline == date(2024, 6, 30)
    assert "出台城市更新实施方案" in milestone.quote


def test_department_from_speaker_and_from_subject():
    speakers = {"王明": "某市交通运输局"}
    (by_speaker,) = extract("王明表示，今年将新开通公交线路20条。", reference_year=2024, speakers=speakers)
    assert by_speaker.department == "某市交通运输局"
    (quoted,) = extract("“今年我们将新开通公交线路20条。”王明说。", reference_year=2024, speakers=speakers)
    assert quoted.department == "某市交通运输局"
    (by_subject,) = extract("市住房城乡建设局今年将开工改造老旧小区120个。", reference_year=2024)
    assert by_subject.department == "市住房城乡建设局"


def test_to_json_uses_json_numbers_and_iso_dates():
    mention = Mention(
        start=0,
        end=5,
        quote="增长5.5%",
        metric="地区生产总值增长",
        value=Decimal("5.5"),
        value_max=None,
        unit="%",
        kind="growth_rate",
        comparator=">=",
        deadline=date(2024, 12, 31),
        department=None,
        confidence=0.9,
        incomplete=False,
    )
    data = to_json(mention, "000_x.txt")
    assert list(data) == JSON_KEYS
    assert data["value"] == 5.5 and data["value_max"] is None and data["deadline"] == "2024-12-31"
    assert to_json(mention.__class__(**{**mention.__dict__, "value": Decimal(7000)}), "x")["value"] == 7000
