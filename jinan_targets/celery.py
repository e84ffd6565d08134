"""The Celery app. Tasks live in each app's tasks.py; schedules in settings.CELERY_BEAT_SCHEDULE.

Every task named in that schedule runs one at a time and records its success (jinan_targets.jobs,
through JobTask below), and beat, as it starts, sends the jobs missed while it was down."""

import logging
import os
from pathlib import Path

from celery import Celery, Task
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinan_targets.settings")
logger = logging.getLogger(__name__)


class JobTask(Task):
    """Every task of the project. A scheduled one (a job) claims its JobRun row first and records how
    it ended; any other task runs as it is."""

    def __call__(self, *args, **kwargs):
        from .jobs import job_run, scheduled_task_names  # needs the apps loaded

        if self.name not in scheduled_task_names():
            return super().__call__(*args, **kwargs)
        return job_run(self.name, lambda: super(JobTask, self).__call__(*args, **kwargs))


app = Celery("jinan_targets", task_cls=JobTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender=None, **kwargs) -> None:
    """The local broker (a folder, when no CELERY_BROKER_URL is set) needs its folders before
    anything sends or reads a message."""
    options = app.conf.broker_transport_options or {}
    if str(app.conf.broker_url or "").startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)


@beat_init.connect
def _send_missed_jobs(sender=None, **kwargs):
    """As beat starts, send each job that was due since its last success: beat itself would wait for
    the next tick (tomorrow at 01:00 for the daily evaluation). The job's claim keeps a job that is
    still running from running twice."""
    from django.utils import timezone

    from .jobs import jobs_missed

    for job in jobs_missed(now=timezone.now()):
        logger.info("beat: sending %s, missed since its last success", job.name)
        app.send_task(job.task, **job.options)
