"""Benchmark of the public site as citizens meet it: `make bench-web` or `python -m bench.web`.

It loads 10,000 published goals with 100 approved figures each (1,000,000) and a status history into
a bench PostgreSQL database of its own (`<DATABASE_URL name>_bench_web`; the database named by
DATABASE_URL is never touched), serves the site with gunicorn as the Dockerfile does (DEBUG off,
3 sync workers) on a loopback port, and drives each page with `wrk` (32 connections), alternating
with a static file from the same gunicorn. It prints requests/s, p50 and p95 per page and the ratio to
the static file, then the cold (cache-miss) render time of each page and its slowest query, and of the
dashboard on three past days (?as_of=: yesterday, a quarter end, a mid-month day) judged afresh (no
status spans, as before they existed) and read from the spans, with the time to build them.
`--past-days-only` skips the wrk runs."""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from statistics import median

from bench.common import (
    CHANGE_COLUMNS,
    FIGURE_COLUMNS,
    GOAL_COLUMNS,
    copy_rows,
    create_database_if_missing,
    free_port,
    server_environment,
    start_django,
    web_bench_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEPARTMENTS = 20
CATEGORIES = 8
# Quarter ends the synthetic status history is dated on.
HISTORY_DAYS = [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
HISTORY_STATUSES = ["on_track", "at_risk", "off_track", "stale"]
# Goals whose status spans are rebuilt, timed, to tell what rebuild_status_spans costs a goal.
SPANS_SAMPLE = 500

# wrk prints what we need in one line: requests, duration (µs), p50 and p95 (µs), errors.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), errors))
end
"""


def load(goal_count: int, figures_per_goal: int, rng: random.Random) -> dict[str, tuple[int, float]]:
    """Empty the bench tables and COPY in departments, goals, one citing document, figures and a
    status history; returns each COPY's rows and seconds (the rows made in Python as it runs)."""
    from django.db import connection
    from django.utils import timezone

    from apps.goals.models import (
        Category,
        Citation,
        Department,
        Document,
        Goal,
        Plan,
        ProgressUpdate,
        RecordedQuarter,
        StatusChange,
    )

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {Goal._meta.db_table}, {Document._meta.db_table}, {Department._meta.db_table}, "
            f"{Category._meta.db_table}, {Plan._meta.db_table}, {RecordedQuarter._meta.db_table} "
            "RESTART IDENTITY CASCADE"
        )
    departments = [
        Department.objects.create(name=f"基准局{i}", name_en=f"Bench Bureau {i}", slug=f"bench-{i}")
        for i in range(DEPARTMENTS)
    ]
    categories = [
        Category.objects.create(name=f"基准领域{i}", name_en=f"Bench area {i}", slug=f"area-{i}", order=i)
        for i in range(CATEGORIES)
    ]
    plan = Plan.objects.create(
        name="基准测试规划",
        name_en="Bench plan",
        period_start=date(2021, 1, 1),
        period_end=date(2026, 12, 31),
    )
    quotes = [f"新建基准设施{n}个" for n in range(goal_count)]
    text = "".join(f"第{n}项，{quote}。\n" for n, quote in enumerate(quotes))
    document = Document.objects.create(
        title="基准测试文件", publisher="基准", published_on=date(2024, 1, 15), text=text, sha256="0" * 64
    )

    def goals():
        for n in range(goal_count):
            deadline = [date(2024, 12, 31), date(2025, 12, 31), date(2026, 12, 31)][n % 3]
            yield [
                f"bench-{n}",
                quotes[n],
                f"{n} new bench facilities",
                "新建基准设施",
                "increment",
                ">=",
                Decimal(1000 + n % 5000),
                "个",
                1,
                None,  # no baseline
                date(2024, 1, 1),
                deadline,
                departments[n % DEPARTMENTS].pk,
                categories[n % CATEGORIES].pk,
                plan.pk,
                "published",
                n < 8,
                n,
                "not_started",
                "",
                "",
                "",
                False,
                False,
                "",
                "",  # lead department source
                now,
                now,
            ]

    def citations():
        position = 0
        for goal_id, quote in enumerate(quotes, start=1):
            start = text.index(quote, position)
            position = start + len(quote)
            yield [goal_id, document.pk, start, position, quote, "", "", False, "", now]

    def figures():
        # Figures every three days through 2024 and on, reviewed over the same span, all approved.
        for goal_id in range(1, goal_count + 1):
            target = 1000 + (goal_id - 1) % 5000
            for k in range(figures_per_goal):
                as_of = date(2024, 1, 3) + timedelta(days=3 * k)
                value = Decimal(target * (k + 1) * rng.uniform(0.7, 1.2) / figures_per_goal).quantize(
                    Decimal(1)
                )
                reviewed = now - timedelta(days=figures_per_goal - k, minutes=goal_id % 1440)
                yield [
                    goal_id,
                    as_of,
                    value,
                    False,
                    "",
                    "",
                    "",
                    False,
                    "approved",
                    reviewed,
                    reviewed.date(),
                    "",
                    False,
                    "",
                    "",
                    now,
                    now,
                ]

    def history():
        for goal_id in range(1, goal_count + 1):
            before = ""
            for day in HISTORY_DAYS[: 1 + goal_id % len(HISTORY_DAYS)]:
                status = rng.choice([s for s in HISTORY_STATUSES if s != before])
                changed = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
                yield [goal_id, changed, day, before, status, "", "", "1", False]
                before = status

    citation_columns = ["goal_id", "document_id", "start", '"end"', "quote", "metric", "unit"]
    citation_columns += ["incomplete", "match_key", "created_at"]
    copies = [
        ("goals", Goal._meta.db_table, GOAL_COLUMNS, goals()),
        ("citations", Citation._meta.db_table, citation_columns, citations()),
        ("figures", ProgressUpdate._meta.db_table, FIGURE_COLUMNS, figures()),
        ("status changes", StatusChange._meta.db_table, CHANGE_COLUMNS, history()),
    ]
    loaded = {}
    with connection.cursor() as cursor:
        for what, table, columns, rows in copies:
            began = time.perf_counter()
            loaded[what] = (copy_rows(cursor, table, columns, rows), time.perf_counter() - began)
    return loaded


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def settle(url: str, seconds: float = 180) -> None:
    """Wait until the server has worked off requests a finished wrk run left queued (slow pages
    leave a backlog), so the next run measures only its own page."""
    deadline, quick = time.monotonic() + seconds, 0
    while quick < 3 and time.monotonic() < deadline:
        began = time.perf_counter()
        with urllib.request.urlopen(url, timeout=seconds) as response:
            response.read()
        quick = quick + 1 if time.perf_counter() - began < 0.05 else 0


def run_wrk(url: str, seconds: int, connections: int, script: str) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p95 ms, errors) of one wrk run."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    requests, duration, p50, p95, errors = (int(x) for x in line.split()[1:])
    return requests / (duration / 1e6), p50 / 1000, p95 / 1000, errors


