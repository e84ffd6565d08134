from django.apps import AppConfig


class DigestsConfig(AppConfig):
    verbose_name = "周报 · Digests"
    name = "apps.digests"
    label = "digests"
