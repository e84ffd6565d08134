"""Managers' digest: emailing each subscriber the digest of their last period (a week, or a month of
weeks) at most once, however often or however many at once the job runs. What a digest says is built
in apps.digests.building."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed, DeliveryUnknown, email_deliver

from .building import LIST_LIMIT, Digest, digest_build_for_scope
from .emails import email_render
from .models import DigestDelivery, DigestSubscription
from .periods import Frequency, Period, is_due, last_period

logger = logging.getLogger(__name__)

__all__ = ["LIST_LIMIT", "digest_build_for_scope"]

# Subscribers sent per task (one SMTP connection each); chunks run in parallel on the Celery workers.
CHUNK_SIZE = 500
# Stands for the subscriber's unsubscribe link while a digest is rendered once for many subscribers.
UNSUBSCRIBE_MARK = "UNSUBSCRIBE-LINK-OF-THIS-SUBSCRIBER"


def digest_week_start(today: date) -> date:
    """The Monday of the last full week before `today`: the week the weekly digest sent on `today`
    reports."""
    return last_period(Frequency.WEEKLY, today).start


def digest_build(*, subscription: DigestSubscription, period: Period) -> Digest:
    """The digest of one subscription's period (see building.digest_build_for_scope)."""
    return digest_build_for_scope(departments=list(subscription.departments.all()), period=period)


# --- Sending ------------------------------------------------------------------------------------


class DigestsNotAllSent(Exception):
    """Some digests of a period failed to send; the rest went out. Running again sends only the
    missing ones."""


@dataclass(frozen=True)
class RenderedDigest:
    """A digest's email, rendered once for every subscriber of its scope, with UNSUBSCRIBE_MARK where
    each subscriber's own unsubscribe link goes."""

    subject: str
    text: str
    html: str


def digest_render(digest: Digest) -> RenderedDigest:
    context = {"digest": digest, "unsubscribe_url": UNSUBSCRIBE_MARK, "site_url": settings.SITE_URL}
    return RenderedDigest(*email_render("weekly_digest", context))


def _digest_message(subscription: DigestSubscription, rendered: RenderedDigest) -> EmailMultiAlternatives:
    unsubscribe_url = subscription.get_unsubscribe_url()
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url),
        to=[subscription.user.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe_url), "text/html")
    return message


def _deliver(subscription, period: Period, rendered: RenderedDigest, connection=None) -> bool:
    """Email one subscriber their digest at most once; True if it was sent now. The delivery is
    claimed (a committed row, unique per subscriber and period) before any mail is sent and settled
    after, with no database transaction open while the mail server is talked to. A failure before the
    server took the message releases the claim and raises DeliveryFailed (a retry sends); a failure
    after it marks the delivery "outcome unknown" and returns False: it is not sent again blindly,
    staff see it in the admin. `connection` (an SMTP backend) is reused when given."""
    message = _digest_message(subscription, rendered)
    try:
        with transaction.atomic():
            delivery = DigestDelivery.objects.create(
                subscription=subscription,
                week_start=period.start,
                frequency=period.frequency,
                state=DigestDelivery.State.SENDING,
            )
    except IntegrityError:
        return False  # another run claimed this period between the check above and the insert
    try:
        email_deliver(message, connection=connection)
    except DeliveryFailed:
        DigestDelivery.objects.filter(pk=delivery.pk, state=DigestDelivery.State.SENDING).delete()
        raise
    except DeliveryUnknown as error:
        logger.warning("digest of %s for %s: outcome unknown (%s)", period.start, subscription.user, error)
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            state=DigestDelivery.State.UNKNOWN, error=str(error)
        )
        return False
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        state=DigestDelivery.State.SENT, sent_at=timezone.now()
    )
    return True


def _delivered(period: Period):
    return DigestDelivery.objects.filter(week_start=period.start, frequency=period.frequency)


def digest_send(*, subscription: DigestSubscription, today: date) -> bool:
    """Email the subscriber the digest of their last period before `today` (by their frequency),
    unless it was already sent (then False)."""
    period = last_period(subscription.frequency, today)
    if _delivered(period).filter(subscription=subscription).exists():
        return False
    digest = digest_build(subscription=subscription, period=period)
    return _deliver(subscription, period, digest_render(digest))


