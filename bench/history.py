"""Benchmark of the dashboard's status over time as the status history grows: `make bench-history` or
`python -m bench.history [--goals N] [--changes 4 16 64]`.

It loads N published goals (default 10,000; a third in force today) into a bench database of its own
(created and migrated if missing; the database named by DATABASE_URL is never touched), then for each
history size gives every goal that many status changes between 2023 and yesterday, records the
quarter ends (timed), and prints the time of the dashboard's read (twelve quarter ends from the
recorded spans, today from the goals' own statuses) and, for comparison, of one day read from the
history itself (each goal's last change before it)."""

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

from bench.common import (
    CHANGE_COLUMNS,
    bench_database_url,
    copy_rows,
    create_database_if_missing,
    server_environment,
    start_django,
)
from bench.web import load

CHANGE_STATUSES = ["not_started", "on_track", "at_risk", "off_track", "stale"]


def history_database_url() -> str:
    return bench_database_url() + "_history"


def load_history(goal_count: int, changes_per_goal: int, today: date, rng: random.Random) -> int:
    """Replace the status history with `changes_per_goal` changes per goal on days between 2023-01-01
    and yesterday, and forget what was recorded of the old one."""
    from django.db import connection
    from django.utils import timezone

    from apps.goals.models import QuarterSpan, RecordedQuarter, StatusChange

    first = date(2023, 1, 1)
    span = (today - first).days

    def rows():
        for goal_id in range(1, goal_count + 1):
            before = ""
            for offset in sorted(rng.sample(range(span), changes_per_goal)):
                day = first + timedelta(days=offset)
                status = rng.choice([s for s in CHANGE_STATUSES if s != before])
                changed = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
                yield [goal_id, changed, day, before, status, "", "", "1", False]
                before = status

    tables = [StatusChange, QuarterSpan, RecordedQuarter]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in tables)} CASCADE")
        return copy_rows(cursor, StatusChange._meta.db_table, CHANGE_COLUMNS, rows())


def timed(work, times: int = 7) -> tuple[float, float]:
    """Best and median milliseconds of `times` runs."""
    took = []
    for _ in range(times):
        began = time.perf_counter()
        work()
        took.append((time.perf_counter() - began) * 1000)
    return min(took), statistics.median(took)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=10_000)
    parser.add_argument("--changes", type=int, nargs="+", default=[4, 16, 64], help="changes per goal")
    args = parser.parse_args(argv)

    url = history_database_url()
    create_database_if_missing(url)
    start_django(server_environment(url, os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")))
    from django.db import connection
    from django.utils import timezone

    from apps.goals.models import Goal, QuarterSpan
    from apps.goals.selectors import status_counts_on
    from apps.goals.services.quarters import quarters_record
    from apps.public.selectors import DashboardView, status_over_time

    today = timezone.localdate()
    rng = random.Random(2024)
    if Goal.objects.count() != args.goals:
        load(args.goals, 1, rng)
    selection = DashboardView(day=today).selection()
    shown = selection.count()
    print(f"Bench database {url.rsplit('/', 1)[-1]}: {args.goals:,} goals, {shown:,} shown on the dashboard")
    print(
        f"\n  {'changes':>10} {'per goal':>9} {'record s':>9} {'spans':>8}"
        f"  {'dashboard read ms':>18}  {'one day from the history ms':>28}"
    )
    for per_goal in args.changes:
        changes = load_history(args.goals, per_goal, today, rng)
        began = time.perf_counter()
        quarters_record(today=today)
        recording = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        over_time = timed(lambda: status_over_time(today, goals=selection, today_counts={}))
        one_day = timed(lambda: status_counts_on([today - timedelta(days=1)], selection))
        print(
            f"  {changes:>10,} {per_goal:>9} {recording:>9.1f} {QuarterSpan.objects.count():>8,}"
            f"  {over_time[0]:>8.1f} (med {over_time[1]:>5.1f})"
            f"  {one_day[0]:>18.1f} (med {one_day[1]:>5.1f})"
        )
    print("\nReads: best of seven (median). The dashboard reads twelve recorded quarter ends from the spans.")


if __name__ == "__main__":
    main()
