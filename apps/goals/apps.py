from django.apps import AppConfig


class GoalsConfig(AppConfig):
    verbose_name = "目标 · Goals"
    name = "apps.goals"
    label = "goals"

    def ready(self):
        # Register this app's Celery tasks in every process: services start them by name
        # (services.broker.task_start), and a task run in-process (CELERY_TASK_ALWAYS_EAGER) must be known.
        from . import tasks  # noqa: F401
