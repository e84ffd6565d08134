"""Changing what a published goal promises (its target, deadline or unit): each change is recorded
with its reason, shown on the goal page and in the API, and the goal is judged again once the change
is committed, so its status and explanation never speak of the old target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from ..models import REVISABLE_FIELDS, Goal, GoalRevision
from ..units import plain_decimal
from .evaluation import goal_evaluate_after_commit

# Fields the status rules read: a change to any of them means the stored verdict may be out of date.
JUDGED_FIELDS = (
    *REVISABLE_FIELDS,
    "kind",
    "baseline_value",
    "period_start",
    "milestone_done_on",
    "at_risk_band",
    "tolerance",
    "stale_after_days",
)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def revisions_needed(goal: Goal, before: dict) -> list[str]:
    """The revisable fields of a published goal that differ from `before` (field -> old value)."""
    if not goal.is_published:
        return []
    return [name for name in REVISABLE_FIELDS if name in before and before[name] != getattr(goal, name)]


def goal_changes_record(*, goal: Goal, before: dict, reason: str, user) -> list[GoalRevision]:
    """After `goal` was saved with new values: record a revision (from → to, when, why) for each
    revisable field of a published goal that changed, and judge the goal again once the transaction
    commits if anything the rules read changed. A revision needs a reason."""
    changed = revisions_needed(goal, before)
    reason = (reason or "").strip()
    if changed and not reason:
        raise ValidationError(
            "修改已发布目标的目标值、期限或单位须说明原因 · "
            "Changing a published goal's target, deadline or unit needs a reason"
        )
    revisions = GoalRevision.objects.bulk_create(
        [
            GoalRevision(
                goal=goal,
                field=name,
                before=_text(before[name]),
                after=_text(getattr(goal, name)),
                reason=reason,
                revised_by=user,
            )
            for name in changed
        ]
    )
    if any(name in before and before[name] != getattr(goal, name) for name in JUDGED_FIELDS):
        goal_evaluate_after_commit(goal_id=goal.pk)
    return revisions
