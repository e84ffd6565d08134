"""Bulk writes and the public data version's triggers: `make bench-bulk` or `python -m bench.bulk`.

On `make bench-web`'s database (10,000 goals, 1,000,000 figures; run that first) it times, with the
triggers as migrated now and as public 0003 installed them ("before"), and with no public trigger:
a COPY of N more figures (default 1,000,000; the rows made by PostgreSQL first, so only the COPY is
timed), an UPDATE of goals that changes only their bookkeeping, and one that changes a public column.
Each runs in a transaction that is rolled back, with every deferred check made at once (the bump
and the foreign keys, as a commit would), so the database is left as it was."""

import argparse
import importlib
import os
import re
import time

from bench.common import FIGURE_COLUMNS, server_environment, start_django, web_bench_database_url

# The figures COPYed: dated from 2030 on, after bench-web's, so none is a second figure of a day.
FIGURES = """
SELECT 1 + (n / 100) % {goals}, date '2030-01-01' + 3 * (n % 100) + (n / (100 * {goals})), n % 5000,
    false, '', '', '', false, 'approved', now(), current_date, '', false, '', '', now(), now()
FROM generate_series(0, {count} - 1) AS n
"""


def triggers(variant: str) -> list[str]:
    """The statements that put a variant's public triggers in place of today's (inside the
    transaction, so the rollback puts today's back)."""
    now = importlib.import_module("apps.public.migrations.0007_one_query_per_statement")
    before = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")
    if variant == "now":
        return []
    if variant == "before":
        return now.DROP + before.CREATE["postgresql"]
    # None of the public triggers (USER: the foreign keys' checks stay).
    return ["ALTER TABLE goals_progressupdate DISABLE TRIGGER USER"]


def timed(cursor, variant: str, work) -> tuple[float, int, dict[str, float]]:
    """Seconds of `work` (with the deferred checks), the bumps it made and its public triggers' ms."""
    cursor.execute("BEGIN")
    try:
        for statement in triggers(variant):
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT number FROM public_dataversion")
        (first,) = cursor.fetchone()
        began = time.perf_counter()
        plan = work(cursor)
        seconds = time.perf_counter() - began
        cursor.execute("SELECT number FROM public_dataversion")
        (last,) = cursor.fetchone()
    finally:
        cursor.execute("ROLLBACK")
    trigger_ms = {
        name: float(ms) for name, ms in re.findall(r"Trigger (public_version_\w+): time=([\d.]+)", plan or "")
    }
    return seconds, last - first, trigger_ms


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1_000_000, help="figures COPYed")
    parser.add_argument(
        "--before-goals",
        type=int,
        default=2_000,
        help="goals whose bookkeeping the triggers of before update (their time grows with the square)",
    )
    args = parser.parse_args(argv)

    url = web_bench_database_url()
    start_django(server_environment(url, os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")))
    from django.db import connection

    from apps.goals.models import Goal

    goals = Goal.objects.count()
    if not goals:
        raise SystemExit(
            "The bench database is empty: run make bench-web first (it loads the goals and figures)."
        )
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # psycopg's own, in autocommit: BEGIN and ROLLBACK are ours
    print(f"Bench database {url.rsplit('/', 1)[-1]}: {goals:,} goals; load {os.getloadavg()[0]:.1f}")

    data = bytearray()
    with cursor.copy(f"COPY ({FIGURES.format(goals=goals, count=args.figures)}) TO STDOUT") as source:
        for chunk in source:
            data += chunk

    def copy_figures(cursor):
        with cursor.copy(f"COPY goals_progressupdate ({', '.join(FIGURE_COLUMNS)}) FROM STDIN") as target:
            for start in range(0, len(data), 1 << 20):
                target.write(data[start : start + (1 << 20)])

    def update(assignments: str, limit: int):
        def work(cursor):
            cursor.execute(f"EXPLAIN (ANALYZE) UPDATE goals_goal SET {assignments} WHERE id <= {limit}")
            return "\n".join(row[0] for row in cursor.fetchall())

        return work

    print(f"\n  {'statement':<52} {'triggers':<8} {'seconds':>8} {'bumps':>6} {'public trigger ms':>18}")
    bookkeeping = "evaluation_requested_at = now()"
    public = "status_evaluated_on = coalesce(status_evaluated_on, current_date) + 1"
    measures = [
        (f"COPY {args.figures:,} figures", ["before", "now", "none"], copy_figures),
        (
            f"UPDATE {args.before_goals:,} goals' bookkeeping",
            ["before", "now"],
            update(bookkeeping, args.before_goals),
        ),
        (f"UPDATE {goals:,} goals' bookkeeping", ["now"], update(bookkeeping, goals)),
        (f"UPDATE {goals:,} goals' evaluation date (public)", ["before", "now"], update(public, goals)),
    ]
    for label, variants, work in measures:
        for variant in variants:
            seconds, bumps, trigger_ms = timed(cursor, variant, work)
            shown = f"{sum(trigger_ms.values()):>18,.1f}" if trigger_ms else f"{'':>18}"
            print(f"  {label:<52} {variant:<8} {seconds:>8.2f} {bumps:>6} {shown}", flush=True)
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
