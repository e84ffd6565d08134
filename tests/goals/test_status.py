"""Tables for the status rules in apps/goals/status.py: pure values in, an Evaluation out, no database.

The running example is the 2024 goal of 7,000 new 5G base stations (新建5G基站7000个): a calendar year,
so the end of each quarter is 25/50/75/100% of 序时进度 (expected progress to date).
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from apps.goals.status import (
    FINISHED,
    MET,
    RED,
    RULE_VERSION,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_ORDER,
    Comparator,
    Evaluation,
    Kind,
    Observation,
    Reason,
    Status,
    Thresholds,
    cadence_days,
    evaluate,
    expected_on,
    expected_value,
    known_baseline,
    known_figures,
    known_on,
    progress_facts,
    status_label,
)
from apps.goals.wording import explain

START, DEADLINE = date(2024, 1, 1), date(2024, 12, 31)
OCT_20 = date(2024, 10, 20)  # Q3 figures are in, Q4 is not over
JAN_20 = "2025-01-20"


def d(text: str) -> date:
    return date.fromisoformat(text)


def fig(as_of: str, value: str, final: bool = False) -> Observation:
    return Observation(as_of=d(as_of), value=Decimal(value), is_final=final)


def judge(**overrides) -> Evaluation:
    """The 5G goal, judged on 20 Oct 2024, unless told otherwise."""
    goal = {
        "kind": "increment",
        "comparator": ">=",
        "target": Decimal("7000"),
        "target_max": None,
        "baseline": None,
        "start": START,
        "deadline": DEADLINE,
        "observations": [],
        "today": OCT_20,
        "unit": "个",
    }
    goal.update(overrides)
    for name in ("target", "target_max", "baseline"):
        if isinstance(goal[name], str):
            goal[name] = Decimal(goal[name])
    if isinstance(goal["today"], str):
        goal["today"] = d(goal["today"])
    return evaluate(**goal)


def said_zh(evaluation: Evaluation) -> str:
    return explain(evaluation).zh


def said_en(evaluation: Evaluation) -> str:
    return explain(evaluation).en


def rate(kind: str, comparator: str, target: str, value: str, **overrides) -> Evaluation:
    """A rate goal for 2024 with one provisional Q3 figure, judged on 20 Oct 2024."""
    overrides.setdefault("unit", "%")
    overrides.setdefault("observations", [fig("2024-09-30", value)])
    return judge(kind=kind, comparator=comparator, target=target, **overrides)


# --- 序时进度: the expected value -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "start", "deadline", "on", "expected"),
    [
        (None, "7000", START, DEADLINE, "2023-12-31", "0"),  # before the start: clamped to the baseline
        (None, "7000", START, DEADLINE, "2024-03-31", "1750"),  # a quarter end is a clean quarter
        (None, "7000", START, DEADLINE, "2024-06-30", "3500"),
        (None, "7000", START, DEADLINE, "2024-09-30", "5250"),
        (None, "7000", START, DEADLINE, "2024-12-31", "7000"),
        (None, "7000", START, DEADLINE, "2025-03-31", "7000"),  # after the deadline: clamped to the target
        (None, "7000", START, DEADLINE, "2024-01-15", "282.2581"),  # mid-month: days pro rata (15/31 of 1/12)
        ("250", "400", d("2023-01-01"), DEADLINE, "2024-06-30", "362.5"),  # 18 of 24 months from a baseline
        ("100", "500", d("2021-01-01"), d("2025-12-31"), "2023-06-30", "300"),  # half of a five-year plan
        ("40", "30", START, DEADLINE, "2024-06-30", "35"),  # a falling level
    ],
)
def test_expected_value_lies_on_the_straight_line_in_calendar_months(
    baseline, target, start, deadline, on, expected
):
    value = expected_value(
        baseline=None if baseline is None else Decimal(baseline),
        target=Decimal(target),
        start=start,
        deadline=deadline,
        on=d(on),
    )
    assert value == Decimal(expected)


# --- level and increment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "reported", "band", "status"),
    [
        (">=", "5250", "10", Status.ON_TRACK),  # exactly on 序时进度 (75%)
        (">=", "5600", "10", Status.ON_TRACK),
        (">=", "4900", "10", Status.AT_RISK),  # 70%: 5 points behind
        (">=", "4550", "10", Status.AT_RISK),  # 65%: exactly on the band edge
        (">=", "4549", "10", Status.OFF_TRACK),  # just below the band
        (">=", "4900", "5", Status.AT_RISK),  # a narrower band: exactly on its edge
        (">=", "4899", "5", Status.OFF_TRACK),
        (">=", "7000", "10", Status.ACHIEVED),  # the target reached early counts at once
        (">", "7000", "10", Status.ON_TRACK),  # "more than 7,000" needs more than 7,000
        (">", "7001", "10", Status.ACHIEVED),
        ("~", "7000", "10", Status.ACHIEVED),
    ],
)
def test_increment_is_judged_against_expected_progress(comparator, reported, band, status):
    evaluation = judge(
        comparator=comparator,
        observations=[fig("2024-09-30", reported)],
        thresholds=Thresholds(at_risk_band=Decimal(band)),
    )
    assert evaluation.status == status
    assert evaluation.actual_value == Decimal(reported)


@pytest.mark.parametrize(
    ("reported", "status", "progress"),
    [
        ("362.5", Status.ON_TRACK, "75.00"),  # exactly on expected: 250 + 150 × 18/24
        ("363", Status.ON_TRACK, "75.33"),
        ("347.5", Status.AT_RISK, "65.00"),  # exactly on the band edge
        ("347", Status.OFF_TRACK, "64.67"),
        ("250", Status.OFF_TRACK, "0.00"),
        ("400", Status.ACHIEVED, "100.00"),
    ],
)
def test_level_progress_is_the_share_of_the_way_from_baseline(reported, status, progress):
    # 400 smart communities in total by the end of 2024, from 250 at the start of 2023.
    evaluation = judge(
        kind="level",
        target="400",
        baseline="250",
        start=d("2023-01-01"),
        today="2024-07-20",
        observations=[fig("2024-06-30", reported)],
    )
    assert (evaluation.status, evaluation.progress_percent) == (status, Decimal(progress))
    assert evaluation.expected_value == Decimal("362.5")


@pytest.mark.parametrize(
    ("comparator", "target_max", "reported", "status"),
    [
        (">=", "450", "400", Status.ACHIEVED),  # a range is reached at its lower bound
        (">=", "450", "399", Status.ON_TRACK),
        (">=", "450", "480", Status.ACHIEVED),  # above the range is no failure for a level
        # A falling level that reached its target may rise again: on track until the period's figure.
        ("<=", None, "30", Status.ON_TRACK),  # a falling level: at most 30
        ("<=", None, "29.5", Status.ON_TRACK),
        ("<=", None, "35", Status.ON_TRACK),  # exactly on the falling line
        ("<=", None, "36", Status.AT_RISK),  # 40% of the way against 50% expected: on the band edge
        ("<=", None, "36.1", Status.OFF_TRACK),
        ("~", None, "30", Status.ON_TRACK),  # "about 30" from 40 is reached from above, not for good
        ("~", None, "31", Status.ON_TRACK),
    ],
)
def test_level_ranges_and_falling_targets(comparator, target_max, reported, status):
    if target_max is None:  # e.g. PM2.5 down from 40 to 30 µg/m³ during 2024
        goal = {"target": "30", "baseline": "40"}
    else:
        goal = {"target": "400", "baseline": "300"}
    evaluation = judge(
        kind="level",
        comparator=comparator,
        target_max=target_max and Decimal(target_max),
        today="2024-07-20",
        observations=[fig("2024-06-30", reported)],
        **goal,
    )
    assert evaluation.status == status


def test_level_without_baseline_shows_no_share_and_no_expected_line():
    # No baseline published and no figure from before the period: the pace cannot be judged.
    evaluation = judge(
        kind="level",
        target="400",
        today="2024-07-20",
        observations=[fig("2024-06-30", "330"), fig("2024-03-31", "300")],
    )
    assert evaluation.status == Status.IN_PROGRESS
    assert (evaluation.expected_value, evaluation.progress_percent) == (None, None)
    assert "无基期值，无法计算序时进度，期末再作判定，进行中" in said_zh(evaluation)
    assert "no baseline, so no pace, so it is judged at the end of the period: in progress" in said_en(
        evaluation
    )


# The cases a citizen saw on the seeded site (issue 10): a level with no published baseline.
@pytest.mark.parametrize(
    ("target", "unit", "observations", "today", "status"),
    [
        # 新能源汽车产量40万辆: 50万 reported; once 0% beside 已完成 and 50万 "expected" above the target.
        ("40", "万辆", [fig("2024-12-31", "50", final=True)], JAN_20, Status.ACHIEVED),
        ("40", "万辆", [fig("2024-06-30", "50")], "2024-07-20", Status.ACHIEVED),
        # 4.9万 of a 5万 target: once 0%.
        ("5", "万", [fig("2024-06-30", "4.9")], "2024-07-20", Status.IN_PROGRESS),
        # 1.4 of 1.5万亿: once 32.1% against a baseline taken from the first figure.
        ("1.5", "万亿元", [fig("2024-03-31", "1.33"), fig("2024-09-30", "1.4")], OCT_20, Status.IN_PROGRESS),
        # 310 of 300: once 180%.
        ("300", "个", [fig("2024-03-31", "290"), fig("2024-09-30", "310")], OCT_20, Status.ACHIEVED),
    ],
)
def test_a_level_without_known_baseline_never_shows_a_share(target, unit, observations, today, status):
    evaluation = judge(kind="level", target=target, unit=unit, observations=observations, today=today)
    assert evaluation.status == status
    assert evaluation.progress_percent is None
    assert evaluation.expected_value is None
    assert "序时进度应" not in said_zh(evaluation)


@pytest.mark.parametrize(
    ("baseline", "observations", "today", "status", "progress"),
    [
        # A baseline above the reported figure: the share as it is, below 0 (it fell back).
        ("300", [fig("2024-06-30", "280")], "2024-07-20", Status.OFF_TRACK, "-20.00"),
        # Reached beyond the target: at least 100% beside achieved.
        ("250", [fig("2024-06-30", "460")], "2024-07-20", Status.ACHIEVED, "140.00"),
        # A final figure short of the target: the share it reached.
        ("250", [fig("2024-12-31", "370", final=True)], JAN_20, Status.MISSED, "80.00"),
        # A baseline equal to the target, reached: 100%, not 0%.
        ("400", [fig("2024-06-30", "400")], "2024-07-20", Status.ACHIEVED, "100.00"),
    ],
)
def test_progress_is_the_share_of_the_way_as_it_is(baseline, observations, today, status, progress):
    evaluation = judge(kind="level", target="400", baseline=baseline, observations=observations, today=today)
    assert (evaluation.status, evaluation.progress_percent) == (status, Decimal(progress))


@pytest.mark.parametrize(
    ("baseline", "on", "expected"),
    [("250", "2024-06-30", "325"), ("250", "2023-06-30", "250"), ("250", "2025-06-30", "400")],
)
def test_expected_value_lies_between_baseline_and_target(baseline, on, expected):
    evaluation = judge(kind="level", target="400", baseline=baseline, today=on, observations=[])
    assert evaluation.expected_value == Decimal(expected)


def test_level_baseline_figure_from_before_the_period_sets_the_baseline_but_is_not_progress():
    observations = [fig("2023-12-31", "250", final=True), fig("2024-06-30", "280")]
    evaluation = judge(kind="level", target="400", today="2024-07-20", observations=observations)
    # Line from (1 Jan, 250) to (31 Dec, 400): 325 expected by 30 Jun, 280 is 20% of the way.
    assert (evaluation.status, evaluation.expected_value) == (Status.OFF_TRACK, Decimal("325"))
    assert evaluation.progress_percent == Decimal("20.00")


def test_increment_baseline_defaults_to_zero():
    evaluation = judge(observations=[fig("2024-09-30", "4900")])
    assert evaluation.progress_percent == Decimal("70.00")
    assert "基数" not in said_zh(evaluation)


def test_a_given_baseline_is_used_for_an_increment():
    evaluation = judge(baseline="1000", observations=[fig("2024-09-30", "5500")])
    # 1,000 + 6,000 × 75% = 5,500 expected.
    assert (evaluation.status, evaluation.expected_value) == (Status.ON_TRACK, Decimal("5500"))


def test_a_later_figure_that_falls_below_the_target_is_judged_on_its_own():
    observations = [fig("2024-06-30", "7100"), fig("2024-09-30", "6900")]  # e.g. a revision downwards
    assert judge(observations=observations).status == Status.ON_TRACK


# --- growth_rate, reduction, cap ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "comparator", "target", "reported", "status"),
    [
        # GDP growth of at least 5.5%, tolerance 0.5 points.
        ("growth_rate", ">=", "5.5", "5.5", Status.ON_TRACK),  # exactly on target
        ("growth_rate", ">=", "5.6", "5.6", Status.ON_TRACK),
        ("growth_rate", ">=", "5.5", "6.8", Status.ON_TRACK),  # still provisional: never achieved mid-year
        ("growth_rate", ">=", "5.5", "5.0", Status.AT_RISK),  # exactly one tolerance below
        ("growth_rate", ">=", "5.5", "4.99", Status.OFF_TRACK),
        ("growth_rate", ">", "5.5", "5.5", Status.AT_RISK),  # "more than" needs strictly more
        ("growth_rate", ">", "5.5", "5.51", Status.ON_TRACK),
        ("growth_rate", ">", "5.5", "5.0", Status.AT_RISK),
        ("growth_rate", ">", "5.5", "4.99", Status.OFF_TRACK),
        # GDP growth of about 5.5%: 5.0 and above is fine, overshooting too.
        ("growth_rate", "~", "5.5", "5.0", Status.ON_TRACK),
        ("growth_rate", "~", "5.5", "6.5", Status.ON_TRACK),
        ("growth_rate", "~", "5.5", "4.99", Status.AT_RISK),
        ("growth_rate", "~", "5.5", "4.5", Status.AT_RISK),
        ("growth_rate", "~", "5.5", "4.49", Status.OFF_TRACK),
        # A growth rate capped from above (e.g. natural population growth at most 3‰) is a cap.
        ("growth_rate", "<=", "3", "3", Status.ON_TRACK),
        ("growth_rate", "<=", "3", "3.5", Status.AT_RISK),
        ("growth_rate", "<=", "3", "3.6", Status.OFF_TRACK),
        # Energy intensity down by 3%: the figure is the reduction so far.
        ("reduction", ">=", "3", "3", Status.ON_TRACK),
        ("reduction", ">=", "3", "3.4", Status.ON_TRACK),
        ("reduction", ">=", "3", "2.5", Status.AT_RISK),
        ("reduction", ">=", "3", "2.4", Status.OFF_TRACK),
        ("reduction", "~", "3", "2.5", Status.ON_TRACK),
        ("reduction", "~", "3", "1.99", Status.OFF_TRACK),
        # CPI at most 3%.
        ("cap", "<=", "3", "3", Status.ON_TRACK),  # exactly at the cap
        ("cap", "<=", "3", "0.2", Status.ON_TRACK),
        ("cap", "<=", "3", "3.5", Status.AT_RISK),  # within tolerance above
        ("cap", "<=", "3", "3.51", Status.OFF_TRACK),
        ("cap", ">=", "3", "3.2", Status.AT_RISK),  # a cap is a ceiling whatever the comparator says
        # CPI around 3%: up to 3.5 is fine.
        ("cap", "~", "3", "3.5", Status.ON_TRACK),
        ("cap", "~", "3", "3.51", Status.AT_RISK),
        ("cap", "~", "3", "4.0", Status.AT_RISK),
        ("cap", "~", "3", "4.01", Status.OFF_TRACK),
    ],
)
def test_rate_goals_compare_the_latest_figure_with_the_target(kind, comparator, target, reported, status):
    evaluation = rate(kind, comparator, target, reported)
    assert evaluation.status == status
    assert (evaluation.expected_value, evaluation.actual_value) == (Decimal(target), Decimal(reported))
    assert evaluation.progress_percent is None
    assert evaluation.forecast_date is None


@pytest.mark.parametrize(
    ("reported", "status"), [("3", Status.ON_TRACK), ("3.5", Status.AT_RISK), ("3.6", Status.OFF_TRACK)]
)
def test_a_capped_range_is_judged_at_its_upper_bound(reported, status):
    evaluation = rate("cap", "<=", "2", reported, target_max=Decimal("3"))
    assert evaluation.status == status
    assert "目标2–3%" in said_zh(evaluation)
    assert "against a target of 2%–3%" in said_en(evaluation)


def test_tolerance_comes_from_the_thresholds():
    tight = Thresholds(growth_tolerance=Decimal("0.2"))
    assert rate("growth_rate", ">=", "5.5", "5.3", thresholds=tight).status == Status.AT_RISK
    assert rate("growth_rate", ">=", "5.5", "5.2", thresholds=tight).status == Status.OFF_TRACK


def test_a_rate_goal_without_a_unit_is_read_in_per_cent():
    evaluation = rate("growth_rate", ">=", "5.5", "4.8", unit="")
    assert "4.8%" in said_zh(evaluation)
    assert "0.7 points below target" in said_en(evaluation)


# --- After the deadline: a late final figure -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "target", "observations", "status"),
    [
        # Nothing covering the period end yet: wait, never red for want of statistics.
        ("increment", "7000", [fig("2024-09-30", "4900")], Status.AWAITING_DATA),
        ("increment", "7000", [fig("2024-12-31", "6900")], Status.AWAITING_DATA),  # provisional
        ("increment", "7000", [], Status.AWAITING_DATA),
        # The final figure arrives.
        (
            "increment",
            "7000",
            [fig("2024-12-31", "6900"), fig("2024-12-31", "6900", final=True)],
            Status.MISSED,
        ),
        ("increment", "7000", [fig("2024-12-31", "7000", final=True)], Status.ACHIEVED),
        # A provisional figure that reaches the target is enough for a level or increment ...
        ("increment", "7000", [fig("2024-12-31", "7100")], Status.ACHIEVED),
        # ... until a lower final figure for the same date replaces it, whatever the order given.
        (
            "increment",
            "7000",
            [fig("2024-12-31", "6950", final=True), fig("2024-12-31", "7100")],
            Status.MISSED,
        ),
        # A final figure for an earlier quarter does not close the year.
        ("increment", "7000", [fig("2024-09-30", "4900", final=True)], Status.AWAITING_DATA),
        # A figure for a later period is ignored: the year closed short.
        (
            "increment",
            "7000",
            [fig("2024-12-31", "6900", final=True), fig("2025-03-31", "8000", final=True)],
            Status.MISSED,
        ),
        # Rates stay provisional until the final annual figure.
        ("growth_rate", "5.5", [fig("2024-12-31", "5.6")], Status.AWAITING_DATA),
        (
            "growth_rate",
            "5.5",
            [fig("2024-12-31", "5.6"), fig("2024-12-31", "5.6", final=True)],
            Status.ACHIEVED,
        ),
        (
            "growth_rate",
            "5.5",
            [fig("2024-12-31", "5.6"), fig("2024-12-31", "5.4", final=True)],
            Status.MISSED,
        ),
        ("growth_rate", "5.5", [fig("2023-12-31", "5.9", final=True)], Status.AWAITING_DATA),  # last year's
        ("growth_rate", "5.5", [fig("2024-09-30", "5.9", final=True)], Status.AWAITING_DATA),  # Q3 only
        ("cap", "3", [fig("2024-12-31", "2.9", final=True)], Status.ACHIEVED),
        ("cap", "3", [fig("2024-12-31", "3.1", final=True)], Status.MISSED),
        ("reduction", "3", [fig("2024-12-31", "3.2", final=True)], Status.ACHIEVED),
        ("reduction", "3", [fig("2024-12-31", "2.4", final=True)], Status.MISSED),
    ],
)
def test_after_the_deadline_only_a_final_figure_decides(kind, target, observations, status):
    unit = "个" if kind == "increment" else "%"
    comparator = "<=" if kind == "cap" else ">="
    evaluation = judge(
        kind=kind, comparator=comparator, target=target, observations=observations, today=JAN_20, unit=unit
    )
    assert evaluation.status == status


def test_a_late_final_figure_turns_awaiting_data_into_a_result():
    provisional = fig("2024-12-31", "6980")
    waiting = judge(observations=[provisional], today=JAN_20)
    assert waiting.status == Status.AWAITING_DATA
    assert "6980个（初步）" in said_zh(waiting)
    assert "6,980 (provisional) as of 31 Dec 2024" in said_en(waiting)
    final = judge(observations=[provisional, fig("2024-12-31", "7020", final=True)], today="2025-03-10")
    assert final.status == Status.ACHIEVED
    assert final.actual_value == Decimal("7020")
    assert said_en(final).startswith("Final figure to 31 Dec 2024: 7,020")


def test_a_figure_dated_after_an_odd_deadline_closes_the_period():
    # Deadline on National Day; the monthly figure to 31 Oct is the first that covers it.
    observations = [fig("2024-10-31", "7050", final=True), fig("2024-11-30", "6000", final=True)]
    evaluation = judge(deadline=d("2024-10-01"), observations=observations, today="2024-12-20")
    assert evaluation.status == Status.ACHIEVED
    assert evaluation.actual_value == Decimal("7050")


@pytest.mark.parametrize(
    ("kind", "target", "unit", "observations", "today", "status", "provisional", "zh", "en"),
    [
        # Within the grace period: waiting, and saying by when the final figure is expected.
        ("increment", "7000", "个", [fig("2024-12-31", "6900")], "2025-06-29", Status.AWAITING_DATA, True,
         "正式数据预计6月29日前发布", "final figure expected by 29 Jun 2025"),
        # After it: a verdict on the provisional figure, marked so.
        ("increment", "7000", "个", [fig("2024-12-31", "6900")], "2025-07-09", Status.MISSED, True,
         "按现有数据判定：最新数据截至2024年12月31日为6900个（初步），未达到目标7000个，未达成（初步数据）",
         "short of the target of 7,000: missed (on provisional figures)"),
        # A level reached on a provisional figure: achieved at once, on provisional figures once the wait
        # is over.
        ("level", "40", "万辆", [fig("2024-11-30", "50")], "2025-01-20", Status.ACHIEVED, True,
         "（初步数据，待正式数据确认），已达到目标40万辆，已达成", "(provisional, pending the final figure)"),
        ("level", "40", "万辆", [fig("2024-11-30", "50")], "2025-11-30", Status.ACHIEVED, True,
         "达到目标40万辆，已达成（初步数据）",
         "reaching the target of 400,000 vehicles: achieved (on provisional figures)"),
        # GDP: 5.5% provisional against at least 5.5%, no final figure a year later.
        ("growth_rate", "5.5", "%", [fig("2024-12-31", "5.5")], "2025-11-30", Status.ACHIEVED, True,
         "达到目标5.5%，已达成（初步数据）",
         "reaching the target of 5.5%: achieved (on provisional figures)"),
        # A figure for part of the period never decides: no full-period figure published.
        ("growth_rate", "5.5", "%", [fig("2024-09-30", "4.1")], "2025-11-30", Status.PERIOD_UNREPORTED, True,
         "最新的部分期数据截至2024年9月30日为4.1%（初步）（目标5.5%），不据此判定，未公布期末数据",
         "the latest figure, for part of it, is 4.1% (provisional) as of 30 Sep 2024"),
        # A final figure that does not cover the whole period is no final figure for it.
        ("growth_rate", "5.5", "%", [fig("2024-09-30", "5.9", final=True)], "2025-07-01",
         Status.PERIOD_UNREPORTED, False, "仍未公布覆盖整个目标期的数据", "no figure for the whole period"),
        # Nothing at all, ever: no figure published.
        ("increment", "7000", "个", [], "2025-07-09", Status.UNREPORTED, False,
         "超过通常180天的等待期10天，仍未公布任何数据（目标7000个），未公布数据",
         "10 days beyond the usual 180-day wait, no figure has been published (target 7,000): "
         "no figure published"),
    ],
)  # fmt: skip
def test_the_wait_for_a_final_figure_ends_with_the_grace_period(
    kind, target, unit, observations, today, status, provisional, zh, en
):
    comparator = ">="
    evaluation = judge(kind=kind, target=target, unit=unit, observations=observations, today=today,
                       comparator=comparator)  # fmt: skip
    assert (evaluation.status, evaluation.provisional) == (status, provisional)
    assert zh in said_zh(evaluation)
    assert en in said_en(evaluation)


# --- Missing data: not started and stale ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start", "deadline", "status"),
    [
        ("2023-12-20", START, DEADLINE, Status.NOT_STARTED),  # the period has not begun
        ("2024-01-01", START, DEADLINE, Status.NOT_STARTED),
        ("2024-04-30", START, DEADLINE, Status.NOT_STARTED),  # day 120: the first report may still come
        ("2024-05-01", START, DEADLINE, Status.STALE),  # day 121, a third of the year gone, nothing reported
        # A five-year plan: 151 days in, but only 8.4% of the way through, is still early.
        ("2021-05-31", d("2021-01-01"), d("2025-12-31"), Status.NOT_STARTED),
        ("2021-07-01", d("2021-01-01"), d("2025-12-31"), Status.STALE),  # 10.02% gone
    ],
)
def test_a_goal_without_figures_is_not_started_early_and_stale_later(today, start, deadline, status):
    evaluation = judge(start=start, deadline=deadline, today=today)
    assert evaluation.status == status
    assert evaluation.actual_value is None
    assert evaluation.progress_percent is None


@pytest.mark.parametrize(
    ("kind", "target", "reported", "today", "status"),
    [
        ("increment", "7000", "1800", "2024-07-29", Status.ON_TRACK),  # 120 days since the figure
        ("increment", "7000", "1800", "2024-07-30", Status.STALE),  # 121 days
        ("increment", "7000", "7000", "2024-09-30", Status.ACHIEVED),  # reached stays reached
        ("growth_rate", "5.5", "5.8", "2024-07-29", Status.ON_TRACK),
        ("growth_rate", "5.5", "5.8", "2024-07-30", Status.STALE),
        ("cap", "3", "1.0", "2024-07-30", Status.STALE),
        ("increment", "7000", "1800", "2025-01-20", Status.AWAITING_DATA),  # past the deadline: waiting
    ],
)
def test_an_old_latest_figure_makes_a_running_goal_stale(kind, target, reported, today, status):
    evaluation = judge(
        kind=kind,
        comparator="<=" if kind == "cap" else ">=",
        target=target,
        unit="%" if kind != "increment" else "",
        observations=[fig("2024-03-31", reported)],
        today=today,
    )
    assert evaluation.status == status


def test_stale_respects_the_reporting_cadence_from_the_thresholds():
    monthly = Thresholds(stale_after_days=45)
    assert judge(observations=[fig("2024-08-31", "4000")], thresholds=monthly).status == Status.STALE
    assert judge(observations=[fig("2024-08-31", "4000")]).status == Status.AT_RISK


def test_figures_from_before_the_period_or_after_today_do_not_count():
    observations = [fig("2023-12-31", "6000", final=True), fig("2024-12-31", "7000", final=True)]
    evaluation = judge(observations=observations, today="2024-02-10")
    assert evaluation.status == Status.NOT_STARTED
    assert evaluation.actual_value is None


def test_figures_may_come_in_any_order():
    observations = [fig("2024-09-30", "5300"), fig("2024-03-31", "1000"), fig("2024-06-30", "3000")]
    assert judge(observations=observations).actual_value == Decimal("5300")


# --- Milestones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done_on", "today", "status", "zh", "en"),
    [
        (
            "2024-03-01",
            "2024-10-20",
            Status.DONE,
            "已于3月1日完成（期限12月31日）",
            "Done on 1 Mar 2024 (deadline 31 Dec 2024)",
        ),
        (
            "2025-01-15",
            "2025-02-01",
            Status.DONE,
            "比期限2024年12月31日晚15天",
            "15 days after the deadline of 31 Dec 2024",
        ),
        (None, "2024-10-20", Status.DUE, "尚余72天", "Due by 31 Dec 2024, 72 days left"),
        (
            None,
            "2024-12-31",
            Status.DUE,
            "期限为12月31日，今天到期",
            "Due by 31 Dec 2024, which is today",
        ),  # the deadline day itself
        (None, "2025-01-01", Status.OVERDUE, "已过1天，尚未完成", "passed 1 day ago and it is not done"),
        ("2025-03-01", "2025-02-01", Status.OVERDUE, "已过32天", "passed 32 days ago"),  # a done date to come
    ],
)
def test_milestones_are_done_due_or_overdue(done_on, today, status, zh, en):
    evaluation = judge(
        kind="milestone",
        target=None,
        today=today,
        milestone_done_on=done_on and d(done_on),
        observations=[fig("2024-06-30", "1")],  # ignored
    )
    assert evaluation.status == status
    assert zh in said_zh(evaluation)
    assert en in said_en(evaluation)
    assert (evaluation.expected_value, evaluation.actual_value, evaluation.forecast_date) == (
        None,
        None,
        None,
    )


# --- Forecast -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observations", "forecast"),
    [
        # +20 a day over the last quarter; 2,160 to go from 4,840: 108 days after 30 Sep.
        ([fig("2024-06-30", "3000"), fig("2024-09-30", "4840")], "2025-01-16"),
        # +25 a day: done well before the deadline.
        ([fig("2024-06-30", "3000"), fig("2024-09-30", "5300")], "2024-12-07"),
        # Least squares over the last four figures (+9.67 a day, where the last two alone say +10);
        # the odd first figure is left out. 4,100 to go from 2,900: 425 days.
        (
            [
                fig("2024-05-01", "100"),
                fig("2024-06-01", "2000"),
                fig("2024-07-01", "2400"),
                fig("2024-07-31", "2600"),
                fig("2024-08-30", "2900"),
            ],
            "2025-10-29",
        ),
        ([fig("2024-09-30", "4900")], None),  # one figure has no pace
        ([fig("2024-06-30", "3000"), fig("2024-09-30", "3000")], None),  # no progress
        ([fig("2024-06-30", "3000"), fig("2024-09-30", "2500")], None),  # going backwards
        ([fig("2024-06-30", "3000"), fig("2024-09-30", "7000")], None),  # already achieved
    ],
)
def test_forecast_continues_the_recent_pace(observations, forecast):
    evaluation = judge(observations=observations)
    assert evaluation.forecast_date == (forecast and d(forecast))


def test_a_falling_level_forecasts_with_a_falling_pace():
    evaluation = judge(
        kind="level",
        comparator="<=",
        target="30",
        baseline="40",
        today="2024-07-20",
        observations=[fig("2024-03-31", "38"), fig("2024-06-30", "36")],
    )
    assert evaluation.forecast_date == d("2025-03-30")  # −2 per 91 days, 6 to go: 273 days


def test_a_forecast_after_the_deadline_is_explained():
    evaluation = judge(observations=[fig("2024-06-30", "3000"), fig("2024-09-30", "4840")])
    assert said_zh(evaluation).endswith("；按近期进度，预计2025年1月16日完成")
    assert said_en(evaluation).endswith("; at this pace, done by 16 Jan 2025")


def test_a_forecast_within_the_deadline_is_not_mentioned():
    evaluation = judge(observations=[fig("2024-06-30", "3000"), fig("2024-09-30", "5300")])
    assert "预计" not in said_zh(evaluation)
    assert "at this pace" not in said_en(evaluation)


def test_no_progress_is_explained():
    evaluation = judge(observations=[fig("2024-06-30", "3000"), fig("2024-09-30", "3000")])
    assert evaluation.status == Status.OFF_TRACK
    assert said_zh(evaluation).endswith("；近期无进展")
    assert said_en(evaluation).endswith("; no progress at the recent pace")


def test_awaiting_data_mentions_a_forecast_beyond_the_deadline_while_it_lies_ahead():
    observations = [fig("2024-09-30", "4840"), fig("2024-11-30", "6060")]
    evaluation = judge(observations=observations, today="2025-01-10")
    assert evaluation.status == Status.AWAITING_DATA
    assert evaluation.forecast_date == d("2025-01-16")  # +20 a day, 940 to go: 47 days after 30 Nov
    assert "at this pace, done by 16 Jan 2025" in said_en(evaluation)
    # Once that day has passed it is no forecast any more.
    later = judge(observations=observations, today=JAN_20)
    assert later.forecast_date is None
    assert "at this pace" not in said_en(later)


def test_the_forecast_gives_the_value_expected_at_the_deadline():
    # +20 a day from 4,840 on 30 Sep: 92 days later, on 31 Dec, 6,680.
    evaluation = judge(observations=[fig("2024-08-31", "4240"), fig("2024-09-30", "4840")])
    assert evaluation.forecast_value == Decimal("6680")


# --- Explanations -------------------------------------------------------------------------------


def test_the_example_explanation_reads_as_in_the_brief():
    evaluation = judge(observations=[fig("2024-09-30", "4900")])
    assert said_zh(evaluation) == "按序时进度，截至9月30日应完成5250个，实际4900个，落后5个百分点，有风险"
    assert (
        said_en(evaluation)
        == "By 30 Sep 2024, 5,250 of 7,000 expected; 4,900 reported (5 points behind): at risk"
    )


@pytest.mark.parametrize(
    ("overrides", "zh", "en"),
    [
        # Thousands separators in English (and in Chinese from 10,000 up).
        (
            {"target": "70000", "observations": [fig("2024-09-30", "56000")]},
            ["应完成52500个", "实际56000个", "超前5个百分点", "进度正常"],
            ["52,500 of 70,000 expected", "56,000 reported (5 points ahead): on track"],
        ),
        # Figures stored with four decimals still read as whole numbers.
        (
            {"target": "7000.0000", "observations": [fig("2024-09-30", "5250.0000")]},
            ["应完成5250个，实际5250个，与序时进度持平"],
            ["5,250 of 7,000 expected; 5,250 reported (on schedule)"],
        ),
        # 万/亿 units: Chinese as written, English as plain numbers.
        (
            {
                # 序时进度 to two decimals whatever the figures: 2 + 1.5 × 75% = 3.125 → 3.13.
                "kind": "level",
                "target": "3.5",
                "baseline": "2",
                "unit": "亿元",
                "observations": [fig("2024-09-30", "2.9")],
            },
            ["应达到3.13亿元", "实际2.9亿元", "落后15个百分点", "滞后"],
            [
                "313 million yuan of 350 million yuan expected",
                "290 million yuan reported (15 points behind): off track",
            ],
        ),
        (
            {"target": "1.2", "unit": "万辆", "observations": [fig("2024-09-30", "0.6")]},
            ["应完成0.9万辆", "实际0.6万辆"],
            ["9,000 vehicles of 12,000 vehicles expected; 6,000 vehicles reported"],
        ),
        (
            {"target": "1.2", "unit": "万", "observations": [fig("2024-09-30", "0.6")]},
            ["应完成0.9万，实际0.6万"],
            ["9,000 of 12,000 expected; 6,000 reported ("],
        ),
        # A range reads as one.
        (
            {
                "kind": "level",
                "target": "400",
                "target_max": Decimal("450"),
                "baseline": "300",
                "observations": [fig("2024-09-30", "410")],
            },
            ["实际410个，已达到目标400–450个"],
            ["reaching the target of 400–450: achieved"],
        ),
        # A gap too small to show still reads as a gap.
        (
            {"observations": [fig("2024-09-30", "5249")]},
            ["落后不足0.1个百分点"],
            ["(less than 0.1 points behind)"],
        ),
        # Dates from another year carry the year in Chinese.
        (
            {"deadline": d("2025-12-31"), "target": "24000", "observations": [fig("2024-09-30", "7000")]},
            ["截至9月30日", "应完成9000个"],
            ["By 30 Sep 2024, 9,000 of 24,000 expected"],
        ),
        (
            {"today": "2025-02-10", "observations": [fig("2024-12-31", "6900", final=True)]},
            ["期末正式数据：截至2024年12月31日实际6900个，未达到目标7000个（完成98.6%），未达成"],
            ["Final figure to 31 Dec 2024: 6,900, short of the target of 7,000 (98.6% of the way): missed"],
        ),
        (
            {"comparator": ">", "observations": [fig("2024-09-30", "7001")]},
            ["截至9月30日实际7001个，已达到目标超过7000个，已达成"],
            ["7,001 reported by 30 Sep 2024, reaching the target of more than 7,000: achieved"],
        ),
        (
            {"today": JAN_20, "observations": [fig("2024-12-31", "7100")]},
            ["实际7100个（初步数据，待正式数据确认）"],
            ["7,100 reported by 31 Dec 2024 (provisional, pending the final figure)"],
        ),
        (
            {"today": JAN_20},
            ["期限2024年12月31日已过，期末正式数据尚未发布；尚无任何数据（目标7000个），待数据"],
            [
                "The deadline of 31 Dec 2024 has passed and the final figure is not yet published; "
                "no figures have been reported (target 7,000): awaiting data"
            ],
        ),
        (
            {"observations": [fig("2024-03-31", "1800")], "today": "2024-08-10"},
            ["最新数据截至3月31日（1800个），已132天未更新，超过120天的报送周期，数据过期"],
            [
                "Latest figure 1,800 as of 31 Mar 2024; nothing reported for 132 days, "
                "longer than the 120-day reporting cadence: stale"
            ],
        ),
        (
            {"today": "2024-06-01"},
            ["目标期自1月1日开始已152天，尚无任何数据", "数据过期"],
            ["No figures reported in the 152 days since the period began on 1 Jan 2024", ": stale"],
        ),
        (
            {"today": "2024-02-01"},
            ["目标期1月1日至12月31日，尚无进展数据，未开始"],
            ["Runs 1 Jan 2024 – 31 Dec 2024; no figures reported yet: not started"],
        ),
        (
            {"today": "2023-11-01"},
            ["目标期自2024年1月1日开始，未开始"],
            ["The period starts on 1 Jan 2024: not started"],
        ),
    ],
)
def test_level_explanations_carry_the_numbers(overrides, zh, en):
    evaluation = judge(**overrides)
    for text in zh:
        assert text in said_zh(evaluation)
    for text in en:
        assert text in said_en(evaluation)


@pytest.mark.parametrize(
    ("kind", "comparator", "target", "figures", "today", "zh", "en"),
    [
        (
            "growth_rate",
            "~",
            "5.5",
            [fig("2024-09-30", "4.8")],
            OCT_20,
            "截至9月30日累计增长4.8%，目标5.5%左右，低于目标0.7个百分点，有风险",
            "Cumulative growth of 4.8% to 30 Sep 2024, against a target of about 5.5% "
            "(0.7 points below target): at risk",
        ),
        (
            "growth_rate",
            ">=",
            "5.5",
            [fig("2024-09-30", "5.8")],
            OCT_20,
            "高于目标0.3个百分点，进度正常",
            "(0.3 points above target): on track",
        ),
        (
            "reduction",
            ">=",
            "3",
            [fig("2024-09-30", "2.1")],
            OCT_20,
            "截至9月30日累计下降2.1%，目标3%，低于目标0.9个百分点，滞后",
            "Reduction of 2.1% so far to 30 Sep 2024, against a target of 3% "
            "(0.9 points below target): off track",
        ),
        (
            "cap",
            "<=",
            "3",
            [fig("2024-09-30", "3.2")],
            OCT_20,
            "截至9月30日为3.2%，目标不超过3%，高于上限0.2个百分点，有风险",
            "3.2% as of 30 Sep 2024, against a target of at most 3% (0.2 points above the cap): at risk",
        ),
        ("cap", "<=", "3", [fig("2024-09-30", "3")], OCT_20, "与上限持平", "(exactly at the cap): on track"),
        (
            "growth_rate",
            ">=",
            "5.5",
            [fig("2024-09-30", "5.8", final=True)],
            OCT_20,  # final for Q3 only
            "截至9月30日累计增长5.8%，目标5.5%，高于目标0.3个百分点，进度正常",
            "(0.3 points above target): on track",
        ),
        (
            "growth_rate",
            ">=",
            "5.5",
            [fig("2024-12-31", "5.6", final=True)],
            "2025-01-25",
            "期末正式数据：截至2024年12月31日累计增长5.6%，目标5.5%，达到目标，已达成",
            "Final figure: Cumulative growth of 5.6% to 31 Dec 2024, against a target of 5.5%: achieved",
        ),
        (
            "growth_rate",
            ">=",
            "5.5",
            [fig("2024-12-31", "5.4", final=True)],
            "2025-01-25",
            "未达到目标，未达成",
            ": missed",
        ),
        (
            "growth_rate",
            ">=",
            "5.5",
            [fig("2024-12-31", "5.6")],
            "2025-01-25",
            "最新数据截至2024年12月31日为5.6%（初步）（目标5.5%），待数据",
            "the latest is 5.6% (provisional) as of 31 Dec 2024 (target 5.5%): awaiting data",
        ),
    ],
)
def test_rate_explanations_carry_the_numbers(kind, comparator, target, figures, today, zh, en):
    evaluation = rate(kind, comparator, target, "0", observations=figures, today=today)
    assert zh in said_zh(evaluation)
    assert en in said_en(evaluation)


@pytest.mark.parametrize("status", [s for s in Status if s not in (Status.DONE, Status.DUE, Status.OVERDUE)])
def test_every_explanation_ends_with_the_status_label(status):
    cases = {
        Status.NOT_STARTED: {"today": "2024-02-01"},
        Status.ON_TRACK: {"observations": [fig("2024-09-30", "5300")]},
        Status.AT_RISK: {"observations": [fig("2024-09-30", "4900")]},
        Status.OFF_TRACK: {"observations": [fig("2024-09-30", "4000")]},
        Status.ACHIEVED: {"observations": [fig("2024-09-30", "7000")]},
        Status.MISSED: {"observations": [fig("2024-12-31", "6000", final=True)], "today": JAN_20},
        Status.AWAITING_DATA: {"observations": [fig("2024-12-31", "6000")], "today": JAN_20},
        Status.STALE: {"observations": [fig("2024-03-31", "1000")]},
        Status.IN_PROGRESS: {"kind": "level", "observations": [fig("2024-09-30", "5300")]},
        Status.UNREPORTED: {"today": "2025-07-20"},
        Status.PERIOD_UNREPORTED: {"observations": [fig("2024-09-30", "5300")], "today": "2025-07-20"},
    }
    evaluation = judge(**cases[status])
    label_zh, label_en = STATUS_LABELS[status]
    assert evaluation.status == status
    assert f"，{label_zh}" in said_zh(evaluation)
    assert f": {label_en.lower()}" in said_en(evaluation)
    assert evaluation.rule_version == RULE_VERSION


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "share"}, "unknown goal kind"),
        ({"comparator": "<"}, "unknown comparator"),
        ({"target": None}, "needs a target"),
        ({"deadline": d("2023-12-31")}, "before the start"),
    ],
)
def test_impossible_goals_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        judge(**overrides)


# --- Vocabulary ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "language", "label"),
    [
        ("achieved", "zh-hans", "已达成"),
        (Status.ACHIEVED, "en", "Achieved"),
        ("on_track", "en-us", "On track"),
        ("on_track", "", "进度正常"),
        ("", "en", "—"),  # a history row's first change comes from no status
        (None, "zh-hans", "—"),
        ("no-such-status", "en", "—"),
    ],
)
def test_status_label_names_a_status_in_the_language_asked(status, language, label):
    assert status_label(status, language) == label


def test_model_choices_come_from_the_rules_vocabulary():
    from apps.goals.models import Goal, GoalComparator, GoalKind

    assert GoalKind.values == [k.value for k in Kind]
    assert GoalComparator.values == [c.value for c in Comparator]
    assert Goal.Kind.MILESTONE == Kind.MILESTONE
    assert dict(Goal._meta.get_field("status").choices)["achieved"] == "已达成 · Achieved"


def test_every_status_has_its_own_words_in_both_languages():
    assert len({zh for zh, _ in STATUS_LABELS.values()}) == len(Status)
    assert len({en for _, en in STATUS_LABELS.values()}) == len(Status)


# --- What was known when --------------------------------------------------------------------------


def test_a_figure_counts_only_from_the_day_it_was_published():
    # GDP 2024: 5.5% for the year, published on 20 Jan 2025.
    final = Observation(
        as_of=d("2024-12-31"), value=Decimal("5.5"), is_final=True, published_on=d("2025-01-20")
    )
    q3 = Observation(
        as_of=d("2024-09-30"), value=Decimal("5.0"), is_final=False, published_on=d("2024-10-25")
    )
    on_new_year = rate("growth_rate", ">=", "5.5", "0", observations=[q3, final], today="2024-12-31")
    assert (on_new_year.status, on_new_year.actual_value) == (Status.AT_RISK, Decimal("5.0"))
    once_published = rate("growth_rate", ">=", "5.5", "0", observations=[q3, final], today=JAN_20)
    assert (once_published.status, once_published.actual_value) == (Status.ACHIEVED, Decimal("5.5"))


def test_a_verdict_resting_on_a_sample_figure_says_so():
    sample = Observation(as_of=d("2024-09-30"), value=Decimal("5300"), is_final=False, is_sample=True)
    assert judge(observations=[sample]).is_sample
    assert not judge(observations=[fig("2024-09-30", "5300")]).is_sample
    # A baseline taken from a sample figure makes the share a sample too.
    before = Observation(as_of=d("2023-12-31"), value=Decimal("250"), is_final=True, is_sample=True)
    after = Observation(as_of=d("2024-09-30"), value=Decimal("380"), is_final=False, is_sample=True)
    evaluation = judge(kind="level", target="400", observations=[before, after])
    assert evaluation.status == Status.ON_TRACK and evaluation.is_sample


def test_a_real_figure_is_never_outweighed_by_a_sample():
    sample_final = Observation(as_of=d("2024-12-31"), value=Decimal("6000"), is_final=True, is_sample=True)
    real = fig("2024-11-30", "7100")
    evaluation = judge(observations=[real, sample_final], today=JAN_20)
    assert (evaluation.status, evaluation.actual_value, evaluation.is_sample) == (
        Status.ACHIEVED,
        Decimal("7100"),
        False,
    )
    # Samples alone still illustrate a goal in force, marked as such ...
    sample_q3 = Observation(as_of=d("2024-09-30"), value=Decimal("6000"), is_final=False, is_sample=True)
    in_force = judge(observations=[sample_q3])
    assert (in_force.status, in_force.is_sample) == (Status.ON_TRACK, True)
    # ... but never decide a finished one.
    assert judge(observations=[sample_final], today=JAN_20).status == Status.AWAITING_DATA


@pytest.mark.parametrize(
    "kind, target, baseline, observations, on, expected",
    [
        # A figure dated 30 June is held to half the way, whatever day it is entered on.
        ("increment", "7000", None, [], "2024-06-30", "3500"),
        ("increment", "7000", None, [], "2024-03-31", "1750"),
        ("level", "400", "300", [], "2024-09-30", "375"),
        # A level's baseline from a figure dated at the period start, as evaluate takes it.
        ("level", "400", None, [fig("2023-12-31", "300", final=True)], "2024-06-30", "350"),
        ("level", "400", None, [fig("2024-03-31", "320")], "2024-06-30", None),  # no baseline known
        # Clamped to the period: before it the baseline, after it the target.
        ("level", "400", "300", [], "2023-11-30", "300"),
        ("level", "400", "300", [], "2025-03-31", "400"),
        # Rates are held to the target itself; a milestone has no expected value.
        ("growth_rate", "5.5", None, [], "2024-03-31", "5.5"),
        ("cap", "3", None, [], "2024-03-31", "3"),
        ("milestone", None, None, [], "2024-03-31", None),
    ],
)
def test_expected_on_the_date_of_a_figure(kind, target, baseline, observations, on, expected):
    value = expected_on(
        kind=kind,
        target=None if target is None else Decimal(target),
        baseline=None if baseline is None else Decimal(baseline),
        start=START,
        deadline=DEADLINE,
        observations=observations,
        on=d(on),
        today=OCT_20,
    )
    assert value == (None if expected is None else Decimal(expected))


def test_expected_on_takes_the_baseline_known_today_as_evaluate_does():
    """The baseline figure was published in February: entering a January figure in October, the line
    starts from it, as the evaluation that will judge the figure does."""
    baseline = Observation(
        as_of=d("2023-12-31"), value=Decimal("300"), is_final=True, published_on=d("2024-02-20")
    )
    arguments = dict(kind="level", target=Decimal("400"), baseline=None, start=START, deadline=DEADLINE)
    on_jan_31 = expected_on(**arguments, observations=[baseline], on=d("2024-01-31"), today=OCT_20)
    assert on_jan_31 == Decimal("308.3333")
    assert (
        expected_on(**arguments, observations=[baseline], on=d("2024-01-31"), today=d("2024-02-01")) is None
    )
    with pytest.raises(ValueError):
        expected_on(**{**arguments, "kind": "volume"}, observations=[], on=OCT_20, today=OCT_20)


@pytest.mark.parametrize(
    ("as_of", "published_on", "known"),
    [
        ("2024-06-30", None, True),  # no publication day: known from its date
        ("2024-07-15", None, True),  # dated the day itself
        ("2024-07-16", None, False),  # dated later
        ("2024-06-30", "2024-07-15", True),  # published that day
        ("2024-06-30", "2024-07-16", False),  # published the day after
    ],
)
def test_a_figure_is_known_on_a_day_once_dated_and_published_by_then(as_of, published_on, known):
    day = d("2024-07-15")
    published = None if published_on is None else d(published_on)
    assert known_on(as_of=d(as_of), published_on=published, day=day) is known
    observation = Observation(as_of=d(as_of), value=Decimal(1), is_final=False, published_on=published)
    assert observation.known_on(day) is known


def test_known_figures_are_real_ones_before_samples_and_only_those_known_then():
    real = fig("2024-03-31", "1000")
    sample = Observation(as_of=d("2024-06-30"), value=Decimal("3600"), is_final=False, is_sample=True)
    later = Observation(
        as_of=d("2024-06-30"), value=Decimal("3000"), is_final=False, published_on=d("2024-08-01")
    )
    assert known_figures([sample], d("2024-07-15")) == [sample]  # samples while no real figure is known
    assert known_figures([real, sample, later], d("2024-07-15")) == [real]
    assert known_figures([real, sample, later], d("2024-08-01")) == [real, later]


@pytest.mark.parametrize(
    ("kind", "baseline", "figures", "expected"),
    [
        (Kind.LEVEL, Decimal("800"), [fig("2023-12-31", "900")], (Decimal("800"), None)),  # as given
        (Kind.INCREMENT, None, [], (Decimal(0), None)),
        (
            Kind.LEVEL,
            None,
            [fig("2023-12-31", "900"), fig("2024-01-01", "950")],
            (Decimal("950"), "2024-01-01"),
        ),
        (Kind.LEVEL, None, [fig("2024-01-02", "950")], (None, None)),  # after the start: no baseline
    ],
)
def test_the_known_baseline(kind, baseline, figures, expected):
    value, figure = known_baseline(kind, START, baseline, figures)
    assert (value, None if figure is None else figure.as_of.isoformat()) == expected


@pytest.mark.parametrize(("own", "default", "expected"), [(None, 120, 120), (0, 120, 0), (30, 120, 30)])
def test_a_goals_own_cadence_counts_even_at_0_days(own, default, expected):
    assert cadence_days(own, default) == expected


def test_the_groupings_of_statuses():
    assert RED == {Status.OFF_TRACK, Status.MISSED, Status.OVERDUE}
    assert MET == {Status.ACHIEVED, Status.DONE}
    assert FINISHED == {
        Status.ACHIEVED,
        Status.DONE,
        Status.MISSED,
        Status.UNREPORTED,
        Status.PERIOD_UNREPORTED,
    }
    assert sorted(STATUS_ORDER) == sorted(Status) and len(STATUS_ORDER) == len(Status)
    assert STATUS_ORDER.index(Status.OFF_TRACK) < STATUS_ORDER.index(Status.AT_RISK)  # worst first
    assert STATUS_ORDER.index(Status.ON_TRACK) < STATUS_ORDER.index(Status.ACHIEVED)


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_status_has_a_colour_readable_on_the_sites_backgrounds():
    css = (Path(__file__).resolve().parents[2] / "static/public/site.css").read_text(encoding="utf-8")
    backgrounds = [re.search(rf"--{name}: (#[0-9a-f]{{6}})", css).group(1) for name in ("paper", "wash")]
    assert backgrounds == ["#ffffff", "#f4f6f8"]
    assert set(STATUS_COLOURS) == set(Status)
    too_faint = {
        (str(status), background): round(_contrast(colour, background), 2)
        for status, colour in STATUS_COLOURS.items()
        for background in backgrounds
        if _contrast(colour, background) < 4.5
    }
    assert too_faint == {}
    assert _contrast("#2e8540", "#f4f6f8") < 4.5  # the check tells: the old on-track green fails


# --- Finished goals: real figures covering the period (issue 21) ---------------------------------


def sample(as_of: str, value: str, final: bool = False) -> Observation:
    return Observation(as_of=d(as_of), value=Decimal(value), is_final=final, is_sample=True)


@pytest.mark.parametrize(
    ("observations", "today", "status", "zh"),
    [
        # 新增城镇就业15万人 (2024) on an invented 13.5万: never a verdict on a finished year.
        ([sample("2024-12-31", "13.5", final=True)], "2025-01-20", Status.AWAITING_DATA, "尚无任何数据"),
        ([sample("2024-12-31", "13.5", final=True)], "2025-07-20", Status.UNREPORTED,
         "示例数据不用于判定已结束的目标"),
        # A sample reaching the target does not make it achieved either.
        ([sample("2024-09-30", "16")], "2025-07-20", Status.UNREPORTED, "仍未公布任何数据"),
        # The real 21.59万 decides.
        ([sample("2024-12-31", "13.5", final=True), fig("2024-12-31", "21.59", final=True)], "2025-01-20",
         Status.ACHIEVED, "期末正式数据"),
    ],
)  # fmt: skip
def test_a_finished_goal_is_judged_on_real_figures_only(observations, today, status, zh):
    evaluation = judge(target="15", unit="万人", observations=observations, today=today)
    assert evaluation.status == status
    assert not evaluation.is_sample
    assert zh in said_zh(evaluation)


def test_samples_set_aside_are_said_in_english_too():
    evaluation = judge(observations=[sample("2024-12-31", "6000", final=True)], today="2025-07-20")
    assert said_en(evaluation).endswith("no figure published; sample figures never decide a finished goal")
    assert judge(observations=[], today="2025-07-20").samples_set_aside is False


@pytest.mark.parametrize(
    ("kind", "comparator", "target", "deadline", "observations", "today", "status"),
    [
        # 新建5G基站7000个 (2024): ahead all year, the Q3 figure of 5551 never makes it missed.
        ("increment", ">=", "7000", DEADLINE, [fig("2024-09-30", "5551", final=True)], "2025-01-20",
         Status.AWAITING_DATA),
        ("increment", ">=", "7000", DEADLINE, [fig("2024-09-30", "5551", final=True)], "2025-07-20",
         Status.PERIOD_UNREPORTED),
        # 5G基站数量5万个 (deadline 2025), a level: a figure from 2024-09-21 decides nothing in 2026.
        ("level", ">=", "5", d("2025-12-31"), [fig("2024-09-21", "3.9", final=True)], "2026-07-20",
         Status.PERIOD_UNREPORTED),
        # A count that reached its target on a partial figure keeps it.
        ("increment", ">=", "7000", DEADLINE, [fig("2024-09-30", "7100")], "2025-07-20", Status.ACHIEVED),
        ("level", ">=", "5", d("2025-12-31"), [fig("2025-06-30", "5.2")], "2026-01-20", Status.ACHIEVED),
        # A falling level reached mid-period may rise again: not decided by that figure.
        ("level", "<=", "30", DEADLINE, [fig("2024-09-30", "29")], "2025-07-20", Status.PERIOD_UNREPORTED),
        # Additions capped with "<=" already past the cap are lost: they only grow.
        ("increment", "<=", "100", DEADLINE, [fig("2024-09-30", "120")], "2025-01-20", Status.MISSED),
        ("increment", "<=", "100", DEADLINE, [fig("2024-09-30", "80")], "2025-01-20", Status.AWAITING_DATA),
        # A year-to-date rate above its cap is no annual rate: not missed on it.
        ("cap", "<=", "3", DEADLINE, [fig("2024-09-30", "4")], "2025-07-20", Status.PERIOD_UNREPORTED),
        ("growth_rate", ">=", "5.5", DEADLINE, [fig("2024-09-30", "4.1", final=True)], "2025-07-20",
         Status.PERIOD_UNREPORTED),
        # A figure covering the period decides, even a provisional one after the grace period.
        ("increment", ">=", "7000", DEADLINE, [fig("2024-09-30", "5551"), fig("2024-12-31", "6900")],
         "2025-07-20", Status.MISSED),
        ("growth_rate", ">=", "5.5", DEADLINE, [fig("2024-12-31", "6.5", final=True)], "2025-01-20",
         Status.ACHIEVED),
    ],
)  # fmt: skip
def test_only_a_figure_covering_the_period_closes_it(kind, comparator, target, deadline, observations, today,
                                                       status):  # fmt: skip
    unit = "%" if kind in ("cap", "growth_rate") else "个"
    evaluation = judge(kind=kind, comparator=comparator, target=target, deadline=deadline, unit=unit,
                       observations=observations, today=today)  # fmt: skip
    assert evaluation.status == status
    if status == Status.MISSED and evaluation.latest is not None:
        # Missed only on a figure covering the period, or on additions past their cap.
        assert evaluation.latest.as_of >= deadline or evaluation.reason == Reason.CAP_EXCEEDED


def test_the_latest_partial_figure_is_shown_beside_period_unreported():
    observations = [fig("2024-06-30", "3000"), fig("2024-09-30", "5551")]
    evaluation = judge(observations=observations, today="2025-07-20")
    assert (evaluation.status, evaluation.latest) == (Status.PERIOD_UNREPORTED, observations[-1])
    assert (
        "最新的部分期数据截至2024年9月30日为5551个（初步）（目标7000个），不据此判定，未公布期末数据"
        in said_zh(evaluation)
    )
    assert said_en(evaluation).endswith("which does not decide the goal: full-period figure not published")


@pytest.mark.parametrize(
    ("kind", "target", "baseline", "latest", "on", "expected", "percent"),
    [
        # 评选星级数据产业园区楼宇10个 from 8: 9 of 10 is half the way.
        ("level", "10", "8", "9", "2026-06-30", "9", "50.00"),
        ("level", "10", None, "9", "2026-06-30", None, None),  # no baseline, so no pace
        ("increment", "7000", "0", "5250", "2024-09-30", "5250", "75.00"),
        ("level", "400", "300", "280", "2024-06-30", "350", "-20.00"),  # fell back behind the baseline
        ("growth_rate", "5.5", None, "5.8", "2024-09-30", "5.5", None),  # held to the target itself
        ("milestone", None, None, None, "2024-09-30", None, None),
    ],
)
def test_progress_facts_is_the_one_definition(kind, target, baseline, latest, on, expected, percent):
    year = int(on[:4])
    facts = progress_facts(
        kind=kind,
        comparator=">=",
        target=target and Decimal(target),
        baseline=baseline and Decimal(baseline),
        start=date(year, 1, 1),
        deadline=date(year, 12, 31),
        on=d(on),
        latest_value=latest and Decimal(latest),
    )
    assert facts.expected_value == (expected and Decimal(expected))
    assert facts.progress_percent == (percent and Decimal(percent))
    if kind == "level" and facts.expected_value is not None:
        assert facts.baseline is not None


def test_an_evaluation_carries_the_numbers_of_progress_facts():
    observations = [fig("2023-12-31", "250", final=True), fig("2024-06-30", "280")]
    evaluation = judge(kind="level", target="400", today="2024-07-20", observations=observations)
    assert evaluation.progress == progress_facts(
        kind="level",
        comparator=">=",
        target=Decimal("400"),
        baseline=Decimal("250"),
        baseline_as_of=d("2023-12-31"),
        start=START,
        deadline=DEADLINE,
        on=d("2024-06-30"),
        latest_value=Decimal("280"),
    )


def test_the_entry_form_expected_value_ignores_samples():
    # 算力规模10000P左右 (2026): a sample at the start gave a baseline the real figure would not have.
    observations = [sample("2025-12-31", "9000"), sample("2026-06-30", "9500")]
    held_to = expected_on(
        kind="level",
        target=Decimal("10000"),
        baseline=None,
        start=d("2026-01-01"),
        deadline=d("2026-12-31"),
        observations=observations,
        on=d("2026-11-30"),
        today=d("2026-12-07"),
    )
    assert held_to is None
