"""Progress figures in the one review workflow (services.review): a recorder of the goal's department
submits, a reviewer of it approves or returns; what a figure must hold, and what its approval does
besides (its publication day, a milestone done, the goal judged again after the commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from ..models import Goal, ProgressUpdate, StaffNotice, as_of_refusal
from . import review
from .evaluation import figure_goals_evaluate_after_commit


def _message(zh: str, en: str) -> str:
    return f"{zh} · {en}"


def _require_role(user, goal: Goal, role: str, zh: str, en: str) -> None:
    if user.is_superuser:
        return
    if not Goal.objects.for_member(user, role).filter(pk=goal.pk).exists():
        raise PermissionDenied(_message(zh, en))


def _require_complete(update: ProgressUpdate) -> None:
    """Raise ValidationError unless the update is complete enough to be reviewed and approved."""
    errors = {}
    if update.value is None and not update.goal.is_milestone:
        errors["value"] = _message(
            "请填写数值（只有节点类目标可以不填）", "Enter a value (only a milestone may have none)"
        )
    # A figure read from a document has the document (and the quote in it) as its evidence.
    if not (update.evidence_url or update.evidence_file or update.source_document_id):
        errors["evidence_url"] = _message(
            "请提供佐证链接或上传佐证文件", "Give an evidence link or upload an evidence file"
        )
    refusal = update.as_of and as_of_refusal(update.as_of, today=timezone.localdate())
    if refusal:
        errors["as_of"] = _message(*refusal)
    if errors:
        raise ValidationError(errors)


def _require_approvable(update: ProgressUpdate) -> None:
    if update.is_sample and not settings.SAMPLE_DATA_ALLOWED:
        raise ValidationError(
            _message(
                "本站不发布示例数据：只有演示站点（SAMPLE_DATA_ALLOWED）可以审核通过示例数据",
                "This site publishes no sample figures; "
                "only a demo site (SAMPLE_DATA_ALLOWED) may approve one",
            ),
            code="sample_not_allowed",
        )


def _on_approved(update: ProgressUpdate) -> None:
    # A figure with no publication day given became known the day it was approved.
    ProgressUpdate.objects.filter(pk=update.pk, published_on__isnull=True).update(
        published_on=timezone.localdate()
    )
    if update.goal.is_milestone and update.is_final and update.goal.milestone_done_on is None:
        # A final report on a milestone says it was done on that date.
        Goal.objects.filter(pk=update.goal_id, milestone_done_on__isnull=True).update(
            milestone_done_on=update.as_of
        )


# Who may take each step for a figure, in the words of its refusal.
ROLE_REFUSED = {
    review.SUBMITTED: (
        "只有本单位的填报员可以报送这一目标的进展",
        "Only a recorder of this goal's department may submit its progress",
    ),
    review.APPROVED: (
        "只有本单位的审核员可以审核这一目标的进展",
        "Only a reviewer of this goal's department may approve its progress",
    ),
    review.RETURNED: (
        "只有本单位的审核员可以退回这一目标的进展",
        "Only a reviewer of this goal's department may return its progress",
    ),
}

FIGURE_REVIEW = review.Review(
    noun_zh="进展",
    noun_en="update",
    one_en="an update",
    notify_task="notify_progress_review",
    notices={
        review.SUBMITTED: StaffNotice.Kind.UPDATE_SUBMITTED,
        review.APPROVED: StaffNotice.Kind.UPDATE_APPROVED,
        review.RETURNED: StaffNotice.Kind.UPDATE_RETURNED,
    },
    require_role=lambda user, update, role, step: _require_role(user, update.goal, role, *ROLE_REFUSED[step]),
    require_complete=_require_complete,
    require_approvable=_require_approvable,
    on_approved=_on_approved,
    returned_comment_required=("请写明退回原因", "Say why the update is returned"),
)


def progress_update_authors(update: ProgressUpdate) -> set[int]:
    """Everyone who recorded, edited or submitted the update (four eyes: none of them reviews it)."""
    return review.review_authors(update)


def progress_update_submit(*, update: ProgressUpdate, user) -> ProgressUpdate:
    """A recorder of the goal's department hands a draft (or a returned update) in for review."""
    return review.review_submit(review=FIGURE_REVIEW, item=update, user=user)


def progress_update_submit_by_site(*, update: ProgressUpdate) -> ProgressUpdate:
    """A figure the site read from a published document, handed in for review as a recorder's would be."""
    return review.review_submit_by_site(review=FIGURE_REVIEW, item=update)


def progress_update_check(*, update: ProgressUpdate, user, changes=None) -> ProgressUpdate:
    """A recorder of the goal's department checks (and may correct) a figure the site proposed from a
    document, on the review screen: it stays submitted, and she may not be the one who approves it."""
    return review.review_check(review=FIGURE_REVIEW, item=update, user=user, changes=changes)


def progress_update_approve(*, update: ProgressUpdate, reviewer) -> ProgressUpdate:
    """A reviewer of the goal's department approves a submitted update, which makes it public and
    re-evaluates the goal once the approval is committed. A double click approves once."""
    try:
        review.review_approve(review=FIGURE_REVIEW, item=update, reviewer=reviewer)
    except IntegrityError as error:
        # The constraint "one approved figure per goal and date" (the only one an approval can break).
        approved_same_day = ProgressUpdate.objects.approved().filter(
            goal_id=update.goal_id, as_of=update.as_of
        )
        if not approved_same_day.exclude(pk=update.pk).exists():
            raise
        raise ValidationError(
            _message(
                f"该目标在{update.as_of:%Y-%m-%d}已有通过审核的数据；请退回这一条或更正日期",
                f"This goal already has an approved figure as of {update.as_of:%Y-%m-%d}; "
                "return this one or correct its date",
            ),
            code="duplicate_date",
        ) from error
    figure_goals_evaluate_after_commit(figure=update)
    return update


def progress_update_reject(*, update: ProgressUpdate, reviewer, comment: str) -> ProgressUpdate:
    """A reviewer returns a submitted update to its recorder, saying why."""
    return review.review_return(review=FIGURE_REVIEW, item=update, reviewer=reviewer, comment=comment)
