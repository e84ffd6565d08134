from django.conf import settings
from django.urls import path

from . import api, embeds, feeds, places, reports, views
from .caching import public_page

app_name = "public"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/<slug:slug>/", views.goal_detail, name="goal_detail"),
    path("goals/<slug:slug>/badge.svg", embeds.goal_badge, name="goal_badge"),
    path("goals/<slug:slug>/embed/", embeds.goal_embed, name="goal_embed"),
    path("goals/<slug:slug>/data.csv", views.goal_data_csv, name="goal_data_csv"),
    path("goals/<slug:slug>/feeds/progress/", public_page(feeds.ProgressFeed()), name="goal_progress_feed"),
    path("goals/<slug:slug>/feeds/status/", public_page(feeds.StatusFeed()), name="goal_status_feed"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
    path("places/", places.place_list, name="place_list"),
    path("places/<slug:slug>/", places.place_detail, name="place_detail"),
    path("compare/", views.comparison_list, name="comparison_list"),
    path("compare/<slug:measure>/<int:year>/", views.comparison, name="comparison"),
    path("report/", reports.city_report, name="city_report"),
    path("report/<slug:slug>/", reports.department_report, name="department_report"),
    path("methodology/", views.methodology, name="methodology"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("feeds/progress/", public_page(feeds.ProgressFeed()), name="progress_feed"),
    path("feeds/status/", public_page(feeds.StatusFeed()), name="status_feed"),
    path("api/", api.api_guide, name="api_guide"),
    path("api/openapi.json", api.openapi_json, name="api_openapi"),
    path("api/goals.json", api.goal_list, name="api_goal_list"),
    path("api/goals/<slug:slug>.json", api.goal_detail, name="api_goal_detail"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.evidence_file, name="evidence_file"),
]
