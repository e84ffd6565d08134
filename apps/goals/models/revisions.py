"""Revisions of a published goal's promise: what changed, from what, to what, when and why."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .common import bilingual
from .goals import Goal

# What a published goal promises: changing any of these afterwards is a revision, made public with a reason.
REVISABLE_FIELDS = {
    "target_value": ("目标值", "target"),
    "target_max": ("目标上限", "upper value"),
    "comparator": ("比较方式", "comparator"),
    "unit": ("单位", "unit"),
    "deadline": ("截止日期", "deadline"),
}


class GoalRevision(models.Model):
    """A change to a published goal's target, deadline or unit: from what, to what, when and why."""

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="revisions"
    )
    field = models.CharField(
        "调整项 · what changed",
        max_length=30,
        choices=[(name, f"{zh} · {en}") for name, (zh, en) in REVISABLE_FIELDS.items()],
    )
    before = models.CharField("原值 · from", max_length=100, blank=True)
    after = models.CharField("新值 · to", max_length=100, blank=True)
    reason = models.TextField("调整原因 · reason")
    revised_at = models.DateTimeField("调整时间 · when", default=timezone.now)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调整人 · by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-revised_at", "-pk"]
        verbose_name = "目标调整 · goal revision"
        verbose_name_plural = "目标调整 · goal revisions"
        constraints = [
            models.CheckConstraint(condition=Q(reason__length__gt=0), name="goal_revision_has_reason"),
            models.CheckConstraint(
                condition=Q(field__in=list(REVISABLE_FIELDS)), name="goal_revision_field_valid"
            ),
        ]

    def __str__(self):
        return f"{self.goal}: {self.field} {self.before} → {self.after}"

    @property
    def field_label(self):
        zh, en = REVISABLE_FIELDS.get(self.field, (self.field, self.field))
        return bilingual(zh, en)
