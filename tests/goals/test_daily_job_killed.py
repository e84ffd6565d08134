"""The daily evaluation killed part way (SIGKILL, as when a worker is lost) is finished by the
catch-up within minutes, judging only the goals the killed run did not reach; and the catch-up acts
only once the daily run should be over."""

import datetime
import os
import signal
import subprocess
import sys
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from apps.goals.models import Goal
from apps.goals.services import daily_evaluation

PROJECT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
BATCH = daily_evaluation.WRITE_BATCH_SIZE
GOALS = 2 * BATCH + BATCH // 2  # three write batches: two full, one half
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _conninfo() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": db["NAME"],
    }


def _database_url() -> str:
    info = _conninfo()
    credentials = info["user"] + (f":{info['password']}" if info["password"] else "")
    return f"postgres://{credentials}@{info['host']}:{info['port']}/{info['dbname']}"


def _goals(today):
    Goal.objects.bulk_create(
        Goal(
            slug=f"killed-{n}",
            title=f"目标{n}",
            metric="新建5G基站",
            kind=Goal.Kind.INCREMENT,
            target_value=Decimal(100),
            unit="个",
            period_start=today - datetime.timedelta(days=100),
            deadline=today + datetime.timedelta(days=100),
            review_state=Goal.ReviewState.PUBLISHED,
        )
        for n in range(GOALS)
    )
    return list(Goal.objects.order_by("pk").values_list("pk", flat=True))


def _judged_today(today) -> int:
    return Goal.objects.filter(status_evaluated_on=today).count()


@pytest.mark.django_db(transaction=True)
def test_a_killed_daily_run_is_finished_by_the_catch_up():
    if connection.vendor != "postgresql":
        if REQUIRED:
            pytest.fail("REQUIRE_SERVICES=1 but the kill test needs PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL: the killed run is another process on the same database")
    today = timezone.localdate()
    ids = _goals(today)
    # Hold the last goal's row, so the run blocks in its last batch after committing the first two.
    with psycopg.connect(**_conninfo()) as holder:
        holder.execute("SELECT 1 FROM goals_goal WHERE id = %s FOR UPDATE", [ids[-1]])
        run = subprocess.Popen(
            [sys.executable, "manage.py", "evaluate_goals"],
            cwd=PROJECT,
            env={
                **os.environ,
                "DATABASE_URL": _database_url(),
                "DJANGO_SETTINGS_MODULE": "jinan_targets.settings",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while _judged_today(today) < 2 * BATCH and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.1)
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
        finally:
            if run.poll() is None:
                run.kill()
        holder.rollback()
    assert run.returncode == -signal.SIGKILL
    assert _judged_today(today) == 2 * BATCH  # two batches committed, the third died with the process

    summary = daily_evaluation.goals_evaluate_catch_up(now=_after_catch_up(today))

    assert summary.evaluated == GOALS - 2 * BATCH  # only the goals the killed run did not reach
    assert _judged_today(today) == GOALS
    assert daily_evaluation.goals_evaluate_catch_up(now=_after_catch_up(today)).evaluated == 0


def _after_catch_up(today) -> datetime.datetime:
    return datetime.datetime.combine(today, datetime.time(23, 0), tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_the_catch_up_waits_until_the_daily_run_should_be_over(settings):
    goal_day = datetime.date(2024, 7, 15)
    Goal.objects.create(
        slug="early",
        title="目标",
        metric="m",
        kind=Goal.Kind.INCREMENT,
        target_value=Decimal(1),
        period_start=datetime.date(2024, 1, 1),
        deadline=datetime.date(2024, 12, 31),
    )
    before = datetime.datetime.combine(goal_day, datetime.time(1, 10), tzinfo=SHANGHAI)
    after = datetime.datetime.combine(goal_day, datetime.time(1, 40), tzinfo=SHANGHAI)
    assert daily_evaluation.goals_evaluate_catch_up(now=before) is None
    assert daily_evaluation.goals_evaluate_catch_up(now=after).evaluated == 1
    assert Goal.objects.get().status_evaluated_on == goal_day
