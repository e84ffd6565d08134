"""The one review workflow of everything staff write and a second person checks (a reviewed model,
apps.goals.models.reviewed): a writer hands it in, a reviewer approves it or returns it with a
reason. Each step is claimed with a conditional update, so a double click or two reviewers at once
act once, and its email is owed in the same transaction and sent after it commits.

Four eyes, one rule for every reviewed thing: whoever wrote it, edited it or handed it in — anyone
its history names for a step other than a review — may neither approve nor return it. Only a
superuser, who runs the site, is exempt.

A reviewed kind takes part through a `Review`: its words, who may act for it, what it must hold
before it is handed in or approved, and what an approval does besides."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import MembershipRole
from ..models.reviewed import Reviewed
from .notifications import notify_after_commit

# The history's names for the steps; a row named for a review step is a reviewer's, every other one
# (an edit, a submission) is an author's.
SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
# A person vouching for (or correcting) what the site handed in: an author's step, not a review.
CHECKED = "checked"
REVIEW_STEPS = (APPROVED, RETURNED)


def _message(zh: str, en: str) -> str:
    return f"{zh} · {en}"


def _nothing(item: Any) -> None:
    return None


@dataclass(frozen=True)
class Review:
    """How one reviewed model takes part in the workflow."""

    noun_zh: str  # 进展
    noun_en: str  # update: "Only a submitted update can be approved"
    one_en: str  # an update: "You cannot approve an update you recorded, edited or submitted"
    # The notification task, given the object's id and the step's notice kind (StaffNotice.Kind).
    notify_task: str
    notices: Mapping[str, str]
    # Raise PermissionDenied unless `user` may take `step` (submitted, approved, returned) for it in `role`.
    require_role: Callable[[Any, Any, str, str], None]
    # Raise ValidationError unless it is complete enough to be handed in (and, again, approved).
    require_complete: Callable[[Any], None] = _nothing
    # Raise ValidationError if it may not be approved for a reason of its own (after require_complete).
    require_approvable: Callable[[Any], None] = _nothing
    # Further writes of an approval, inside its transaction.
    on_approved: Callable[[Any], None] = _nothing
    returned_comment_required: tuple[str, str] = ("请写明退回原因", "Say why it is returned")


def review_authors(item: Reviewed) -> set[int]:
    """Everyone who recorded, edited or handed in `item`: its writer and every person its history
    names for a step that was not a review."""
    authors = set(
        item.history.exclude(history_change_reason__in=REVIEW_STEPS)
        .exclude(history_user=None)
        .values_list("history_user_id", flat=True)
    )
    if item.recorded_by_id:
        authors.add(item.recorded_by_id)
    return authors


def review_open_to(items: QuerySet, reviewer) -> QuerySet:
    """`items` less those `reviewer` may not review under four eyes (review_authors, as one query):
    what they recorded, and what their history names them for in a step other than a review."""
    if reviewer.is_superuser:
        return items
    authored = (
        items.model.history.filter(history_user=reviewer)
        .exclude(history_change_reason__in=REVIEW_STEPS)
        .values("id")
    )
    return items.exclude(recorded_by=reviewer).exclude(pk__in=authored)


def _require_other_eyes(review: Review, item: Reviewed, reviewer, verb_zh: str, verb_en: str) -> None:
    if reviewer.is_superuser or reviewer.pk not in review_authors(item):
        return
    raise PermissionDenied(
        _message(
            f"不能{verb_zh}自己填报、修改或报送的{review.noun_zh}",
            f"You cannot {verb_en} {review.one_en} you recorded, edited or submitted",
        )
    )


def _wrong_state(review: Review, item: Reviewed, action_zh: str, action_en: str, allowed) -> ValidationError:
    item.refresh_from_db(fields=["review_state"])
    labels = type(item)._meta.get_field("review_state").choices
    words = {value: label.split(" · ") for value, label in labels}
    state_zh, state_en = words[item.review_state]
    allowed_zh = "或".join(words[state][0] for state in allowed)
    allowed_en = " or ".join(words[state][1] for state in allowed)
    return ValidationError(
        _message(
            f"只有{allowed_zh}的{review.noun_zh}才能{action_zh}（这条是{state_zh}）",
            f"Only a {allowed_en} {review.noun_en} can be {action_en} (this one is {state_en})",
        ),
        code="wrong_state",
    )


def _claim(item: Reviewed, states, **changes) -> bool:
    """Move `item` out of one of `states` with a conditional update: True if this call did."""
    model = type(item)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    return model._default_manager.filter(pk=item.pk, review_state__in=states).update(**changes) == 1


def _record_history(item: Reviewed, user, step: str) -> None:
    """A step is claimed with a queryset update, which simple_history does not see; saving the fresh
    row once more records who took it, and which step it was."""
    item.refresh_from_db()
    item._history_user = user
    item._change_reason = step
    item.save(update_fields=["review_state"])


def review_submit(*, review: Review, item: Reviewed, user, changes: Mapping[str, Any] | None = None):
    """A writer hands `item` in from a draft or after a return, with `changes` (what they wrote)
    stored in the same claim."""
    review.require_role(user, item, MembershipRole.RECORDER, SUBMITTED)
    return _hand_in(review=review, item=item, user=user, changes=changes)


def review_submit_by_site(*, review: Review, item: Reviewed):
    """The site itself hands `item` in: a figure read from a published document (apps.ingest), which
    no person wrote, so no one's role is asked and no one is its author; it must be as complete as any."""
    return _hand_in(review=review, item=item, user=None, changes=None)


