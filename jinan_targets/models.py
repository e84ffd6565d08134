"""What the project keeps about its periodic jobs (settings.CELERY_BEAT_SCHEDULE): one row per task,
updated in place by the task itself (jinan_targets/jobs.py), read by /healthz."""

from django.db import models


class JobRun(models.Model):
    """A periodic task's last start, success and failure, and the run that holds it now."""

    task = models.CharField("任务 · task", max_length=200, unique=True)
    # Set by the run that claimed the job and cleared when it ends: a second delivery of the task
    # (beat's catch-up, a redelivery, a run by hand) finds it set and does nothing.
    running_since = models.DateTimeField("运行开始 · running since", null=True, blank=True)
    last_started_at = models.DateTimeField("上次开始 · last started", null=True, blank=True)
    last_success_at = models.DateTimeField("上次成功 · last success", null=True, blank=True)
    last_failure_at = models.DateTimeField("上次失败 · last failure", null=True, blank=True)
    last_error = models.TextField("上次错误 · last error", blank=True)

    class Meta:
        verbose_name = "定时任务运行 · job run"
        verbose_name_plural = "定时任务运行 · job runs"
        ordering = ["task"]

    def __str__(self) -> str:
        return self.task
