"""A goal's status over time: each change of its computed status, and its status at recorded
quarter ends."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..querysets import StatusChangeQuerySet
from .common import STATUS_CHOICES, bilingual
from .goals import Goal


class StatusChange(models.Model):
    """One change of a goal's computed status; written only when the status changes."""

    goal = models.ForeignKey(
        Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="status_changes"
    )
    changed_at = models.DateTimeField("时间 · when", default=timezone.now)
    evaluated_on = models.DateField("评估日期 · evaluated on")
    from_status = models.CharField("原状态 · from", max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField("新状态 · to", max_length=20, choices=STATUS_CHOICES)
    expected_value = models.DecimalField(
        "序时进度 · expected value", max_digits=20, decimal_places=4, null=True, blank=True
    )
    actual_value = models.DecimalField(
        "实际值 · actual value", max_digits=20, decimal_places=4, null=True, blank=True
    )
    explanation_zh = models.TextField("说明（中文） · explanation (Chinese)", blank=True)
    explanation_en = models.TextField("说明（英文） · explanation (English)", blank=True)
    is_sample = models.BooleanField("示例数据 · rests on sample data", default=False)
    rule_version = models.CharField("规则版本 · rule version", max_length=20)

    objects = StatusChangeQuerySet.as_manager()

    # A change records the verdict that made it: these fields, from the goal's computed fields.
    FROM_VERDICT = {
        "evaluated_on": "status_evaluated_on",
        "to_status": "status",
        "expected_value": "expected_value",
        "actual_value": "latest_value",
        "explanation_zh": "status_explanation_zh",
        "explanation_en": "status_explanation_en",
        "is_sample": "is_sample",
        "rule_version": "status_rule_version",
    }

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        verbose_name = "状态变更 · status change"
        verbose_name_plural = "状态变更 · status changes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_change_is_a_change"
            ),
            models.UniqueConstraint(
                fields=["goal", "evaluated_on", "from_status", "to_status"], name="status_change_once_per_day"
            ),
        ]
        indexes = [
            # Newest first (feeds, the dashboard's recent changes): a daily run stamps its changes with
            # one time, so the id must be in the index too, or the newest few need the whole run sorted.
            models.Index(fields=["changed_at", "id"], name="status_change_time_order"),
            # A goal's status at a moment (the digest's counts at a period's end, the latest turn to
            # red): its last change before it, found without reading the whole history.
            models.Index(fields=["goal", "changed_at"], name="status_change_goal_time"),
        ]

    def __str__(self):
        return f"{self.goal}: {self.from_status or '—'} → {self.to_status}"

    @classmethod
    def from_verdict(cls, *, goal_id: int, from_status: str, verdict, changed_at) -> "StatusChange":
        """The change a verdict (the goal's new computed fields, by name) makes from `from_status`."""
        values = {name: getattr(verdict, source) for name, source in cls.FROM_VERDICT.items()}
        return cls(goal_id=goal_id, from_status=from_status, changed_at=changed_at, **values)

    @property
    def explanation(self):
        return bilingual(self.explanation_zh, self.explanation_en)


class QuarterSpan(models.Model):
    """A goal's status at a run of recorded quarter ends, as its status history has it (its last
    change evaluated on or before each): from `since` up to, not including, `until` (none: still, at
    the last recorded quarter end). The dashboard's status over time reads these few rows instead of
    the whole history. Kept by apps.goals.services.quarters; nothing else writes them."""

    goal = models.ForeignKey(Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态 · status", max_length=20, choices=STATUS_CHOICES)
    since = models.DateField("自季度末 · from quarter end")
    until = models.DateField("至季度末（不含） · until quarter end (excluded)", null=True, blank=True)

    class Meta:
        verbose_name = "季度末状态 · status at quarter ends"
        verbose_name_plural = "季度末状态 · statuses at quarter ends"
        constraints = [
            models.UniqueConstraint(fields=["goal", "since"], name="quarter_span_once"),
            models.UniqueConstraint(
                fields=["goal"], condition=Q(until__isnull=True), name="quarter_span_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.status} {self.since}–{self.until or ''}"


class RecordedQuarter(models.Model):
    """A quarter end whose statuses are recorded (QuarterSpan) for every goal with a history by then."""

    day = models.DateField("季度末 · quarter end", primary_key=True)
    recorded_at = models.DateTimeField("记录时间 · recorded at", default=timezone.now)

    class Meta:
        verbose_name = "已记录的季度末 · recorded quarter end"
        verbose_name_plural = "已记录的季度末 · recorded quarter ends"

    def __str__(self):
        return self.day.isoformat()


class StatusSpan(models.Model):
    """A goal's status over a run of days as the rules judge it from the figures known on each day
    (apps.goals.spans): from `from_day` up to, not including, `to_day`; the last span of a goal is
    open (no `to_day`) and holds through `through`, the last day judged. The ?as_of= pages read the
    span holding a day instead of judging every goal afresh. Kept by apps.goals.services.spans;
    nothing else writes them."""

    goal = models.ForeignKey(Goal, verbose_name="目标 · goal", on_delete=models.CASCADE, related_name="+")
    from_day = models.DateField("自 · from")
    to_day = models.DateField("至（不含） · until (excluded)", null=True, blank=True)
    through = models.DateField("已评估至 · judged through", null=True, blank=True)
    status = models.CharField("状态 · status", max_length=20, choices=STATUS_CHOICES)
    # What the span was judged by: the rules' version and the thresholds in settings (spans.rules_key),
    # and a digest of the goal's inputs (spans.inputs_key).
    rule_version = models.CharField("规则版本 · rule version", max_length=20)
    inputs = models.CharField("输入摘要 · inputs digest", max_length=16)

    class Meta:
        verbose_name = "状态区间 · status span"
        verbose_name_plural = "状态区间 · status spans"
        constraints = [
            # Also the index that answers "the span of these goals holding day D".
            models.UniqueConstraint(fields=["goal", "from_day"], name="status_span_once"),
            models.UniqueConstraint(
                fields=["goal"], condition=Q(to_day__isnull=True), name="status_span_one_open"
            ),
            models.CheckConstraint(
                condition=Q(to_day__isnull=True, through__isnull=False)
                | Q(to_day__isnull=False, through__isnull=True, to_day__gt=F("from_day")),
                name="status_span_open_or_closed",
            ),
            models.CheckConstraint(
                condition=Q(through__isnull=True) | Q(through__gte=F("from_day")), name="status_span_through"
            ),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.status} {self.from_day}–{self.to_day or self.through}"
