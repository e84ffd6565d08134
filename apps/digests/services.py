"""Managers' weekly digest: building what changed in one week for the goals a subscription covers, and
emailing it at most once per subscriber and week (safe to run twice, or twice at once)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone

from apps.goals.delivery import DeliveryFailed, DeliveryUnknown, email_deliver
from apps.goals.models import Goal, GoalExplanation, ProgressUpdate, StatusChange
from apps.goals.names import person_name
from apps.goals.status import Status, status_label
from apps.goals.units import plain_decimal

from .emails import email_render
from .models import DigestDelivery, DigestSubscription

logger = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# Deadlines worth a manager's attention: those within this long after the digest goes out.
DEADLINE_HORIZON = timedelta(days=30)
# A goal in one of these states needs nobody's attention however close its deadline.
FINISHED = (Status.ACHIEVED, Status.DONE)
# Each list in a digest shows at most this many lines, then how many more and a link to all of them:
# an email a manager reads, not every approval of a city.
LIST_LIMIT = 20
# Subscribers sent per task (one SMTP connection each); chunks run in parallel on the Celery workers.
CHUNK_SIZE = 500
# Stands for the subscriber's unsubscribe link while a digest is rendered once for many subscribers.
UNSUBSCRIBE_MARK = "UNSUBSCRIBE-LINK-OF-THIS-SUBSCRIBER"


# --- What a digest holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalLine:
    title: str
    title_en: str
    url: str  # the public goal page, absolute
    status_zh: str
    status_en: str
    deadline: date


@dataclass(frozen=True)
class StatusChangeLine:
    goal: GoalLine
    changed_on: date
    from_zh: str
    from_en: str
    to_zh: str
    to_en: str
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class UpdateLine:
    goal: GoalLine
    as_of: date
    value: str  # "3500 个"; empty for a milestone report
    is_final: bool
    person: str  # who approved it, or who submitted it
    url: str  # where to look: the goal page, or the admin page of an update waiting for review
    waiting_days: int | None = None  # for an update waiting for review: days since it was handed in


@dataclass(frozen=True)
class ExplanationLine:
    """An explanation of a red goal (原因说明和整改措施) its lead department owes past its day."""

    goal: GoalLine
    department: str
    due_on: date
    days_overdue: int
    url: str  # the admin page where it is written


@dataclass(frozen=True)
class StatusCount:
    zh: str
    en: str
    count: int


@dataclass(frozen=True)
class Digest:
    """One subscriber's week, Monday to Sunday, as plain values ready for the email templates."""

    week_start: date
    departments: list[str]  # the scope; empty means all departments
    status_changes: list[StatusChangeLine]
    approved_updates: list[UpdateLine]
    waiting_updates: list[UpdateLine]  # as they stand when the digest is built, not at the week's end
    deadlines_soon: list[GoalLine]
    status_counts: list[StatusCount]  # likewise as they stand when built
    overdue_explanations: list[ExplanationLine] = field(default_factory=list)  # as of the digest going out
    overdue_explanations_total: int = 0
    overdue_explanations_url: str = ""
    # Each list holds at most LIST_LIMIT lines; the totals count them all, the links show them all.
    status_changes_total: int = 0
    approved_total: int = 0
    waiting_total: int = 0
    deadlines_total: int = 0
    status_changes_url: str = ""
    approved_url: str = ""
    waiting_url: str = ""
    deadlines_url: str = ""

    @property
    def status_changes_more(self) -> int:
        return self.status_changes_total - len(self.status_changes)

    @property
    def approved_more(self) -> int:
        return self.approved_total - len(self.approved_updates)

    @property
    def waiting_more(self) -> int:
        return self.waiting_total - len(self.waiting_updates)

    @property
    def overdue_explanations_more(self) -> int:
        return self.overdue_explanations_total - len(self.overdue_explanations)

    @property
    def deadlines_more(self) -> int:
        return self.deadlines_total - len(self.deadlines_soon)

    @property
    def week_last_day(self) -> date:
        return self.week_start + WEEK - timedelta(days=1)

    @property
    def nothing_changed(self) -> bool:
        """No goal changed status and no figure was approved; the digest then says so in one line."""
        return not (self.status_changes or self.approved_updates)

    @property
    def goal_total(self) -> int:
        return sum(line.count for line in self.status_counts)


