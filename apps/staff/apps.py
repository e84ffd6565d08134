from django.apps import AppConfig


class StaffConfig(AppConfig):
    verbose_name = "工作台 · Staff workspace"
    name = "apps.staff"
    label = "staff"
