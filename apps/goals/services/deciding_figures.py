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

from django.db import connections
from django.db.models.expressions import RawSQL

from ..models import Goal, ProgressUpdate

# The figures table goes by its own name (no alias) in every part of the statement, so that the
# known-on rule, compiled from ProgressUpdateQuerySet.known_on, applies as it is: {t} below.
_FIGURES = ProgressUpdate._meta.db_table
_GOALS = Goal._meta.db_table

# A goal's deciding date among its figures known on the day ({known}) with a value, of one class (real
# or sample) and in one window of its period.
_DATE = """(
    SELECT {t}.as_of FROM {t}
    WHERE {t}.goal_id = g.id AND {known} AND {t}.value IS NOT NULL AND {sample} AND {window}
    ORDER BY {t}.as_of {order} LIMIT 1
)"""
_WINDOWS = (
    ("before", "{t}.as_of <= g.period_start", "DESC"),  # a level's baseline
    ("closing", "{t}.as_of >= g.deadline", "ASC"),  # the figure that closes the period
    ("last", "{t}.as_of >= g.period_start AND {t}.as_of < g.deadline", "DESC"),  # the latest within it
)
_CLASSES = (("real", "NOT {t}.is_sample"), ("sample", "{t}.is_sample"))
# Most goals have no sample figure: the partial index progress_approved_sample says so at once, and
# the sample dates are looked for only where there are some (the parameter: approved).
_HAS_SAMPLES = (
    "EXISTS (SELECT 1 FROM {t} WHERE {t}.goal_id = g.id AND {t}.review_state = %s AND {t}.is_sample)"
)


# Each goal's dates are looked up once, before the join: without this fence the planner merges the
# subquery into the join and looks them up again for every figure of the goal.
_FENCE = {"postgresql": "OFFSET 0", "sqlite": "LIMIT -1 OFFSET 0"}


def _deciding_dates_sql() -> str:
    columns = []
    for name, sample in _CLASSES:
        for window, condition, order in _WINDOWS:
            column = (
                _DATE.replace("{sample}", sample).replace("{window}", condition).replace("{order}", order)
            )
            if name == "sample":
                column = f"CASE WHEN {_HAS_SAMPLES} THEN {column} END"
            columns.append(f"{column} AS {name}_{window}")
    return ",\n".join(columns)


def _on_dates(name: str) -> str:
    dates = ", ".join(f"d.{name}_{window}" for window, _, _ in _WINDOWS)
    return f"{{t}}.as_of IN ({dates})"


_SQL = f"""
SELECT {{t}}.id
FROM {{t}}
JOIN (
    SELECT g.id AS goal_id, {_deciding_dates_sql()}
    FROM {_GOALS} AS g WHERE g.id IN ({{goals}})
    {{fence}}
) AS d ON {{t}}.goal_id = d.goal_id
WHERE {{known}} AND {{t}}.value IS NOT NULL
  AND ((NOT {{t}}.is_sample AND {_on_dates("real")}) OR ({{t}}.is_sample AND {_on_dates("sample")}))
"""


def _known_sql(day: date, using: str) -> tuple[str, list]:
    """The figures known on `day` (ProgressUpdateQuerySet.known_on) as an SQL condition over the
    figures table by its own name, with its parameters."""
    query = ProgressUpdate.objects.known_on(day).query
    connection = connections[using]
    sql, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return sql, list(params)


def deciding_figures(goals, day: date):
    """The approved figures of `goals` (a queryset) known on `day` on the dates that decide each goal's
    status: every figure of those dates, so the rules pick among them as they would among all. Figures
    reported for an indicator are not among them. Per goal, three index lookups (three more where it
    has samples), then the figures on the dates found; read from the database `goals` reads from."""
    connection = connections[goals.db]
    goals_sql, goals_params = goals.order_by().values("pk").query.sql_with_params()
    known, known_params = _known_sql(day, goals.db)
    approved = ProgressUpdate.ReviewState.APPROVED.value
    params = [
        *known_params * len(_WINDOWS),  # the real figures' dates
        *[approved, *known_params] * len(_WINDOWS),  # the samples' dates, where the goal has samples
        *goals_params,
        *known_params,  # the figures on those dates
    ]
    sql = _SQL.replace("{goals}", goals_sql).replace("{fence}", _FENCE[connection.vendor])
    sql = sql.replace("{known}", known).replace("{t}", connection.ops.quote_name(_FIGURES))
    return ProgressUpdate.objects.using(goals.db).filter(pk__in=RawSQL(sql, params))
