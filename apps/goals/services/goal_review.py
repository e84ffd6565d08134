"""Staff review of extracted goals: publish, reject, and merge two goals into one."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..models import Citation, Department, Goal, LeadSource, ProgressUpdate, StatusChange
from .evaluation import goal_evaluate_after_commit
from .quarters import quarters_history_written
from .spans import goals_spans_rebuild


@transaction.atomic
def goals_publish(*, goals, user=None) -> tuple[int, list[Goal]]:
    """Publish the goals that have what a public goal needs; return (published, refused). Each goal's
    history records who published it and when. Each goal published is judged again as soon as this
    commits: a goal stated today was never judged, and its page must not say "not started" beside
    figures already reported for its indicator."""
    refused = [g for g in goals if g.kind != Goal.Kind.MILESTONE and g.target_value is None]
    ids = [g.pk for g in goals if g not in refused]
    published = _review_state_set(ids, Goal.ReviewState.PUBLISHED, user, "发布 · published")
    for goal_id in published:
        goal_evaluate_after_commit(goal_id=goal_id)
    # The ?as_of= pages show a goal from the day its document was published: its past days now.
    goals_spans_rebuild(goal_ids=published, through=timezone.localdate())
    return len(published), refused


def goals_reject(*, goals, user=None, reason: str = "") -> int:
    """Reject goals: hidden from the public, kept (with their citations) so re-ingest won't bring them
    back. Each goal's history records who rejected it, when, and why when a reason is given."""
    ids = [g.pk for g in goals]
    step = f"驳回 · rejected: {reason}" if reason else "驳回 · rejected"
    return len(_review_state_set(ids, Goal.ReviewState.REJECTED, user, step[:100]))


