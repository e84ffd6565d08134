from django.urls import path

from . import views, views_following

app_name = "digests"
urlpatterns = [
    path("unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("follow/<slug:slug>/", views_following.follow, name="follow"),
    path("follow/indicator/<slug:slug>/", views_following.follow_indicator, name="follow_indicator"),
    path("follow/confirm/<slug:token>/", views_following.follow_confirm, name="follow_confirm"),
    path("follow/stop/<slug:token>/", views_following.follow_stop, name="follow_stop"),
]
