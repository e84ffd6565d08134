"""Explanations of red goals (原因说明和整改措施 — reason and corrective action). When a published goal
turns red (off track, missed, a milestone overdue) on real figures, while in force or within a
reporting period of its deadline, its lead department is asked within GOAL_EXPLANATION_DUE_DAYS; its
recorders get one email per run listing every goal asked of them. A recorder of that department
writes and submits it, a reviewer of it approves (then it is public) or returns it with a reason, in
the one review workflow a figure goes through (services.review)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from ..models import Goal, GoalExplanation, MembershipRole, StaffNotice, StatusChange
from ..status import RED, Thresholds, cadence_days
from . import review
from .notifications import notify_after_commit

# How long after its deadline a goal waits for its final figure before it is judged without one.
GRACE_DAYS = Thresholds().awaiting_data_grace_days


def _message(zh: str, en: str) -> str:
    return f"{zh} · {en}"


def explanation_owed(
    *, status: str, is_sample: bool, deadline: date, cadence_days: int, grace_days: int, today: date
) -> bool:
    """Whether a goal's status is a red light its department must explain (pure; tested as a table):
    red, resting on real figures (a sample's verdict is a demo's, nobody answers for it), and about a
    goal in force or one finished within its last reporting period (the `cadence_days` up to today):
    one whose verdict was due then, at the latest by the end of the grace period its final figure gets
    (`grace_days` after the deadline). A goal that finished before that is history: asking about it
    now, as a first run over years of goals would, only floods the department."""
    finished_by = deadline + timedelta(days=grace_days)
    return status in RED and not is_sample and finished_by >= today - timedelta(days=cadence_days)


def explanations_request(*, today: date, goal_ids=None) -> list[GoalExplanation]:
    """Ask for an explanation of each published goal whose red light is owed one (explanation_owed),
    once per turn to red (its latest status-change row into that status), and owe the lead
    departments' recorders one email for the run (notifications.explanation_requests_notify). Safe to
    run twice or at once: the status change is unique on the explanation, so a second run asks nobody
    again, and each recorder is told of each request once."""
    latest_turn = (
        StatusChange.objects.filter(goal=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-changed_at", "-pk")
        .values("pk")[:1]
    )
    # A red light resting on a sample figure is a demo's, not a department's: nobody is asked.
    goals = Goal.objects.public().filter(status__in=[str(s) for s in RED], is_sample=False)
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    rows = (
        goals.annotate(turn=Subquery(latest_turn))
        .filter(turn__isnull=False)
        .values_list("pk", "status", "turn", "is_sample", "deadline", "stale_after_days")
    )
    turns = [
        (goal_id, status, turn)
        for goal_id, status, turn, is_sample, deadline, stale_after_days in rows
        if explanation_owed(
            status=status,
            is_sample=is_sample,
            deadline=deadline,
            cadence_days=cadence_days(stale_after_days, settings.GOAL_STALE_AFTER_DAYS),
            grace_days=GRACE_DAYS,
            today=today,
        )
    ]
    already = set(
        GoalExplanation.objects.filter(status_change__in=[turn for _, _, turn in turns]).values_list(
            "status_change_id", flat=True
        )
    )
    created = []
    due = today + timedelta(days=settings.GOAL_EXPLANATION_DUE_DAYS)
    # The requests and the email they owe commit together: a run cut short leaves nobody unasked.
    with transaction.atomic():
        for goal_id, status, turn in turns:
            if turn in already:
                continue
            try:
                with transaction.atomic():
                    explanation = GoalExplanation.objects.create(
                        goal_id=goal_id, status_change_id=turn, status=status, requested_on=today, due_on=due
                    )
            except IntegrityError:
                continue  # another run asked at the same moment
            created.append(explanation)
        if created:
            # One email per recorder for the whole run, listing every goal asked of them.
            notify_after_commit("notify_explanations_requested", 0, StaffNotice.Kind.EXPLANATION_REQUESTED)
    return created


def _require_role(user, explanation: GoalExplanation, role: str, step: str) -> None:
    """Only the lead department answers for its goal, and only its reviewers judge the answer."""
    if user.is_superuser:
        return
    if not user.memberships.filter(department=explanation.goal.lead_department_id, role=role).exists():
        raise PermissionDenied(_message(*ROLE_REFUSED[step]))


# Who may take each step for an explanation, in the words of its refusal.
ROLE_REFUSED = {
    review.SUBMITTED: (
        "只有牵头单位的填报员可以填写原因说明",
        "Only a recorder of the lead department may write the explanation",
    ),
    review.APPROVED: (
        "只有牵头单位的审核员可以审核原因说明",
        "Only a reviewer of the lead department may approve the explanation",
    ),
    review.RETURNED: (
        "只有牵头单位的审核员可以退回原因说明",
        "Only a reviewer of the lead department may return the explanation",
    ),
}

EXPLANATION_REVIEW = review.Review(
    noun_zh="原因说明",
    noun_en="explanation",
    one_en="an explanation",
    notify_task="notify_explanation",
    notices={
        review.SUBMITTED: StaffNotice.Kind.EXPLANATION_SUBMITTED,
        review.APPROVED: StaffNotice.Kind.EXPLANATION_APPROVED,
        review.RETURNED: StaffNotice.Kind.EXPLANATION_RETURNED,
    },
    require_role=_require_role,
    returned_comment_required=("请写明退回原因", "Say why it is returned"),
)


def goal_explanation_submit(*, explanation: GoalExplanation, user, reason: str, corrective_actions: str):
    """A recorder of the lead department writes the reason and the corrective action and submits them."""
    reason, corrective_actions = (reason or "").strip(), (corrective_actions or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _message("请说明原因", "Say why the goal is behind")
    if not corrective_actions:
        errors["corrective_actions"] = _message("请写明整改措施", "Say what is being done about it")
    # Who may write it is asked first: a stranger learns nothing of what is missing.
    _require_role(user, explanation, MembershipRole.RECORDER, review.SUBMITTED)
    if errors:
        raise ValidationError(errors)
    changes = {"reason": reason, "corrective_actions": corrective_actions, "recorded_by": user}
    return review.review_submit(review=EXPLANATION_REVIEW, item=explanation, user=user, changes=changes)


def goal_explanation_approve(*, explanation: GoalExplanation, reviewer):
    """A reviewer of the lead department approves a submitted explanation; it is then public. Nobody
    who wrote, edited or submitted it may (services.review)."""
    return review.review_approve(review=EXPLANATION_REVIEW, item=explanation, reviewer=reviewer)


def goal_explanation_return(*, explanation: GoalExplanation, reviewer, comment: str):
    """A reviewer sends a submitted explanation back to the department, saying why."""
    return review.review_return(
        review=EXPLANATION_REVIEW, item=explanation, reviewer=reviewer, comment=comment
    )
