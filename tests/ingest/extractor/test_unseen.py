"""The extractor on sentences in the styles of other cities' reports, plans and news (none from the seeds).

Each case is written for a document dated 2025 unless it says otherwise: what the extractor should find,
as (value, value_max, unit, kind, comparator, deadline year).
"""

from decimal import Decimal

import pytest

from apps.ingest.extractor import extract, to_json
from tests.ingest.tables import expected as expected_rows
from tests.ingest.tables import observed

CASES = [
    # government work reports: this year's expected targets
    ("全市生产总值增长6%左右。", [(6, None, "%", "growth_rate", "~", 2025)]),
    ("城镇新增就业12万人。", [(12, None, "万人", "increment", ">=", 2025)]),
    ("PM2.5平均浓度控制在35微克/立方米以内。", [(35, None, "微克/立方米", "cap", "<=", 2025)]),
    ("单位GDP能耗下降3%。", [(3, None, "%", "reduction", ">=", 2025)]),
    ("新开工保障性住房5000套。", [(5000, None, "套", "increment", ">=", 2025)]),
    ("建成区绿化覆盖率达到42%以上。", [(42, None, "%", "level", ">=", 2025)]),
    ("城镇调查失业率控制在5.5%左右。", [(5.5, None, "%", "cap", "<=", 2025)]),
    ("常住人口城镇化率提高1个百分点。", [(1, None, "个百分点", "increment", ">=", 2025)]),
    ("新增城市绿道100公里。", [(100, None, "公里", "increment", ">=", 2025)]),
    ("新建改建农村公路1,200公里。", [(1200, None, "公里", "increment", ">=", 2025)]),
    (
        "粮食播种面积稳定在600万亩以上，总产量保持在50亿斤以上。",
        [(600, None, "万亩", "level", ">=", 2025), (50, None, "亿斤", "level", ">=", 2025)],
    ),
    (
        "力争全年接待游客1.2亿人次、实现旅游收入1500亿元。",
        [(1.2, None, "亿人次", "level", ">=", 2025), (1500, None, "亿元", "level", ">=", 2025)],
    ),
    # plans and action plans: deadlines
    (
        "到2027年，数字经济核心产业增加值占GDP比重达到12%。",
        [(12, None, "%", "level", ">=", 2027)],
    ),
    ("力争到2026年，全市高新技术企业突破1万家。", [(1, None, "万家", "level", ">", 2026)]),
    ("至2026年，森林覆盖率稳定在20%以上。", [(20, None, "%", "level", ">=", 2026)]),
    ("2026年底前，完成城镇老旧小区改造300个。", [(300, None, "个", "increment", ">=", 2026)]),
    ("到2030年，全市常住人口达到1000万人左右。", [(1000, None, "万人", "level", "~", 2030)]),
    ("2025—2027年，每年新增城镇就业10万人以上。", [(10, None, "万人", "increment", ">=", 2027)]),
    (
        "到2025年，全市5G基站总数达到3万个，千兆光网用户达到100万户。",
        [(3, None, "万个", "level", ">=", 2025), (100, None, "万户", "level", ">=", 2025)],
    ),
    # Chinese numerals and ranges
    ("新增三千个公共停车泊位。", [(3000, None, "个", "increment", ">=", 2025)]),
    ("新建两所九年一贯制学校。", [(2, None, "所", "increment", ">=", 2025)]),
    ("新能源汽车产量突破十万辆。", [(10, None, "万辆", "level", ">", 2025)]),
    ("培育专精特新企业3—5家。", [(3, 5, "家", "increment", ">=", 2025)]),
    ("新建社区嵌入式服务设施10-15个。", [(10, 15, "个", "increment", ">=", 2025)]),
    # half-width punctuation and numbers broken across lines
    (
        "今年,全市一般公共预算收入增长5%,规上工业增加值增长6.5%.",
        [(5, None, "%", "growth_rate", ">=", 2025), (6.5, None, "%", "growth_rate", ">=", 2025)],
    ),
    (
        "2025年目标:GDP增长6%左右;城镇新增就业11万人.",
        [(6, None, "%", "growth_rate", "~", 2025), (11, None, "万人", "increment", ">=", 2025)],
    ),
    ("全市地区生产总值达到3.5\n万亿元。", [(3.5, None, "万亿元", "level", ">=", 2025)]),
    # news reports
    (
        "记者从市发改委获悉，今年我市将新开工亿元以上重大项目600个。",
        [(600, None, "个", "increment", ">=", 2025)],
    ),
    (
        "进出口总额、实际使用外资分别增长5%和8%。",
        [(5, None, "%", "growth_rate", ">=", 2025), (8, None, "%", "growth_rate", ">=", 2025)],
    ),
    ("地表水国控断面优良水体比例保持100%。", [(100, None, "%", "level", ">=", 2025)]),
    ("人均预期寿命达到80岁。", [(80, None, "岁", "level", ">=", 2025)]),
    ("港口集装箱吞吐量达到500万标箱。", [(500, None, "万标箱", "level", ">=", 2025)]),
    ("生猪出栏稳定在200万头以上。", [(200, None, "万头", "level", ">=", 2025)]),
    (
        "新增城市路灯5000盏，植树100万株。",
        [(5000, None, "盏", "increment", ">=", 2025), (100, None, "万株", "level", ">=", 2025)],
    ),
    ("规上工业增加值增长6.5%—7%。", [(6.5, 7, "%", "growth_rate", ">=", 2025)]),
    ("新增就业岗位不少于10万个。", [(10, None, "万个", "increment", ">=", 2025)]),
    ("新增规模以上工业企业300家以上。", [(300, None, "家", "increment", ">=", 2025)]),
    ("粮食产量稳定在百亿斤以上。", [(100, None, "亿斤", "level", ">=", 2025)]),
    ("经济总量迈上万亿元台阶。", [(1, None, "万亿元", "level", ">=", 2025)]),
    ("力争在2026年前建成充电站100座。", [(100, None, "座", "level", ">=", 2026)]),
    ("“十五五”期间，全市累计新增城镇就业60万人以上。", [(60, None, "万人", "level", ">=", 2030)]),
    (
        "外贸进出口总额达到8000亿元，其中出口5000亿元。",
        [(8000, None, "亿元", "level", ">=", 2025), (5000, None, "亿元", "level", ">=", 2025)],
    ),
    ("目前全市已建成5G基站3万个，今年还将新建5000个。", [(5000, None, "个", "increment", ">=", 2025)]),
    ("统筹推进总投资1.2万亿元的1500个重大项目。", [(1500, None, "个", "increment", ">=", 2025)]),
    # past results, estimates and statistics: not targets
    ("前三季度，全市GDP增长5.3%。", []),
    ("今年1-10月，全市规模以上工业增加值同比增长7.5%。", []),
    ("预计到2025年，全市新能源汽车保有量将达到20万辆。", []),
    ("2024年全市实现地区生产总值1.2万亿元、增长6.1%，一般公共预算收入1000亿元、增长5%。", []),
    ("去年以来，全市新增市场主体12万户。", []),
    ("完成全年目标任务的120%。", []),
    ("去年全市实现GDP 1.2万亿元，增长6.1%。", []),
    ("预计全年地区生产总值增长5.8%左右。", []),
    ("全市实现地区生产总值9876.5亿元，比上年增长6.2%。", []),
    ("全年城镇居民人均可支配收入52000元，比上年增长5.1%。", []),
    ("截至2024年底，全市累计建成充电桩3.2万个。", []),
    ("2024年，全市地区生产总值增长5.6%。", []),
    ("“十四五”以来，全市累计新增市场主体50万户。", []),
    ("全市户籍人口950万人。", []),
    ("过去五年，全市新增城镇就业63万人。", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:20] for c in CASES])
