"""Managers' digest: emailing each subscriber the digest of their last period (a week, or a month of
weeks) at most once, however often or however many at once the job runs. What a digest says is built
in apps.digests.building."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed, DeliveryUnknown, email_deliver
from apps.goals.models import DepartmentMembership

from .building import Digest, digest_build_for_scope
from .by_place import PlaceDigest, place_digest_build
from .emails import email_render
from .models import DigestDelivery, DigestSubscription
from .periods import Frequency, Period, is_due, last_period
from .scope import digest_scope, member_departments, scope_departments, subscription_scope
from .wire import WiredEmail, WireTemplate, wire_template

logger = logging.getLogger(__name__)


# Subscribers sent per task (one SMTP connection each); chunks run in parallel on the Celery workers.
CHUNK_SIZE = 500
# Deliveries claimed (and settled) per statement: a run killed mid-send leaves at most this many with
# an unknown outcome, for a query per this many emails instead of two per email.
BATCH_SIZE = 50
# How long a scope's rendered digest is kept for the other chunk tasks of the same run.
RENDERED_DIGEST_SECONDS = 30 * 60
# Stands for the subscriber's unsubscribe link while a digest is rendered once for many subscribers.
UNSUBSCRIBE_MARK = "UNSUBSCRIBE-LINK-OF-THIS-SUBSCRIBER"


# What a subscription's scope is read from, fetched with it: its departments and its reader's memberships.
SCOPE_LOOKUPS = (
    "departments",
    Prefetch("user__memberships", DepartmentMembership.objects.select_related("department")),
)


def digest_week_start(today: date) -> date:
    """The Monday of the last full week before `today`: the week the weekly digest sent on `today`
    reports."""
    return last_period(Frequency.WEEKLY, today).start


def digest_build(*, subscription: DigestSubscription, period: Period) -> Digest | PlaceDigest | None:
    """The digest of one subscription's period (see building.digest_build_for_scope), over the
    departments its reader may see (scope.py); None if there are none."""
    prefetch_related_objects([subscription], *SCOPE_LOOKUPS)
    scope = subscription_scope(subscription)
    if scope is None:
        return None
    departments = scope_departments(subscription, scope)
    if subscription.places_of_id is not None:
        return place_digest_build(place=subscription.places_of, departments=departments, period=period)
    return digest_build_for_scope(departments=departments, period=period)


# --- Sending ------------------------------------------------------------------------------------


class DigestsNotAllSent(Exception):
    """Some digests of a period failed to send; the rest went out. Running again sends only the
    missing ones."""


@dataclass(frozen=True)
class RenderedDigest:
    """A digest's email, rendered once for every subscriber of its scope, with UNSUBSCRIBE_MARK where
    each subscriber's own unsubscribe link goes, and its MIME form serialized once (wire; None where
    that cannot be done exactly, see apps.digests.wire)."""

    subject: str
    text: str
    html: str
    wire: WireTemplate | None = None


def digest_render(digest: Digest | PlaceDigest) -> RenderedDigest:
    context = {"digest": digest, "unsubscribe_url": UNSUBSCRIBE_MARK, "site_url": settings.SITE_URL}
    template = "place_digest" if isinstance(digest, PlaceDigest) else "weekly_digest"
    subject, text, html = email_render(template, context)
    template = EmailMultiAlternatives(
        subject, text, to=["subscriber@invalid"], headers=_list_headers(UNSUBSCRIBE_MARK)
    )
    template.attach_alternative(html, "text/html")
    return RenderedDigest(subject, text, html, wire_template(template, UNSUBSCRIBE_MARK))


def _list_headers(unsubscribe_url: str) -> dict:
    # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
    return {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _digest_message(subscription: DigestSubscription, rendered: RenderedDigest) -> EmailMultiAlternatives:
    unsubscribe_url = subscription.get_unsubscribe_url()
    text = rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url)
    to, headers = [subscription.user.email], _list_headers(unsubscribe_url)
    if rendered.wire is not None:
        message: EmailMultiAlternatives = WiredEmail(
            rendered.subject,
            text,
            to=to,
            headers=headers,
            wire=rendered.wire,
            unsubscribe_url=unsubscribe_url,
        )
    else:
        message = EmailMultiAlternatives(rendered.subject, text, to=to, headers=headers)
    message.attach_alternative(rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe_url), "text/html")
    return message


# --- Claiming and settling, a batch at a time ----------------------------------------------------


def _claim(subscription_ids: list[int], period: Period) -> dict[int, int]:
    """Claim this period's delivery for these subscribers in one committed statement (no transaction
    is open: each statement commits on its own) and return {subscription id: delivery id} for those
    claimed now; a subscriber another run already claimed is left out (the unique constraint)."""
    if not subscription_ids:
        return {}
    fields = [
        DigestDelivery._meta.get_field(name) for name in ("week_start", "frequency", "state", "claimed_at")
    ]
    shared = [
        field.get_db_prep_value(value, connection)
        for field, value in zip(
            fields,
            (period.start, str(period.frequency), DigestDelivery.State.SENDING, timezone.now()),
            strict=True,
        )
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("subscription_id", *(f.column for f in fields), "error"))
    rows = ", ".join(["(%s, %s, %s, %s, %s, '')"] * len(subscription_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(DigestDelivery._meta.db_table)} ({columns}) VALUES {rows} "
            f"ON CONFLICT DO NOTHING RETURNING {quote('id')}, {quote('subscription_id')}",
            [value for pk in subscription_ids for value in (pk, *shared)],
        )
        return {subscription_id: delivery_id for delivery_id, subscription_id in cursor.fetchall()}


def _settle_sent(delivery_ids: list[int]) -> None:
    if delivery_ids:
        DigestDelivery.objects.filter(pk__in=delivery_ids).update(
            state=DigestDelivery.State.SENT, sent_at=timezone.now()
        )


def _release(delivery_ids: list[int]) -> None:
    """Remove claims nothing was handed over for: a later run sends them."""
    if delivery_ids:
        DigestDelivery.objects.filter(pk__in=delivery_ids, state=DigestDelivery.State.SENDING).delete()


def _deliver_batch(batch: list, period: Period, rendered_for, connection=None) -> tuple[list, list]:
    """Email each subscription of `batch` its digest at most once: the deliveries are claimed in one
    committed statement before any mail goes out and settled in one after, with no database
    transaction open while the mail server is talked to. A failure before the server took a message
    releases that claim (a later run sends it); one after it marks the delivery "outcome unknown",
    never sent again blindly (staff see it in the admin). A run killed mid-batch leaves the claims of
    at most this batch "sending", shown as outcome unknown after STALE_CLAIM. `rendered_for(s)` gives
    a subscription's RenderedDigest; `connection` (an SMTP backend) is reused when given. Returns the
    subscriptions sent now and (subscription, error) pairs of those that failed."""
    claimed = _claim([subscription.pk for subscription in batch], period)
    sent, failed, sent_ids, unattempted = [], [], [], dict(claimed)
    try:
        for subscription in batch:
            delivery_id = unattempted.pop(subscription.pk, None)
            if delivery_id is None:
                continue  # another run has claimed it
            try:
                message = _digest_message(subscription, rendered_for(subscription))
                email_deliver(message, connection=connection)
            except DeliveryUnknown as error:
                logger.warning(
                    "digest of %s for %s: outcome unknown (%s)", period.start, subscription.user, error
                )
                DigestDelivery.objects.filter(pk=delivery_id).update(
                    state=DigestDelivery.State.UNKNOWN, error=str(error)
                )
                continue
            except Exception as error:  # nothing was handed over
                _release([delivery_id])
                failed.append((subscription, error))
                continue
            sent.append(subscription)
            sent_ids.append(delivery_id)
    finally:
        _settle_sent(sent_ids)
        _release(list(unattempted.values()))
    return sent, failed


def _delivered(period: Period):
    return DigestDelivery.objects.filter(week_start=period.start, frequency=period.frequency)


def digest_send(*, subscription: DigestSubscription, today: date) -> bool:
    """Email the subscriber the digest of their last period before `today` (by their frequency),
    unless it was already sent (then False). DeliveryFailed if the mail server did not take it."""
    period = last_period(subscription.frequency, today)
    if _delivered(period).filter(subscription=subscription).exists():
        return False
    digest = digest_build(subscription=subscription, period=period)
    if digest is None:  # its reader may see none of its departments (scope.py)
        return False
    rendered = digest_render(digest)
    sent, failed = _deliver_batch([subscription], period, lambda _: rendered)
    for _, error in failed:
        if isinstance(error, DeliveryFailed):
            raise error
        raise DeliveryFailed(str(error)) from error
    return bool(sent)


def due_periods(today: date) -> list[Period]:
    """The periods whose digests the job run on `today` sends: last week's always; last month's in the
    week after a month's first Monday."""
    return [last_period(frequency, today) for frequency in Frequency if is_due(frequency, today)]


