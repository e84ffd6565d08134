"""The weekly reminder to recorders: which of their departments' goals need a figure (stale, due under
the reporting cadence, deadline near) or an explanation, each with what to do and a link to do it. A
goal whose figure was submitted or approved in the current reporting period is left out: its
department has reported, and the next figure cannot be owed before the next period.
One email per recorder and ISO week (a StaffNotice keyed by the week), so the job is safe to run twice
or at once; mail goes out after each claim commits, never inside a transaction."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from ..models import DepartmentMembership, Goal, GoalExplanation, MembershipRole, StaffNotice
from ..status import FINISHED, Status, cadence_days, next_figure_due
from .notifications import notice_send


class Reason(enum.StrEnum):
    STALE = "stale"  # the reporting cadence has run out
    FIGURE_DUE = "figure_due"  # it runs out soon
    DEADLINE_NEAR = "deadline_near"  # the deadline falls within the horizon


REASON_WORDS = {
    Reason.STALE: (
        "数据已过期，请尽快报送最新数据",
        "no figure within the reporting cadence: record the latest",
    ),
    Reason.FIGURE_DUE: (
        "按报送周期即将到期，请报送新数据",
        "a figure is due under the reporting cadence: record it",
    ),
    Reason.DEADLINE_NEAR: (
        "截止日期临近，请报送最新进展",
        "the deadline is near: record the latest progress",
    ),
}


def reporting_period_start(*, period_start: date, cadence_days: int, today: date) -> date:
    """The first day of the reporting period `today` falls in: the goal's period cut, from its start,
    into stretches of its cadence (a cadence of 0 makes every day a period of its own)."""
    if cadence_days <= 0 or today < period_start:
        return today
    elapsed = (today - period_start).days
    return period_start + timedelta(days=elapsed - elapsed % cadence_days)


def reminder_reasons(
    *,
    status: str,
    last_as_of: date | None,
    period_start: date,
    deadline: date,
    cadence_days: int,
    today: date,
    due_before_days: int,
    deadline_within_days: int,
    handed_in_on: date | None = None,
) -> list[Reason]:
    """Why a goal needs a figure from its department this week (pure; tested as a table).
    `handed_in_on` is the last day one of its figures was submitted or approved: within the current
    reporting period (reporting_period_start) the goal needs nothing more."""
    if status in FINISHED or today < period_start:
        return []
    current = reporting_period_start(period_start=period_start, cadence_days=cadence_days, today=today)
    if handed_in_on is not None and current <= handed_in_on <= today:
        return []
    reasons = []
    if status == Status.STALE:
        reasons.append(Reason.STALE)
    else:
        due = next_figure_due(last_as_of=last_as_of, period_start=period_start, cadence_days=cadence_days)
        if today >= due - timedelta(days=due_before_days):
            reasons.append(Reason.FIGURE_DUE)
    if today <= deadline <= today + timedelta(days=deadline_within_days):
        reasons.append(Reason.DEADLINE_NEAR)
    return reasons


@dataclass(frozen=True)
class ReminderLine:
    title: str
    what_zh: str
    what_en: str
    link: str


def week_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def recorder_reminder_lines(*, user, today: date) -> list[ReminderLine]:
    """What one recorder's goals need this week: figures (by the rules above) and explanations asked of
    their departments, each with a link to the page where it is done."""
    approved = Q(progress_updates__review_state="approved")
    handed_in = Q(progress_updates__review_state__in=["submitted", "approved"])
    real = Q(progress_updates__is_sample=False)  # a demo's sample is no department's report
    goals = (
        Goal.objects.for_member(user, MembershipRole.RECORDER)
        .public()
        .annotate(
            last_figure=Max("progress_updates__as_of", filter=approved),
            last_submitted=Max("progress_updates__submitted_at", filter=handed_in & real),
            last_approved=Max("progress_updates__reviewed_at", filter=approved & real),
        )
        .order_by("deadline", "pk")
    )
    add_url = settings.SITE_URL + reverse("admin:goals_progressupdate_add")
    lines = []
    for goal in goals:
        cadence = cadence_days(goal.stale_after_days, settings.GOAL_STALE_AFTER_DAYS)
        reasons = reminder_reasons(
            status=goal.status,
            last_as_of=goal.last_figure,
            period_start=goal.period_start,
            deadline=goal.deadline,
            cadence_days=cadence,
            today=today,
            due_before_days=settings.REMINDER_DUE_BEFORE_DAYS,
            deadline_within_days=settings.REMINDER_DEADLINE_WITHIN_DAYS,
            handed_in_on=max(
                (timezone.localdate(when) for when in (goal.last_submitted, goal.last_approved) if when),
                default=None,
            ),
        )
        for reason in reasons:
            zh, en = REASON_WORDS[reason]
            if reason == Reason.DEADLINE_NEAR:
                zh, en = f"{zh}（截止{goal.deadline:%Y-%m-%d}）", f"{en} (deadline {goal.deadline:%Y-%m-%d})"
            lines.append(ReminderLine(goal.title, zh, en, f"{add_url}?{urlencode({'goal': goal.pk})}"))
    departments = DepartmentMembership.objects.filter(user=user, role=MembershipRole.RECORDER).values(
        "department_id"
    )
    open_explanations = GoalExplanation.objects.filter(
        goal__lead_department__in=departments,
        review_state__in=[GoalExplanation.ReviewState.REQUESTED, GoalExplanation.ReviewState.RETURNED],
    ).select_related("goal")
    for explanation in open_explanations.order_by("due_on", "pk"):
        late = today > explanation.due_on
        lines.append(
            ReminderLine(
                explanation.goal.title,
                f"请填写原因说明和整改措施（{'已逾期，' if late else ''}期限{explanation.due_on:%Y-%m-%d}）",
                f"write the reason and corrective action "
                f"({'overdue, ' if late else ''}due {explanation.due_on:%Y-%m-%d})",
                settings.SITE_URL + reverse("admin:goals_goalexplanation_change", args=[explanation.pk]),
            )
        )
    return lines


def reminders_send(*, today: date) -> int:
    """Email each active recorder with something to do their reminder for this week, at most once."""
    recorders = (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=MembershipRole.RECORDER)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    week = week_key(today)
    already = set(
        StaffNotice.objects.filter(kind=StaffNotice.Kind.REMINDER, key=week).values_list(
            "recipient_id", flat=True
        )
    )
    sent = 0
    for user in recorders:
        if user.pk in already:
            continue
        lines = recorder_reminder_lines(user=user, today=today)
        if not lines:
            continue
        sent += notice_send(
            recipient=user,
            kind=StaffNotice.Kind.REMINDER,
            key=week,
            template="reminder",
            context={
                "lines": lines,
                "week": week,
                "today": today,
                "import_url": settings.SITE_URL + reverse("admin:goals_progressupdate_import"),
            },
        )
    return sent
