"""The daily job's set-based path (services.daily_evaluation.goals_evaluate_all: one read, COPY and one
statement per batch on PostgreSQL, a writer thread outside a transaction) stores exactly what the
pure rules (apps.goals.status) and their wording say, goal by goal, on a varied set of goals; and
records one history row per change."""

import datetime
import itertools
import sys
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.goals import querysets, status, verdicts
from apps.goals.models import Goal, ProgressUpdate, StatusChange
from apps.goals.services import daily_evaluation
from apps.goals.wording import explain

from ..factories import GoalFactory, ProgressUpdateFactory

D = datetime.date
TODAY = D(2024, 10, 15)

# (kind, comparator, target, target_max, baseline, unit)
SHAPES = [
    ("increment", ">=", "7000", None, None, "个"),
    ("increment", ">", "120", None, None, "万辆"),
    ("level", ">=", "1000", None, "600", "亿元"),
    ("level", "<=", "30", None, "45", "微克/立方米"),
    ("level", "~", "80", None, None, "%"),
    ("growth_rate", ">=", "5.5", None, None, "%"),
    ("growth_rate", "~", "6", None, None, ""),
    ("reduction", ">=", "3", None, None, "%"),
    ("cap", "<=", "100", None, None, "万吨"),
    ("growth_rate", ">=", "5", "6", None, "%"),
    ("milestone", ">=", None, None, None, ""),
]
PERIODS = [
    (D(2024, 1, 1), D(2024, 12, 31)),
    (D(2021, 1, 1), D(2025, 12, 31)),
    (D(2023, 1, 1), D(2023, 12, 31)),
]
# Figures as (as_of, share of the target, is_final, published days after as_of, is_sample).
FIGURE_SETS = [
    [],
    [(D(2024, 3, 31), "0.2", False, 10, False), (D(2024, 6, 30), "0.55", False, 15, False)],
    [(D(2024, 6, 30), "0.3", False, 20, False), (D(2024, 9, 30), "0.5", False, 30, False)],  # one unknown yet
    [(D(2023, 12, 31), "1.05", True, 40, False)],
    [(D(2024, 6, 30), "0.9", False, None, True)],  # a sample only
    [(D(2024, 3, 31), "0.4", False, 5, True), (D(2024, 6, 30), "0.45", False, 5, False)],
    [(D(2022, 12, 31), "0.6", True, 60, False), (D(2024, 8, 31), "1.1", False, 14, False)],
]
OVERRIDES = [{}, {"at_risk_band": Decimal("5"), "tolerance": Decimal("0.2"), "stale_after_days": 60}]


def _varied_goals() -> list[Goal]:
    goals = []
    combinations = itertools.product(SHAPES, PERIODS, FIGURE_SETS, OVERRIDES)
    for number, (shape, period, figures, overrides) in enumerate(combinations):
        kind, comparator, target, target_max, baseline, unit = shape
        if number % 3 and overrides:  # the overrides on a third of the goals are enough
            continue
        goal = GoalFactory(
            kind=kind,
            comparator=comparator,
            target_value=None if target is None else Decimal(target),
            target_max=None if target_max is None else Decimal(target_max),
            baseline_value=None if baseline is None else Decimal(baseline),
            unit=unit,
            period_start=period[0],
            deadline=period[1],
            milestone_done_on=D(2024, 5, 1) if kind == "milestone" and number % 2 else None,
            **overrides,
        )
        for as_of, share, is_final, lag, is_sample in figures if target is not None else []:
            ProgressUpdateFactory(
                goal=goal,
                as_of=as_of,
                value=(Decimal(target) * Decimal(share)).quantize(Decimal("0.01")),
                is_final=is_final,
                is_sample=is_sample,
                published_on=None if lag is None else as_of + datetime.timedelta(days=lag),
                review_state=ProgressUpdate.ReviewState.APPROVED,
                reviewed_at=timezone.now(),
            )
        goals.append(goal)
    return goals


