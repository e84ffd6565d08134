"""The periodic jobs (jinan_targets/jobs.py and the wrapping in jinan_targets/celery.py): the schedule's
rows, one run of a job at a time, its success and failure recorded, the jobs beat sends as it
starts, and when a job is late; /healthz reports them."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from apps.goals import tasks
from apps.goals.models import Goal
from jinan_targets import celery as jobs_celery
from jinan_targets.jobs import (
    LATE_GRACE,
    State,
    job_state,
    jobs_missed,
    longest_run,
    next_due,
    scheduled_jobs,
)
from jinan_targets.models import JobRun

from .factories import GoalFactory

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
DAILY = "evaluate-all-goals-daily"
EVERY_MINUTE = "evaluate-requested-goals"


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=BEIJING)


def job(name):
    return next(job for job in scheduled_jobs() if job.name == name)


@pytest.mark.django_db
def test_the_setup_command_writes_a_periodic_task_for_every_job_once():
    call_command("install_schedule")
    call_command("install_schedule")  # make run again

    rows = {row.name: row for row in PeriodicTask.objects.all()}
    assert set(rows) == set(settings.CELERY_BEAT_SCHEDULE)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert rows[name].task == entry["task"] and rows[name].enabled
    daily = rows[DAILY].crontab
    assert (daily.minute, daily.hour, str(daily.timezone)) == ("0", "1", "Asia/Shanghai")
    assert rows[EVERY_MINUTE].interval.every == 60


@pytest.mark.parametrize(
    "name, last_success, due",
    [
        (DAILY, at(2026, 12, 7, 1, 0, 4), at(2026, 12, 8, 1, 0)),
        (DAILY, at(2026, 12, 7, 0, 59), at(2026, 12, 7, 1, 0)),  # ran early by hand: due the same day
        ("send-weekly-digests", at(2026, 12, 7, 8, 0, 9), at(2026, 12, 14, 8, 0)),  # Mondays 08:00
        ("notify-goal-followers-hourly", at(2026, 12, 7, 10, 20), at(2026, 12, 7, 11, 15)),
        (EVERY_MINUTE, at(2026, 12, 7, 10, 20, 30), at(2026, 12, 7, 10, 21, 30)),
    ],
)
def test_a_job_is_next_due_at_its_schedules_first_time_after_its_last_success(name, last_success, due):
    with time_machine.travel(at(2026, 12, 7, 12, 0), tick=False):
        assert next_due(job(name).schedule, last_success) == due


def test_the_longest_run_is_the_tasks_hard_time_limit():
    assert longest_run(tasks.evaluate_all_goals.name) == datetime.timedelta(minutes=30)
    assert longest_run(tasks.evaluate_requested_goals.name) == datetime.timedelta(minutes=6)
    assert longest_run(tasks.send_owed_notices.name) == datetime.timedelta(minutes=4)  # soft limit only


@pytest.mark.parametrize(
    "name, last_success, now, state",
    [
        (DAILY, None, at(2026, 12, 8, 12, 0), State.NEVER),
        (DAILY, at(2026, 12, 7, 1, 0, 4), at(2026, 12, 8, 0, 59), State.OK),
        # due at 01:00, may take 30 minutes, 5 minutes' grace
        (DAILY, at(2026, 12, 7, 1, 0, 4), at(2026, 12, 8, 1, 35), State.OK),
        (DAILY, at(2026, 12, 7, 1, 0, 4), at(2026, 12, 8, 1, 35, 1), State.LATE),
        (DAILY, at(2026, 12, 8, 1, 0, 4), at(2026, 12, 8, 1, 35, 1), State.OK),
        # every minute, may take 6 minutes, 5 minutes' grace
        (EVERY_MINUTE, at(2026, 12, 8, 10, 0), at(2026, 12, 8, 10, 12), State.OK),
        (EVERY_MINUTE, at(2026, 12, 8, 10, 0), at(2026, 12, 8, 10, 12, 1), State.LATE),
    ],
)
def test_a_job_is_late_once_its_due_time_its_longest_run_and_the_grace_have_passed(
    name, last_success, now, state
):
    with time_machine.travel(now, tick=False):
        assert job_state(job=job(name), last_success=last_success, now=now)[0] == state
    assert LATE_GRACE == datetime.timedelta(minutes=5)


@pytest.mark.django_db
def test_healthz_lists_every_job_with_its_last_success_and_names_the_late_ones(client):
    JobRun.objects.create(task=tasks.evaluate_all_goals.name, last_success_at=at(2026, 12, 7, 1, 0, 4))
    JobRun.objects.create(task=tasks.evaluate_requested_goals.name, last_success_at=at(2026, 12, 8, 1, 59))

    with time_machine.travel(at(2026, 12, 8, 2, 0), tick=False):
        answer = client.get("/healthz")

    assert answer.status_code == 200  # a late job is reported, the site still serves
    health = answer.json()
    assert list(health["jobs"]) == list(settings.CELERY_BEAT_SCHEDULE)
    assert health["jobs"][DAILY] == {
        "task": "apps.goals.tasks.evaluate_all_goals",
        "state": "late",
        "last_success": "2026-12-07T01:00:04+08:00",
        "next_due": "2026-12-08T01:00:00+08:00",
        "last_failure": None,
    }
    assert health["jobs"][EVERY_MINUTE]["state"] == "ok"
    assert health["jobs"]["send-weekly-digests"] == {
        "task": "apps.digests.tasks.send_weekly_digests",
        "state": "never",
        "last_success": None,
        "next_due": None,
        "last_failure": None,
    }
    assert health["late"] == [DAILY]


@pytest.mark.django_db
def test_healthz_reads_the_jobs_in_one_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the data version, the jobs' runs
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_job_records_its_success_and_frees_its_claim():
    goal = GoalFactory()
    with time_machine.travel(at(2026, 12, 8, 1, 0, 2), tick=False):
        tasks.evaluate_all_goals.delay()

    run = JobRun.objects.get(task=tasks.evaluate_all_goals.name)
    assert run.last_success_at == run.last_started_at == at(2026, 12, 8, 1, 0, 2)
    assert run.running_since is None and run.last_failure_at is None
    assert Goal.objects.get(pk=goal.pk).status_evaluated_on == datetime.date(2026, 12, 8)


@pytest.mark.django_db
def test_a_second_delivery_does_nothing_while_a_run_holds_the_job():
    goal = GoalFactory()
    JobRun.objects.create(task=tasks.evaluate_all_goals.name, running_since=at(2026, 12, 8, 1, 0))

    with time_machine.travel(at(2026, 12, 8, 1, 29), tick=False):
        assert tasks.evaluate_all_goals.delay().get() is None

    assert Goal.objects.get(pk=goal.pk).status_evaluated_on is None
    run = JobRun.objects.get(task=tasks.evaluate_all_goals.name)
    assert run.running_since == at(2026, 12, 8, 1, 0) and run.last_success_at is None


@pytest.mark.django_db
def test_a_claim_older_than_the_time_limit_was_a_killed_run_and_is_taken_over():
    goal = GoalFactory()
    JobRun.objects.create(task=tasks.evaluate_all_goals.name, running_since=at(2026, 12, 8, 1, 0))

    with time_machine.travel(at(2026, 12, 8, 1, 30, 1), tick=False):
        tasks.evaluate_all_goals.delay()

    assert Goal.objects.get(pk=goal.pk).status_evaluated_on == datetime.date(2026, 12, 8)
    run = JobRun.objects.get(task=tasks.evaluate_all_goals.name)
    assert run.running_since is None and run.last_success_at == at(2026, 12, 8, 1, 30, 1)


@pytest.mark.django_db
def test_a_failed_run_records_why_and_frees_the_job(monkeypatch):
    def broken(**kwargs):
        raise ValueError("no figures table")

    monkeypatch.setattr(tasks, "reminders_send", broken)
    with pytest.raises(ValueError), time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        tasks.send_weekly_reminders.delay()

    run = JobRun.objects.get(task=tasks.send_weekly_reminders.name)
    assert run.last_failure_at == at(2026, 12, 7, 9, 0) and run.last_success_at is None
    assert run.last_error == "ValueError: no figures table" and run.running_since is None


@pytest.mark.django_db
def test_tasks_outside_the_schedule_keep_no_record():
    goal = GoalFactory()
    tasks.evaluate_goal.delay(goal.pk)
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_beat_sends_at_start_the_jobs_due_since_their_last_success_and_not_running(monkeypatch):
    now = at(2026, 12, 8, 10, 3)
    for name in settings.CELERY_BEAT_SCHEDULE:
        JobRun.objects.create(task=job(name).task, last_success_at=now - datetime.timedelta(seconds=30))
    # The daily evaluation last ran yesterday: today's 01:00 was missed while beat was down.
    JobRun.objects.filter(task=tasks.evaluate_all_goals.name).update(last_success_at=at(2026, 12, 7, 1, 0))
    # The reminders never succeeded, but a run is under way.
    JobRun.objects.filter(task=tasks.send_weekly_reminders.name).update(
        last_success_at=None, running_since=now - datetime.timedelta(minutes=1)
    )
    sent = []
    monkeypatch.setattr(jobs_celery.app, "send_task", lambda name, **options: sent.append(name))

    with time_machine.travel(now, tick=False):
        assert [missed.name for missed in jobs_missed(now=now)] == [DAILY]
        jobs_celery._send_missed_jobs(sender=None)

    assert sent == [tasks.evaluate_all_goals.name]


@pytest.mark.django_db
def test_on_a_fresh_database_beat_sends_every_job_at_start():
    assert [missed.name for missed in jobs_missed(now=at(2026, 12, 8, 10, 0))] == list(
        settings.CELERY_BEAT_SCHEDULE
    )
