"""Each goal's status at each past quarter end, kept beside the status history so that the dashboard's
status over time reads a few rows per goal instead of replaying the whole history.

A quarter end is recorded (RecordedQuarter) once it is RECORD_AFTER days past, by the daily
evaluation: each goal's status then extends its open span (QuarterSpan) or, when it differs, closes it
and opens a new one; so a goal has a span per change of its status between quarter ends, at most one
per quarter, however often it changes in between. A history written later for a day already recorded
(an evaluation of a past day, a merge of two goals) rebuilds its goals' spans in the same
transaction. A day not recorded (today, a quarter end just past) is read from the history itself: one
index lookup per goal and day. A reader gets the same counts whichever way is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from ..models import Goal, QuarterSpan, RecordedQuarter, StatusChange

# A quarter end is recorded this many days after it, so that an evaluation of that day still in
# flight when the day ended (a task queued at 23:59) is in the history first.
RECORD_AFTER = 2
# Goal ids per statement when some goals' spans are rebuilt.
GOALS_PER_STATEMENT = 500
# Any constant: the PostgreSQL advisory lock that makes recording and rebuilding take turns.
_LOCK_KEY = 0x51A7_0E4D

_CHANGES = StatusChange._meta.db_table
_SPANS = QuarterSpan._meta.db_table

# A goal's status on a day: its last change evaluated by then (of two on one day the later one, as in
# the history's own reading); {goal} is the goal's id column, the parameter the day.
STATUS_ON_SQL = f"""(
    SELECT c.to_status FROM {_CHANGES} AS c
    WHERE c.goal_id = {{goal}} AND c.evaluated_on <= %s
    ORDER BY c.evaluated_on DESC, c.changed_at DESC, c.id DESC
    LIMIT 1
)"""

# Recording a day, in two statements: an open span whose goal stands otherwise that day is closed...
_CLOSE_SQL = f"""
UPDATE {_SPANS} SET until = %s
WHERE until IS NULL {{only_goals}}
  AND status <> COALESCE({STATUS_ON_SQL.format(goal=f"{_SPANS}.goal_id")}, '')
