from django.apps import AppConfig


class GoalsConfig(AppConfig):
    verbose_name = "目标 · Goals"
    name = "apps.goals"
    label = "goals"
