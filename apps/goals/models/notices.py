"""Emails to staff, each sent once: the notice claimed before sending, and the one a review step owes."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffNotice(models.Model):
    """One email to a staff member (a review step, an explanation asked for, the weekly reminder).
    The row is claimed before the email goes out and its key is unique, so each notice is sent once
    however often or concurrently the job runs; `sent_at` is set once the server took it."""

    class Kind(models.TextChoices):
        UPDATE_SUBMITTED = "update_submitted", "进展待审核 · figure submitted"
        UPDATE_RETURNED = "update_returned", "进展被退回 · figure returned"
        UPDATE_APPROVED = "update_approved", "进展已通过 · figure approved"
        EXPLANATION_REQUESTED = "explanation_requested", "请说明原因 · explanation requested"
        EXPLANATION_SUBMITTED = "explanation_submitted", "原因说明待审核 · explanation submitted"
        EXPLANATION_RETURNED = "explanation_returned", "原因说明被退回 · explanation returned"
        EXPLANATION_APPROVED = "explanation_approved", "原因说明已通过 · explanation approved"
        REMINDER = "reminder", "每周提醒 · weekly reminder"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人 · to", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类型 · kind", max_length=30, choices=Kind.choices)
    key = models.CharField(
        "对象 · about",
        max_length=100,
        help_text="如 update:12、explanation:3、2024-W28 · e.g. update:12, explanation:3, 2024-W28",
    )
    subject = models.CharField("主题 · subject", max_length=300)
    created_at = models.DateTimeField("创建时间 · created", default=timezone.now)
    sent_at = models.DateTimeField("发送时间 · sent at", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "工作通知 · staff notice"
        verbose_name_plural = "工作通知 · staff notices"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="staff_notice_once"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"


class OwedNotice(models.Model):
    """The email a review step owes, written in the step's own transaction: it commits with the step
    or not at all. The step's task removes it once it has run; if the broker never got the task, the
    sweep (every five minutes) sends it, so a broker outage delays the email but never loses it."""

    task = models.CharField("任务 · task", max_length=50)
    object_id = models.BigIntegerField("对象 · object id")
    kind = models.CharField("类型 · kind", max_length=30, choices=StaffNotice.Kind.choices)
    stamp = models.CharField("步骤标识 · step id", max_length=32, unique=True)
    created_at = models.DateTimeField("创建时间 · created", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "待发通知 · owed notice"
        verbose_name_plural = "待发通知 · owed notices"

    def __str__(self):
        return f"{self.task}({self.object_id}, {self.kind})"