@transaction.atomic
def goal_correct(
    *,
    goal: Goal,
    user,
    value: Decimal | None = None,
    unit: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    department: Department | None = None,
) -> Goal:
    """Staff correct what the reader proposed for a goal still pending review (its value, unit, kind,
    deadline year, lead department); what is None stays. The history records who corrected it."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.review_state != Goal.ReviewState.PENDING:
        raise ValidationError("只能修改待审核的目标 · Only a goal pending review can be corrected here.")
    if kind is not None:
        if kind not in Goal.Kind.values:
            raise ValidationError(f"未知的类型 · Unknown kind: {kind}")
        goal.kind = kind
    if value is not None:
        goal.target_value = value
        if goal.target_max is not None and goal.target_max < value:
            goal.target_max = None
    if goal.kind == Goal.Kind.MILESTONE:
        goal.target_value = goal.target_max = None
    if unit is not None and unit != goal.unit:
        goal.unit = unit[:30]
        goal.unit_magnitude = Decimal(1)  # worked out from the new unit on save
    if year is not None and year != goal.deadline.year:
        old_year = goal.deadline.year
        goal.deadline = _in_year(goal.deadline, year)
        if goal.period_start.year == old_year or goal.period_start > goal.deadline:
            goal.period_start = (
                _in_year(goal.period_start, year)
                if goal.period_start.year == old_year
                else (datetime.date(year, 1, 1))
            )
    if department is not None:
        goal.lead_department = department
        goal.lead_department_source = LeadSource.STAFF
    goal._history_user = user
    goal._change_reason = "修改 · corrected on review"
    goal.save()
    return goal


def _in_year(day: datetime.date, year: int) -> datetime.date:
    return (
        day.replace(year=year, day=min(day.day, 28))
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )


@transaction.atomic
def _review_state_set(ids: list[int], state: str, user, reason: str) -> list[int]:
    """Move the goals not yet in `state` into it, saving each so that its history has a record; returns
    the ids of those moved."""
    goals = Goal.objects.select_for_update().filter(pk__in=ids).exclude(review_state=state)
    changed = []
    for goal in goals:
        goal.review_state = state
        goal._history_user = user
        goal._change_reason = reason
        goal.save(update_fields=["review_state", "updated_at"])
        changed.append(goal.pk)
    return changed


@transaction.atomic
def goals_merge(*, keep: Goal, absorb: Goal) -> Goal:
    """Merge `absorb` into `keep`: citations, progress updates, status history, children and supporting
    departments move to `keep`; then `absorb` is deleted (its history stays in the admin's history).
    Goals of two places are never merged."""
    if keep.pk == absorb.pk:
        raise ValidationError("不能把目标与自身合并 · A goal cannot be merged with itself.")
    keep = Goal.objects.select_for_update().get(pk=keep.pk)
    absorb = Goal.objects.select_for_update().get(pk=absorb.pk)
    if keep.place_id != absorb.place_id:
        # Two places' targets are two goals, however alike: 历城区's 5.6% is not the city's.
        raise ValidationError(
            f"不能合并不同地区的目标（{keep.place}、{absorb.place}） · "
            f"Goals of two places ({keep.place}, {absorb.place}) cannot be merged."
        )

    taken = set(keep.citations.values_list("document_id", "start", "end"))
    for citation in absorb.citations.all():
        if (citation.document_id, citation.start, citation.end) in taken:
            citation.delete()  # the same sentence is already cited by the goal we keep
        else:
            Citation.objects.filter(pk=citation.pk).update(goal=keep)

    approved_dates = set(keep.progress_updates.approved().values_list("as_of", flat=True))
    for update in absorb.progress_updates.all():
        changes = {"goal": keep}
        if update.review_state == ProgressUpdate.ReviewState.APPROVED and update.as_of in approved_dates:
            # Two approved figures for one date cannot stand: send the moved one back for review.
            changes.update(
                review_state=ProgressUpdate.ReviewState.SUBMITTED,
                review_comment=(
                    update.review_comment + "\n合并目标时与已通过的数据同日，需重新审核 · "
                    "Moved by a merge onto a date that already has an approved figure: review again."
                ).strip(),
            )
        ProgressUpdate.objects.filter(pk=update.pk).update(**changes)

    kept_changes = set(keep.status_changes.values_list("evaluated_on", "from_status", "to_status"))
    moved = [
        change
        for change in absorb.status_changes.all()
        if (change.evaluated_on, change.from_status, change.to_status) not in kept_changes
    ]
    StatusChange.objects.filter(pk__in=[change.pk for change in moved]).update(goal=keep)
    if moved:
        quarters_history_written(goal_ids=[keep.pk], since=min(change.evaluated_on for change in moved))
    Goal.objects.filter(parent=absorb).exclude(pk=keep.pk).update(parent=keep)
    keep.supporting_departments.add(*absorb.supporting_departments.all())
    if absorb.lead_department_id and absorb.lead_department_id != keep.lead_department_id:
        keep.supporting_departments.add(absorb.lead_department_id)
    best = keep.citations.aggregate(best=Max("confidence"))["best"]
    if not keep.title_en and absorb.title_en:
        keep.title_en = absorb.title_en
    keep.extraction_confidence = best
    keep.is_headline = keep.is_headline or absorb.is_headline
    if keep.parent_id == absorb.pk:
        keep.parent = None
    keep.save()
    absorb.delete()
    # The figures moved change how the goal kept stood on past days.
    goals_spans_rebuild(goal_ids=[keep.pk], through=timezone.localdate())
    return keep


def goals_lead_confirm(*, goals, user) -> int:
    """Staff confirm the lead department of each goal that has one, whatever suggested it (document,
    plan, indicator routing); the history records who confirmed. Returns how many were confirmed."""
    confirmed = 0
    for goal in goals:
        if goal.lead_department_id is None or goal.lead_department_source == LeadSource.STAFF:
            continue
        goal.lead_department_source = LeadSource.STAFF
        goal._change_reason = "确认牵头单位 · lead department confirmed"
        goal._history_user = user
        goal.save(update_fields=["lead_department_source", "updated_at"])
        confirmed += 1
    return confirmed
