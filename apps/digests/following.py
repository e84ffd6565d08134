"""Citizens following a goal, or an indicator (every published goal on it), by email: asking (a
confirmation email, double opt-in), confirming, stopping (one click), and the job that tells each
follower when a followed goal's status changes or a figure of it is published. Each email is a
FollowerNotice claimed before sending, so it goes once however often or concurrently the job runs;
no email is sent inside a transaction."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed, DeliveryUnknown, email_deliver
from apps.goals.emails import email_render
from apps.goals.models import Goal, Indicator, ProgressUpdate, StatusChange
from apps.goals.observations import period_covers
from apps.goals.status import status_label
from apps.goals.units import amount_text

from .models import Follower, FollowerNotice, new_unsubscribe_token

logger = logging.getLogger(__name__)

# The task that sends a new follower's confirmation (apps.digests.tasks), started by name: the task
# module calls this one, not the other way round.
CONFIRMATION_TASK = "apps.digests.tasks.send_follow_confirmation"
# How far back the job looks for news; it runs hourly, so a day's outage loses nothing.
LOOK_BACK = timedelta(days=7)

PUBLISHED = Goal.ReviewState.PUBLISHED


class FollowLimited(Exception):
    """Too many follow requests from one client this hour (FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR)."""


def _counted_within(key: str, limit: int, seconds: int) -> bool:
    """Count one more under `key` in the shared cache for a window of `seconds`; True while the count
    is within `limit`. A cache that fails counts as over the limit: no email is better than a flood."""
    window = int(timezone.now().timestamp()) // seconds
    key = f"{key}:{window}"
    try:
        cache.add(key, 0, timeout=seconds * 2)
        return cache.incr(key) <= limit
    except Exception:  # the cache down or timing out: refuse rather than flood
        logger.warning("follow limits: the cache did not answer for %s", key, exc_info=True)
        return False


def _address_key(email: str) -> str:
    return "follow:address:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def follow_request(
    *, email: str, goal: Goal | None = None, indicator: Indicator | None = None, client: str = ""
) -> Follower:
    """Ask to follow `goal` or `indicator` at `email`. A new (or previously stopped) follower is sent a
    confirmation link after the commit; an address already following gets nothing, and the page says
    the same either way, so it tells no one who follows what.

    Against a mailbox flooded by strangers: `client` (the asker's IP address) may ask
    FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR times an hour (FollowLimited beyond), and an address gets at
    most FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY confirmation emails a day; each lists everything
    the address asked for and not yet confirmed, and its link confirms them together."""
    if (goal is None) == (indicator is None):
        raise ValueError("follow a goal or an indicator, exactly one")
    if not _counted_within(f"follow:client:{client}", settings.FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR, 3600):
        raise FollowLimited(client)
    email = email.strip().lower()
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(goal=goal, indicator=indicator, email=email)
        if not created and follower.unsubscribed_at is not None:
            # Asked again after stopping: a fresh token, so a fresh confirmation (the old one was
            # claimed once already) and the old links no longer work.
            follower.unsubscribed_at = follower.confirmed_at = None
            follower.token = new_unsubscribe_token()
            follower.save(update_fields=["unsubscribed_at", "confirmed_at", "token"])
        if follower.confirmed_at is None and _counted_within(
            _address_key(email), settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY, 24 * 3600
        ):
            confirmation = current_app.signature(CONFIRMATION_TASK, args=(follower.pk,))
            transaction.on_commit(confirmation.delay)
    return follower


def follow_pending(*, follower: Follower) -> list[Follower]:
    """Everything `follower`'s address asked to follow and has not confirmed (nor stopped), itself
    first: what a confirmation email lists and its link confirms."""
    others = (
        Follower.objects.filter(email=follower.email, confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        .exclude(pk=follower.pk)
        .select_related("goal", "indicator")
        .order_by("created_at", "pk")
    )
    return [follower, *others]


def follow_confirm(*, follower: Follower, also: list[int] | tuple[int, ...] = ()) -> bool:
    """The address confirmed: news from now on, for `follower` and for those of `also` (the ids its
    confirmation page listed) that the same address asked for and has not confirmed. True if this
    confirmed the follower."""
    now = timezone.now()
    confirmed = Follower.objects.filter(pk=follower.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, unsubscribed_at=None
    )
    Follower.objects.filter(
        pk__in=also, email=follower.email, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).update(confirmed_at=now)
    return bool(confirmed)


def follow_stop(*, follower: Follower) -> None:
    Follower.objects.filter(pk=follower.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def _send_once(*, follower: Follower, key: str, template: str, context: dict) -> bool:
    """Claim (follower, key), send, settle; False when already claimed. A failure before the server
    took the message gives the claim back; an unknown outcome keeps it (never sent twice blindly)."""
    context = {
        **context,
        "follower": follower,
        "followed_title": follower.followed_title,
        "followed_url": settings.SITE_URL + follower.followed.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
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
        Follower.objects.select_related("goal", "indicator")
        .filter(pk=follower_id, confirmed_at__isnull=True)
        .first()
    )
    if follower is None:
        return False
    return _send_once(
        follower=follower,
        key=f"confirm:{follower.token[:40]}",
        template="follow_confirm",
        context={
            "confirm_url": follower.get_confirm_url(),
            "asked": [
                (
                    asked.followed_title,
                    settings.SITE_URL + asked.followed.get_absolute_url(),
                    asked.follows_indicator,
                )
                for asked in follow_pending(follower=follower)
            ],
        },
    )


def followers_notify(*, now: datetime) -> int:
    """Tell every confirmed follower of the status changes and approved figures of the published goals
    they follow since they confirmed, looking back LOOK_BACK; returns the emails sent now. A goal's
    figures include those reported for its indicator within its period (as its page shows them); an
    indicator's news is that of every published goal on it and its own figures."""
    since = now - LOOK_BACK
    followers = list(
        Follower.objects.following()
        .filter(Q(goal__review_state=PUBLISHED) | Q(indicator__isnull=False))
        .select_related("goal", "indicator")
    )
    if not followers:
        return 0
    goal_ids = {f.goal_id for f in followers if f.goal_id}
    indicator_ids = {f.indicator_id for f in followers if f.indicator_id}
    # Followed goals by their indicator, for the figures reported once for an indicator.
    goals_on: dict[int, dict[int, Goal]] = {}
    for follower in followers:
        if follower.goal_id and follower.goal.indicator_id:
            goals_on.setdefault(follower.goal.indicator_id, {})[follower.goal_id] = follower.goal
    changes = (
        StatusChange.objects.filter(
            Q(goal_id__in=goal_ids) | Q(goal__indicator_id__in=indicator_ids, goal__review_state=PUBLISHED),
            changed_at__gte=since,
            is_sample=False,  # a verdict resting on a sample figure is no news
        )
        .select_related("goal")
        .order_by("changed_at", "pk")
    )
    figures = (
        ProgressUpdate.objects.approved()
        .filter(
            Q(goal_id__in=goal_ids)
            | Q(goal__indicator_id__in=indicator_ids, goal__review_state=PUBLISHED)
            | Q(indicator_id__in=indicator_ids | goals_on.keys(), goal__isnull=True),
            reviewed_at__gte=since,
            is_sample=False,
        )
        .select_related("goal", "indicator")
        .order_by("reviewed_at", "pk")
    )
    # News by what is followed: ("goal", id) for a goal's followers, ("indicator", id) for an indicator's.
    news: dict[tuple[str, int], list[tuple]] = {}
    for change in changes:
        for followed in (("goal", change.goal_id), ("indicator", change.goal.indicator_id)):
            news.setdefault(followed, []).append((change.changed_at, f"status:{change.pk}", change))
    for figure in figures:
        if figure.goal_id:
            followed_as = [("goal", figure.goal_id), ("indicator", figure.goal.indicator_id)]
        else:
            followed_as = [("indicator", figure.indicator_id)] + [
                ("goal", goal.pk)
                for goal in goals_on.get(figure.indicator_id, {}).values()
                if period_covers(goal.period_start, goal.deadline, figure.period_start, figure.as_of)
            ]
        for followed in followed_as:
            news.setdefault(followed, []).append((figure.reviewed_at, f"figure:{figure.pk}", figure))
    sent_keys = set(FollowerNotice.objects.filter(follower__in=followers).values_list("follower_id", "key"))
    sent = 0
    for follower in followers:
        followed = ("goal", follower.goal_id) if follower.goal_id else ("indicator", follower.indicator_id)
        for moment, key, event in sorted(news.get(followed, []), key=lambda e: (e[0], e[1])):
            if moment < follower.confirmed_at or (follower.pk, key) in sent_keys:
                continue
            context = _news(event, goal=event.goal or follower.goal)
            sent += _send_once(follower=follower, key=key, template="follow_news", context=context)
    return sent


def _news(event, *, goal: Goal | None) -> dict:
    """What an email says of one event about `goal` (None: a figure reported for the followed
    indicator itself): a status change or a figure, with a link to where it is shown."""
    if isinstance(event, StatusChange):
        return {
            "is_status": True,
            "goal": goal,
            "from_zh": status_label(event.from_status, "zh") if event.from_status else "—",
            "from_en": status_label(event.from_status, "en") if event.from_status else "—",
            "to_zh": status_label(event.to_status, "zh"),
            "to_en": status_label(event.to_status, "en"),
            "explanation_zh": event.explanation_zh,
            "explanation_en": event.explanation_en,
            "event_url": settings.SITE_URL + goal.get_absolute_url(),
        }
    if goal is not None:  # the goal's page lists its own figures and those reported for its indicator
        event_url = settings.SITE_URL + goal.get_absolute_url() + f"#update-{event.pk}"
    else:
        event_url = settings.SITE_URL + event.indicator.get_absolute_url() + f"#year-{event.as_of.year}"
    return {
        "is_status": False,
        "goal": goal,
        "value": amount_text(event.value, event.unit or (goal.unit if goal else "")),
        "as_of": event.as_of,
        "is_final": event.is_final,
        "event_url": event_url,
    }
