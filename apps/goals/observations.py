"""Figures as the status rules read them: rows of approved figures, as read from the database, turned
into each goal's observations (apps.goals.status.Observation), oldest first. Plain values in, plain
values out: no database here (apps.goals.selectors reads the rows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .status import Observation
from .units import in_unit

# A goal's own figure, as read: (goal_id, as_of, value, is_final, published_on, is_sample).
FIGURE_FIELDS = ("goal_id", "as_of", "value", "is_final", "published_on", "is_sample")
# A goal on an indicator: (pk, indicator_id, period_start, deadline, unit).
INDICATOR_GOAL_FIELDS = ("pk", "indicator_id", "period_start", "deadline", "unit")
# A figure reported for an indicator:
# (indicator_id, period_start, as_of, value, unit, is_final, published_on, is_sample).
INDICATOR_FIGURE_FIELDS = (
    "indicator_id",
    "period_start",
    "as_of",
    "value",
    "unit",
    "is_final",
    "published_on",
    "is_sample",
)


def period_covers(goal_start: date, goal_deadline: date, figure_start: date | None, figure_end: date) -> bool:
    """Whether a goal's period covers a figure's: the figure ends within the goal's period and does
    not start before it (a figure with no start covers just its end). ProgressUpdateQuerySet.serving
    is the same rule in SQL."""
    return goal_start <= figure_end <= goal_deadline and (figure_start is None or figure_start >= goal_start)


def by_goal(rows: Iterable[tuple[Any, ...]]) -> defaultdict[int, list[Observation]]:
    """Goals' own figures (rows of FIGURE_FIELDS, oldest first per goal) as each goal's observations."""
    observations: defaultdict[int, list[Observation]] = defaultdict(list)
    for goal_id, as_of, value, is_final, published_on, is_sample in rows:
        observations[goal_id].append(
            Observation(
                as_of=as_of, value=value, is_final=is_final, published_on=published_on, is_sample=is_sample
            )
        )
    return observations


def served(
    goals: Iterable[tuple[Any, ...]], figures: Iterable[tuple[Any, ...]]
) -> defaultdict[int, list[Observation]]:
    """For each goal on an indicator (rows of INDICATOR_GOAL_FIELDS), the figures reported for its
    indicator (rows of INDICATOR_FIGURE_FIELDS, oldest first) whose period its own covers, in the
    goal's unit: one published GDP growth figure serves every GDP growth goal of that year. A figure in
    a unit that does not convert to the goal's is left out."""
    goals_by_indicator: defaultdict[int, list[tuple[int, date, date, str]]] = defaultdict(list)
    for pk, indicator_id, period_start, deadline, unit in goals:
        goals_by_indicator[indicator_id].append((pk, period_start, deadline, unit))
    observations: defaultdict[int, list[Observation]] = defaultdict(list)
    for indicator_id, first_day, as_of, value, unit, is_final, published_on, is_sample in figures:
        for pk, period_start, deadline, goal_unit in goals_by_indicator.get(indicator_id, ()):
            if not period_covers(period_start, deadline, first_day, as_of):
                continue
            in_goal_unit: Decimal | None = in_unit(value, unit or goal_unit, goal_unit)
            if in_goal_unit is not None:
                observations[pk].append(
                    Observation(
                        as_of=as_of,
                        value=in_goal_unit,
                        is_final=is_final,
                        published_on=published_on,
                        is_sample=is_sample,
                    )
                )
    return observations


def merged(
    own: defaultdict[int, list[Observation]], served_: dict[int, list[Observation]]
) -> defaultdict[int, list[Observation]]:
    """Each goal's own figures (oldest first) with its indicator's that serve it put in among them, a
    date's own figures before its served ones. `own` is extended in place and returned."""
    for goal_id, observations in served_.items():
        own[goal_id] = sorted([*own[goal_id], *observations], key=lambda o: o.as_of)
    return own