def review_check(*, review: Review, item: Reviewed, user, changes: Mapping[str, Any] | None = None):
    """A writer checks what the site handed in (a figure read from a document) while it waits for
    review, and finds it right or corrects it with `changes`: it stays handed in, and its history names
    them for a step that is no review, so under four eyes someone else approves it."""
    review.require_role(user, item, MembershipRole.RECORDER, SUBMITTED)
    with transaction.atomic():
        claimed = _claim(item, [item.REVIEW_SUBMITTED], **(changes or {}))
        if not claimed:
            raise _wrong_state(review, item, "核对", "checked", [item.REVIEW_SUBMITTED])
        _record_history(item, user, CHECKED)
        review.require_complete(item)  # a correction must leave it as complete as before
    return item


def _hand_in(*, review: Review, item: Reviewed, user, changes: Mapping[str, Any] | None):
    review.require_complete(item)
    with transaction.atomic():
        claimed = _claim(
            item,
            item.REVIEW_OPEN,
            review_state=item.REVIEW_SUBMITTED,
            submitted_at=timezone.now(),
            reviewed_by=None,
            reviewed_at=None,
            **(changes or {}),
        )
        if not claimed:
            raise _wrong_state(review, item, "报送", "submitted", item.REVIEW_OPEN)
        _record_history(item, user, SUBMITTED)
        notify_after_commit(review.notify_task, item.pk, review.notices[SUBMITTED])
    return item


def review_approve(*, review: Review, item: Reviewed, reviewer):
    """A reviewer approves a handed-in `item`, which makes it public."""
    review.require_role(reviewer, item, MembershipRole.REVIEWER, APPROVED)
    _require_other_eyes(review, item, reviewer, "审核", "approve")
    review.require_complete(item)
    review.require_approvable(item)
    with transaction.atomic():
        claimed = _claim(
            item,
            [item.REVIEW_SUBMITTED],
            review_state=item.REVIEW_APPROVED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
        )
        if not claimed:
            raise _wrong_state(review, item, "通过审核", "approved", [item.REVIEW_SUBMITTED])
        review.on_approved(item)
        _record_history(item, reviewer, APPROVED)
        notify_after_commit(review.notify_task, item.pk, review.notices[APPROVED])
    return item


def review_return(*, review: Review, item: Reviewed, reviewer, comment: str):
    """A reviewer sends a handed-in `item` back to its writers, saying why."""
    review.require_role(reviewer, item, MembershipRole.REVIEWER, RETURNED)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_message(*review.returned_comment_required), code="comment_required")
    _require_other_eyes(review, item, reviewer, "退回", "return")
    with transaction.atomic():
        claimed = _claim(
            item,
            [item.REVIEW_SUBMITTED],
            review_state=item.REVIEW_RETURNED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            review_comment=comment,
        )
        if not claimed:
            raise _wrong_state(review, item, "退回", "returned", [item.REVIEW_SUBMITTED])
        _record_history(item, reviewer, RETURNED)
        notify_after_commit(review.notify_task, item.pk, review.notices[RETURNED])
    return item
