"""Benchmark of the daily status evaluation (services.daily_evaluation.goals_evaluate_all) on PostgreSQL:
`make bench-status` or `python -m bench.status [--goals N]`.

It loads N synthetic goals (default 100,000) with about three approved figures each into a dedicated
bench database (created and migrated if missing, emptied of goals on each run; the database named by
DATABASE_URL is never touched), then times a first run (writes every goal), a second run the same day
(writes nothing) and a run the next day (what the daily job does), and prints goals per second."""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from bench.common import (
    FIGURE_COLUMNS,
    GOAL_COLUMNS,
    bench_database_url,
    create_database_if_missing,
    start_django,
)

# The day the runs judge on: the 2024 goals are three quarters through, the 2021-2025 ones four fifths.
BENCH_DAY = date(2024, 10, 15)
# Figures become known (published_on) two weeks after the day they cover, as statistics do; the
# rules count only figures known on the day judged.
PUBLICATION_LAG = timedelta(days=15)
KINDS = ["increment", "level", "growth_rate", "cap", "reduction", "increment", "level", "milestone"]


def load(goal_count: int, rng: random.Random, figures_per_goal: int | None = None) -> int:
    """Empty the bench tables and COPY in the goals and their figures (about three per goal, or
    `figures_per_goal` each, spread over the period up to BENCH_DAY); returns the figure count."""
    from django.db import connection
    from django.utils import timezone

    from apps.goals.models import Category, Department, Goal, Plan, ProgressUpdate, RecordedQuarter

    with connection.cursor() as cursor:
        # The recorded quarter ends go with the goals' history (their spans go by the cascade).
        cursor.execute(
            f"TRUNCATE {Goal._meta.db_table}, {RecordedQuarter._meta.db_table} RESTART IDENTITY CASCADE"
        )
    department, _ = Department.objects.get_or_create(slug="bench", defaults={"name": "基准测试局"})
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "基准测试"})
    plan, _ = Plan.objects.get_or_create(
        name="基准测试规划", defaults={"period_start": date(2021, 1, 1), "period_end": date(2025, 12, 31)}
    )
    now = timezone.now()
    goals = []
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Goal._meta.db_table} ({', '.join(GOAL_COLUMNS)}) FROM STDIN") as copy,
    ):
        for number in range(goal_count):
            kind = KINDS[number % len(KINDS)]
            five_years = number % 3 == 0
            start, deadline = (
                (date(2021, 1, 1), date(2025, 12, 31))
                if five_years
                else (date(2024, 1, 1), date(2024, 12, 31))
            )
            target = {
                "growth_rate": Decimal("5.5"),
                "reduction": Decimal("3"),
                "cap": Decimal("100"),
                "milestone": None,
            }.get(kind, Decimal(rng.randrange(1000, 100000)))
            baseline = target * Decimal("0.6") if kind == "level" else None
            unit = "%" if kind in ("growth_rate", "reduction") else "万吨" if kind == "cap" else "个"
            copy.write_row(
                [
                    f"bench-{number}",
                    f"基准目标{number}",
                    f"Bench goal {number}",
                    "基准指标",
                    kind,
                    "<=" if kind == "cap" else ">=",
                    target,
                    unit,
                    10000 if unit == "万吨" else 1,
                    baseline,
                    start,
                    deadline,
                    department.pk,
                    category.pk,
                    plan.pk,
                    "published",
                    False,
                    100,
                    "not_started",
                    "",
                    "",
                    "",
                    False,
                    False,
                    "",
                    "",
                    now,
                    now,
                ]
            )
            goals.append((kind, target, baseline, start, deadline))
    figure_columns = FIGURE_COLUMNS
    figures = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {ProgressUpdate._meta.db_table} ({', '.join(figure_columns)}) FROM STDIN"
        ) as copy,
    ):
        for goal_id, (kind, target, baseline, start, deadline) in enumerate(goals, start=1):
            if kind == "milestone":
                continue
            if figures_per_goal:
                step = max(1, (BENCH_DAY - start).days // figures_per_goal)
                days = [start + timedelta(days=step * (k + 1)) for k in range(figures_per_goal)]
            else:
                days = [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2023, 12, 31)]
                days = days[: rng.choice([2, 3, 3, 4])]
            for as_of in days:
                share = Decimal((as_of - start).days) / Decimal((deadline - start).days)
                if kind in ("growth_rate", "reduction", "cap"):
                    value = target + Decimal(rng.randrange(-20, 20)) / 10
                else:
                    base = baseline or Decimal(0)
                    value = (base + (target - base) * share * Decimal(rng.uniform(0.7, 1.2))).quantize(
                        Decimal(1)
                    )
                copy.write_row(
                    [
                        goal_id,
                        as_of,
                        value,
                        False,
                        "",
                        "",
                        "",
                        True,
                        "approved",
                        now,
                        as_of + PUBLICATION_LAG,
                        "",
                        False,
                        "",
                        "",
                    ]
                    + [now, now]
                )
                figures += 1
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Goal._meta.db_table}")
        cursor.execute(f"ANALYZE {ProgressUpdate._meta.db_table}")
    return figures


def timed_run(label: str, today: date) -> None:
    from apps.goals.services.daily_evaluation import goals_evaluate_all

    began = time.perf_counter()
    summary = goals_evaluate_all(today=today)
    seconds = time.perf_counter() - began
    print(
        f"{label:<34} {summary.evaluated:>9,} goals in {seconds:6.2f} s = "
        f"{summary.evaluated / seconds:>8,.0f} goals/s"
        f"  ({summary.changed:,} updated, {summary.status_changes:,} status changes)"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=100_000, help="how many goals to load (default 100,000)")
    parser.add_argument(
        "--variant-goals",
        type=int,
        default=10_000,
        help="then this many goals with 100 figures each (default 10,000; 0 to skip)",
    )
    args = parser.parse_args(argv)

    url = bench_database_url()
    create_database_if_missing(url)
    start_django({"DATABASE_URL": url})
    parts = urlsplit(url)
    print(
        f"Bench database {parts.hostname}:{parts.port or 5432}{parts.path}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    began = time.perf_counter()
    figures = load(args.goals, random.Random(2024))
    print(
        f"Loaded {args.goals:,} goals and {figures:,} approved figures in {time.perf_counter() - began:.1f} s"
    )
    timed_run("first run (writes every goal)", BENCH_DAY)
    timed_run("second run, same day (no change)", BENCH_DAY)
    timed_run("next day (the daily job)", BENCH_DAY + timedelta(days=1))
    if args.variant_goals:
        began = time.perf_counter()
        figures = load(args.variant_goals, random.Random(2024), figures_per_goal=100)
        print(
            f"Loaded {args.variant_goals:,} goals and {figures:,} approved figures (100 per goal) "
            f"in {time.perf_counter() - began:.1f} s"
        )
        timed_run("100 figures per goal, first run", BENCH_DAY)
        timed_run("100 figures per goal, next day", BENCH_DAY + timedelta(days=1))


if __name__ == "__main__":
    main()
