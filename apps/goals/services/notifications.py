"""Emails to staff: a figure or an explanation submitted (to the department's reviewers), returned
or approved (to whoever wrote it), an explanation asked for (to the lead department's recorders).
Each is a StaffNotice row claimed before sending and settled after, never sent inside a transaction,
so a notice goes once however often its task runs. Tasks call these after the review step commits."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..delivery import DeliveryFailed, DeliveryUnknown, email_deliver
from ..emails import email_render
from ..models import (
    DepartmentMembership,
    GoalExplanation,
    MembershipRole,
    OwedNotice,
    ProgressUpdate,
    StaffNotice,
)
from ..names import person_name
from ..units import plain_decimal
from .broker import task_start

logger = logging.getLogger(__name__)
Kind = StaffNotice.Kind


class SentInsideTransaction(RuntimeError):
    """Mail must wait for the commit: a rolled-back step would otherwise have told someone."""


def admin_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def notice_send(*, recipient, kind: str, key: str, template: str, context: dict) -> bool:
    """Email `recipient` once for (kind, key): claim the notice row, send, settle. False when it was
    already claimed (sent, or being sent by another run). A failed send gives the claim back, so the
    next run sends."""
    if not recipient.email or not recipient.is_active:
        return False
    context = {**context, "recipient_name": person_name(recipient), "site_url": settings.SITE_URL}
    subject, text, html = email_render(template, context)
    try:
        # Durable: the claim commits on its own, and this refuses to run inside a caller's transaction.
        with transaction.atomic(durable=True):
            notice = StaffNotice.objects.create(
                recipient=recipient, kind=kind, key=key, subject=subject[:300]
            )
    except IntegrityError:
        return False
    except RuntimeError as error:
        raise SentInsideTransaction(
            "notice_send must run after the commit, outside any transaction"
        ) from error
    message = EmailMultiAlternatives(subject, text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    try:
        email_deliver(message)
    except DeliveryFailed:
        # The mail server did not take it: give the claim back so a retry sends.
        StaffNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).delete()
        raise
    except DeliveryUnknown as error:
        # It may have arrived: keep the claim unsettled (no sent_at) rather than risk sending twice.
        logger.warning("notice %s to %s: outcome unknown (%s)", notice.pk, recipient, error)
        return False
    StaffNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


def department_members(goal, role: str):
    """Active staff with an email address in `role` of the goal's lead or supporting departments."""
    departments = Q(department=goal.lead_department_id) | Q(department__in=goal.supporting_departments.all())
    user_ids = DepartmentMembership.objects.filter(departments, role=role).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")


UPDATE_EVENTS = {
    Kind.UPDATE_SUBMITTED: ("提交了新进展，请审核", "submitted a figure for your review"),
    Kind.UPDATE_RETURNED: ("退回了您填报的进展", "returned your figure"),
    Kind.UPDATE_APPROVED: ("审核通过了您填报的进展", "approved your figure"),
}


UPDATE_STATE_AFTER = {
    Kind.UPDATE_SUBMITTED: ProgressUpdate.ReviewState.SUBMITTED,
    Kind.UPDATE_RETURNED: ProgressUpdate.ReviewState.REJECTED,
    Kind.UPDATE_APPROVED: ProgressUpdate.ReviewState.APPROVED,
}


def progress_update_notify(*, update_id: int, kind: str, stamp: str) -> int:
    """Tell the people who act next about a review step of a figure (taken at `stamp`): reviewers of
    its goal's departments when it is submitted, its recorder when it is returned or approved. A step
    already overtaken (a submission approved before its email went) tells nobody."""
    update = (
        ProgressUpdate.objects.select_related("goal", "recorded_by", "reviewed_by")
        .filter(pk=update_id)
        .first()
    )
    if update is None or update.review_state != UPDATE_STATE_AFTER[kind]:
        owed_notice_settle(stamp=stamp)
        return 0
    if kind == Kind.UPDATE_SUBMITTED:
        recipients = [
            u for u in department_members(update.goal, MembershipRole.REVIEWER) if u != update.recorded_by
        ]
        actor = update.recorded_by
        link = admin_url("admin:goals_progressupdate_change", update.pk)
    else:
        recipients = [update.recorded_by] if update.recorded_by else []
        actor = update.reviewed_by
        link = (
            admin_url("admin:goals_progressupdate_change", update.pk)
            if kind == Kind.UPDATE_RETURNED
            else settings.SITE_URL + update.goal.get_absolute_url()
        )
    did_zh, did_en = UPDATE_EVENTS[kind]
    context = {
        "update": update,
        "goal": update.goal,
        "kind": kind,
        "actor_name": person_name(actor),
        "value": "—" if update.value is None else f"{plain_decimal(update.value)} {update.goal.unit}".strip(),
        "did_zh": did_zh,
        "did_en": did_en,
        "link": link,
    }
    key = f"update:{update.pk}:{stamp}"
    sent = sum(
        notice_send(recipient=user, kind=kind, key=key, template="progress_review", context=context)
        for user in recipients
    )
    owed_notice_settle(stamp=stamp)
    return sent


