"""Splitting a goal into parts, one per district or department: each part is a full goal (Goal.parent
names the goal it is a part of) with its own target, figures, status and department. The parent's
page rolls the parts up (apps.goals.rollup) beside its own verdict."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Department, Goal, Indicator, LeadSource
from ..units import plain_decimal
from .evaluation import goal_evaluate_after_commit

# What a part takes from its parent where staff leave it empty: it measures the same thing over the same
# period, judged by the same thresholds.
INHERITED_FIELDS = (
    "metric",
    "indicator",
    "kind",
    "comparator",
    "unit",
    "period_start",
    "deadline",
    "category",
    "plan",
    "at_risk_band",
    "tolerance",
    "stale_after_days",
)


def goal_part_fill(*, part: Goal, parent: Goal) -> Goal:
    """Make `part` (unsaved or saved) a part of `parent`. A new part is of its lead department's place
    (a district's bureau: that district), else of the parent's. What it leaves empty it takes from the
    parent (INHERITED_FIELDS; a new part its comparator and review state too), except that a part of
    another place takes no plan (the city's plan is not the district's) and, for the parent's
    indicator, that place's indicator of the same measure where there is one. A part without a title
    gets one: "新建5G基站2000个（历下区）". Raises ValidationError for a part that would be its own
    ancestor."""
    goal_parent_check(goal=part, parent=parent)
    part.parent = parent
    new = part.pk is None
    if new:
        department = part.lead_department if part.lead_department_id is not None else None
        part.place_id = department.place_id if department is not None else parent.place_id
        part.review_state = parent.review_state
    elsewhere = part.place_id != parent.place_id
    for name in INHERITED_FIELDS:
        if new and name == "comparator" or getattr(part, name) in (None, ""):
            if elsewhere and name == "plan":
                continue
            if elsewhere and name == "indicator":
                part.indicator = _indicator_in(parent.indicator, part.place_id)
                continue
            setattr(part, name, getattr(parent, name))
    if part.lead_department_id is not None and not part.lead_department_source:
        part.lead_department_source = LeadSource.STAFF
    if not part.title:
        label = part.part_labels()[0]
        amount = plain_decimal(part.target_value) if part.target_value is not None else ""
        part.title = f"{part.metric}{amount}{part.unit}（{label}）"
    return part


def _indicator_in(indicator: Indicator | None, place_id: int) -> Indicator | None:
    """The indicator of the same measure in another place (gdp-growth: Jinan's, 历城区's), if any."""
    if indicator is None or not indicator.measure:
        return None
    return Indicator.objects.filter(place_id=place_id, measure=indicator.measure).first()


def goal_parent_check(*, goal: Goal, parent: Goal | None) -> None:
    """Raises ValidationError when `goal` would become a part of itself or of one of its own parts."""
    if parent is not None and goal.pk is not None and _is_ancestor(goal, parent):
        raise ValidationError(
            "目标不能成为自己或自己的分解目标的一部分 · A goal cannot be a part of itself or of its own part",
            code="cycle",
        )


def _is_ancestor(goal: Goal, of: Goal) -> bool:
    seen: set[int] = set()
    node: Goal | None = of
    while node is not None and node.pk not in seen:
        if node.pk == goal.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def goal_part_add(
    *, parent: Goal, department: Department, target: Decimal, unit: str = "", title: str = "", user=None
) -> Goal:
    """One new part of `parent` for `department` with its target (in `unit`, else the parent's),
    judged as soon as this commits."""
    part = Goal(lead_department=department, target_value=target, unit=unit, title=title)
    goal_part_fill(part=part, parent=parent)
    part.full_clean()
    part._history_user = user
    part._change_reason = "分解 · split from its parent goal"
    part.save()
    goal_evaluate_after_commit(goal_id=part.pk)
    return part


@transaction.atomic
def goal_split(*, parent: Goal, targets: Iterable[tuple[Department, Decimal]], user=None) -> list[Goal]:
    """Split `parent` into one part per (department, target): new goals under it, published if the
    parent is, each judged as soon as this commits. Returns the parts."""
    return [
        goal_part_add(parent=parent, department=department, target=target, user=user)
        for department, target in targets
    ]
