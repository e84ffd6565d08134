from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from apps.public.views import favicon

from .health import healthz

# admin.site is jinan_targets.admin_site.JinanAdminSite (titles, the order of the index).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("digests/", include("apps.digests.urls")),
    # The public site in Chinese at /…, in English at /en/… (jinan_targets.middleware).
    *i18n_patterns(path("", include("apps.public.urls")), prefix_default_language=False),
]

handler404 = "jinan_targets.errors.page_not_found"
handler500 = "jinan_targets.errors.server_error"