"""
# ... then each goal with a status that day and no open span opens one.
_OPEN_SQL = f"""
INSERT INTO {_SPANS} (goal_id, status, since, until)
SELECT goal_id, status, %s, NULL FROM (
    SELECT g.goal_id, {STATUS_ON_SQL.format(goal="g.goal_id")} AS status
    FROM (SELECT DISTINCT goal_id FROM {_CHANGES} WHERE evaluated_on <= %s {{only_goals}}) AS g
    WHERE NOT EXISTS (SELECT 1 FROM {_SPANS} AS s WHERE s.goal_id = g.goal_id AND s.until IS NULL)
) AS latest
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
    yet, for all goals, set-based (two statements per quarter end), from the quarter end before the
    history's first change (when no goal had a status yet: so any day before the first one recorded
    is known to have none). Returns the days recorded; safe to run twice, and beside itself."""
    first = StatusChange.objects.order_by("evaluated_on").values_list("evaluated_on", flat=True).first()
    if first is None:
        return []
    due = quarter_ends(_quarter_end_before(first), today - timedelta(days=RECORD_AFTER))
    if set(RecordedQuarter.objects.filter(day__in=due).values_list("day", flat=True)) == set(due):
        return []
    with transaction.atomic():
        _take_turns()
        recorded = list(RecordedQuarter.objects.order_by("day").values_list("day", flat=True))
        new = [day for day in due if day not in recorded]
        RecordedQuarter.objects.bulk_create([RecordedQuarter(day=day) for day in new])
        if recorded and new and new[0] < recorded[-1]:
            # The history now starts earlier than what was recorded: record every day afresh, in order.
            QuarterSpan.objects.all().delete()
            new_spans = sorted([*recorded, *new])
        else:
            new_spans = new
        for day in new_spans:
            _record(day)
    return new


def quarters_history_written(*, goal_ids: Iterable[int], since: date) -> None:
    """These goals' status history was written from `since` on (an evaluation of a past day, a merge),
    in the caller's transaction: keep what is recorded true in it. Days recorded from `since` on are
    recorded again for these goals; a history now starting before the first day recorded makes every
    recorded day forgotten (read from the history until quarters_record records them afresh)."""
    if since > timezone.localdate() - timedelta(days=RECORD_AFTER):
        return  # no day that late is recorded, nor can be before this transaction commits
    with transaction.atomic():
        # Our turn lasts until the caller's transaction commits: a recording that starts meanwhile
        # waits, then reads the history written here.
        _take_turns()
        days = list(RecordedQuarter.objects.order_by("day").values_list("day", flat=True))
        if not days or since > days[-1]:
            return
        if since < days[0]:
            QuarterSpan.objects.all().delete()
            RecordedQuarter.objects.all().delete()
            return
        goal_ids = sorted(set(goal_ids))
        for start in range(0, len(goal_ids), GOALS_PER_STATEMENT):
            chunk = goal_ids[start : start + GOALS_PER_STATEMENT]
            QuarterSpan.objects.filter(goal_id__in=chunk).delete()
            for day in days:
                _record(day, chunk)


def quarters_rerecord(*, today: date) -> list[date]:
    """Forget every recorded quarter end and record them again from the history (after the history
    was changed by hand, say)."""
    with transaction.atomic():
        _take_turns()
        QuarterSpan.objects.all().delete()
        RecordedQuarter.objects.all().delete()
        return quarters_record(today=today)


_DIFFERING_SQL = f"""
SELECT COUNT(*) FROM (
    SELECT (
        SELECT s.status FROM {_SPANS} AS s
        WHERE s.goal_id = g.id AND s.since <= %s AND (s.until IS NULL OR s.until > %s)
    ) AS recorded, {STATUS_ON_SQL.format(goal="g.id")} AS history
    FROM {Goal._meta.db_table} AS g
) AS compared
WHERE COALESCE(recorded, '') <> COALESCE(history, '')
"""


def quarters_differing() -> dict[date, int]:
    """For each recorded quarter end, how many goals' recorded status differs from their history's
    (none, unless the history was changed outside the application): one statement per day, each
    goal looked up in both."""
    days = RecordedQuarter.objects.order_by("day").values_list("day", flat=True)
    differing = {}
    with connection.cursor() as cursor:
        for day in days:
            cursor.execute(_DIFFERING_SQL, [day, day, day])
            (count,) = cursor.fetchone()
            if count:
                differing[day] = count
    return differing


def _quarter_end_before(day: date) -> date:
    return quarter_ends(day - timedelta(days=92), day - timedelta(days=1))[-1]


def _record(day: date, goal_ids: list[int] | None = None) -> None:
    """Extend, close and open spans for `day` (every day recorded before it already is)."""
    only_goals, only_params = "", []
    if goal_ids is not None:
        only_goals = f"AND goal_id IN ({', '.join(['%s'] * len(goal_ids))})"
        only_params = goal_ids
    with connection.cursor() as cursor:
        cursor.execute(_CLOSE_SQL.format(only_goals=only_goals), [day, *only_params, day])
        cursor.execute(_OPEN_SQL.format(only_goals=only_goals), [day, day, day, *only_params])


def _take_turns() -> None:
    """Within a transaction: wait for any other recording or rebuilding to commit, so that each reads
    the history and spans the other wrote (SQLite lets one writer in at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


# --- Reading (apps.goals.selectors.status_counts_on) ---------------------------------------------

SPAN_COUNTS_SQL = f"""
SELECT s.status, s.since, s.until, COUNT(*)
FROM {_SPANS} AS s
WHERE s.goal_id IN ({{scope}}) AND s.since <= %s AND (s.until IS NULL OR s.until > %s)
GROUP BY s.status, s.since, s.until
"""


def as_date(value) -> date:
    """A day as the database driver hands it back (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