def _by_the_rules(goal: Goal, today: datetime.date) -> verdicts.Computed:
    """What the pure rules say of one goal, read with the ORM, apart from the daily job's code."""
    figures = goal.progress_updates.filter(review_state=ProgressUpdate.ReviewState.APPROVED).order_by(
        "as_of", "pk"
    )
    verdict = status.evaluate(
        kind=goal.kind,
        comparator=goal.comparator,
        target=goal.target_value,
        target_max=goal.target_max,
        baseline=goal.baseline_value,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=[
            status.Observation(
                as_of=f.as_of,
                value=f.value,
                is_final=f.is_final,
                published_on=f.published_on,
                is_sample=f.is_sample,
            )
            for f in figures
        ],
        today=today,
        thresholds=verdicts.goal_thresholds(goal),
        unit=goal.unit,
        milestone_done_on=goal.milestone_done_on,
    )
    words = explain(verdict)
    return verdicts.Computed(
        status=str(verdict.status),
        status_evaluated_on=today,
        status_rule_version=verdict.rule_version,
        expected_value=verdict.expected_value,
        progress_percent=verdict.progress_percent,
        status_baseline=verdict.baseline,
        status_baseline_as_of=verdict.baseline_as_of,
        status_explanation_zh=words.zh,
        status_explanation_en=words.en,
        forecast_date=verdict.forecast_date,
        forecast_value=verdict.forecast_value,
        latest_value=None if verdict.latest is None else verdict.latest.value,
        latest_as_of=None if verdict.latest is None else verdict.latest.as_of,
        latest_is_provisional=verdict.provisional,
        is_sample=verdict.is_sample,
    )


def _stored(goal: Goal) -> verdicts.Computed:
    goal.refresh_from_db()
    return verdicts.Computed(*(getattr(goal, name) for name in verdicts.Computed._fields))


def _numbers_as_stored(computed: verdicts.Computed) -> verdicts.Computed:
    """The rules' decimals at the precision the columns keep (expected value to 4 places, …)."""
    places = {
        "expected_value": 4,
        "progress_percent": 2,
        "status_baseline": 4,
        "forecast_value": 4,
        "latest_value": 4,
    }
    return computed._replace(
        **{
            name: getattr(computed, name).quantize(Decimal(1).scaleb(-digits))
            for name, digits in places.items()
            if getattr(computed, name) is not None
        }
    )


def _check_the_job_against_the_rules():
    goals = _varied_goals()
    assert len(goals) > 150
    days = [TODAY, TODAY + datetime.timedelta(days=1), D(2025, 3, 1), D(2025, 8, 1)]
    previous = {}
    for day in days:
        summary = daily_evaluation.goals_evaluate_all(today=day)

        assert summary.evaluated == len(goals) and summary.superseded == 0
        for goal in goals:
            expected = _numbers_as_stored(_by_the_rules(goal, day))
            assert _stored(goal) == expected, (goal.kind, goal.comparator, goal.unit, goal.period_start, day)
        statuses = {goal.pk: goal.status for goal in goals}
        changed = {pk for pk, now in statuses.items() if previous.get(pk) != now}
        assert summary.status_changes == len(changed)
        recorded = StatusChange.objects.filter(evaluated_on=day)
        assert sorted(recorded.values_list("goal_id", flat=True)) == sorted(changed)
        stored = {goal.pk: _stored(goal) for goal in goals}
        for change in recorded:
            verdict = stored[change.goal_id]
            assert change.from_status == previous.get(change.goal_id, "")
            assert (change.to_status, change.explanation_en, change.actual_value, change.is_sample) == (
                verdict.status,
                verdict.status_explanation_en,
                verdict.latest_value,
                verdict.is_sample,
            )
        previous = statuses
        # The same day again writes nothing.
        assert daily_evaluation.goals_evaluate_all(today=day).changed == 0
    assert len({status for status in previous.values()}) >= 6  # the set is varied enough to mean something


@pytest.mark.django_db
def test_the_daily_job_stores_what_the_pure_rules_say():
    _check_the_job_against_the_rules()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_writer_thread_stores_the_same():
    """On PostgreSQL outside a transaction (the Celery task, the command) a thread writes the batches
    (and the run's shorter thread switch interval is given back)."""
    interval = sys.getswitchinterval()
    _check_the_job_against_the_rules()
    assert sys.getswitchinterval() == interval


@pytest.mark.django_db
def test_on_sqlite_writes_in_statements_of_a_few_rows_store_the_same(monkeypatch):
    """SQLite binds every value as a parameter, so the job writes PORTABLE_ROWS goals per statement."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL COPYs each batch whole")
    monkeypatch.setattr(querysets, "PORTABLE_ROWS", 7)
    _check_the_job_against_the_rules()
