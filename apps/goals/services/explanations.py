"""Explanations of red goals (原因说明和整改措施 — reason and corrective action). When a published goal
turns red (off track, missed, a milestone overdue), its lead department is asked within
GOAL_EXPLANATION_DUE_DAYS; a recorder of that department writes and submits it, a reviewer of it
approves (then it is public) or returns it with a reason. Each transition is claimed with a
conditional update, like a figure's review."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import Goal, GoalExplanation, MembershipRole, StaffNotice, StatusChange
from ..status import RED
from .notifications import notify_after_commit

State = GoalExplanation.ReviewState


def _message(zh: str, en: str) -> str:
    return f"{zh} · {en}"


def explanations_request(*, today: date, goal_ids=None) -> list[GoalExplanation]:
    """Ask for an explanation of each published goal whose status is red, once per turn to red (its
    latest status-change row into that status). Safe to run twice or at once: the status change is
    unique on the explanation, so a second run asks nobody again."""
    latest_turn = (
        StatusChange.objects.filter(goal=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-changed_at", "-pk")
        .values("pk")[:1]
    )
    goals = Goal.objects.public().filter(status__in=[str(s) for s in RED])
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    turns = (
        goals.annotate(turn=Subquery(latest_turn))
        .filter(turn__isnull=False)
        .values_list("pk", "status", "turn")
    )
    turns = list(turns)
    already = set(
        GoalExplanation.objects.filter(status_change__in=[turn for _, _, turn in turns]).values_list(
            "status_change_id", flat=True
        )
    )
    created = []
    due = today + timedelta(days=settings.GOAL_EXPLANATION_DUE_DAYS)
    for goal_id, status, turn in turns:
        if turn in already:
            continue
        try:
            with transaction.atomic():
                explanation = GoalExplanation.objects.create(
                    goal_id=goal_id, status_change_id=turn, status=status, requested_on=today, due_on=due
                )
                notify_after_commit(
                    "notify_explanation", explanation.pk, StaffNotice.Kind.EXPLANATION_REQUESTED
                )
        except IntegrityError:
            continue  # another run asked at the same moment
        created.append(explanation)
    return created


def _require_role(user, explanation: GoalExplanation, role: str, zh: str, en: str) -> None:
    """Only the lead department answers for its goal, and only its reviewers judge the answer."""
    if user.is_superuser:
        return
    if not user.memberships.filter(department=explanation.goal.lead_department_id, role=role).exists():
        raise PermissionDenied(_message(zh, en))


def _wrong_state(explanation: GoalExplanation, action_zh: str, action_en: str) -> ValidationError:
    explanation.refresh_from_db(fields=["review_state"])
    state_zh, state_en = State(explanation.review_state).label.split(" · ")
    return ValidationError(
        _message(
            f"这条说明现为{state_zh}，不能{action_zh}",
            f"This explanation is {state_en}; it cannot be {action_en}",
        ),
        code="wrong_state",
    )


def goal_explanation_submit(*, explanation: GoalExplanation, user, reason: str, corrective_actions: str):
    """A recorder of the lead department writes the reason and the corrective action and submits them."""
    _require_role(
        user,
        explanation,
        MembershipRole.RECORDER,
        "只有牵头单位的填报员可以填写原因说明",
        "Only a recorder of the lead department may write the explanation",
    )
    reason, corrective_actions = (reason or "").strip(), (corrective_actions or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _message("请说明原因", "Say why the goal is behind")
    if not corrective_actions:
        errors["corrective_actions"] = _message("请写明整改措施", "Say what is being done about it")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claimed = GoalExplanation.objects.filter(
            pk=explanation.pk, review_state__in=[State.REQUESTED, State.RETURNED]
        ).update(
            review_state=State.SUBMITTED,
            reason=reason,
            corrective_actions=corrective_actions,
            recorded_by=user,
            submitted_at=timezone.now(),
            reviewed_by=None,
            reviewed_at=None,
        )
        if claimed != 1:
            raise _wrong_state(explanation, "报送", "submitted")
        _record_history(explanation, user)
        notify_after_commit("notify_explanation", explanation.pk, StaffNotice.Kind.EXPLANATION_SUBMITTED)
    return explanation


def goal_explanation_approve(*, explanation: GoalExplanation, reviewer):
    """A reviewer of the lead department approves a submitted explanation; it is then public."""
    _require_role(
        reviewer,
        explanation,
        MembershipRole.REVIEWER,
        "只有牵头单位的审核员可以审核原因说明",
        "Only a reviewer of the lead department may approve the explanation",
    )
    explanation.refresh_from_db(fields=["recorded_by"])
    if explanation.recorded_by_id == reviewer.pk and not reviewer.is_superuser:
        raise PermissionDenied(
            _message("不能审核自己填写的说明", "You cannot approve an explanation you wrote")
        )
    with transaction.atomic():
        claimed = GoalExplanation.objects.filter(pk=explanation.pk, review_state=State.SUBMITTED).update(
            review_state=State.APPROVED, reviewed_by=reviewer, reviewed_at=timezone.now()
        )
        if claimed != 1:
            raise _wrong_state(explanation, "通过审核", "approved")
        _record_history(explanation, reviewer)
        notify_after_commit("notify_explanation", explanation.pk, StaffNotice.Kind.EXPLANATION_APPROVED)
    return explanation


def goal_explanation_return(*, explanation: GoalExplanation, reviewer, comment: str):
    """A reviewer sends a submitted explanation back to the department, saying why."""
    _require_role(
        reviewer,
        explanation,
        MembershipRole.REVIEWER,
        "只有牵头单位的审核员可以退回原因说明",
        "Only a reviewer of the lead department may return the explanation",
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_message("请写明退回原因", "Say why it is returned"), code="comment_required")
    with transaction.atomic():
        claimed = GoalExplanation.objects.filter(pk=explanation.pk, review_state=State.SUBMITTED).update(
            review_state=State.RETURNED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            review_comment=comment,
        )
        if claimed != 1:
            raise _wrong_state(explanation, "退回", "returned")
        _record_history(explanation, reviewer)
        notify_after_commit("notify_explanation", explanation.pk, StaffNotice.Kind.EXPLANATION_RETURNED)
    return explanation


def _record_history(explanation: GoalExplanation, user) -> None:
    """The transition was a queryset update, unseen by simple_history: save once more to record who."""
    explanation.refresh_from_db()
    explanation._history_user = user
    explanation.save()
