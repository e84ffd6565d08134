"""Celery task for the weekly digest: a thin wrapper around apps.digests.services.
Scheduled in settings.CELERY_BEAT_SCHEDULE (Mondays at 08:00 Beijing time)."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError, services.DigestsNotAllSent),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def send_weekly_digests() -> int:
    """Email every subscriber last week's digest. A retry sends only those not sent yet."""
    sent = services.digests_send_weekly(today=timezone.localdate())
    logger.info("sent %s weekly digests", sent)
    return sent


@shared_task(autoretry_for=(DatabaseError, DeliveryFailed), retry_backoff=60, max_retries=5)
def send_follow_confirmation(follower_id: int) -> bool:
    """Email a new follower the link that confirms it (double opt-in)."""
    from .following import follow_confirmation_send

    return follow_confirmation_send(follower_id=follower_id)


@shared_task(
    autoretry_for=(DatabaseError, DeliveryFailed),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def notify_goal_followers() -> int:
    """The hourly job: tell citizens following a goal of its status changes and published figures."""
    from .following import followers_notify

    return followers_notify(now=timezone.now())
