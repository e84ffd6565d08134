"""The periodic jobs of settings.CELERY_BEAT_SCHEDULE: their rows for beat and the admin, one run of
each at a time, when each last succeeded, which are late, and which were missed while beat was down.

A scheduled task claims its JobRun row before it runs (a conditional update, as the review services
claim a state change) and records its success or failure there when it ends (jinan_targets.celery
wraps every scheduled task so; the tasks themselves know nothing of it). A second delivery of the task
while a run holds the claim does nothing. A claim older than the task's time limit belongs to a run
that was killed, and the next delivery takes it over."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from celery.exceptions import Retry
from celery.schedules import BaseSchedule, crontab, maybe_schedule
from celery.schedules import schedule as celery_schedule
from celery.utils.time import remaining
from django.conf import settings
from django.db.models import Case, F, Q, When
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A task with no time limit of its own is taken to be killed after this long.
LONGEST_RUN_WITHOUT_LIMIT = timedelta(minutes=30)
# Beyond its next due time and its longest run, how long a job may take to report success (beat's
# tick, the queue, a retry or two) before /healthz calls it late.
LATE_GRACE = timedelta(minutes=5)


class State:
    OK = "ok"  # succeeded since it was last due
    LATE = "late"  # due, and no success within its longest run and the grace after that
    NEVER = "never"  # no success recorded yet


@dataclass(frozen=True)
class Job:
    name: str  # the schedule's entry, as in the admin: "evaluate-all-goals-daily"
    task: str  # the task it starts: "apps.goals.tasks.evaluate_all_goals"
    schedule: BaseSchedule
    options: dict = field(default_factory=dict)


def scheduled_jobs() -> list[Job]:
    """Every job of settings.CELERY_BEAT_SCHEDULE, in the order it is declared there."""
    from .celery import app

    return [
        Job(
            name=name,
            task=entry["task"],
            schedule=maybe_schedule(entry["schedule"], app=app),
            options=entry.get("options", {}),
        )
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    ]


def scheduled_task_names() -> frozenset[str]:
    return frozenset(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values())


def longest_run(task_name: str) -> timedelta:
    """How long one run of the task may take: its hard time limit (the worker kills it then), else its
    soft one, else LONGEST_RUN_WITHOUT_LIMIT."""
    from .celery import app

    task = app.tasks.get(task_name)
    seconds = task and (task.time_limit or task.soft_time_limit)
    return timedelta(seconds=seconds) if seconds else LONGEST_RUN_WITHOUT_LIMIT


def next_due(schedule: BaseSchedule, after: datetime) -> datetime:
    """When the schedule first fires after `after`: a crontab's next tick, or `after` plus an interval."""
    if isinstance(schedule, crontab):
        start, delta, now = schedule.remaining_delta(after)
        return now + remaining(start, delta, now)
    if isinstance(schedule, celery_schedule):
        return after + schedule.run_every
    raise TypeError(f"no rule for when a {type(schedule).__name__} schedule is due")


def schedule_install() -> list[str]:
    """Write every job of settings.CELERY_BEAT_SCHEDULE into django-celery-beat's tables (the periodic
    tasks in the admin), as beat does when it starts; safe to run again. Returns the jobs' names."""
    from django_celery_beat.schedulers import ModelEntry

    from .celery import app

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        ModelEntry.from_entry(name, app=app, **entry)
    return list(settings.CELERY_BEAT_SCHEDULE)


def job_claim(*, task: str, now: datetime, held_for: timedelta) -> bool:
    """Claim the one run of `task` allowed at a time; False if a run started less than `held_for` ago
    holds it."""
    JobRun.objects.get_or_create(task=task)
    free = Q(running_since__isnull=True) | Q(running_since__lt=now - held_for)
    return JobRun.objects.filter(free, task=task).update(running_since=now, last_started_at=now) == 1


def _release(*, task: str, started: datetime, **outcome: Any) -> None:
    """Record how the run that started at `started` ended, and free the claim if it still holds it
    (a run that outlived its claim leaves the newer run's claim alone)."""
    still_ours = Case(When(running_since=started, then=None), default=F("running_since"))
    JobRun.objects.filter(task=task).update(running_since=still_ours, **outcome)


def job_run(task_name: str, run: Callable[[], T]) -> T | None:
    """Run a scheduled task's body once it holds the job's claim, and record its success or failure.
    None, without running it, while another run holds the claim."""
    started = timezone.now()
    if not job_claim(task=task_name, now=started, held_for=longest_run(task_name)):
        logger.info("%s is already running; this delivery does nothing", task_name)
        return None
    try:
        result = run()
    except Retry:  # sent again, to run later: neither a success nor yet a failure
        _release(task=task_name, started=started)
        raise
    except Exception as error:
        _release(
            task=task_name,
            started=started,
            last_failure_at=timezone.now(),
            last_error=f"{type(error).__name__}: {error}"[:1000],
        )
        raise
    _release(task=task_name, started=started, last_success_at=timezone.now())
    return result


def jobs_missed(*, now: datetime) -> list[Job]:
    """The jobs that were due since their last success (or have never succeeded) and are not running
    now: what beat sends as it starts, so a day's evaluation missed while it was down still runs."""
    runs = {run.task: run for run in JobRun.objects.all()}
    missed = []
    for job in scheduled_jobs():
        run = runs.get(job.task)
        if run is not None and run.running_since and run.running_since > now - longest_run(job.task):
            continue
        if run is None or run.last_success_at is None or next_due(job.schedule, run.last_success_at) <= now:
            missed.append(job)
    return missed


@dataclass(frozen=True)
class JobStatus:
    job: Job
    state: str
    last_success: datetime | None
    next_due: datetime | None  # the first time it was due after its last success
    last_failure: datetime | None

    def as_json(self) -> dict:
        def moment(value):
            return timezone.localtime(value).isoformat(timespec="seconds") if value else None

        return {
            "task": self.job.task,
            "state": self.state,
            "last_success": moment(self.last_success),
            "next_due": moment(self.next_due),
            "last_failure": moment(self.last_failure),
        }


def job_state(*, job: Job, last_success: datetime | None, now: datetime) -> tuple[str, datetime | None]:
    """The rule for late: a job is late once it has not succeeded by its next due time after its last
    success, plus its longest run and LATE_GRACE. Returns the state and that next due time."""
    if last_success is None:
        return State.NEVER, None
    due = next_due(job.schedule, last_success)
    late = now > due + longest_run(job.task) + LATE_GRACE
    return (State.LATE if late else State.OK), due


def jobs_status(*, now: datetime) -> list[JobStatus]:
    """Each scheduled job's state, from one read of the JobRun rows."""
    runs = {run.task: run for run in JobRun.objects.all()}
    statuses = []
    for job in scheduled_jobs():
        run = runs.get(job.task)
        last_success = run.last_success_at if run else None
        state, due = job_state(job=job, last_success=last_success, now=now)
        statuses.append(
            JobStatus(
                job=job,
                state=state,
                last_success=last_success,
                next_due=due,
                last_failure=run.last_failure_at if run else None,
            )
        )
    return statuses