def digest_chunks(*, today: date) -> list[tuple[Period, list[list[int]]]]:
    """For each period due on `today`, the deliverable subscriptions of its frequency that have not
    had it, as lists of at most CHUNK_SIZE ids (one task each), those of one scope (the same
    departments) together, so that a chunk builds one or two digests."""
    due = []
    for period in due_periods(today):
        chosen: dict[int, list[int]] = {}
        readers: dict[int, tuple[int, bool]] = {}
        for pk, department_id, user_id, is_superuser in (
            DigestSubscription.objects.deliverable()
            .filter(frequency=period.frequency)
            .exclude(pk__in=_delivered(period).values("subscription_id"))
            .values_list("pk", "departments", "user_id", "user__is_superuser")
        ):
            chosen.setdefault(pk, [])
            readers[pk] = (user_id, is_superuser)
            if department_id is not None:
                chosen[pk].append(department_id)
        member_of = member_departments({user_id for user_id, _ in readers.values()})
        scopes = {
            pk: digest_scope(
                departments,
                member_of=member_of.get(readers[pk][0], frozenset()),
                is_superuser=readers[pk][1],
            )
            for pk, departments in chosen.items()
        }
        # A reader who may see none of the departments gets no digest (scope.py).
        ids = sorted((pk for pk in scopes if scopes[pk] is not None), key=lambda pk: (scopes[pk], pk))
        if ids:
            due.append((period, [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]))
    return due