def digest_week_start(today: date) -> date:
    """The Monday of the last full week before `today`: the week the digest sent on `today` reports."""
    return today - timedelta(days=today.weekday()) - WEEK


# --- Building -----------------------------------------------------------------------------------


def _labels(status: str) -> tuple[str, str]:
    return status_label(status, "zh"), status_label(status, "en")


def _goal_line(goal: Goal) -> GoalLine:
    zh, en = _labels(goal.status)
    return GoalLine(
        title=goal.title,
        title_en=goal.title_en,
        url=settings.SITE_URL + goal.get_absolute_url(),
        status_zh=zh,
        status_en=en,
        deadline=goal.deadline,
    )


def _amount(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{plain_decimal(value)} {unit}".strip()


def _person(user) -> str:
    """A name in Chinese order (王伟, not “伟 王”)."""
    if user is None:
        return ""
    return person_name(user)


def _goals_in_scope(department_ids: list[int]):
    """Published goals led or supported by one of the departments (all published goals if none)."""
    goals = Goal.objects.public()
    if department_ids:
        goals = goals.filter(
            Q(lead_department__in=department_ids) | Q(supporting_departments__in=department_ids)
        )
    # A subquery: the join through supporting departments must not repeat a goal in what follows.
    return Goal.objects.filter(pk__in=goals.values("pk"))


def _week_bounds(week_start: date) -> tuple[datetime, datetime]:
    """Midnight to midnight in TIME_ZONE (Beijing time), since the week is a local week."""
    start = timezone.make_aware(datetime.combine(week_start, time.min))
    return start, timezone.make_aware(datetime.combine(week_start + WEEK, time.min))


def _first_lines(queryset) -> tuple[list, int]:
    """The first LIST_LIMIT rows and how many there are in all, in one query (a window count)."""
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[:LIST_LIMIT])
    return rows, (rows[0].list_total if rows else 0)


