"""The review screen of one document: every target and result the reader proposed from it, accepted,
corrected or rejected through the review services (goal_review for targets, progress_review for
figures, so four eyes and the history apply), each step stored as a timed ReviewAction.

A target accepted is published. A result accepted stays submitted for review: the person who checked
it becomes one of its authors, so another reviewer approves it. A rejected result is returned with the
reason as the review comment. Every step is timed from the person's previous step on the document, or
from opening the page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from ..models import (
    Citation,
    Department,
    Document,
    Goal,
    MentionRule,
    ProgressUpdate,
    RejectionReason,
    ReviewAction,
    ReviewActionKind,
)
from ..units import plain_decimal
from . import goal_review, progress_review

TARGET, RESULT = "target", "result"
PROPOSED, ACCEPTED, REJECTED, APPROVED, OPEN = "proposed", "accepted", "rejected", "approved", "open"
# What publishing a target needs, as the admin's publish action asks it.
PUBLISH_PERMISSION = "goals.change_goal"


@dataclass
class ReviewItem:
    """A target (a goal cited in the document) or a result (a figure read from it), as the screen lists it."""

    kind: str  # TARGET or RESULT
    goal: Goal
    figure: ProgressUpdate | None
    spans: list[tuple[int, int]]
    state: str
    reader_rule: str
    decided_by: list[ReviewAction] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"figure-{self.figure.pk}" if self.figure is not None else f"goal-{self.goal.pk}"

    @property
    def is_proposed(self) -> bool:
        return self.state == PROPOSED

    @property
    def quote(self) -> str:
        if self.figure is not None:
            return self.figure.quote
        return "…".join(c.quote for c in self.goal.document_citations)

    @property
    def value(self) -> Decimal | None:
        return self.figure.value if self.figure is not None else self.goal.target_value

    @property
    def value_display(self) -> str:
        """The value as a reader writes it (5.6, not 5.6000); empty when there is none."""
        return "" if self.value is None else plain_decimal(self.value)

    @property
    def unit(self) -> str:
        return self.figure.reported_unit if self.figure is not None else self.goal.unit

    @property
    def year(self) -> int:
        return self.figure.as_of.year if self.figure is not None else self.goal.deadline.year


def review_documents(*, user, reviewed: bool = False):
    """The documents with targets or results proposed to `user` (a goal pending in her departments, a
    figure read from it still submitted on one of their goals and not yet checked); with `reviewed`,
    those of her documents with nothing left proposed that someone has reviewed on the screen. Each with
    `time_spent`, the seconds of every step taken on it."""
    mine = Goal.objects.for_member(user)
    pending = mine.filter(review_state=Goal.ReviewState.PENDING)
    figures = ProgressUpdate.objects.visible_to(user)
    unchecked = figures.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED).exclude(
        review_actions__action__in=[ReviewActionKind.ACCEPT, ReviewActionKind.EDIT]
    )
    documents = Document.objects.annotate(
        has_target=Exists(Citation.objects.filter(document=OuterRef("pk"), goal__in=pending.values("pk"))),
        has_result=Exists(unchecked.filter(source_document=OuterRef("pk"))),
        time_spent=Subquery(
            ReviewAction.objects.filter(document=OuterRef("pk"))
            .values("document")
            .annotate(total=Sum("seconds"))
            .values("total")
        ),
    )
    proposed = Q(has_target=True) | Q(has_result=True)
    if reviewed:
        documents = documents.annotate(
            has_mine=Exists(Citation.objects.filter(document=OuterRef("pk"), goal__in=mine.values("pk")))
            | Exists(figures.filter(source_document=OuterRef("pk"))),
        ).filter(~proposed, has_mine=True, time_spent__gt=0)
    else:
        documents = documents.filter(proposed)
    return documents.order_by("-published_on", "title")


def document_review_items(*, document: Document, user) -> list[ReviewItem]:
    """Every target and result of `document` that `user` may see (her departments' goals; a superuser
    all), in the order they appear in the text."""
    actions = ReviewAction.objects.filter(document=document).exclude(action=ReviewActionKind.OPEN)
    decided_goals: dict[int, list[ReviewAction]] = defaultdict(list)
    decided_figures: dict[int, list[ReviewAction]] = defaultdict(list)
    for action in actions:
        if action.figure_id is not None:
            decided_figures[action.figure_id].append(action)
        elif action.goal_id is not None:
            decided_goals[action.goal_id].append(action)
    rules = {(r.start, r.end): r.rule for r in MentionRule.objects.filter(document=document)}
    goals = (
        Goal.objects.filter(pk__in=Goal.objects.for_member(user).values("pk"))
        .filter(citations__document=document)
        .distinct()
        .select_related("lead_department")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.filter(document=document).order_by("start"),
                to_attr="document_citations",
            )
        )
    )
    items = [
        ReviewItem(
            kind=TARGET,
            goal=goal,
            figure=None,
            spans=[(c.start, c.end) for c in goal.document_citations],
            state=_target_state(goal),
            reader_rule=next(
                (rules[c.start, c.end] for c in goal.document_citations if (c.start, c.end) in rules), ""
            ),
            decided_by=decided_goals.get(goal.pk, []),
        )
        for goal in goals
    ]
    figures = (
        ProgressUpdate.objects.visible_to(user)
        .filter(source_document=document)
        .select_related("goal", "goal__lead_department")
    )
    for figure in figures:
        checks = decided_figures.get(figure.pk, [])
        items.append(
            ReviewItem(
                kind=RESULT,
                goal=figure.goal,
                figure=figure,
                spans=[(figure.source_start, figure.source_end)] if figure.source_start is not None else [],
                state=_figure_state(figure, checked=any(a.action != ReviewActionKind.REJECT for a in checks)),
                reader_rule=rules.get((figure.source_start, figure.source_end), ""),
                decided_by=checks,
            )
        )
    items.sort(key=lambda item: (item.spans[0] if item.spans else (len(document.text), 0), item.kind))
    return items


def _target_state(goal: Goal) -> str:
    return {
        Goal.ReviewState.PENDING: PROPOSED,
        Goal.ReviewState.PUBLISHED: ACCEPTED,
        Goal.ReviewState.REJECTED: REJECTED,
    }[goal.review_state]


def _figure_state(figure: ProgressUpdate, *, checked: bool) -> str:
    states = ProgressUpdate.ReviewState
    if figure.review_state == states.SUBMITTED:
        return ACCEPTED if checked else PROPOSED
    return {states.APPROVED: APPROVED, states.REJECTED: REJECTED}.get(figure.review_state, OPEN)


def document_review_opened(*, document: Document, user) -> ReviewAction:
    """Opening the page starts the clock of the person's next step."""
    return ReviewAction.objects.create(document=document, user=user, action=ReviewActionKind.OPEN)


