"""Citizens following a goal by email: asking (a confirmation email, double opt-in), confirming,
stopping (one click), and the job that tells each follower when the goal's status changes or a figure
of it is published. Each email is a FollowerNotice claimed before sending, so it goes once however
often or concurrently the job runs; no email is sent inside a transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed, DeliveryUnknown, email_deliver
from apps.goals.emails import email_render
from apps.goals.models import Goal, ProgressUpdate, StatusChange
from apps.goals.status import status_label
from apps.goals.units import plain_decimal

from .models import FollowerNotice, GoalFollower

logger = logging.getLogger(__name__)

# How far back the job looks for news; it runs hourly, so a day's outage loses nothing.
LOOK_BACK = timedelta(days=7)


def goal_follow_request(*, goal: Goal, email: str) -> GoalFollower:
    """Ask to follow `goal` at `email`. A new (or previously stopped) follower is sent a confirmation
    link after the commit; an address already following gets nothing, and the page says the same
    either way, so it tells no one who follows what."""
    email = email.strip().lower()
    with transaction.atomic():
        follower, created = GoalFollower.objects.get_or_create(goal=goal, email=email)
        if not created and follower.unsubscribed_at is not None:
            follower.unsubscribed_at = follower.confirmed_at = None
            follower.save(update_fields=["unsubscribed_at", "confirmed_at"])
        if follower.confirmed_at is None:
            from . import tasks  # tasks call this module's functions

            follower_id = follower.pk
            transaction.on_commit(lambda: tasks.send_follow_confirmation.delay(follower_id))
    return follower


def goal_follow_confirm(*, follower: GoalFollower) -> bool:
    """The address confirmed: news of the goal from now on. True if this confirmed it."""
    return bool(
        GoalFollower.objects.filter(pk=follower.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), unsubscribed_at=None
        )
    )


def goal_follow_stop(*, follower: GoalFollower) -> None:
    GoalFollower.objects.filter(pk=follower.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def _send_once(*, follower: GoalFollower, key: str, template: str, context: dict) -> bool:
    """Claim (follower, key), send, settle; False when already claimed. A failure before the server
    took the message gives the claim back; an unknown outcome keeps it (never sent twice blindly)."""
    context = {**context, "follower": follower, "goal": follower.goal, "site_url": settings.SITE_URL}
    subject, text, html = email_render(template, context)
    message = EmailMultiAlternatives(subject, text, to=[follower.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["List-Unsubscribe"] = f"<{follower.get_stop_url()}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    try:
        with transaction.atomic(durable=True):
            notice = FollowerNotice.objects.create(follower=follower, key=key)
    except IntegrityError:
        return False
    try:
        email_deliver(message)
    except DeliveryFailed:
        FollowerNotice.objects.filter(pk=notice.pk).delete()
        raise
    except DeliveryUnknown as error:
        logger.warning("follower notice %s to %s: outcome unknown (%s)", key, follower.email, error)
        return False
    FollowerNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


def follow_confirmation_send(*, follower_id: int) -> bool:
    follower = (
        GoalFollower.objects.select_related("goal").filter(pk=follower_id, confirmed_at__isnull=True).first()
    )
    if follower is None:
        return False
    return _send_once(
        follower=follower,
        key=f"confirm:{follower.token[:40]}",
        template="follow_confirm",
        context={"confirm_url": follower.get_confirm_url()},
    )


def followers_notify(*, now: datetime) -> int:
    """Tell every confirmed follower of each published goal's status changes and approved figures
    since they confirmed (looking back LOOK_BACK); returns the emails sent now."""
    since = now - LOOK_BACK
    followers = list(
        GoalFollower.objects.following()
        .filter(goal__review_state=Goal.ReviewState.PUBLISHED)
        .select_related("goal")
    )
    if not followers:
        return 0
    goal_ids = {f.goal_id for f in followers}
    changes = StatusChange.objects.filter(goal_id__in=goal_ids, changed_at__gte=since).order_by(
        "changed_at", "pk"
    )
    figures = (
        ProgressUpdate.objects.approved()
        .filter(goal_id__in=goal_ids, reviewed_at__gte=since)
        .order_by("reviewed_at", "pk")
    )
    events: dict[int, list[tuple]] = {}
    for change in changes:
        events.setdefault(change.goal_id, []).append((change.changed_at, f"status:{change.pk}", change))
    for figure in figures:
        events.setdefault(figure.goal_id, []).append((figure.reviewed_at, f"figure:{figure.pk}", figure))
    sent_keys = set(FollowerNotice.objects.filter(follower__in=followers).values_list("follower_id", "key"))
    sent = 0
    for follower in followers:
        for moment, key, event in sorted(events.get(follower.goal_id, []), key=lambda e: (e[0], e[1])):
            if moment < follower.confirmed_at or (follower.pk, key) in sent_keys:
                continue
            sent += _send_once(
                follower=follower, key=key, template="goal_news", context=_news(event, follower.goal)
            )
    return sent


def _news(event, goal: Goal) -> dict:
    if isinstance(event, StatusChange):
        return {
            "is_status": True,
            "from_zh": status_label(event.from_status, "zh") if event.from_status else "—",
            "from_en": status_label(event.from_status, "en") if event.from_status else "—",
            "to_zh": status_label(event.to_status, "zh"),
            "to_en": status_label(event.to_status, "en"),
            "explanation_zh": event.explanation_zh,
            "explanation_en": event.explanation_en,
            "goal_url": settings.SITE_URL + goal.get_absolute_url(),
        }
    return {
        "is_status": False,
        "value": "—" if event.value is None else f"{plain_decimal(event.value)} {goal.unit}".strip(),
        "as_of": event.as_of,
        "is_final": event.is_final,
        "goal_url": settings.SITE_URL + goal.get_absolute_url() + f"#update-{event.pk}",
    }
