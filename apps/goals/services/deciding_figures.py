"""The few figures of each goal that decide its status on a day, read by index lookups: so that a past
day's dashboard (?as_of=) judges every goal shown at a cost that follows the goals, not their figures.

A verdict (apps.goals.status) rests on the figures known that day -- real ones, or samples while no
real one is known -- and of those on three dates only: the last one at or before the period start (a
level's baseline), the first one on or after the deadline (the figure that closes the period) and,
without one, the last one within the period. Its wording (how many decimals to show) and forecast
(the recent pace) read more, so a goal whose verdict is shown in full is judged from all its figures
(evaluation.goals_judged_on); a count needs the status alone (evaluation.statuses_judged_on).
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models.expressions import RawSQL

from ..models import Goal, ProgressUpdate

_FIGURES = ProgressUpdate._meta.db_table
_GOALS = Goal._meta.db_table

# A goal's deciding date among its approved figures with a value known on the day (the three
# parameters: approved, the day twice), of one class (real or sample) and in one window of its period.
_DATE = f"""(
    SELECT p.as_of FROM {_FIGURES} AS p
    WHERE p.goal_id = g.id AND p.review_state = %s AND p.value IS NOT NULL AND {{sample}}
      AND p.as_of <= %s AND (p.published_on IS NULL OR p.published_on <= %s) AND {{window}}
    ORDER BY p.as_of {{order}} LIMIT 1
)"""
_WINDOWS = (
    ("before", "p.as_of <= g.period_start", "DESC"),  # a level's baseline
    ("closing", "p.as_of >= g.deadline", "ASC"),  # the figure that closes the period
    ("last", "p.as_of >= g.period_start AND p.as_of < g.deadline", "DESC"),  # the latest within it
)
_CLASSES = (("real", "NOT p.is_sample"), ("sample", "p.is_sample"))
# Most goals have no sample figure: the partial index progress_approved_sample says so at once, and
# the sample dates are looked for only where there are some.
_HAS_SAMPLES = (
    f"EXISTS (SELECT 1 FROM {_FIGURES} AS p WHERE p.goal_id = g.id AND p.review_state = %s AND p.is_sample)"
)


# Each goal's dates are looked up once, before the join: without this fence the planner merges the
# subquery into the join and looks them up again for every figure of the goal.
_FENCE = {"postgresql": "OFFSET 0", "sqlite": "LIMIT -1 OFFSET 0"}


def _deciding_dates_sql() -> str:
    columns = []
    for name, sample in _CLASSES:
        for window, condition, order in _WINDOWS:
            column = _DATE.format(sample=sample, window=condition, order=order)
            if name == "sample":
                column = f"CASE WHEN {_HAS_SAMPLES} THEN {column} END"
            columns.append(f"{column} AS {name}_{window}")
    return ",\n".join(columns)


def _on_dates(name: str) -> str:
    dates = ", ".join(f"d.{name}_{window}" for window, _, _ in _WINDOWS)
    return f"f.as_of IN ({dates})"


_SQL = f"""
SELECT f.id
FROM {_FIGURES} AS f
JOIN (
    SELECT g.id AS goal_id, {_deciding_dates_sql()}
    FROM {_GOALS} AS g WHERE g.id IN ({{goals}})
    {{fence}}
) AS d ON f.goal_id = d.goal_id
WHERE f.review_state = %s AND f.value IS NOT NULL
  AND f.as_of <= %s AND (f.published_on IS NULL OR f.published_on <= %s)
  AND ((NOT f.is_sample AND {_on_dates("real")}) OR (f.is_sample AND {_on_dates("sample")}))
"""


def deciding_figures(goals, day: date):
    """The approved figures of `goals` (a queryset) known on `day` on the dates that decide each goal's
    status: every figure of those dates, so the rules pick among them as they would among all. Figures
    reported for an indicator are not among them. Per goal, three index lookups (three more where it
    has samples), then the figures on the dates found."""
    goals_sql, goals_params = goals.order_by().values("pk").query.sql_with_params()
    approved = ProgressUpdate.ReviewState.APPROVED.value
    on_day = connection.ops.adapt_datefield_value(day)
    per_date = [approved, on_day, on_day]
    params = [
        *per_date * len(_WINDOWS),  # the real figures' dates
        *[approved, *per_date] * len(_WINDOWS),  # the samples' dates, where the goal has samples
        *goals_params,
        *per_date,  # the figures on those dates
    ]
    deciding = RawSQL(_SQL.format(goals=goals_sql, fence=_FENCE[connection.vendor]), params)
    return ProgressUpdate.objects.filter(pk__in=deciding)