def due_periods(today: date) -> list[Period]:
    """The periods whose digests the job run on `today` sends: last week's always; last month's in the
    week after a month's first Monday."""
    return [last_period(frequency, today) for frequency in Frequency if is_due(frequency, today)]


def digest_chunks(*, today: date) -> list[tuple[Period, list[list[int]]]]:
    """For each period due on `today`, the deliverable subscriptions of its frequency that have not
    had it, as lists of at most CHUNK_SIZE ids (one task each)."""
    due = []
    for period in due_periods(today):
        ids = list(
            DigestSubscription.objects.deliverable()
            .filter(frequency=period.frequency)
            .exclude(pk__in=_delivered(period).values("subscription_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if ids:
            due.append((period, [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]))
    return due


def _send_chunk(subscription_ids: list[int], period: Period, rendered_by_scope: dict) -> tuple[int, list]:
    """Send to these subscriptions over one SMTP connection; each scope's digest is built and rendered
    once (kept in `rendered_by_scope`, with the departments' sections). Returns how many were sent and
    which failed."""
    subscriptions = (
        DigestSubscription.objects.deliverable()
        .filter(pk__in=subscription_ids, frequency=period.frequency)
        .exclude(pk__in=_delivered(period).values("subscription_id"))
        .select_related("user")
        .prefetch_related("departments")
        .order_by("pk")
    )
    sections = rendered_by_scope.setdefault("sections", {})
    sent, failed = 0, []
    connection = get_connection(fail_silently=False)
    try:
        for subscription in subscriptions:
            departments = sorted(subscription.departments.all(), key=lambda department: department.pk)
            scope = (period, tuple(department.pk for department in departments))
            try:
                if scope not in rendered_by_scope:
                    digest = digest_build_for_scope(departments=departments, period=period, sections=sections)
                    rendered_by_scope[scope] = digest_render(digest)
                sent += _deliver(subscription, period, rendered_by_scope[scope], connection)
            except Exception:
                logger.exception("digest of %s for %s was not sent", period.start, subscription.user)
                failed.append(subscription.pk)
    finally:
        try:
            connection.close()
        except Exception:  # a server gone away after the last message changes nothing sent
            logger.warning("closing the SMTP connection failed", exc_info=True)
    return sent, failed


def _not_all_sent(period: Period, sent: int, failed: list) -> DigestsNotAllSent:
    return DigestsNotAllSent(
        f"{len(failed)} {period.frequency} digests of the period from {period.start:%Y-%m-%d} were not "
        f"sent (subscriptions {', '.join(map(str, failed))}); {sent} were."
    )


def digests_send_chunk(*, subscription_ids: list[int], period: Period) -> int:
    """One task's share of the digests; DigestsNotAllSent at the end if any failed."""
    sent, failed = _send_chunk(subscription_ids, period, {})
    if failed:
        raise _not_all_sent(period, sent, failed)
    return sent


def digests_send_due(*, today: date) -> int:
    """Send every deliverable subscription whose digest is due on `today` (see digest_chunks) the
    digest of its last period, in this process, chunk after chunk; returns how many were sent now.
    One failure does not stop the others: they are sent, and DigestsNotAllSent is raised at the end so
    the job is retried for the missing ones. (The weekly task spreads the same chunks over the workers
    instead.)"""
    sent, failed, rendered_by_scope = 0, [], {}
    for period, chunks in digest_chunks(today=today):
        period_failed = []
        for chunk in chunks:
            chunk_sent, chunk_failed = _send_chunk(chunk, period, rendered_by_scope)
            sent, period_failed = sent + chunk_sent, period_failed + chunk_failed
        if period_failed:
            failed.append(_not_all_sent(period, sent, period_failed))
    if failed:
        raise DigestsNotAllSent(" ".join(str(error) for error in failed))
    return sent


def digest_subscription_deactivate(*, subscription: DigestSubscription) -> None:
    """Stop the digest (unsubscribe link, or a mail client's one-click unsubscribe). Doing it twice is
    fine."""
    DigestSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
