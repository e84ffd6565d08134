"""The Celery app. Tasks live in each app's tasks.py; schedules in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinan_targets.settings")

app = Celery("jinan_targets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