def _rendered_for_scope(period: Period, departments: list, sections: dict, place=None) -> RenderedDigest:
    """The scope's digest for this period (by place when `place` is given), built and rendered once
    per run: kept in the shared cache a short while, so that the chunk tasks of a run (on any worker)
    build each scope once."""
    scope = "-".join(str(department.pk) for department in departments) or "all"
    if place is not None:
        scope = f"{scope}:places-of-{place.pk}"
    key = f"digest:{period.frequency}:{period.start:%Y-%m-%d}:{scope}:{settings.SITE_URL}"
    rendered = cache.get(key)
    if rendered is None:
        if place is not None:
            digest: Digest | PlaceDigest = place_digest_build(
                place=place, departments=departments, period=period
            )
        else:
            digest = digest_build_for_scope(departments=departments, period=period, sections=sections)
        rendered = digest_render(digest)
        cache.set(key, rendered, RENDERED_DIGEST_SECONDS)
    return rendered


def _send_chunk(subscription_ids: list[int], period: Period, rendered_by_scope: dict) -> tuple[int, list]:
    """Send to these subscriptions over one SMTP connection, BATCH_SIZE claims at a time; each scope's
    digest is built and rendered once (kept in `rendered_by_scope` and the cache). Returns how many
    were sent and which failed."""
    subscriptions = list(
        DigestSubscription.objects.deliverable()
        .filter(pk__in=subscription_ids, frequency=period.frequency)
        .exclude(pk__in=_delivered(period).values("subscription_id"))
        .select_related("user", "places_of")
        .prefetch_related(*SCOPE_LOOKUPS)
        .order_by("pk")
    )
    scopes = {subscription.pk: subscription_scope(subscription) for subscription in subscriptions}
    subscriptions = [subscription for subscription in subscriptions if scopes[subscription.pk] is not None]
    sections = rendered_by_scope.setdefault("sections", {})

    def rendered_for(subscription):
        scope = scopes[subscription.pk]
        key = (period, scope, subscription.places_of_id)
        if key not in rendered_by_scope:
            rendered_by_scope[key] = _rendered_for_scope(
                period, scope_departments(subscription, scope), sections, subscription.places_of
            )
        return rendered_by_scope[key]

    sent, failed = 0, []
    connection = get_connection(fail_silently=False)
    try:
        for i in range(0, len(subscriptions), BATCH_SIZE):
            batch_sent, batch_failed = _deliver_batch(
                subscriptions[i : i + BATCH_SIZE], period, rendered_for, connection
            )
            sent += len(batch_sent)
            for subscription, error in batch_failed:
                logger.error(
                    "digest of %s for %s was not sent: %s",
                    period.start,
                    subscription.user,
                    error,
                    exc_info=error,
                )
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
