"""Rejection rules: each names why a figure is no statement of an amount."""

import pytest

from apps.ingest.extractor.clauses import Clause, rejection, result_rule
from apps.ingest.extractor.figures import find_figures


def _rule(sentence, nth=0):
    figures = find_figures(sentence)
    found = rejection(Clause.of(sentence, (0, len(sentence)), figures, nth))
    return found[0] if found else None


@pytest.mark.parametrize(
    ("sentence", "nth", "rule"),
    [
        ("排名全省第2名。", 0, "is_ordinal"),
        ("实施《100个项目清单》。", 0, "is_inside_name"),
        ("力争在1-2个领域取得突破。", 0, "is_scope_phrase"),
        ("做好5项重点工作。", 0, "counts_text_parts"),
        ("实施10亿元以上项目300个。", 0, "qualifies_next_figure"),
        ("淘汰8米以下的车型。", 0, "is_class_threshold"),
        ("计划总投资50亿元。", 0, "is_project_size"),
        ("中科曙光(78.200, 2.10, 2.76%)", 0, "is_market_quote"),
        ("应出席代表574人。", 0, "is_head_count"),
        ("新建住房5000套，比上年多3000套。", 1, "is_delta"),
        ("拟安排专项债券4.4万亿元、比上年增加5000亿元。", 1, "is_delta"),
        ("5G用户普及率从2020年的15%提高到56%。", 0, "is_baseline"),
        ("新建5G基站7000个。", 0, None),
    ],
)
def test_rule(sentence, nth, rule):
    assert _rule(sentence, nth) == rule


def test_a_change_in_percent_after_an_amount_is_kept():
    # 实现…9876亿元，比上年增长6% states the growth rate, a figure of its own
    assert _rule("实现地区生产总值9876亿元、比上年增长6%。", 1) is None


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("完成全年目标任务的120%。", "is_plan_progress"),
        ("1-6月完成年度投资计划的61.5%。", "is_plan_progress"),
        ("全县财政收入首破百亿元。", "is_first_crossing"),
        ("全市外贸进出口首次突破5000亿元。", "is_first_crossing"),
        ("力争外贸进出口突破5000亿元。", None),
        ("完成投资58亿元。", None),
    ],
)
def test_a_result_rule_reads_a_figure_as_reported_whatever_its_frame(sentence, rule):
    figures = find_figures(sentence)
    found = result_rule(Clause.of(sentence, (0, len(sentence)), figures, 0))
    assert (found[0] if found else None) == rule


@pytest.mark.parametrize(
    ("sentence", "nth", "rule"),
    [
        ("力争新培育过20亿元企业2家。", 0, "qualifies_next_figure"),
        ("首页 12次浏览 发布时间", 0, "is_page_counter"),
    ],
)
def test_more_rejection_rules(sentence, nth, rule):
    assert _rule(sentence, nth) == rule
