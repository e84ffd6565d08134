from django.urls import path

from . import views

app_name = "digests"
urlpatterns = [
    path("unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
]