def test_unseen_sentence(sentence, expected):
    mentions = extract(sentence, reference_year=2025)
    assert observed(mentions) == expected_rows(expected)
    for m in mentions:
        assert m.quote == sentence[m.start : m.end]


def test_every_year_of_a_multi_year_plan_is_kept_without_a_reference_year():
    text = "到2024年，新能源汽车产量达到40万辆以上。到2025年，新能源汽车保有量达到15万辆以上。"
    found = extract(text)
    assert [(m.value, m.unit, m.deadline.year) for m in found] == [
        (Decimal(40), "万辆", 2024),
        (Decimal(15), "万辆", 2025),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2024年底前，新建公共充电桩3000个。2025年底前，新能源汽车保有量达到15万辆以上。",
        "2024年底，新建公共充电桩3000个。2025年底，新能源汽车保有量达到15万辆以上。",
        "2023—2024年，新建公共充电桩3000个。到2025年，新能源汽车保有量达到15万辆以上。",
        "力争至2024年新建公共充电桩3000个，到2025年新能源汽车保有量达到15万辆以上。",
    ],
)
def test_deadline_words_mark_a_future_year_whatever_the_latest_year(text):
    assert [m.deadline.year for m in extract(text)] == [2024, 2025]


def test_a_deadline_year_before_the_document_year_is_still_a_deadline():
    (mention,) = extract("到2024年底，全市新建公共充电桩3000个。", reference_year=2025)
    assert mention.deadline.year == 2024


