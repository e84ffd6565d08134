"""Each goal's status at each past quarter end, kept beside the status history so that the dashboard's
status over time reads one row per goal and quarter instead of replaying the whole history.

A quarter end is recorded (RecordedQuarter, and a QuarterStatus row for every goal with a history by
then) once it is RECORD_AFTER days past, by the daily evaluation. A history written later for a day
already recorded (an evaluation of a past day, a merge of two goals) rewrites its goals' rows in the
same transaction. Days not recorded yet (today, a quarter end just past) are read from the history
itself, one index lookup per goal and day; so a reader gets the same counts whichever way is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, connections, transaction

from jinan_targets.routers import read_database

from ..models import QuarterStatus, RecordedQuarter, StatusChange

# A quarter end is recorded this many days after it, so that an evaluation of that day still in
# flight when the day ended (a task queued at 23:59) is in the history first.
RECORD_AFTER = 2
# Goal ids per statement when some goals' rows are rewritten.
GOALS_PER_STATEMENT = 500
# Any constant: the PostgreSQL advisory lock that makes recording and rewriting take turns.
_LOCK_KEY = 0x51A7_0E4D

_CHANGES = StatusChange._meta.db_table
_ROWS = QuarterStatus._meta.db_table

# The order of a goal's changes: of two on one day the later one holds (as in the history's own
# reading, apps.public.selectors).
_LATEST_FIRST = "c.evaluated_on DESC, c.changed_at DESC, c.id DESC"

_RECORD_SQL = f"""
INSERT INTO {_ROWS} (goal_id, quarter_end, status)
SELECT goal_id, %s, to_status FROM (
    SELECT c.goal_id, c.to_status,
           ROW_NUMBER() OVER (PARTITION BY c.goal_id ORDER BY {_LATEST_FIRST}) AS position
    FROM {_CHANGES} AS c
    WHERE c.evaluated_on <= %s {{only_goals}}
) AS ranked
WHERE position = 1
"""


def quarter_ends(first: date, last: date) -> list[date]:
    """Every quarter end from `first` to `last`, both included, oldest first."""
    days = []
    for year in range(first.year, last.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            if first <= date(year, month, day) <= last:
                days.append(date(year, month, day))
    return days


def quarters_record(*, today: date) -> list[date]:
    """Record every quarter end of the history that is RECORD_AFTER days past `today` and not recorded
    yet, for all goals, set-based (one statement per quarter end). Returns the days recorded; safe to
    run twice, and beside itself."""
    first = StatusChange.objects.order_by("evaluated_on").values_list("evaluated_on", flat=True).first()
    if first is None:
        return []
    due = quarter_ends(first, today - timedelta(days=RECORD_AFTER))
    recorded = set(RecordedQuarter.objects.filter(day__in=due).values_list("day", flat=True))
    done = []
    for day in due:
        if day in recorded:
            continue
        with transaction.atomic():
            _take_turns()
            # Claim the day; a run that claimed it meanwhile has written its rows.
            _, created = RecordedQuarter.objects.get_or_create(day=day)
            if created:
                _insert(day)
                done.append(day)
    return done


def quarters_rewrite(*, goal_ids: Iterable[int], since: date) -> None:
    """These goals' history changed from `since` on: write their rows for the recorded quarter ends
    from then on again, in the caller's transaction."""
    goal_ids = sorted(set(goal_ids))
    if not goal_ids or not RecordedQuarter.objects.filter(day__gte=since).exists():
        return
    with transaction.atomic():
        _take_turns()
        days = list(RecordedQuarter.objects.filter(day__gte=since).values_list("day", flat=True))
        for start in range(0, len(goal_ids), GOALS_PER_STATEMENT):
            chunk = goal_ids[start : start + GOALS_PER_STATEMENT]
            QuarterStatus.objects.filter(goal_id__in=chunk, quarter_end__gte=since).delete()
            for day in days:
                _insert(day, chunk)


def quarters_rerecord(*, today: date) -> list[date]:
    """Forget every recorded quarter end and record them again from the history (after the history
    was changed by hand, say)."""
    with transaction.atomic():
        _take_turns()
        QuarterStatus.objects.all().delete()
        RecordedQuarter.objects.all().delete()
    return quarters_record(today=today)


def last_recorded() -> date | None:
    return RecordedQuarter.objects.order_by("-day").values_list("day", flat=True).first()


def _insert(day: date, goal_ids: list[int] | None = None) -> None:
    only_goals = ""
    params: list = [day, day]
    if goal_ids is not None:
        only_goals = f"AND c.goal_id IN ({', '.join(['%s'] * len(goal_ids))})"
        params += goal_ids
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_SQL.format(only_goals=only_goals), params)


def _take_turns() -> None:
    """Within a transaction: wait for any other recording or rewriting to commit, so that each reads
    the history the other wrote (SQLite lets one writer in at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


# --- Reading ------------------------------------------------------------------------------------

_RECORDED_COUNTS_SQL = f"""
SELECT r.day, q.status, COUNT(q.goal_id)
FROM {RecordedQuarter._meta.db_table} AS r
LEFT JOIN {_ROWS} AS q ON q.quarter_end = r.day AND q.goal_id IN ({{scope}})
WHERE r.day IN ({{days}})
GROUP BY r.day, q.status
"""

_LATEST_ON = f"""(
    SELECT c.to_status FROM {_CHANGES} AS c
    WHERE c.goal_id = g.id AND c.evaluated_on <= %s
    ORDER BY {_LATEST_FIRST}
    LIMIT 1
)"""

_LIVE_COUNTS_SQL = """
SELECT {columns}, COUNT(*) FROM (
    SELECT {latest} FROM {goals} AS g WHERE g.id IN ({scope})
) AS latest
GROUP BY {columns}
"""


def status_counts_on(days: list[date], goals) -> dict[date, dict[str, int]]:
    """How many of `goals` (a queryset) stood in each status on each of `days`, as the status history
    has it; goals without a history by a day are not counted on it. Two queries whatever the number of
    goals, days or history rows: recorded quarter ends are read from their rows, any other day from
    each goal's last change before it."""
    counts: dict[date, dict[str, int]] = {day: {} for day in days}
    if not days:
        return counts
    scope_sql, scope_params = goals.order_by().values("pk").query.sql_with_params()
    recorded = set()
    with connections[read_database()].cursor() as cursor:
        cursor.execute(
            _RECORDED_COUNTS_SQL.format(scope=scope_sql, days=", ".join(["%s"] * len(days))),
            [*scope_params, *days],
        )
        for day, status, number in cursor.fetchall():
            day = _as_date(day)
            recorded.add(day)
            if status is not None:
                counts[day][status] = number
        live = [day for day in days if day not in recorded]
        if live:
            columns = ", ".join(f"s{index}" for index in range(len(live)))
            cursor.execute(
                _LIVE_COUNTS_SQL.format(
                    columns=columns,
                    latest=", ".join(f"{_LATEST_ON} AS s{index}" for index in range(len(live))),
                    goals=goals.model._meta.db_table,
                    scope=scope_sql,
                ),
                [*live, *scope_params],
            )
            for *statuses, number in cursor.fetchall():
                for day, status in zip(live, statuses, strict=True):
                    if status is not None:
                        counts[day][status] = counts[day].get(status, 0) + number
    return counts


def _as_date(value) -> date:
    """A day as the database driver hands it back (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
