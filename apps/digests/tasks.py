"""Celery task for the weekly digest: a thin wrapper around apps.digests.services.
Scheduled in settings.CELERY_BEAT_SCHEDULE (Mondays at 08:00 Beijing time)."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

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
