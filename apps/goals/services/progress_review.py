"""The review workflow of progress updates: a recorder submits, a reviewer of the same department
approves or returns. Each transition is claimed with a conditional update, so a double click acts
once, and an approval re-evaluates its goal after it commits."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Goal, MembershipRole, ProgressUpdate, StaffNotice
from .evaluation import goal_evaluate_after_commit
from .notifications import notify_after_commit


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
    today = timezone.localdate()
    if update.as_of and update.as_of > today:
        errors["as_of"] = _message(
            f"数据截至日期不能晚于今天（{today:%Y-%m-%d}）",
            f"The as-of date cannot be after today ({today:%Y-%m-%d})",
        )
    if errors:
        raise ValidationError(errors)


def _wrong_state(update: ProgressUpdate, action_zh: str, action_en: str, allowed_zh: str, allowed_en: str):
    update.refresh_from_db(fields=["review_state"])
    state = ProgressUpdate.ReviewState(update.review_state)
    state_zh, state_en = state.label.split(" · ")
    return ValidationError(
        _message(
            f"只有{allowed_zh}的进展才能{action_zh}（这条是{state_zh}）",
            f"Only a {allowed_en} update can be {action_en} (this one is {state_en})",
        ),
        code="wrong_state",
    )


# The history reason of a reviewer's own steps; every other history row is an author's.
REVIEW_STEPS = ("approved", "returned")


def _record_history(update: ProgressUpdate, user, step: str) -> None:
    """A review transition is claimed with a queryset update, which simple_history does not see;
    saving the fresh row once more records who moved it, and which step it was."""
    update.refresh_from_db()
    update._history_user = user
    update._change_reason = step
    update.save(update_fields=["updated_at"])


def progress_update_authors(update: ProgressUpdate) -> set[int]:
    """Everyone who recorded, edited or submitted the update (four eyes: none of them approves it)."""
    authors = set(
        update.history.exclude(history_change_reason__in=REVIEW_STEPS)
        .exclude(history_user=None)
        .values_list("history_user_id", flat=True)
    )
    if update.recorded_by_id:
        authors.add(update.recorded_by_id)
    return authors


def progress_update_submit(*, update: ProgressUpdate, user) -> ProgressUpdate:
    """A recorder of the goal's department hands a draft (or a returned update) in for review."""
    _require_role(
        user,
        update.goal,
        MembershipRole.RECORDER,
        "只有本单位的填报员可以报送这一目标的进展",
        "Only a recorder of this goal's department may submit its progress",
    )
    _require_complete(update)
    with transaction.atomic():
        claimed = ProgressUpdate.objects.filter(
            pk=update.pk,
            review_state__in=[ProgressUpdate.ReviewState.DRAFT, ProgressUpdate.ReviewState.REJECTED],
        ).update(
            review_state=ProgressUpdate.ReviewState.SUBMITTED,
            reviewed_by=None,
            reviewed_at=None,
            updated_at=timezone.now(),
        )
        if claimed != 1:
            raise _wrong_state(update, "报送", "submitted", "草稿或已退回", "draft or returned")
        _record_history(update, user, "submitted")
        notify_after_commit("notify_progress_review", update.pk, StaffNotice.Kind.UPDATE_SUBMITTED)
    return update


def progress_update_approve(*, update: ProgressUpdate, reviewer) -> ProgressUpdate:
    """A reviewer of the goal's department approves a submitted update, which makes it public and
    re-evaluates the goal once the approval is committed. A double click approves once."""
    _require_role(
        reviewer,
        update.goal,
        MembershipRole.REVIEWER,
        "只有本单位的审核员可以审核这一目标的进展",
        "Only a reviewer of this goal's department may approve its progress",
    )
    if reviewer.pk in progress_update_authors(update) and not reviewer.is_superuser:
        raise PermissionDenied(
            _message(
                "不能审核自己填报、修改或报送的进展",
                "You cannot approve an update you recorded, edited or submitted",
            )
        )
    _require_complete(update)
    if update.is_sample and not settings.SAMPLE_DATA_ALLOWED:
        raise ValidationError(
            _message(
                "本站不发布示例数据：只有演示站点（SAMPLE_DATA_ALLOWED）可以审核通过示例数据",
                "This site publishes no sample figures; "
                "only a demo site (SAMPLE_DATA_ALLOWED) may approve one",
            ),
            code="sample_not_allowed",
        )
    try:
        with transaction.atomic():
            claimed = ProgressUpdate.objects.filter(
                pk=update.pk, review_state=ProgressUpdate.ReviewState.SUBMITTED
            ).update(
                review_state=ProgressUpdate.ReviewState.APPROVED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
                updated_at=timezone.now(),
            )
            if claimed != 1:
                raise _wrong_state(update, "通过审核", "approved", "待审核", "submitted")
            # A figure with no publication day given became known the day it was approved.
            ProgressUpdate.objects.filter(pk=update.pk, published_on__isnull=True).update(
                published_on=timezone.localdate()
            )
            _record_history(update, reviewer, "approved")
            notify_after_commit("notify_progress_review", update.pk, StaffNotice.Kind.UPDATE_APPROVED)
            if update.goal.is_milestone and update.is_final and update.goal.milestone_done_on is None:
                # A final report on a milestone says it was done on that date.
                Goal.objects.filter(pk=update.goal_id, milestone_done_on__isnull=True).update(
                    milestone_done_on=update.as_of
                )
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
    goal_evaluate_after_commit(goal_id=update.goal_id)
    return update


def progress_update_reject(*, update: ProgressUpdate, reviewer, comment: str) -> ProgressUpdate:
    """A reviewer returns a submitted update to its recorder, saying why."""
    _require_role(
        reviewer,
        update.goal,
        MembershipRole.REVIEWER,
        "只有本单位的审核员可以退回这一目标的进展",
        "Only a reviewer of this goal's department may return its progress",
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _message("请写明退回原因", "Say why the update is returned"), code="comment_required"
        )
    with transaction.atomic():
        claimed = ProgressUpdate.objects.filter(
            pk=update.pk, review_state=ProgressUpdate.ReviewState.SUBMITTED
        ).update(
            review_state=ProgressUpdate.ReviewState.REJECTED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            review_comment=comment,
            updated_at=timezone.now(),
        )
        if claimed != 1:
            raise _wrong_state(update, "退回", "returned", "待审核", "submitted")
        _record_history(update, reviewer, "returned")
        notify_after_commit("notify_progress_review", update.pk, StaffNotice.Kind.UPDATE_RETURNED)
    return update
