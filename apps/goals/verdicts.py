"""A goal's verdict as the evaluation stores it: the goal's computed fields (Computed, the one list of
them), a goal's inputs as read for judging (GoalRow), judging such a row by the rules
(apps.goals.status) and the fields its verdict stores. Plain values only: the reads are in
apps.goals.selectors, the writes in apps.goals.services.evaluation and .daily_evaluation."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from . import status
from .wording import explain


class Computed(NamedTuple):
    """What the evaluation stores on a goal, by field name (Goal's computed fields); the status
    history copies some of them (StatusChange.FROM_VERDICT)."""

    status: str
    status_evaluated_on: date | None
    status_rule_version: int | None
    expected_value: Decimal | None
    progress_percent: Decimal | None
    status_baseline: Decimal | None
    status_baseline_as_of: date | None
    status_explanation_zh: str
    status_explanation_en: str
    forecast_date: date | None
    forecast_value: Decimal | None
    latest_value: Decimal | None
    latest_as_of: date | None
    latest_is_provisional: bool
    is_sample: bool


COMPUTED_FIELDS = Computed._fields


class GoalRow(NamedTuple):
    """One goal as read for judging: its inputs, by name, the computed fields stored now, and the
    row's version as read (PostgreSQL's xmin: any write to the row changes it; None elsewhere)."""

    pk: int
    kind: str
    comparator: str
    target_value: Decimal | None
    target_max: Decimal | None
    baseline_value: Decimal | None
    period_start: date
    deadline: date
    unit: str
    milestone_done_on: date | None
    at_risk_band: Decimal | None
    tolerance: Decimal | None
    stale_after_days: int | None
    stored: Computed
    version: int | None = None

    @classmethod
    def from_values(cls, values: tuple) -> GoalRow:
        """From a row of READ_FIELDS, plus the row version when the query read one."""
        inputs, stored = values[:_INPUTS], Computed._make(values[_INPUTS:_READ])
        return cls(*inputs, stored, values[_READ] if len(values) > _READ else None)

    @property
    def stored_status(self) -> str:
        return self.stored.status

    @property
    def ever_evaluated(self) -> bool:
        return self.stored.status_evaluated_on is not None


# What the evaluation reads from a goal: its inputs, then what it stored last time.
INPUT_FIELDS = GoalRow._fields[: GoalRow._fields.index("stored")]
READ_FIELDS = INPUT_FIELDS + COMPUTED_FIELDS
_INPUTS, _READ = len(INPUT_FIELDS), len(READ_FIELDS)


def goal_thresholds(goal) -> status.Thresholds:
    """The goal's own thresholds where it has them, else the project-wide ones from settings."""
    return _thresholds(
        str(settings.GOAL_AT_RISK_BAND if goal.at_risk_band is None else goal.at_risk_band),
        str(settings.GOAL_GROWTH_TOLERANCE if goal.tolerance is None else goal.tolerance),
        status.cadence_days(goal.stale_after_days, settings.GOAL_STALE_AFTER_DAYS),
    )


# Most goals share the project-wide thresholds: one object for them all. Keyed by the decimals as
# written (10 and 10.00 are equal numbers but print differently).
@lru_cache(maxsize=1024)
def _thresholds(at_risk_band: str, growth_tolerance: str, stale_after_days: int) -> status.Thresholds:
    return status.Thresholds(
        at_risk_band=Decimal(at_risk_band),
        growth_tolerance=Decimal(growth_tolerance),
        stale_after_days=stale_after_days,
    )


def judge(goal: GoalRow, observations: list[status.Observation], today: date) -> status.Evaluation:
    """The rules' verdict on one goal row on `today` from its observations (oldest first)."""
    return status.evaluate(
        kind=goal.kind,
        comparator=goal.comparator,
        target=goal.target_value,
        target_max=goal.target_max,
        baseline=goal.baseline_value,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=observations,
        today=today,
        thresholds=goal_thresholds(goal),
        unit=goal.unit,
        milestone_done_on=goal.milestone_done_on,
    )


def computed(evaluation: status.Evaluation, today: date) -> Computed:
    """The fields a verdict stores on its goal, judged on `today`."""
    latest = evaluation.latest
    explanation = explain(evaluation)
    return Computed(
        status=str(evaluation.status),
        status_evaluated_on=today,
        status_rule_version=evaluation.rule_version,
        expected_value=evaluation.expected_value,
        progress_percent=evaluation.progress_percent,
        status_baseline=evaluation.baseline,
        status_baseline_as_of=evaluation.baseline_as_of,
        status_explanation_zh=explanation.zh,
        status_explanation_en=explanation.en,
        forecast_date=evaluation.forecast_date,
        forecast_value=evaluation.forecast_value,
        latest_value=None if latest is None else latest.value,
        latest_as_of=None if latest is None else latest.as_of,
        latest_is_provisional=evaluation.provisional,
        is_sample=evaluation.is_sample,
    )


def is_status_change(goal: GoalRow, evaluation: status.Evaluation) -> bool:
    return not goal.ever_evaluated or goal.stored_status != evaluation.status


def history_from(goal: GoalRow, evaluation: status.Evaluation) -> str | None:
    """The from-status of the history row this verdict records, or None when the status holds. The
    first judgement of a goal starts its history, from no status at all."""
    if not is_status_change(goal, evaluation):
        return None
    return goal.stored_status if goal.ever_evaluated else ""


def changed_at(today: date) -> datetime:
    """When a change happened: now, or for an evaluation of a past day (evaluate_goals --date),
    the end of that day, so the history reads in the order things happened."""
    if today >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(23, 59)))
