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
from collections import defaultdict
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


def _series_by_owner(goals: list[dict]) -> tuple[dict, dict]:
    """The real figures, dated in the year up to one of `goals`' starts, of their indicators (by
    indicator id) and of the goals themselves (by goal id), in one query: (pk, as_of, value, unit)."""
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    by_goal: dict[int, list[tuple]] = defaultdict(list)
    if not goals:
        return by_indicator, by_goal
    indicators = {g["indicator_id"] for g in goals if g["indicator_id"] is not None}
    figures = (
        ProgressUpdate.objects.approved()
        .filter(
            Q(goal__isnull=True, indicator_id__in=indicators) | Q(goal_id__in=[g["pk"] for g in goals]),
            is_sample=False,
            value__isnull=False,
            as_of__gte=_year_before(min(g["period_start"] for g in goals)),
            as_of__lte=max(g["period_start"] for g in goals),
        )
        .values_list("goal_id", "indicator_id", "pk", "as_of", "value", "unit")
    )
    for goal_id, indicator_id, *figure in figures.iterator(chunk_size=10_000):
        (by_goal[goal_id] if goal_id is not None else by_indicator[indicator_id]).append(tuple(figure))
    return by_indicator, by_goal


def _series(goal: dict, by_indicator: dict, by_goal: dict) -> list[SeriesFigure]:
    """The goal's figures and its indicator's, in the goal's unit (those in a unit that counts
    something else left out)."""
    series = []
    for pk, as_of, value, unit in [*by_goal.get(goal["pk"], []), *by_indicator.get(goal["indicator_id"], [])]:
        converted = in_unit(value, unit or goal["unit"], goal["unit"])
        if converted is not None:
            series.append(SeriesFigure(pk, as_of, converted.normalize()))
    return series


_FIELDS = ("pk", "indicator_id", "unit", "period_start", "baseline_value", "baseline_date")
_SOURCE_FIELDS = ("baseline_source", "baseline_evidence", "baseline_figure_id")


def _choose(goal: dict, by_indicator: dict, by_goal: dict) -> Baseline | None:
    return baseline_choose(
        period_start=goal["period_start"],
        stored_value=goal["baseline_value"],
        stored_date=goal["baseline_date"],
        stored_source=goal["baseline_source"],
        stored_evidence=goal["baseline_evidence"],
        series=_series(goal, by_indicator, by_goal),
    )


def goal_baseline_resolve(*, goal: Goal) -> Baseline | None:
    """The baseline `goal` has by the rule (a read; nothing is written)."""
    row = {name: getattr(goal, name) for name in (*_FIELDS, *_SOURCE_FIELDS)}
    return _choose(row, *_series_by_owner([row]))


def goals_baselines_fill(*, goals=None) -> int:
    """Store the baseline the rule finds for each level goal (default: all) whose stored one differs,
    reading the figures for all of them at once; returns how many changed. A goal for which the rule
    finds none keeps what it has. Safe to run twice."""
    goals = Goal.objects.all() if goals is None else goals
    rows = list(goals.filter(kind=Goal.Kind.LEVEL).order_by("pk").values(*_FIELDS, *_SOURCE_FIELDS))
    by_indicator, by_goal = _series_by_owner(rows)
    changed = 0
    for row in rows:
        baseline = _choose(row, by_indicator, by_goal)
        if baseline is None:
            continue
        new = (baseline.value, baseline.date, baseline.source, baseline.figure_id)
        if new == (
            row["baseline_value"],
            row["baseline_date"],
            row["baseline_source"],
            row["baseline_figure_id"],
        ):
            continue
        goal = Goal.objects.get(pk=row["pk"])
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