def _admin_list(name: str, **filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{settings.SITE_URL}{reverse(f'admin:goals_{name}_changelist')}?{query}"


def digest_build(*, subscription: DigestSubscription, week_start: date) -> Digest:
    """The digest of one subscription's week (see digest_build_for_scope)."""
    return digest_build_for_scope(departments=list(subscription.departments.all()), week_start=week_start)


def digest_build_for_scope(*, departments: list, week_start: date) -> Digest:
    """What changed in the week [week_start, week_start + 7 days) for the published goals of these
    departments (all if none), with what waits for review and which deadlines come within 30 days of
    the digest going out. Each list holds its first LIST_LIMIT lines and its total. A fixed number of
    queries, however many goals changed; it depends on the scope only, so one build serves every
    subscriber of that scope."""
    if week_start.weekday() != 0:
        raise ValueError(f"a digest week starts on a Monday; {week_start:%Y-%m-%d} is not one")
    goals = _goals_in_scope([department.pk for department in departments])
    start, end = _week_bounds(week_start)
    day, next_day = f"{week_start:%Y-%m-%d}", f"{week_start + WEEK:%Y-%m-%d}"

    changes, changes_total = _first_lines(
        StatusChange.objects.filter(goal__in=goals, changed_at__gte=start, changed_at__lt=end)
        .select_related("goal")
        .order_by("changed_at", "pk")
    )
    approved, approved_total = _first_lines(
        ProgressUpdate.objects.approved()
        .filter(goal__in=goals, reviewed_at__gte=start, reviewed_at__lt=end)
        .select_related("goal", "reviewed_by")
        .order_by("reviewed_at", "pk")
    )
    waiting, waiting_total = _first_lines(
        ProgressUpdate.objects.filter(goal__in=goals, review_state=ProgressUpdate.ReviewState.SUBMITTED)
        .select_related("goal", "recorded_by")
        .order_by("updated_at", "pk")
    )
    sent_on = week_start + WEEK
    deadlines, deadlines_total = _first_lines(
        goals.filter(deadline__gte=sent_on, deadline__lt=sent_on + DEADLINE_HORIZON)
        .exclude(status__in=FINISHED)
        .order_by("deadline", "pk")
    )
    per_status = dict(goals.order_by().values_list("status").annotate(total=Count("pk")))
    overdue, overdue_total = _first_lines(
        GoalExplanation.objects.overdue(sent_on)
        .filter(goal__in=goals)
        .select_related("goal", "goal__lead_department")
        .order_by("due_on", "pk")
    )

    return Digest(
        week_start=week_start,
        departments=[
            f"{department.name}（{department.name_en}）" if department.name_en else department.name
            for department in departments
        ],
        status_changes=[
            StatusChangeLine(
                goal=_goal_line(change.goal),
                changed_on=timezone.localdate(change.changed_at),
                from_zh=_labels(change.from_status)[0],
                from_en=_labels(change.from_status)[1],
                to_zh=_labels(change.to_status)[0],
                to_en=_labels(change.to_status)[1],
                explanation_zh=change.explanation_zh,
                explanation_en=change.explanation_en,
            )
            for change in changes
        ],
        approved_updates=[
            UpdateLine(
                goal=line,
                as_of=update.as_of,
                value=_amount(update.value, update.goal.unit),
                is_final=update.is_final,
                person=_person(update.reviewed_by),
                url=line.url,
            )
            for update in approved
            for line in [_goal_line(update.goal)]
        ],
        waiting_updates=[
            UpdateLine(
                goal=_goal_line(update.goal),
                as_of=update.as_of,
                value=_amount(update.value, update.goal.unit),
                is_final=update.is_final,
                person=_person(update.recorded_by),
                url=settings.SITE_URL + reverse("admin:goals_progressupdate_change", args=[update.pk]),
                waiting_days=(sent_on - timezone.localdate(update.updated_at)).days,
            )
            for update in waiting
        ],
        overdue_explanations=[
            ExplanationLine(
                goal=_goal_line(explanation.goal),
                department=str(explanation.goal.lead_department or "—"),
                due_on=explanation.due_on,
                days_overdue=(sent_on - explanation.due_on).days,
                url=settings.SITE_URL + reverse("admin:goals_goalexplanation_change", args=[explanation.pk]),
            )
            for explanation in overdue
        ],
        overdue_explanations_total=overdue_total,
        overdue_explanations_url=_admin_list("goalexplanation", review_state__exact="requested"),
        deadlines_soon=[_goal_line(goal) for goal in deadlines],
        status_counts=[
            StatusCount(
                zh=status_label(status, "zh"), en=status_label(status, "en"), count=per_status[status]
            )
            for status in Status
            if per_status.get(status)
        ],
        status_changes_total=changes_total,
        approved_total=approved_total,
        waiting_total=waiting_total,
        deadlines_total=deadlines_total,
        status_changes_url=_admin_list("statuschange", changed_at__gte=day, changed_at__lt=next_day),
        approved_url=_admin_list(
            "progressupdate", review_state__exact="approved", reviewed_at__gte=day, reviewed_at__lt=next_day
        ),
        waiting_url=_admin_list("progressupdate", review_state__exact="submitted"),
        deadlines_url=f"{settings.SITE_URL}{reverse('public:goal_list')}?sort=deadline",
    )


# --- Sending ------------------------------------------------------------------------------------


class DigestsNotAllSent(Exception):
    """Some digests of a week failed to send; the rest went out. Running again sends only the missing ones."""


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


def _deliver(subscription, week_start: date, rendered: RenderedDigest, connection=None) -> bool:
    """Email one subscriber their digest at most once; True if it was sent now. The delivery is
    claimed (a committed row, unique per subscriber and week) before any mail is sent and settled
    after, with no database transaction open while the mail server is talked to. A failure before the
    server took the message releases the claim and raises DeliveryFailed (a retry sends); a failure
    after it marks the delivery "outcome unknown" and returns False: it is not sent again blindly,
    staff see it in the admin. `connection` (an SMTP backend) is reused when given."""
    message = _digest_message(subscription, rendered)
    try:
        with transaction.atomic():
            delivery = DigestDelivery.objects.create(
                subscription=subscription, week_start=week_start, state=DigestDelivery.State.SENDING
            )
    except IntegrityError:
        return False  # another run claimed this week between the check above and the insert
    try:
        email_deliver(message, connection=connection)
    except DeliveryFailed:
        DigestDelivery.objects.filter(pk=delivery.pk, state=DigestDelivery.State.SENDING).delete()
        raise
    except DeliveryUnknown as error:
        logger.warning(
            "weekly digest of %s for %s: outcome unknown (%s)", week_start, subscription.user, error
        )
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            state=DigestDelivery.State.UNKNOWN, error=str(error)
        )
        return False
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        state=DigestDelivery.State.SENT, sent_at=timezone.now()
    )
    return True


