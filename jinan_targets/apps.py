from django.apps import AppConfig


class JinanTargetsConfig(AppConfig):
    """The project package as an app: it holds the bookkeeping of the periodic jobs (models.JobRun)."""

    name = "jinan_targets"
    verbose_name = "定时任务 · Scheduled jobs"