def _seconds_since_last_step(document: Document, user, now: datetime.datetime) -> Decimal:
    last = (
        ReviewAction.objects.filter(document=document, user=user)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return Decimal(0)
    return Decimal(str(round(max((now - last).total_seconds(), 0.0), 1)))


def _item(document: Document, user, key: str) -> ReviewItem:
    found = next(
        (item for item in document_review_items(document=document, user=user) if item.key == key), None
    )
    if found is None:
        raise PermissionDenied("该条目不在您可审阅的范围内 · This item is not one you may review.")
    if not found.is_proposed:
        raise ValidationError("该条目已处理 · This item has been decided already.")
    return found


def _require_publisher(user) -> None:
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(
            "只有可以发布目标的工作人员才能采纳或驳回目标 · Only staff who may publish goals can accept or "
            "reject a target."
        )


def _record(
    *, document, user, item: ReviewItem, action: str, in_bulk=False, reason="", note="", seconds=None
):
    return ReviewAction.objects.create(
        document=document,
        user=user,
        action=action,
        goal=item.goal if item.figure is None else None,
        figure=item.figure,
        reason=reason,
        note=note,
        reader_rule=item.reader_rule,
        in_bulk=in_bulk,
        seconds=_seconds_since_last_step(document, user, timezone.now()) if seconds is None else seconds,
    )


@transaction.atomic
def review_item_accept(*, document: Document, user, key: str, in_bulk: bool = False) -> ReviewAction:
    """Accept a proposed item as the reader read it: a target is published, a result stays submitted
    with the person named as its checker."""
    item = _item(document, user, key)
    if item.figure is None:
        _require_publisher(user)
        published, refused = goal_review.goals_publish(goals=[item.goal], user=user)
        if refused:
            raise ValidationError(
                "没有目标值的目标不能发布，请先修改 · "
                "A goal without a target value cannot be published; edit it."
            )
    else:
        progress_review.progress_update_check(update=item.figure, user=user)
    return _record(document=document, user=user, item=item, action=ReviewActionKind.ACCEPT, in_bulk=in_bulk)


@transaction.atomic
def review_item_edit(
    *,
    document: Document,
    user,
    key: str,
    value: Decimal | None = None,
    unit: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    department: Department | None = None,
) -> ReviewAction:
    """Correct a proposed item and accept it corrected. A target takes value, unit, kind, deadline year and
    lead department; a result takes value, unit and the year of its period."""
    item = _item(document, user, key)
    if item.figure is None:
        _require_publisher(user)
        goal = goal_review.goal_correct(
            goal=item.goal, user=user, value=value, unit=unit, kind=kind, year=year, department=department
        )
        published, refused = goal_review.goals_publish(goals=[goal], user=user)
        if refused:
            raise ValidationError("请填写目标值 · Give the target value.")
    else:
        figure = item.figure
        changes: dict = {}
        if value is not None:
            changes["value"] = value
        if unit is not None:
            changes["unit"] = unit[:30]
        if year is not None and year != figure.as_of.year:
            changes["as_of"] = figure.as_of.replace(year=year)
            if figure.period_start is not None:
                shift = year - figure.as_of.year
                changes["period_start"] = figure.period_start.replace(year=figure.period_start.year + shift)
        progress_review.progress_update_check(update=figure, user=user, changes=changes)
    return _record(document=document, user=user, item=item, action=ReviewActionKind.EDIT)


@transaction.atomic
def review_item_reject(*, document: Document, user, key: str, reason: str, note: str = "") -> ReviewAction:
    """Reject a proposed item for one of the listed reasons: a target is rejected, a result returned with
    the reason as the review comment. The reason is stored with the reader's rule that proposed it."""
    if reason not in RejectionReason.values:
        raise ValidationError("请选择驳回原因 · Choose why it is rejected.")
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationError("选择“其他”时请写明原因 · Say why, when the reason is 'other'.")
    item = _item(document, user, key)
    words = RejectionReason(reason).label + (f"：{note.strip()}" if note.strip() else "")
    if item.figure is None:
        _require_publisher(user)
        goal_review.goals_reject(goals=[item.goal], user=user, reason=words)
    else:
        progress_review.progress_update_reject(update=item.figure, reviewer=user, comment=words)
    return _record(
        document=document,
        user=user,
        item=item,
        action=ReviewActionKind.REJECT,
        reason=reason,
        note=note.strip(),
    )


@transaction.atomic
def review_accept_unchanged(*, document: Document, user, keys: list[str]) -> list[ReviewAction]:
    """Accept, as read, the proposed items the person was shown and listed in `keys` (the page sends
    those it showed her); any other item stays proposed. All or none: one that cannot be accepted (a
    target without a value) stops the rest. The first step takes the time since the previous one; the
    rest were accepted in the same click."""
    wanted = set(keys)
    accepted = []
    for item in document_review_items(document=document, user=user):
        if item.key not in wanted or not item.is_proposed:
            continue
        accepted.append(
            review_item_accept(document=document, user=user, key=item.key, in_bulk=bool(accepted))
        )
    return accepted


def document_review_seconds(*, document: Document, user=None) -> Decimal:
    """The time spent reviewing `document`: the sum of its steps' times (everyone's, or one person's)."""
    actions = ReviewAction.objects.filter(document=document)
    if user is not None:
        actions = actions.filter(user=user)
    return actions.aggregate(total=Sum("seconds"))["total"] or Decimal(0)


@dataclass
class RuleRow:
    reader_rule: str
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.accepted + self.edited + self.rejected

    @property
    def rejected_share(self) -> float:
        return self.rejected / self.decided if self.decided else 0.0


def rejections_per_rule() -> list[RuleRow]:
    """Per reader rule: how many of its items staff accepted, edited and rejected, and why they rejected
    them; the rules rejected most often first."""
    rows: dict[str, RuleRow] = {}
    decided = ReviewAction.objects.exclude(action=ReviewActionKind.OPEN).values_list(
        "reader_rule", "action", "reason"
    )
    for rule, action, reason in decided:
        row = rows.setdefault(rule, RuleRow(reader_rule=rule))
        if action == ReviewActionKind.ACCEPT:
            row.accepted += 1
        elif action == ReviewActionKind.EDIT:
            row.edited += 1
        else:
            row.rejected += 1
            row.reasons[reason] = row.reasons.get(reason, 0) + 1
    return sorted(rows.values(), key=lambda row: (-row.rejected, -row.rejected_share, row.reader_rule))