def digest_send(*, subscription: DigestSubscription, week_start: date) -> bool:
    """Email the subscriber the digest of the week starting `week_start`, unless it was already sent
    (then False)."""
    if DigestDelivery.objects.filter(subscription=subscription, week_start=week_start).exists():
        return False
    digest = digest_build(subscription=subscription, week_start=week_start)
    return _deliver(subscription, week_start, digest_render(digest))


def digest_chunks(*, today: date) -> tuple[date, list[list[int]]]:
    """The week the digest sent on `today` reports, and the deliverable subscriptions that have not had
    it yet, as lists of at most CHUNK_SIZE ids (one task each)."""
    week_start = digest_week_start(today)
    ids = list(
        DigestSubscription.objects.deliverable()
        .exclude(deliveries__week_start=week_start)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return week_start, [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]


def _send_chunk(subscription_ids: list[int], week_start: date, rendered_by_scope: dict) -> tuple[int, list]:
    """Send to these subscriptions over one SMTP connection; each scope's digest is built and rendered
    once (kept in `rendered_by_scope`). Returns how many were sent and which failed."""
    subscriptions = (
        DigestSubscription.objects.deliverable()
        .filter(pk__in=subscription_ids)
        .exclude(deliveries__week_start=week_start)
        .select_related("user")
        .prefetch_related("departments")
        .order_by("pk")
    )
    sent, failed = 0, []
    connection = get_connection(fail_silently=False)
    try:
        for subscription in subscriptions:
            departments = sorted(subscription.departments.all(), key=lambda department: department.pk)
            scope = tuple(department.pk for department in departments)
            try:
                if scope not in rendered_by_scope:
                    digest = digest_build_for_scope(departments=departments, week_start=week_start)
                    rendered_by_scope[scope] = digest_render(digest)
                sent += _deliver(subscription, week_start, rendered_by_scope[scope], connection)
            except Exception:
                logger.exception("weekly digest of %s for %s was not sent", week_start, subscription.user)
                failed.append(subscription.pk)
    finally:
        try:
            connection.close()
        except Exception:  # a server gone away after the last message changes nothing sent
            logger.warning("closing the SMTP connection failed", exc_info=True)
    return sent, failed


def _not_all_sent(week_start: date, sent: int, failed: list) -> DigestsNotAllSent:
    return DigestsNotAllSent(
        f"{len(failed)} weekly digests of the week of {week_start:%Y-%m-%d} were not sent "
        f"(subscriptions {', '.join(map(str, failed))}); {sent} were."
    )


def digests_send_chunk(*, subscription_ids: list[int], week_start: date) -> int:
    """One task's share of the weekly digest; DigestsNotAllSent at the end if any failed."""
    sent, failed = _send_chunk(subscription_ids, week_start, {})
    if failed:
        raise _not_all_sent(week_start, sent, failed)
    return sent


def digests_send_weekly(*, today: date) -> int:
    """Send the digest of the last full week (Monday to Sunday before `today`) to every deliverable
    subscription, in this process, chunk after chunk; returns how many were sent now. One failure does
    not stop the others: they are sent, and DigestsNotAllSent is raised at the end so the job is retried
    for the missing ones. (The weekly task spreads the same chunks over the workers instead.)"""
    week_start, chunks = digest_chunks(today=today)
    sent, failed, rendered_by_scope = 0, [], {}
    for chunk in chunks:
        chunk_sent, chunk_failed = _send_chunk(chunk, week_start, rendered_by_scope)
        sent, failed = sent + chunk_sent, failed + chunk_failed
    if failed:
        raise _not_all_sent(week_start, sent, failed)
    return sent


def digest_subscription_deactivate(*, subscription: DigestSubscription) -> None:
    """Stop the digest (unsubscribe link, or a mail client's one-click unsubscribe). Doing it twice is
    fine."""
    DigestSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
