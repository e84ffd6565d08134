"""Public pages carry an ETag; a client that already has the current page gets 304 Not Modified."""

import datetime

import pytest

from apps.goals.models import Goal

from .conftest import approved

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/goals/",
    "/goals/new-5g-base-stations-2024/",
    "/documents/",
    "/feeds/progress/",
    "/api/goals.json",
    "/goals/new-5g-base-stations-2024/data.csv",
]


@pytest.mark.parametrize("url", URLS)
def test_unchanged_page_answers_304(client, world, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_new_approved_figure_changes_the_etag(client, world):
    etag = client.get("/").get("ETag")
    approved(world.stations, datetime.date(2024, 9, 30), "5600")
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_evaluation_written_with_queryset_update_changes_the_etag(client, world):
    etag = client.get("/goals/").get("ETag")
    Goal.objects.filter(pk=world.gdp.pk).update(
        status="off_track", status_evaluated_on=datetime.date(2024, 7, 2)
    )
    assert client.get("/goals/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unpublishing_changes_the_etag(client, world):
    etag = client.get("/").get("ETag")
    world.stations.review_state = Goal.ReviewState.PENDING
    world.stations.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_language_has_its_own_etag(client, english, world):
    from django.test import Client

    chinese = Client().get("/")
    assert english.get("/")["ETag"] != chinese["ETag"]
    assert english.get("/", HTTP_IF_NONE_MATCH=chinese["ETag"]).status_code == 200


def test_pages_vary_on_language(client, world):
    vary = client.get("/")["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_approval_written_with_queryset_update_changes_the_etag(client, world):
    from django.utils import timezone

    from apps.goals.models import ProgressUpdate

    etag = client.get("/goals/new-5g-base-stations-2024/").get("ETag")
    ProgressUpdate.objects.filter(pk=world.draft_update.pk).update(
        review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=timezone.now()
    )
    response = client.get("/goals/new-5g-base-stations-2024/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "6543" in response.content.decode()
