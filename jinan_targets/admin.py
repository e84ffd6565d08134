"""The periodic jobs' runs, read-only: when each last started, succeeded and failed (also in /healthz)."""

from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["task", "last_success_at", "last_failure_at", "running_since", "last_started_at"]
    readonly_fields = [field.name for field in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
