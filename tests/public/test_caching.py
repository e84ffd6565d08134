"""Public pages are cached under the public data version: an ETag and Last-Modified from it, 304 Not
Modified while nothing public changed, answers from the cache, and any public change (but never a
draft) visible on the very next request."""

import datetime

import pytest
import time_machine
from django.conf import settings

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services import evaluation

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
    cache_control = first["Cache-Control"]
    assert "public" in cache_control and "must-revalidate" in cache_control and "s-maxage" in cache_control
    assert first["Last-Modified"]
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


def test_marking_a_goal_owed_an_evaluation_keeps_the_etag_its_new_status_changes_it(client, world):
    """An approval marks its goal as owed an evaluation, and the evaluation clears the mark: bookkeeping
    no page shows, so no page's version changes for it; the new status does change it."""
    etag = client.get("/goals/").get("ETag")
    evaluation.goal_evaluate_after_commit(goal_id=world.stations.pk)
    assert Goal.objects.filter(pk=world.stations.pk, evaluation_requested_at__isnull=False).exists()
    assert client.get("/goals/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Goal.objects.filter(pk=world.stations.pk).update(evaluation_requested_at=None)
    assert client.get("/goals/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    Goal.objects.filter(pk=world.stations.pk).update(status="off_track", evaluation_requested_at=None)
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


def test_the_language_is_in_the_address_not_in_a_header(client, world):
    english = client.get("/en/goals/", HTTP_ACCEPT_LANGUAGE="zh-CN", HTTP_COOKIE="django_language=zh-hans")
    assert english["Content-Language"] == "en"
    assert "Cookie" not in english.get("Vary", "") and "Accept-Language" not in english.get("Vary", "")


def test_a_second_request_is_answered_from_the_cache(client, world, django_assert_num_queries):
    first = client.get("/goals/new-5g-base-stations-2024/")
    with django_assert_num_queries(1):  # the data version
        again = client.get("/goals/new-5g-base-stations-2024/")
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_an_approval_is_visible_on_the_next_request(client, world):
    from apps.goals.models import DepartmentMembership, MembershipRole
    from apps.goals.services.progress_review import progress_update_approve, progress_update_submit
    from tests.factories import UserFactory

    recorder, reviewer = UserFactory(is_staff=True), UserFactory(is_staff=True)
    lead = world.stations.lead_department
    DepartmentMembership.objects.create(user=recorder, department=lead, role=MembershipRole.RECORDER)
    DepartmentMembership.objects.create(user=reviewer, department=lead, role=MembershipRole.REVIEWER)
    url = "/goals/new-5g-base-stations-2024/"
    before = client.get(url)
    assert "6543" not in before.content.decode()
    assert client.get(url).content == before.content  # cached
    update = world.draft_update
    progress_update_submit(update=update, user=recorder)
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304  # submitted: not public
    progress_update_approve(update=update, reviewer=reviewer)
    after = client.get(url)
    assert after.status_code == 200 and "6543" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_saving_a_draft_changes_neither_the_etag_nor_the_page(client, world):
    """Issue 9, item 14: the ETag is public data only; a draft being typed must not show through it."""
    url = "/goals/new-5g-base-stations-2024/"
    first = client.get(url)
    world.draft_update.value = 9999
    world.draft_update.note = "still typing"
    world.draft_update.save()
    ProgressUpdate.objects.create(goal=world.stations, as_of=datetime.date(2024, 10, 31), value=1)
    world.pending.title = "改过的未发布目标"
    world.pending.save()
    for path in (url, "/", "/goals/", "/feeds/progress/", "/api/goals.json"):
        assert client.get(path, HTTP_IF_NONE_MATCH=client.get(path)["ETag"]).status_code == 304
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_editing_a_published_goal_changes_the_page(client, world):
    url = "/goals/new-5g-base-stations-2024/"
    assert "5G" in client.get(url).content.decode()
    world.stations.title = "新建5G基站八千个"
    world.stations.save()
    assert "新建5G基站八千个" in client.get(url).content.decode()


def test_a_renamed_department_shows_at_once(client, world):
    client.get("/goals/")
    world.industry.name = "市工信局（新名）"
    world.industry.save()
    assert "市工信局（新名）" in client.get("/goals/").content.decode()


def test_the_etag_changes_with_the_day(client, world):
    with time_machine.travel("2025-01-01 09:00 +0800"):
        etag = client.get("/")["ETag"]
    with time_machine.travel("2025-01-02 09:00 +0800"):
        assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_approval_written_with_queryset_update_changes_the_etag(client, world):
    from django.utils import timezone

    from apps.goals.models import ProgressUpdate

    etag = client.get("/goals/new-5g-base-stations-2024/").get("ETag")
    ProgressUpdate.objects.filter(pk=world.draft_update.pk).update(
        review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=timezone.now()
    )
    response = client.get("/goals/new-5g-base-stations-2024/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "6543" in response.content.decode()


def test_a_figure_approved_for_an_indicator_shows_on_its_goals_page_at_once(client, world):
    from django.utils import timezone

    from apps.goals.models import Indicator

    indicator = Indicator.objects.create(slug="5g-stations", name="5G基站", name_en="5G base stations")
    Goal.objects.filter(pk=world.stations.pk).update(indicator=indicator)
    url = "/goals/new-5g-base-stations-2024/"
    assert "6789" not in client.get(url).content.decode()
    draft = ProgressUpdate.objects.create(indicator=indicator, as_of=datetime.date(2024, 10, 31), value=6789)
    assert "6789" not in client.get(url).content.decode()
    ProgressUpdate.objects.filter(pk=draft.pk).update(
        review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=timezone.now()
    )
    assert "6789" in client.get(url).content.decode()


def test_an_approved_explanation_shows_at_once_and_a_draft_of_one_changes_nothing(client, world):
    from apps.goals.models import GoalExplanation

    url = "/goals/new-5g-base-stations-2024/"
    first = client.get(url)
    change = world.stations.status_changes.get()
    explanation = GoalExplanation.objects.create(
        goal=world.stations,
        status_change=change,
        status="off_track",
        requested_on=datetime.date(2024, 7, 1),
        due_on=datetime.date(2024, 7, 15),
        reason="征地延误",
        corrective_actions="加快审批",
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    GoalExplanation.objects.filter(pk=explanation.pk).update(review_state="approved")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_target_revision_shows_at_once(client, world):
    from apps.goals.models import GoalRevision

    url = "/goals/new-5g-base-stations-2024/"
    first = client.get(url)
    GoalRevision.objects.create(
        goal=world.stations, field="target_value", before="7000", after="8000", reason="上级下达新任务"
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_cache_that_is_down_costs_a_render_not_the_page(client, world, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = client.get("/goals/new-5g-base-stations-2024/")
    assert response.status_code == 200 and "新建5G基站7000个" in response.content.decode()


def test_a_worker_answers_from_its_own_copy_while_the_version_holds(client, world, django_assert_num_queries):
    from django.core.cache import cache

    url = "/goals/new-5g-base-stations-2024/"
    first = client.get(url)
    cache.clear()  # the shared cache lost it; this process still holds the page of this version
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    world.stations.title = "新建5G基站八千个"
    world.stations.save()
    assert "新建5G基站八千个" in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/", "/en/goals/", "/api/goals.json", "/feeds/progress/"])
def test_a_cached_answer_carries_the_same_headers_as_a_rendered_one(client, world, url):
    rendered = client.get(url)
    cached = client.get(url)
    assert cached.content == rendered.content
    assert {k: v for k, v in cached.items() if k != "Date"} == {
        k: v for k, v in rendered.items() if k != "Date"
    }
    assert rendered["X-Frame-Options"] == "DENY" and rendered["Content-Language"]


def test_a_signed_in_staff_member_gets_the_public_page_without_touching_the_session(client, world):
    from tests.factories import UserFactory

    url = "/goals/"
    anonymous = client.get(url)
    client.force_login(UserFactory(is_staff=True))
    staff = client.get(url)
    assert staff.content == anonymous.content
    assert not staff.cookies and "Cookie" not in staff.get("Vary", "")


def test_the_local_copies_stay_within_their_bytes_and_die_with_their_version(settings):
    from apps.public.caching import LocalPages

    settings.PUBLIC_LOCAL_CACHE_BYTES = 1000
    pages = LocalPages()
    page = (200, [], b"x" * 200)
    for key in "abcdef":
        pages.put(7, key, page)
    assert pages.get(7, "a") is None and pages.get(7, "f") == page  # the oldest went first
    assert pages.size <= 1000
    pages.put(7, "huge", (200, [], b"x" * 400))  # over a quarter of the room: not kept
    assert pages.get(7, "huge") is None
    assert pages.get(8, "f") is None
    pages.put(8, "g", page)
    assert pages.get(7, "f") is None and pages.size == 200


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="an in-memory SQLite test database dies with its connection",
)
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_that_died_is_replaced_without_an_error(client, world):
    from django.db import connection

    url = "/goals/"
    assert client.get(url).status_code == 200
    connection.ensure_connection()
    connection.connection.close()  # the server went away between requests
    assert client.get(url).status_code == 200