def cold_renders(paths: dict[str, str], title: str = "Cold renders") -> None:
    """Each page rendered in this process with the cache emptied first: time and slowest query."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.public.caching import local_pages

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"\n{title} (cache emptied first; in-process, one client; median of 3):")
    print(f"  {'page':<18} {'ms':>8} {'queries':>8} {'slowest query':>14}  sql")
    for name, path in paths.items():
        if name == "static":
            continue
        times = []
        for _ in range(3):
            cache.clear()
            local_pages.clear()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path)
                b"".join(response) if response.streaming else response.content
                times.append((time.perf_counter() - began) * 1000)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        sql = " ".join(slowest["sql"].split())[:70] if slowest else ""
        slow_ms = float(slowest["time"]) * 1000 if slowest else 0
        print(
            f"  {name:<18} {median(times):>8.1f} {len(queries.captured_queries):>8} "
            f"{slow_ms:>11.1f} ms  {sql}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=10_000)
    parser.add_argument("--figures-per-goal", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reuse", action="store_true", help="keep the data loaded by an earlier run")
    parser.add_argument("--past-days-only", action="store_true", help="only the ?as_of= pages, no wrk runs")
    args = parser.parse_args(argv)

    if not shutil.which("wrk") and not args.past_days_only:
        raise SystemExit("make bench-web needs wrk (Debian: apt-get install -y wrk)")
    url = web_bench_database_url()
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
    create_database_if_missing(url)
    start_django(server_environment(url, cache_url))
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.goals.models import Goal, QuarterSpan, RecordedQuarter
    from apps.goals.services.daily_evaluation import goals_evaluate_all
    from apps.goals.services.quarters import quarters_differing

    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"Bench database {url.rsplit('/', 1)[-1]}, cache {cache_url}, {os.cpu_count()} CPUs")
    if not (args.reuse and Goal.objects.count() == args.goals):
        began = time.perf_counter()
        loaded = load(args.goals, args.figures_per_goal, random.Random(2024))
        print(
            "Loaded "
            + ", ".join(f"{n:,} {what} ({seconds:.1f} s)" for what, (n, seconds) in loaded.items())
            + f" in {time.perf_counter() - began:.1f} s, with COPY"
        )
        began = time.perf_counter()
        summary = goals_evaluate_all(today=timezone.localdate())
        print(f"Evaluated {summary.evaluated:,} goals in {time.perf_counter() - began:.1f} s")
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    differing = quarters_differing()
    print(
        f"Quarter ends recorded: {RecordedQuarter.objects.count()}, spans: {QuarterSpan.objects.count():,}; "
        + (f"DIFFERING FROM THE HISTORY: {differing}" if differing else "they agree with the history")
    )
    cache.clear()
    if not args.past_days_only:
        serve_and_drive(args, paths := _paths(args))
        cold_renders(paths)
    past_days_before_and_after()


def _paths(args) -> dict[str, str]:
    return {
        "static": "/static/public/site.css",
        "dashboard": "/",
        "goal list": "/goals/",
        "goal page": f"/goals/bench-{args.goals // 2}/",
        "api": "/api/goals.json",
        "feed": "/feeds/progress/",
    }


def past_days_before_and_after() -> None:
    """The dashboard on three past days (each a page of its own, so each a cache miss): judged afresh
    from the figures known then, as before the status spans (all spans set aside), then read from
    the spans, rebuilt meanwhile (timed: what rebuild_status_spans costs). Yesterday every figure
    was known; on 2025-06-30 and 2026-03-17 none was (each is published in the last 100 days), every
    figure dated before the day and published after it."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.goals.models import StatusSpan
    from apps.goals.services.spans import goals_spans_rebuild, spanned_goals, spans_rebuild_all
    from apps.goals.spans import rules_key

    yesterday = timezone.localdate() - timedelta(days=1)
    past_days = {
        "as of yesterday": f"/?as_of={yesterday}",
        "as of 2025-06-30": "/?as_of=2025-06-30",
        "as of 2026-03-17": "/?as_of=2026-03-17",
    }
    with transaction.atomic():
        StatusSpan.objects.all().delete()
        cold_renders(past_days, "Past days judged afresh (no status spans, as before)")
        transaction.set_rollback(True)
    current = StatusSpan.objects.filter(to_day__isnull=True, rule_version=rules_key(), through__gte=yesterday)
    if spanned_goals().exclude(pk__in=current.values("goal_id")).exists():
        began = time.perf_counter()
        written = spans_rebuild_all(through=timezone.localdate())
        print(
            f"\nStatus spans rebuilt for every goal: {written:,} spans in {time.perf_counter() - began:.1f} s"
        )
    sample = list(spanned_goals().order_by("pk").values_list("pk", flat=True)[:SPANS_SAMPLE])
    began = time.perf_counter()
    with transaction.atomic():
        goals_spans_rebuild(goal_ids=sample, through=timezone.localdate())
    took = time.perf_counter() - began
    print(
        f"\nStatus spans of {len(sample):,} goals rebuilt in {took:.1f} s "
        f"({took / len(sample) * 1000:.1f} ms a goal); "
        f"{StatusSpan.objects.count():,} spans for {spanned_goals().count():,} goals"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE goals_statusspan")
    cold_renders(past_days, "Past days read from the status spans")


def serve_and_drive(args, paths: dict[str, str]) -> None:
    """gunicorn as the Dockerfile runs it, each page driven by wrk after a static-file run."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "jinan_targets.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        cwd=BASE_DIR,
        # The server answers web requests: it keeps the web's short timeouts, as in production.
        env={**os.environ, "DATABASE_TIMEOUTS": "web"},
        start_new_session=True,
    )
    try:
        wait_until_up(base)
        for name, path in paths.items():
            with urllib.request.urlopen(base + path, timeout=120) as response:
                if response.status != 200:
                    raise SystemExit(f"{name}: {path} answered {response.status}")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        results: dict[str, list] = {name: [] for name in paths}
        print(
            f"\nwrk -t2 -c{args.connections} -d{args.seconds}s per page, "
            f"{args.rounds} rounds, each page after a static-file run:"
        )
        for round_number in range(1, args.rounds + 1):
            for name in paths:
                if name == "static":
                    continue
                for measured in ("static", name):
                    settle(base + paths["static"])
                    results[measured].append(
                        run_wrk(base + paths[measured], args.seconds, args.connections, script.name)
                    )
            print(f"  round {round_number} done")
        static_rps = median(r[0] for r in results["static"])
        print(f"\n  {'page':<12} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'× static':>9}")
        for name, runs in results.items():
            rps = median(r[0] for r in runs)
            print(
                f"  {name:<12} {rps:>9,.1f} {median(r[1] for r in runs):>8.1f} "
                f"{median(r[2] for r in runs):>8.1f} {sum(r[3] for r in runs):>7} {rps / static_rps:>9.3f}"
            )
        os.unlink(script.name)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