EXPLANATION_EVENTS = {
    Kind.EXPLANATION_REQUESTED: (
        "目标进度滞后，请说明原因和整改措施",
        "a goal has gone red: explain why and what is being done",
    ),
    Kind.EXPLANATION_SUBMITTED: ("提交了原因说明，请审核", "submitted an explanation for your review"),
    Kind.EXPLANATION_RETURNED: ("退回了原因说明", "returned the explanation"),
    Kind.EXPLANATION_APPROVED: ("审核通过了原因说明", "approved the explanation"),
}


EXPLANATION_STATE_AFTER = {
    Kind.EXPLANATION_REQUESTED: GoalExplanation.ReviewState.REQUESTED,
    Kind.EXPLANATION_SUBMITTED: GoalExplanation.ReviewState.SUBMITTED,
    Kind.EXPLANATION_RETURNED: GoalExplanation.ReviewState.RETURNED,
    Kind.EXPLANATION_APPROVED: GoalExplanation.ReviewState.APPROVED,
}


def goal_explanation_notify(*, explanation_id: int, kind: str, stamp: str) -> int:
    """Ask the lead department's recorders for an explanation, tell reviewers one is submitted, and
    tell its writer it was returned or approved. A step already overtaken tells nobody."""
    explanation = (
        GoalExplanation.objects.select_related("goal", "recorded_by", "reviewed_by")
        .filter(pk=explanation_id)
        .first()
    )
    if explanation is None or explanation.review_state != EXPLANATION_STATE_AFTER[kind]:
        owed_notice_settle(stamp=stamp)
        return 0
    goal = explanation.goal
    if kind in (Kind.EXPLANATION_REQUESTED, Kind.EXPLANATION_RETURNED):
        recipients = list(department_members_lead(goal, MembershipRole.RECORDER))
        if explanation.recorded_by and explanation.recorded_by not in recipients:
            recipients.append(explanation.recorded_by)
    elif kind == Kind.EXPLANATION_SUBMITTED:
        recipients = [
            u for u in department_members_lead(goal, MembershipRole.REVIEWER) if u != explanation.recorded_by
        ]
    else:
        recipients = [explanation.recorded_by] if explanation.recorded_by else []
    actor = (
        explanation.reviewed_by
        if kind in (Kind.EXPLANATION_RETURNED, Kind.EXPLANATION_APPROVED)
        else explanation.recorded_by
    )
    did_zh, did_en = EXPLANATION_EVENTS[kind]
    context = {
        "explanation": explanation,
        "goal": goal,
        "kind": kind,
        "actor_name": person_name(actor) if actor else "",
        "did_zh": did_zh,
        "did_en": did_en,
        "link": settings.SITE_URL + goal.get_absolute_url()
        if kind == Kind.EXPLANATION_APPROVED
        else admin_url("admin:goals_goalexplanation_change", explanation.pk),
    }
    key = f"explanation:{explanation.pk}:{stamp}"
    sent = sum(
        notice_send(recipient=user, kind=kind, key=key, template="explanation", context=context)
        for user in recipients
    )
    owed_notice_settle(stamp=stamp)
    return sent


def department_members_lead(goal, role: str):
    """Active staff with an email address in `role` of the goal's lead department."""
    user_ids = DepartmentMembership.objects.filter(department=goal.lead_department_id, role=role).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")


def notify_after_commit(task_name: str, object_id: int, kind: str) -> None:
    """Owe the step's email in the current transaction and start its task once that commits (never
    mail for a rollback). An id of the step goes with it, so a retried task finds the same notice key
    and a later step (a figure submitted again after a return) gets a new one. If the broker does not
    take the task, the owed notice stays and notices_owed_send sends it."""
    stamp = uuid.uuid4().hex
    OwedNotice.objects.create(task=task_name, object_id=object_id, kind=str(kind), stamp=stamp)
    task = f"apps.goals.tasks.{task_name}"  # started by name: the task module calls this one
    transaction.on_commit(lambda: task_start(task, object_id, str(kind), stamp))


def owed_notice_settle(*, stamp: str) -> None:
    """The step's task has run: its email went to everyone it could reach, once."""
    OwedNotice.objects.filter(stamp=stamp).delete()


NOTIFIERS = {
    "notify_progress_review": lambda owed: progress_update_notify(
        update_id=owed.object_id, kind=owed.kind, stamp=owed.stamp
    ),
    "notify_explanation": lambda owed: goal_explanation_notify(
        explanation_id=owed.object_id, kind=owed.kind, stamp=owed.stamp
    ),
}
# Long enough for a queued task and its first retries to have run; shorter than a reader's patience.
OWED_GRACE = timedelta(minutes=5)


def notices_owed_send(*, now: datetime, limit: int = 200) -> int:
    """The sweep: send the emails still owed for steps older than OWED_GRACE, oldest first (their
    task never reached a worker, or kept failing). Each goes at most once, as from its own task: the
    notice claims see to that. Returns how many emails went."""
    sent = 0
    owed = OwedNotice.objects.filter(created_at__lt=now - OWED_GRACE).order_by("created_at", "pk")
    for notice in owed[:limit]:
        try:
            sent += NOTIFIERS[notice.task](notice)
        except DeliveryFailed as error:
            logger.warning("owed notice %s not sent yet: %s", notice, error)
        except Exception:  # one broken notice must not hold up the others behind it
            logger.exception("owed notice %s could not be sent", notice)
    return sent
