"""Celery tasks for the managers' digest and for followers: thin wrappers around apps.digests.services
and apps.digests.following (which start a task by its name, never importing this module).
Scheduled in settings.CELERY_BEAT_SCHEDULE (Mondays at 08:00 Beijing time; monthly subscribers get
theirs on the first Monday of the month)."""

import logging
from datetime import date

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed

from . import services
from .following import follow_confirmation_send, followers_notify
from .periods import Frequency, period_starting

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=5)
def send_weekly_digests() -> int:
    """Queue the digest due today (last week's; on a first Monday also last month's) for every
    subscriber who has not had it, in chunks of services.CHUNK_SIZE that the workers send in parallel.
    Returns how many subscribers were queued."""
    queued = 0
    for period, chunks in services.digest_chunks(today=timezone.localdate()):
        for chunk in chunks:
            send_digest_chunk.delay(chunk, period.start.isoformat(), str(period.frequency))
        queued += sum(len(chunk) for chunk in chunks)
        logger.info(
            "queued the %s digest of %s for %s subscribers",
            period.frequency,
            period.start,
            sum(len(chunk) for chunk in chunks),
        )
    return queued


@shared_task(
    autoretry_for=(DatabaseError, services.DigestsNotAllSent),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def send_digest_chunk(subscription_ids: list[int], week_start: str, frequency: str = Frequency.WEEKLY) -> int:
    """Send one chunk over one SMTP connection. A retry sends only those not sent yet."""
    period = period_starting(frequency, date.fromisoformat(week_start))
    sent = services.digests_send_chunk(subscription_ids=subscription_ids, period=period)
    logger.info("sent %s %s digests of %s", sent, frequency, week_start)
    return sent


@shared_task(autoretry_for=(DatabaseError, DeliveryFailed), retry_backoff=60, max_retries=5)
def send_follow_confirmation(follower_id: int) -> bool:
    """Email a new follower the link that confirms it (double opt-in)."""
    return follow_confirmation_send(follower_id=follower_id)


@shared_task(
    autoretry_for=(DatabaseError, DeliveryFailed),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def notify_goal_followers() -> int:
    """The hourly job: tell citizens following a goal or an indicator of its news, each once."""
    return followers_notify(now=timezone.now())
