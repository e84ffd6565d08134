"""Explanations of red goals: the reason and the corrective action a lead department gives."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..querysets import GoalExplanationQuerySet
from .common import STATUS_CHOICES
from .goals import Goal
from .history import StatusChange
from .reviewed import Reviewed


class ExplanationState(models.TextChoices):
    REQUESTED = "requested", "待说明 · requested"
    SUBMITTED = "submitted", "待审核 · submitted"
    APPROVED = "approved", "已通过 · approved"
    RETURNED = "returned", "已退回 · returned"


class GoalExplanation(Reviewed):
    """Why a goal went red and what is being done about it (原因说明和整改措施 — reason and corrective
    action), asked of its lead department when the goal turns red (off track, missed, a milestone
    overdue), reviewed like a figure, and public once approved. One per turn to red (its status-change
    row)."""

    ReviewState = ExplanationState
    REVIEW_OPEN = (ExplanationState.REQUESTED, ExplanationState.RETURNED)
    REVIEW_RETURNED = ExplanationState.RETURNED

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="explanations"
    )
    status_change = models.OneToOneField(
        StatusChange,
        verbose_name="状态变更 · status change",
        on_delete=models.CASCADE,
        related_name="asked_explanation",
    )
    status = models.CharField("所说明的状态 · status explained", max_length=20, choices=STATUS_CHOICES)
    requested_on = models.DateField("要求日期 · requested on")
    due_on = models.DateField("说明期限 · due by")
    reason = models.TextField("原因说明 · reason", blank=True)
    corrective_actions = models.TextField("整改措施 · corrective actions", blank=True)
    review_state = models.CharField(
        "审核状态 · review",
        max_length=20,
        choices=ExplanationState.choices,
        default=ExplanationState.REQUESTED,
    )

    history = HistoricalRecords()
    objects = GoalExplanationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "原因说明 · explanation"
        verbose_name_plural = "原因说明 · explanations"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=ExplanationState.values), name="explanation_review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("requested_on")), name="explanation_due_after_request"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=["requested"]) | (~Q(reason="") & ~Q(corrective_actions="")),
                name="explanation_submitted_is_complete",
            ),
        ]

    def __str__(self):
        return f"{self.goal} · {self.requested_on:%Y-%m-%d}"

    def is_overdue(self, today) -> bool:
        return self.is_open and today > self.due_on

    @property
    def approved_on(self):
        return timezone.localdate(self.reviewed_at) if self.reviewed_at else None
