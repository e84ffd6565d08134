"""Staff review of extracted goals in the admin: publish, reject, merge (nothing lost)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import Citation, Goal, ProgressUpdate
from apps.goals.services import goal_review
from apps.goals.services.goal_review import goals_merge

from ..factories import CitationFactory, DocumentFactory, GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:goals_goal_changelist")


def test_merge_moves_citations_and_progress_and_deletes_the_other(admin_user):
    keep = GoalFactory(title="新建5G基站7000个", title_en="")
    absorb = GoalFactory(title="5G基站新建7000个", title_en="7,000 new 5G base stations")
    document = DocumentFactory(text="今年新建5G基站7000个。全年再建5G基站7000个。")
    CitationFactory(goal=keep, document=document, start=2, end=13, quote=document.text[2:13])
    CitationFactory(goal=absorb, document=document, start=14, end=26, quote=document.text[14:26])
    CitationFactory(
        goal=absorb, document=document, start=2, end=13, quote=document.text[2:13]
    )  # same sentence
    now = timezone.now()
    ProgressUpdateFactory(
        goal=keep, as_of=datetime.date(2024, 6, 30), review_state="approved", reviewed_at=now
    )
    moved = ProgressUpdateFactory(
        goal=absorb,
        as_of=datetime.date(2024, 6, 30),
        review_state="approved",
        reviewed_at=now,
        value=Decimal("3600"),
    )
    other = ProgressUpdateFactory(goal=absorb, as_of=datetime.date(2024, 9, 30))

    goals_merge(keep=keep, absorb=absorb)

    assert not Goal.objects.filter(pk=absorb.pk).exists()
    assert keep.citations.count() == 2
    assert Citation.objects.count() == 2
    moved.refresh_from_db()
    other.refresh_from_db()
    assert moved.goal_id == keep.pk and moved.review_state == ProgressUpdate.ReviewState.SUBMITTED
    assert other.goal_id == keep.pk
    keep.refresh_from_db()
    assert keep.title_en == "7,000 new 5G base stations"


def test_admin_merge_asks_which_goal_to_keep_then_merges(client, admin_user):
    first, second = GoalFactory(), GoalFactory()
    CitationFactory(goal=second)
    client.force_login(admin_user)
    data = {"action": "merge_goals", "_selected_action": [first.pk, second.pk]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "合并目标" in page.content.decode()
    response = client.post(CHANGELIST, {**data, "keep": second.pk}, follow=True)
    assert "Merged into" in response.content.decode()
    assert list(Goal.objects.values_list("pk", flat=True)) == [second.pk]


def test_admin_merge_needs_exactly_two_goals(client, admin_user):
    goals = GoalFactory.create_batch(3)
    client.force_login(admin_user)
    response = client.post(
        CHANGELIST, {"action": "merge_goals", "_selected_action": [g.pk for g in goals]}, follow=True
    )
    assert "Select exactly two goals" in response.content.decode()
    assert Goal.objects.count() == 3


def test_admin_publish_refuses_goals_without_a_target(client, admin_user):
    complete = GoalFactory(review_state=Goal.ReviewState.PENDING)
    incomplete = GoalFactory(review_state=Goal.ReviewState.PENDING, target_value=None, title="建设绿色工厂家")
    client.force_login(admin_user)
    response = client.post(
        CHANGELIST, {"action": "publish_goals", "_selected_action": [complete.pk, incomplete.pk]}, follow=True
    )
    text = response.content.decode()
    assert "1 goal(s) published" in text and "建设绿色工厂家" in text
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.is_published and not incomplete.is_published


def test_admin_reject_hides_goals(client, admin_user):
    goal = GoalFactory()
    client.force_login(admin_user)
    client.post(CHANGELIST, {"action": "reject_goals", "_selected_action": [goal.pk]})
    goal.refresh_from_db()
    assert goal.review_state == Goal.ReviewState.REJECTED


def test_review_list_shows_extracted_goals_with_citations(client, admin_user):
    citation = CitationFactory(goal__review_state=Goal.ReviewState.PENDING)
    client.force_login(admin_user)
    listing = client.get(CHANGELIST, {"review_state__exact": "pending"})
    assert citation.goal.title in listing.content.decode()
    page = client.get(reverse("admin:goals_goal_change", args=[citation.goal.pk]))
    assert citation.quote in page.content.decode()


@pytest.mark.parametrize(
    ("action", "state", "reason"),
    [("publish_goals", "published", "发布 · published"), ("reject_goals", "rejected", "驳回 · rejected")],
)
def test_publishing_or_rejecting_leaves_a_history_record_with_who_and_when(
    admin_user, client, action, state, reason
):
    goal = GoalFactory(review_state="pending")
    client.force_login(admin_user)

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC), tick=False):
        client.post(CHANGELIST, {"action": action, "_selected_action": [goal.pk]})

    record = goal.history.order_by("-history_id").first()
    assert (record.review_state, record.history_user, record.history_change_reason) == (
        state,
        admin_user,
        reason,
    )
    assert record.history_date == datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def test_publishing_a_published_goal_again_writes_no_history():
    goal = GoalFactory(review_state="published")
    before = goal.history.count()

    assert goal_review.goals_publish(goals=[goal]) == (0, [])
    assert goal.history.count() == before


@time_machine.travel("2024-07-15 10:00 +0800")
def test_a_goal_published_is_judged_at_once_on_the_figures_already_reported(
    django_capture_on_commit_callbacks,
):
    goal = GoalFactory(review_state=Goal.ReviewState.PENDING)  # 新建5G基站7000个 in 2024, stated today
    ProgressUpdateFactory(goal=goal, as_of=datetime.date(2024, 6, 30), value=Decimal("3600"), approved=True)
    assert goal.status_evaluated_on is None  # "not started", the default, beside a reported figure

    with django_capture_on_commit_callbacks(execute=True):
        assert goal_review.goals_publish(goals=[goal]) == (1, [])

    goal.refresh_from_db()
    assert goal.status_evaluated_on == datetime.date(2024, 7, 15)
    assert goal.status == "on_track" and goal.latest_value == Decimal("3600")
    assert goal.evaluation_requested_at is None
