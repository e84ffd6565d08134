from django.apps import AppConfig


class DigestsConfig(AppConfig):
    verbose_name = "周报 · Digests"
    name = "apps.digests"
    label = "digests"

    def ready(self):
        # Register this app's Celery tasks in every process: services start them by name
        # (services.broker.task_start), and a task run in-process (CELERY_TASK_ALWAYS_EAGER) must be known.
        from . import tasks  # noqa: F401
