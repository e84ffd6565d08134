"""Sentences: targets and results of one sentence, with shared metrics, baselines and periods."""

from datetime import date
from decimal import Decimal

from apps.ingest.extractor import read


def test_respectively_gives_each_figure_its_own_metric():
    targets = read("城乡居民收入分别增长5.5%左右和6%左右。", reference_year=2025).targets
    assert [(m.metric, m.value) for m in targets] == [
        ("城镇居民收入增长", Decimal("5.5")),
        ("农村居民收入增长", Decimal(6)),
    ]


def test_names_ending_on_a_sign_share_the_noun_after_them_and_each_quote_states_it():
    text = "2026年底，分别打造“人工智能+”、“数据要素×”典型应用场景20个、100个。"
    targets = read(text, reference_year=2026).targets
    assert [(m.metric, m.value) for m in targets] == [
        ("打造人工智能+典型应用场景", Decimal(20)),
        ("数据要素×典型应用场景", Decimal(100)),
    ]
    assert (
        text[targets[1].start : targets[1].end] == "分别打造“人工智能+”、“数据要素×”典型应用场景20个、100个"
    )


def test_from_a_baseline_to_a_target():
    (target,) = read("到2025年，5G用户普及率从2020年的15%提高到56%。", reference_year=2021).targets
    assert (target.value, target.baseline_value, target.baseline_year) == (Decimal(56), Decimal(15), 2020)
    assert target.metric == "5G用户普及率"
    assert target.deadline == date(2025, 12, 31)


def test_a_delta_after_an_amount_is_not_a_target_of_its_own():
    targets = read("今年拟安排地方政府专项债券4.4万亿元、比上年增加5000亿元。", reference_year=2025).targets
    assert [(m.value, m.unit) for m in targets] == [(Decimal("4.4"), "万亿元")]


def test_a_completed_action_is_a_result_with_its_period():
    reading = read("2024年，全市实施重大项目235个、完成投资1477亿元。", reference_year=2025)
    assert reading.targets == []
    assert [(m.value, m.period_start, m.period_end) for m in reading.results] == [
        (Decimal(235), date(2024, 1, 1), date(2024, 12, 31)),
        (Decimal(1477), date(2024, 1, 1), date(2024, 12, 31)),
    ]


def test_an_estimate_is_marked():
    (result,) = read("去年全市地区生产总值预计增长5.5%左右。", reference_year=2025).results
    assert result.is_estimate and result.period_end == date(2024, 12, 31)


def test_a_share_is_a_result_not_a_target():
    reading = read("去年全市税收占比72.4%，制造业约占工业比重的90%以上。", reference_year=2025)
    assert reading.targets == []
    assert [m.value for m in reading.results] == [Decimal("72.4"), Decimal(90)]


def test_a_dateline_without_a_year_is_read_as_the_latest_such_day():
    from apps.ingest.extractor.passages import infer_reference_year_with_source

    text = "鲁网1月21日讯 今年济南将新建基站100个。"
    assert infer_reference_year_with_source(text, today=date(2026, 11, 29)) == (2026, "dateline")
    assert infer_reference_year_with_source(text, today=date(2026, 1, 10)) == (2025, "dateline")


def test_an_estimate_reaches_to_the_next_semicolon():
    text = "去年全市地区生产总值预计增长5.5%左右;完成一般公共预算收入1083亿元,增长2.1%。"
    results = read(text, reference_year=2025).results
    assert [(m.value, m.is_estimate) for m in results] == [
        (Decimal("5.5"), True),
        (Decimal(1083), False),
        (Decimal("2.1"), False),
    ]


def test_a_release_on_the_first_months_reports_on_those_months_throughout():
    text = (
        "2025年前三季度经济运行情况\n\n前三季度，全市地区生产总值2876.4亿元。其中，第一产业增加值98.6亿元。"
    )
    results = read(text, reference_year=2025).results
    assert [(m.value, m.period_start, m.period_end) for m in results] == [
        (Decimal("2876.4"), date(2025, 1, 1), date(2025, 9, 30)),
        (Decimal("98.6"), date(2025, 1, 1), date(2025, 9, 30)),
    ]


def test_a_baseline_is_also_the_result_of_its_year_and_a_plan_period_covers_its_years():
    text = "到2030年，千兆宽带用户数从2025年的620万户增加到1000万户。“十四五”期间，全省建成5G基站18.2万个。"
    reading = read(text, reference_year=2030, title="某省“十五五”数字经济发展规划")
    assert [(m.value, m.deadline) for m in reading.targets] == [(Decimal(1000), date(2030, 12, 31))]
    assert [(m.metric, m.value, m.period_start, m.period_end) for m in reading.results] == [
        ("千兆宽带用户数", Decimal(620), date(2025, 1, 1), date(2025, 12, 31)),
        ("建成5G基站", Decimal("18.2"), date(2021, 1, 1), date(2025, 12, 31)),
    ]