def test_as_of_a_year_end_is_a_past_result():
    text = "截至2023年底，全市充电桩总数达到5万个。到2025年，新能源汽车保有量达到15万辆以上。"
    assert [(m.value, m.unit) for m in extract(text)] == [(Decimal(15), "万辆")]


@pytest.mark.parametrize(
    ("sentence", "metrics"),
    [
        (
            "到2024年软件、电子信息制造业营业收入分别达到5700亿元和1700亿元。",
            ["软件营业收入", "电子信息制造业营业收入"],
        ),
        (
            "城乡居民人均可支配收入分别增长5.5%左右和6.5%以上。",
            ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"],
        ),
        ("进出口总额、实际使用外资分别增长5%和8%。", ["进出口总额增长", "实际使用外资增长"]),
        ("新建5G基站2000个、数据中心3家。", ["新建5G基站", "新建数据中心"]),
        ("累计建成口袋公园150处、城市绿道300公里。", ["累计建成口袋公园", "累计建成城市绿道"]),
        ("今年再有10条主干道实现绿波通行。", ["主干道实现绿波通行"]),
        ("统筹实施城市更新项目120个。", ["实施城市更新项目"]),
        ("对于2025年度的300个市级重点项目，实行清单化管理。", ["市级重点项目"]),
        ("确保农产品质量安全监测合格率保持在98%以上。", ["农产品质量安全监测合格率"]),
        ("到2025年，新能源汽车的保有量将达到15万辆以上。", ["新能源汽车保有量"]),
        ("我们提出到2026年工业用地亩均税收达到30万元/亩。", ["工业用地亩均税收"]),
        ("人均预期寿命达到80岁。", ["人均预期寿命"]),
        ("PM2.5年均浓度降至30微克/立方米。", ["PM2.5年均浓度"]),
        ("全市GDP突破2万亿元大关。", ["GDP"]),
        ("目前全市已建成5G基站3万个，今年还将新建5000个。", ["新建5G基站"]),
        ("新增规上工业企业200家、专精特新企业15家。", ["新增规上工业企业", "新增专精特新企业"]),
        ("外贸进出口总额达到8000亿元，其中出口5000亿元。", ["外贸进出口总额", "出口"]),
        ("新增市场主体10万户以上，其中企业3万户以上。", ["新增市场主体", "新增企业"]),
        ("统筹推进总投资1.2万亿元的1500个重大项目。", ["推进重大项目"]),
        ("实现社会消费品零售总额5000亿元，增长6%。", ["社会消费品零售总额", "社会消费品零售总额增长"]),
        ("确保GDP增速不低于全省平均水平，力争达到6.5%。", ["GDP增速"]),
    ],
)
def test_metric_is_a_usable_goal_title(sentence, metrics):
    assert [m.metric for m in extract(sentence, reference_year=2025)] == metrics


def test_headline_mentions_only_on_request_and_marked():
    text = "打造400个智慧社区 引进更多便民服务设备\n\n今年，我市将累计建成智慧社区400个，新增养老床位2000张。"
    default = extract(text, reference_year=2025)
    assert [(m.value, m.headline) for m in default] == [(Decimal(400), False), (Decimal(2000), False)]
    found = extract(text, reference_year=2025, include_headlines=True)
    assert [(m.value, m.headline) for m in found] == [
        (Decimal(400), True),
        (Decimal(400), False),
        (Decimal(2000), False),
    ]
    headline = found[0]
    assert headline.quote == "打造400个智慧社区"
    assert headline.metric == "打造智慧社区"
    assert "headline" not in to_json(headline, "x.txt")
    assert found[1:] == default


def test_headline_of_a_past_section_gives_no_mentions():
    text = "2024年新建学校10所\n\n2024年，全市新建学校10所。\n\n2025年主要目标\n\n全市将新建学校12所。"
    found = extract(text, reference_year=2025, include_headlines=True)
    assert [(m.value, m.headline) for m in found] == [(Decimal(12), False)]
