"""The review workflow in the admin, driven as the named staff users through the test client:
recorders see and enter only their departments' figures, reviewers approve them, the goal moves."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.goals.models import ProgressUpdate
from apps.goals.services import memberships, progress_review
from apps.goals.status import Status

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

CHANGELIST = reverse("admin:goals_progressupdate_changelist")
ADD = reverse("admin:goals_progressupdate_add")


@pytest.fixture
def staff(recorder, other_recorder, reviewer, manager):
    """The named users, in the groups their department roles call for."""
    for user in (recorder, other_recorder, reviewer, manager):
        memberships.user_groups_sync(user=user)
    return {"recorder": recorder, "other_recorder": other_recorder, "reviewer": reviewer, "manager": manager}


@pytest.fixture
def goal(department):
    return GoalFactory(lead_department=department)


@pytest.fixture
def update(goal, recorder):
    return ProgressUpdateFactory(
        goal=goal, as_of=datetime.date(2024, 6, 30), value=Decimal("3600"), recorded_by=recorder
    )


def act(client, action, updates, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [u.pk for u in updates], **extra}, follow=True
    )


def shown_messages(response):
    return [str(m) for m in response.context["messages"]]


def test_roles_map_to_groups(staff):
    assert list(staff["recorder"].groups.values_list("name", flat=True)) == ["recorders"]
    assert list(staff["reviewer"].groups.values_list("name", flat=True)) == ["reviewers"]
    assert Group.objects.get(name="recorders").permissions.filter(codename="add_progressupdate").exists()
    assert (
        not Group.objects.get(name="managers").permissions.filter(codename="change_progressupdate").exists()
    )

    staff["recorder"].memberships.all().delete()
    memberships.user_groups_sync(user=staff["recorder"])
    assert not staff["recorder"].groups.exists()


def test_a_recorder_enters_a_figure_for_their_goal_and_is_recorded_as_its_author(client, staff, goal):
    other_goal = GoalFactory()
    client.force_login(staff["recorder"])

    form = client.get(ADD)
    assert form.status_code == 200
    choices = [value for value, _ in form.context["adminform"].form.fields["goal"].choices if value]
    assert [int(str(value)) for value in choices] == [goal.pk]

    refused = client.post(ADD, {"goal": other_goal.pk, "as_of": "2024-06-30", "value": "10"})
    assert refused.status_code == 200 and "goal" in refused.context["adminform"].form.errors
    response = client.post(
        ADD,
        {
            "goal": goal.pk,
            "as_of": "2024-06-30",
            "value": "3600",
            "evidence_url": "https://jnbdb.jinan.gov.cn/report",
        },
    )
    assert response.status_code == 302
    created = ProgressUpdate.objects.get()
    assert (created.goal, created.recorded_by, created.review_state) == (goal, staff["recorder"], "draft")


def test_a_recorder_of_another_department_gets_no_access_to_this_departments_updates(client, staff, update):
    client.force_login(staff["other_recorder"])

    listing = client.get(CHANGELIST)
    change = client.get(reverse("admin:goals_progressupdate_change", args=[update.pk]))
    submitted = act(client, "submit_updates", [update])

    assert listing.status_code == 200 and update not in listing.context["cl"].result_list
    assert change.status_code == 302  # "doesn't exist", back to the admin index
    update.refresh_from_db()
    assert update.review_state == ProgressUpdate.ReviewState.DRAFT
    assert submitted.status_code == 200


def test_submit_then_approve_through_the_admin_actions_moves_the_goal(
    client, staff, update, goal, django_capture_on_commit_callbacks
):
    client.force_login(staff["recorder"])
    response = act(client, "submit_updates", [update])
    assert "1条进展已报送 · 1 updates submitted" in shown_messages(response)

    client.force_login(staff["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "approve_updates", [update])

    assert "1条进展已通过审核 · 1 updates approved" in shown_messages(response)
    update.refresh_from_db()
    goal.refresh_from_db()
    assert (update.review_state, update.reviewed_by) == (
        ProgressUpdate.ReviewState.APPROVED,
        staff["reviewer"],
    )
    assert goal.status == Status.ON_TRACK
    assert goal.latest_value == Decimal("3600")


def test_a_recorder_cannot_approve_and_a_reviewer_returns_only_with_a_reason(client, staff, update):
    progress_review.progress_update_submit(update=update, user=staff["recorder"])
    client.force_login(staff["recorder"])
    act(client, "approve_updates", [update])
    update.refresh_from_db()
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED

    client.force_login(staff["reviewer"])
    without_reason = act(client, "reject_updates", [update])
    assert any("请写明退回原因 · Say why the update is returned" in m for m in shown_messages(without_reason))
    act(client, "reject_updates", [update], comment="佐证链接无法打开")
    update.refresh_from_db()
    assert (update.review_state, update.review_comment) == (
        ProgressUpdate.ReviewState.REJECTED,
        "佐证链接无法打开",
    )


def test_an_approval_that_fails_says_why(client, staff, update):
    client.force_login(staff["reviewer"])
    response = act(client, "approve_updates", [update])  # still a draft
    assert any(
        "Only a submitted update can be approved (this one is draft)" in m for m in shown_messages(response)
    )


def test_approved_figures_are_read_only_except_for_a_superuser(client, staff, update, admin_user):
    progress_review.progress_update_submit(update=update, user=staff["recorder"])
    progress_review.progress_update_approve(update=update, reviewer=staff["reviewer"])
    url = reverse("admin:goals_progressupdate_change", args=[update.pk])
    data = {
        "goal": update.goal_id,
        "as_of": "2024-06-30",
        "value": "9999",
        "evidence_url": update.evidence_url,
    }

    client.force_login(staff["recorder"])
    assert client.get(url).context["has_change_permission"] is False
    assert client.post(url, data).status_code == 403

    client.force_login(admin_user)
    response = client.post(url, data)
    assert "已通过审核的进展不能修改" in str(response.context["adminform"].form.errors)
    update.refresh_from_db()
    assert update.value == Decimal("3600")


def test_a_manager_follows_progress_but_changes_nothing(client, staff, update):
    client.force_login(staff["manager"])
    assert update in client.get(CHANGELIST).context["cl"].result_list
    assert client.get(ADD).status_code == 403
    assert (
        client.get(reverse("admin:goals_progressupdate_change", args=[update.pk])).context[
            "has_change_permission"
        ]
        is False
    )


def test_a_goals_page_lists_its_progress_updates(client, admin_user, update, goal):
    client.force_login(admin_user)
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    page = client.get(url)
    assert page.status_code == 200
    formset = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is ProgressUpdate)
    assert [form.original for form in formset if form.original] == [update]
