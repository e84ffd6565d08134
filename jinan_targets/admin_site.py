"""The staff admin site: the domain's work (goals, progress, explanations, digests) listed before
the framework's tables (users, Celery's periodic tasks), which the index would otherwise sort first."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from apps.staff.admin_queries import refuse_malformed_query

# Apps in the order staff reach for them; any other app follows in Django's own order.
APP_ORDER = ["goals", "digests", "auth", "django_celery_beat"]


class LabelledAutocompleteView(AutocompleteJsonView):
    """Each result named as its model's admin names it (`autocomplete_label`), else by str()."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {**result, "text": label(obj)} if label is not None else result


class JinanAdminSite(admin.AdminSite):
    site_header = "济南目标追踪 · Jinan Targets"
    site_title = "济南目标追踪"
    index_title = "管理 · Administration"
    enable_nav_sidebar = False  # lists of goals need the width

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)

    def admin_view(self, view, cacheable=False):
        # Every admin view refuses a malformed query string with a 400, after the login check.
        return super().admin_view(refuse_malformed_query(view), cacheable)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: n for n, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(APP_ORDER)))


class JinanAdminConfig(AdminConfig):
    default_site = "jinan_targets.admin_site.JinanAdminSite"
