"""Emails to staff: a figure or an explanation submitted (to the department's reviewers), returned
or approved (to whoever wrote it), explanations asked for (to the lead department's recorders, one
email per run listing them all). Each is claimed as StaffNotice rows before sending and settled after,
never sent inside a transaction, so a notice goes once however often its task runs. Tasks call these
after the step commits."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
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
from ..units import amount_text
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
    sent = notice_send_listing(
        recipient=recipient,
        kind=kind,
        items={key: None},
        template=template,
        context_for=lambda claimed: context,
    )
    return bool(sent)


def notice_send_listing(*, recipient, kind: str, items: dict, template: str, context_for) -> int:
    """Email `recipient` once about several things together: claim a notice row for each key of
    `items` (key -> the thing it is about) not claimed yet, then send one email whose template
    context is `context_for(the claimed items)`, and settle every claim. Returns how many items the
    email listed, 0 when every one was claimed already (told before, or by another run at the same
    moment). A failed send gives the claims back, so the next run sends."""
    if not recipient.email or not recipient.is_active:
        return 0
    claimed: dict = {}
    try:
        # Durable: the claims commit on their own, and this refuses to run inside a caller's transaction.
        with transaction.atomic(durable=True):
            for key, item in items.items():
                try:
                    with transaction.atomic():
                        StaffNotice.objects.create(recipient=recipient, kind=kind, key=key, subject="")
                except IntegrityError:
                    continue
                claimed[key] = item
    except RuntimeError as error:
        raise SentInsideTransaction(
            "notice_send must run after the commit, outside any transaction"
        ) from error
    if not claimed:
        return 0
    claims = StaffNotice.objects.filter(recipient=recipient, kind=kind, key__in=list(claimed))
    context = {
        **context_for(list(claimed.values())),
        "recipient_name": person_name(recipient),
        "site_url": settings.SITE_URL,
    }
    subject, text, html = email_render(template, context)
    claims.update(subject=subject[:300])
    message = EmailMultiAlternatives(subject, text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    try:
        email_deliver(message)
    except DeliveryFailed:
        # The mail server did not take it: give the claims back so a retry sends.
        claims.filter(sent_at__isnull=True).delete()
        raise
    except DeliveryUnknown as error:
        # It may have arrived: keep the claims unsettled (no sent_at) rather than risk sending twice.
        logger.warning("notice %s:%s to %s: outcome unknown (%s)", kind, list(claimed), recipient, error)
        return 0
    claims.update(sent_at=timezone.now())
    return len(claimed)


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
        "value": amount_text(update.value, update.goal.unit),
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


def explanation_request_key(explanation_id: int) -> str:
    return f"explanation:{explanation_id}:requested"


def explanation_requests_notify(*, stamp: str) -> int:
    """Tell each recorder of a lead department, in one email, of every explanation asked of their
    departments that nobody has told them of yet (a run's requests, or an earlier run's whose email
    never went). Each request is claimed per recorder (StaffNotice keyed by the explanation), so a
    second run, or two at once, tells nobody twice. Returns how many emails went."""
    open_requests = (
        GoalExplanation.objects.filter(review_state=GoalExplanation.ReviewState.REQUESTED)
        .select_related("goal")
        .order_by("due_on", "goal__deadline", "pk")
    )
    by_department = defaultdict(list)
    for explanation in open_requests:
        by_department[explanation.goal.lead_department_id].append(explanation)
    memberships = DepartmentMembership.objects.filter(
        department__in=list(by_department),
        role=MembershipRole.RECORDER,
        user__is_active=True,
    ).exclude(user__email="")
    asked_of: dict[int, list] = defaultdict(list)
    for user_id, department_id in memberships.values_list("user_id", "department_id"):
        asked_of[user_id].extend(by_department[department_id])
    # Told already, in this email's key or in the single-request email's (explanation:<id>:<stamp>).
    told = defaultdict(set)
    for user_id, key in StaffNotice.objects.filter(
        kind=Kind.EXPLANATION_REQUESTED, recipient__in=list(asked_of)
    ).values_list("recipient_id", "key"):
        told[user_id].add(key.split(":")[1] if key.startswith("explanation:") else key)
    sent = 0
    for recipient in get_user_model().objects.filter(pk__in=list(asked_of)).order_by("pk"):
        untold = {
            explanation_request_key(e.pk): e
            for e in sorted(set(asked_of[recipient.pk]), key=lambda e: (e.due_on, e.goal.deadline, e.pk))
            if str(e.pk) not in told[recipient.pk]
        }
        if not untold:
            continue
        sent += bool(
            notice_send_listing(
                recipient=recipient,
                kind=Kind.EXPLANATION_REQUESTED,
                items=untold,
                template="explanations_requested",
                context_for=lambda explanations: {
                    "explanations": [
                        (e, admin_url("admin:goals_goalexplanation_change", e.pk)) for e in explanations
                    ],
                    "count": len(explanations),
                },
            )
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
    "notify_explanations_requested": lambda owed: explanation_requests_notify(stamp=owed.stamp),
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
