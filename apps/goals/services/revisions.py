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
    title = title_revised(goal=goal, before=before)
    if title != goal.title:
        goal.title = title
        goal._change_reason = reason
        goal.save(update_fields=["title", "updated_at"])
    if any(name in before and before[name] != getattr(goal, name) for name in JUDGED_FIELDS):
        goal_evaluate_after_commit(goal_id=goal.pk)
    return revisions


def title_revised(*, goal: Goal, before: dict) -> str:
    """The goal's Chinese title saying its target as revised: 数据要素×典型应用场景100个, revised to 110,
    reads …110个. A title that does not state the old target as written is left as it is."""
    old = {name: before.get(name, getattr(goal, name)) for name in ("target_value", "target_max", "unit")}
    if old == {name: getattr(goal, name) for name in old} or old["target_value"] is None:
        return goal.title
    if goal.target_value is None:
        return goal.title

    def amount(value, value_max, unit) -> str:
        written = plain_decimal(value)
        return (f"{written}～{plain_decimal(value_max)}" if value_max is not None else written) + unit

    stated = amount(old["target_value"], old["target_max"], old["unit"])
    if goal.title.count(stated) != 1:
        return goal.title
    return goal.title.replace(stated, amount(goal.target_value, goal.target_max, goal.unit))
