"""Celery tasks for goals: thin wrappers that take ids and call apps.goals.services.evaluation.
The daily run is scheduled in settings.CELERY_BEAT_SCHEDULE."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .models import Goal

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
    from .services.evaluation import goal_evaluate  # services start this task: import at call time

    try:
        evaluation = goal_evaluate(goal_id=goal_id, today=timezone.localdate())
    except Goal.DoesNotExist:
        logger.info("goal %s was deleted before it could be evaluated", goal_id)
        return None
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
    from .services.evaluation import goals_evaluate_all

    summary = goals_evaluate_all(today=timezone.localdate())
    logger.info("%s", summary)
    return str(summary)
