"""Reads of the domain that judge or count without writing: goals' figures as observations, how goals
stood on a past day (the public ?as_of= pages) and how many stood in each status on given days (the
status over time). Each takes `using=`, the database to read (a read replica for public pages): the
caller decides, and queries derived from a `goals` queryset read where it reads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connections
from django.db.models import OuterRef, Q, Subquery

from . import observations
from .models import Goal, ProgressUpdate, RecordedQuarter, StatusSpan
from .services.deciding_figures import deciding_figures
from .services.quarters import SPAN_COUNTS_SQL, STATUS_ON_SQL, as_date
from .spans import rules_key
from .status import Observation
from .verdicts import READ_FIELDS, Computed, GoalRow, computed, judge


def trackable() -> Q:
    """Goals the rules can judge: milestones, and numeric goals with a target."""
    return Q(kind=Goal.Kind.MILESTONE) | Q(target_value__isnull=False)


def _on(queryset, using: str | None):
    return queryset if using is None else queryset.using(using)


def _figures(known_on: date | None, using: str | None):
    """Approved figures (with `known_on`, those known on that day), read from `using`."""
    figures = (
        ProgressUpdate.objects.approved() if known_on is None else ProgressUpdate.objects.known_on(known_on)
    )
    return _on(figures, using)


def _database(goals, using: str | None) -> str | None:
    """Where reads about `goals` go: `using`, else where the goals queryset reads (ids: the router)."""
    if using is None and hasattr(goals, "db"):
        return goals.db
    return using


def observations_by_goal(
    goals, *, known_on: date | None = None, using: str | None = None
) -> dict[int, list[Observation]]:
    """Approved figures of the given goals (a queryset or ids), oldest first, in two queries: each
    goal's own, and those reported once for its indicator that fall within its period (in the goal's
    unit). With `known_on`, only the figures known on that day are read."""
    using = _database(goals, using)
    own = _figures(known_on, using).filter(value__isnull=False, goal__in=goals)
    return with_served(own_observations(own), goals, known_on=known_on, using=using)


def own_observations(figures) -> defaultdict[int, list[Observation]]:
    """Goals' own figures (a ProgressUpdate queryset) as each goal's observations, oldest first."""
    rows = figures.order_by("goal_id", "as_of", "pk").values_list(*observations.FIGURE_FIELDS)
    return observations.by_goal(rows.iterator(chunk_size=10_000))


def with_served(own, goals, *, known_on: date | None, using: str | None = None):
    """`own` (each goal's own observations) with the figures of the goals' indicators that serve them
    put in among them."""
    return observations.merged(own, indicator_observations(goals, known_on=known_on, using=using))


def indicator_observations(
    goals, *, known_on: date | None = None, using: str | None = None
) -> dict[int, list[Observation]]:
    """For each goal on an indicator, the indicator's reported figures within the goal's period (with
    `known_on`, those known on that day), in the goal's unit: two queries."""
    using = _database(goals, using)
    goal_ids = goals.values("pk") if hasattr(goals, "values") else goals
    on_indicator = list(
        _on(Goal.objects, using)
        .filter(pk__in=goal_ids, indicator__isnull=False)
        .order_by()
        .values_list(*observations.INDICATOR_GOAL_FIELDS)
        .iterator(chunk_size=10_000)
    )
    if not on_indicator:
        return {}
    figures = (
        _figures(known_on, using)
        .filter(goal__isnull=True, indicator__in={row[1] for row in on_indicator}, value__isnull=False)
        .order_by("as_of", "pk")
        .values_list(*observations.INDICATOR_FIGURE_FIELDS)
    )
    return observations.served(on_indicator, figures)


def goals_judged_on(*, goals, day: date, using: str | None = None) -> dict[int, Computed]:
    """How `goals` (a queryset) stood on `day`, judged from the figures known then, by the rules of
    today. Reads only: nothing is stored and no history is written (the ?as_of= pages)."""
    goals = _on(goals, using).filter(trackable())
    rows = [GoalRow.from_values(v) for v in goals.values_list(*READ_FIELDS)]
    figures = observations_by_goal([row.pk for row in rows], known_on=day, using=goals.db)
    return {row.pk: computed(judge(row, figures.get(row.pk, []), day), day) for row in rows}


def statuses_judged_on(*, goals, day: date, using: str | None = None) -> dict[int, str]:
    """The status of each of `goals` (a queryset) on `day`, as goals_judged_on judges it: read from the
    goals' status spans (StatusSpan, one query), and judged afresh (statuses_judged_afresh) for the
    goals whose spans do not say: none holds the day, they were judged by other rules, or the goal is
    owed an evaluation (a figure approved since, which its evaluation will put in its spans)."""
    goals = _on(goals, using).filter(trackable())
    holding = StatusSpan.objects.filter(
        Q(to_day__gt=day) | Q(to_day__isnull=True, through__gte=day),
        goal=OuterRef("pk"),
        from_day__lte=day,
        rule_version=rules_key(),
    )
    read = goals.order_by().annotate(span_status=Subquery(holding.values("status")[:1]))
    statuses, afresh = {}, []
    for pk, span_status, owed in read.values_list("pk", "span_status", "evaluation_requested_at"):
        if span_status is None or owed is not None:
            afresh.append(pk)
        else:
            statuses[pk] = span_status
    if afresh:
        statuses.update(statuses_judged_afresh(goals=goals.filter(pk__in=afresh), day=day))
    return statuses


def statuses_judged_afresh(*, goals, day: date, using: str | None = None) -> dict[int, str]:
    """The status of each of `goals` (a queryset) on `day`, as goals_judged_on judges it, from only the
    figures that decide it (deciding_figures): the cost follows the number of goals, not their figures
    (beyond those reported for the goals' indicators, a series per indicator). Reads only."""
    goals = _on(goals, using).filter(trackable())
    rows = [GoalRow.from_values(v) for v in goals.values_list(*READ_FIELDS)]
    figures = with_served(own_observations(deciding_figures(goals, day)), goals, known_on=day)
    return {row.pk: str(judge(row, figures.get(row.pk, []), day).status) for row in rows}


_LIVE_COUNTS_SQL = """
SELECT {columns}, COUNT(*) FROM (
    SELECT {statuses} FROM {goals} AS g WHERE g.id IN ({scope})
) AS latest
GROUP BY {columns}
"""


def status_counts_on(days: list[date], goals, *, using: str | None = None) -> dict[date, dict[str, int]]:
    """How many of `goals` (a queryset) stood in each status on each of `days`, as the status history
    has it; goals without a history by a day are not counted on it. At most three queries whatever the
    number of goals, days or history rows: recorded quarter ends (services.quarters) are counted from
    the spans (a few rows per goal), days before them have none, any other day is read from each
    goal's last change before it."""
    counts: dict[date, dict[str, int]] = {day: {} for day in days}
    if not days:
        return counts
    goals = _on(goals, using)
    database = goals.db
    every_recorded = set(RecordedQuarter.objects.using(database).values_list("day", flat=True))  # 4 a year
    recorded = every_recorded.intersection(days)
    # Recording starts at the quarter end before the history's first change: no goal had a status
    # before the first day recorded.
    known_empty = {day for day in days if every_recorded and day < min(every_recorded)}
    scope_sql, scope_params = goals.order_by().values("pk").query.sql_with_params()
    with connections[database].cursor() as cursor:
        if recorded:
            cursor.execute(
                SPAN_COUNTS_SQL.format(scope=scope_sql), [*scope_params, max(recorded), min(recorded)]
            )
            for status, since, until, number in cursor.fetchall():
                since, until = as_date(since), until and as_date(until)
                for day in recorded:
                    if since <= day and (until is None or day < until):
                        counts[day][status] = counts[day].get(status, 0) + number
        live = [day for day in days if day not in recorded and day not in known_empty]
        if live:
            columns = ", ".join(f"s{index}" for index in range(len(live)))
            statuses = ", ".join(
                f"{STATUS_ON_SQL.format(goal='g.id')} AS s{index}" for index in range(len(live))
            )
            cursor.execute(
                _LIVE_COUNTS_SQL.format(
                    columns=columns, statuses=statuses, goals=goals.model._meta.db_table, scope=scope_sql
                ),
                [*live, *scope_params],
            )
            for *statuses_then, number in cursor.fetchall():
                for day, status in zip(live, statuses_then, strict=True):
                    if status is not None:
                        counts[day][status] = counts[day].get(status, 0) + number
    return counts
