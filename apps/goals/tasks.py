"""Celery tasks for goals: thin wrappers that take ids and call the services. Services never import
this module: they start a task by its name (services.broker.task_start). The daily run is scheduled
in settings.CELERY_BEAT_SCHEDULE."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .delivery import DeliveryFailed
from .models import Goal
from .services.baselines import goals_baselines_fill
from .services.daily_evaluation import goals_evaluate_all, goals_evaluate_catch_up
from .services.evaluation import goal_evaluate, goals_evaluate_requested
from .services.explanations import explanations_request
from .services.notifications import (
    explanation_requests_notify,
    goal_explanation_notify,
    notices_owed_send,
    progress_update_notify,
)
from .services.reminders import reminders_send

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def evaluate_goal(goal_id: int) -> str | None:
    """Re-judge one goal, e.g. after one of its progress updates was approved."""

    try:
        evaluation = goal_evaluate(goal_id=goal_id, today=timezone.localdate())
    except Goal.DoesNotExist:
        logger.info("goal %s was deleted before it could be evaluated", goal_id)
        return None
    explanations_request(today=timezone.localdate(), goal_ids=[goal_id])
    return str(evaluation.status)


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def evaluate_all_goals() -> str:
    """The daily job: judge every goal on today's date (deadlines passed, figures gone stale)."""

    goals_baselines_fill()
    summary = goals_evaluate_all(today=timezone.localdate())
    logger.info("%s", summary)
    asked = explanations_request(today=timezone.localdate())
    logger.info("asked for %s explanations of goals gone red", len(asked))
    return str(summary)


# Mail to staff: each notice is claimed before sending (StaffNotice), so a retry sends only what did
# not go; SMTP trouble (OSError, smtplib errors) is retried with back-off.
MAIL_RETRY = {
    "autoretry_for": (DatabaseError, OSError, DeliveryFailed),
    "retry_backoff": 30,
    "max_retries": 5,
    "soft_time_limit": 120,
    "time_limit": 180,
}


@shared_task(**MAIL_RETRY)
def notify_progress_review(update_id: int, kind: str, stamp: str) -> int:
    """Email the people who act next on a figure's review step."""

    return progress_update_notify(update_id=update_id, kind=kind, stamp=stamp)


@shared_task(**MAIL_RETRY)
def notify_explanation(explanation_id: int, kind: str, stamp: str) -> int:
    """Email the people who act next on an explanation's step."""

    return goal_explanation_notify(explanation_id=explanation_id, kind=kind, stamp=stamp)


@shared_task(**MAIL_RETRY)
def notify_explanations_requested(_unused_id: int, kind: str, stamp: str) -> int:
    """Email each recorder, once, the explanations asked of their departments they were not told of."""

    return explanation_requests_notify(stamp=stamp)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, soft_time_limit=4 * 60)
def send_owed_notices() -> int:
    """The sweep, every five minutes: send the review emails whose task the broker never got."""

    return notices_owed_send(now=timezone.now())


@shared_task(**{**MAIL_RETRY, "soft_time_limit": 25 * 60, "time_limit": 30 * 60})
def send_weekly_reminders() -> int:
    """The weekly job: tell each recorder what their goals need (stale, figure due, deadline near,
    explanation due). Safe to run twice: one reminder per recorder and week."""

    return reminders_send(today=timezone.localdate())


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def request_explanations() -> int:
    """Ask for an explanation of every goal that has turned off track or missed and has not been asked."""

    return len(explanations_request(today=timezone.localdate()))


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def evaluate_requested_goals() -> int:
    """The sweep, every minute: judge goals an approval marked whose own task never ran (broker down)."""

    return goals_evaluate_requested(today=timezone.localdate())


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def evaluate_all_goals_catch_up() -> str:
    """Every ten minutes: finish a daily evaluation that was killed part way (a worker lost, a
    deploy); a broker redelivers an unacknowledged task only after its visibility timeout (an hour)."""

    summary = goals_evaluate_catch_up(now=timezone.now())
    if summary is not None and summary.evaluated:
        logger.info("daily evaluation caught up: %s", summary)
    return str(summary)
