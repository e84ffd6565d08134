"""A level goal's baseline (基期值 — where the indicator stood when the period began), found and
recorded with where it came from. `baseline_choose` is the rule, over plain values; `goal_baseline_resolve`
reads what it needs for one goal; `goals_baselines_fill` stores the choice for many (the seed and the
daily evaluation run it).

The rule, in order:
1. the document: 从X提高到Y, 基期 … as ingest read it (stored on the goal with its citation) stands;
2. the goal's indicator series: the last real figure (approved, in force, not a sample) dated at or
   before the period start — 2025-12-31 for a 2026 target — in the goal's unit, and no older than a
   year before it: the 2023 level is not where a 2026 target starts from (it would understate the
   baseline and overstate the progress since);
3. a staff entry with evidence, made in the admin.
Nothing else is a baseline: without one, no pace is computed for the goal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ..models import BaselineSource, Goal, ProgressUpdate
from ..units import in_unit


@dataclass(frozen=True)
class SeriesFigure:
    """A real figure of the goal's indicator, in the goal's unit."""

    pk: int
    as_of: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Baseline:
    value: Decimal
    date: datetime.date | None
    source: str  # a BaselineSource value
    figure_id: int | None = None


def baseline_choose(
    *,
    period_start: datetime.date,
    stored_value: Decimal | None,
    stored_date: datetime.date | None,
    stored_source: str,
    stored_evidence: str,
    series: list[SeriesFigure],
) -> Baseline | None:
    """The goal's baseline by the rule above, or None when it has none. `series` is every real figure
    of the goal's indicator; only those dated in the year up to `period_start` count."""
    if stored_value is not None and stored_source == BaselineSource.DOCUMENT:
        return Baseline(stored_value, stored_date, BaselineSource.DOCUMENT)
    oldest = _year_before(period_start)
    before = [f for f in series if oldest <= f.as_of <= period_start]
    if before:
        last = max(before, key=lambda f: (f.as_of, f.pk))
        return Baseline(last.value, last.as_of, BaselineSource.INDICATOR, last.pk)
    if stored_value is not None and stored_source == BaselineSource.STAFF and stored_evidence.strip():
        return Baseline(stored_value, stored_date, BaselineSource.STAFF)
    return None


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _series(goal: Goal) -> list[SeriesFigure]:
    """The real figures of the goal's indicator at or before its start: reported for the indicator
    itself, or recorded against the goal."""
    owners = Q(goal=goal)
    if goal.indicator_id is not None:
        owners |= Q(goal__isnull=True, indicator_id=goal.indicator_id)
    figures = (
        ProgressUpdate.objects.approved()
        .filter(owners, is_sample=False, value__isnull=False, as_of__lte=goal.period_start)
        .values_list("pk", "as_of", "value", "unit")
    )
    series = []
    for pk, as_of, value, unit in figures:
        converted = in_unit(value, unit or goal.unit, goal.unit)
        if converted is not None:
            series.append(SeriesFigure(pk, as_of, converted.normalize()))
    return series


def goal_baseline_resolve(*, goal: Goal) -> Baseline | None:
    """The baseline `goal` has by the rule (a read; nothing is written)."""
    return baseline_choose(
        period_start=goal.period_start,
        stored_value=goal.baseline_value,
        stored_date=goal.baseline_date,
        stored_source=goal.baseline_source,
        stored_evidence=goal.baseline_evidence,
        series=_series(goal),
    )


def goals_baselines_fill(*, goals=None) -> int:
    """Store the baseline the rule finds for each level goal (default: all) whose stored one differs;
    returns how many changed. A goal for which the rule finds none keeps what it has. Safe to run
    twice."""
    goals = Goal.objects.all() if goals is None else goals
    changed = 0
    for goal in goals.filter(kind=Goal.Kind.LEVEL).order_by("pk"):
        baseline = goal_baseline_resolve(goal=goal)
        if baseline is None:
            continue
        new = (baseline.value, baseline.date, baseline.source, baseline.figure_id)
        if new == (goal.baseline_value, goal.baseline_date, goal.baseline_source, goal.baseline_figure_id):
            continue
        goal.baseline_value, goal.baseline_date, goal.baseline_source, goal.baseline_figure_id = new
        goal._change_reason = "基期值 · baseline from " + BaselineSource(baseline.source).label
        goal.save(
            update_fields=[
                "baseline_value",
                "baseline_date",
                "baseline_source",
                "baseline_figure",
                "updated_at",
            ]
        )
        changed += 1
    return changed
