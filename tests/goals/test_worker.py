"""The jobs on a real Celery worker and a real Redis: an approval committed here is picked up by a
worker process, which re-evaluates the goal in its own database connection; so does the daily job.
Needs TEST_REDIS_URL and PostgreSQL (DATABASE_URL); skipped without them unless REQUIRE_SERVICES=1."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from celery import Celery, current_app
from django.db import connection
from django.utils import timezone

from apps.goals import tasks
from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services import progress_review
from apps.goals.status import Status

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.worker
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
WAIT_SECONDS = 60
PROJECT = Path(__file__).resolve().parents[2]


def _missing_service(reason):
    if REQUIRED:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def _database_url() -> str:
    """The test database this process uses, for the worker to use too."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A `celery worker` subprocess on its own queue, and this process sending tasks to it."""
    if not REDIS_URL:
        _missing_service("TEST_REDIS_URL is not set")
    if connection.vendor != "postgresql":
        _missing_service("the worker test needs PostgreSQL (DATABASE_URL) so a worker can see committed rows")
    queue = f"jinan-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "jinan_targets.settings",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jinan_targets",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    # This process sends through an app of its own: the project's app has cached its (eager) routing.
    sender = Celery("jinan_targets", set_as_current=False)
    sender.config_from_object("django.conf:settings", namespace="CELERY")
    sender.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    previous = current_app._get_current_object()
    sender.set_current()
    try:
        yield lambda: log.read_text()
    finally:
        previous.set_current()
        sender.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        redis.Redis.from_url(REDIS_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )


def wait_until(condition, worker_log, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"no worker {what} within {WAIT_SECONDS} s; worker log:\n{worker_log()[-4000:]}")


def test_a_worker_re_evaluates_the_goal_after_approval_and_runs_the_daily_job(
    worker, department, recorder, reviewer
):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=200)
    goal = GoalFactory(
        lead_department=department, period_start=deadline - datetime.timedelta(days=365), deadline=deadline
    )
    other = GoalFactory(period_start=goal.period_start, deadline=deadline)
    update = ProgressUpdateFactory(goal=goal, as_of=today, value=Decimal("7000"), recorded_by=recorder)
    assert Goal.objects.get(pk=goal.pk).status_evaluated_on is None

    progress_review.progress_update_submit(update=update, user=recorder)
    progress_review.progress_update_approve(
        update=update, reviewer=reviewer
    )  # commits; on_commit sends the task

    assert ProgressUpdate.objects.get(pk=update.pk).review_state == ProgressUpdate.ReviewState.APPROVED
    wait_until(
        lambda: Goal.objects.get(pk=goal.pk).status == Status.ACHIEVED, worker, "evaluation of the goal"
    )

    tasks.evaluate_all_goals.delay()
    wait_until(lambda: Goal.objects.get(pk=other.pk).status_evaluated_on == today, worker, "daily job")
    assert Goal.objects.get(pk=other.pk).status == Status.STALE  # 165 days in, nothing reported
    assert Goal.objects.get(pk=goal.pk).status_changes.count() == 1
