"""The Celery tasks and the evaluate_goals command: thin entry points to the same services."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.goals import tasks
from apps.goals.models import Goal, ProgressUpdate, StatusChange
from apps.goals.status import Status
from jinan_targets.celery import app as celery_app

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal():
    goal = GoalFactory()
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("3600"),
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )
    return goal


def test_the_daily_schedule_names_the_daily_task():
    celery_app.loader.import_default_modules()
    scheduled = settings.CELERY_BEAT_SCHEDULE["evaluate-all-goals-daily"]
    assert scheduled["task"] == tasks.evaluate_all_goals.name
    assert scheduled["task"] in celery_app.tasks
    assert (scheduled["schedule"].hour, scheduled["schedule"].minute) == ({1}, {0})


def test_tasks_retry_database_errors_and_have_time_limits():
    for task in (tasks.evaluate_goal, tasks.evaluate_all_goals):
        assert task.max_retries and task.time_limit and task.soft_time_limit < task.time_limit
        assert task.autoretry_for


def test_the_daily_task_judges_on_todays_date_in_beijing(goal):
    # 20:00 UTC on 14 July is already 15 July in Jinan.
    with time_machine.travel(datetime.datetime(2024, 7, 14, 20, tzinfo=datetime.UTC), tick=False):
        tasks.evaluate_all_goals.delay()
    goal.refresh_from_db()
    assert (goal.status, goal.status_evaluated_on) == (Status.ON_TRACK, datetime.date(2024, 7, 15))


def test_evaluating_a_goal_deleted_meanwhile_is_not_an_error(goal):
    goal_id = goal.pk
    goal.delete()
    assert tasks.evaluate_goal.delay(goal_id).get() is None


def test_the_command_prints_counts_per_status_and_what_it_wrote(goal, capsys):
    GoalFactory()  # no figures: stale by mid-July

    call_command("evaluate_goals", "--date", "2024-07-15")
    call_command("evaluate_goals", "--date", "2024-07-15")

    first, second = capsys.readouterr().out.split("Evaluated")[1:]
    assert "1  on_track       进度正常 · On track" in first and "1  stale" in first
    assert "2 goals updated, 2 status changes recorded." in first
    assert "0 goals updated, 0 status changes recorded." in second
    assert StatusChange.objects.count() == 2


def test_a_dry_run_writes_nothing(goal, capsys):
    call_command("evaluate_goals", "--date", "2024-07-15", "--dry-run")
    assert "Dry run, nothing written: 1 goals would be updated" in capsys.readouterr().out
    assert Goal.objects.get(pk=goal.pk).status_evaluated_on is None


def test_the_command_defaults_to_today_in_beijing(goal):
    with time_machine.travel(
        datetime.datetime(2024, 7, 15, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False
    ):
        call_command("evaluate_goals")
    assert Goal.objects.get(pk=goal.pk).status_evaluated_on == datetime.date(2024, 7, 15)


@pytest.mark.parametrize("text", ["2024-13-01", "yesterday", "15/07/2024"])
def test_a_bad_date_is_refused_with_a_clear_message(text):
    with pytest.raises(
        CommandError, match=f"--date must be a date written YYYY-MM-DD, e.g. 2026-11-22; got '{text}'"
    ):
        call_command("evaluate_goals", "--date", text)
