"""Four eyes: whoever recorded, edited or submitted a figure may not approve it, even when they hold
both roles in the department; and "sample data" is no recorder's choice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.goals.models import DepartmentMembership, MembershipRole, ProgressUpdate
from apps.goals.services import memberships, progress_review

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

CHANGELIST = reverse("admin:goals_progressupdate_changelist")


@pytest.fixture
def both_roles(recorder, reviewer, department):
    """A reviewer of the department who is also one of its recorders."""
    DepartmentMembership.objects.create(user=reviewer, department=department, role=MembershipRole.RECORDER)
    for user in (recorder, reviewer):
        memberships.user_groups_sync(user=user)
    return reviewer


@pytest.fixture
def draft(department, recorder):
    goal = GoalFactory(lead_department=department)
    return ProgressUpdateFactory(goal=goal, value=Decimal("3600"), recorded_by=recorder)


def approve_in_admin(client, update):
    return client.post(
        CHANGELIST, {"action": "approve_updates", "_selected_action": [update.pk]}, follow=True
    )


def test_a_reviewer_who_edited_another_recorders_draft_cannot_approve_it(client, both_roles, draft):
    client.force_login(both_roles)
    change = reverse("admin:goals_progressupdate_change", args=[draft.pk])
    edited = client.post(
        change,
        {
            "goal": draft.goal_id,
            "as_of": "2024-06-30",
            "value": "6900",
            "evidence_url": "https://example.com/evidence",
            "note": "",
        },
    )
    assert edited.status_code == 302
    client.post(CHANGELIST, {"action": "submit_updates", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.SUBMITTED

    response = approve_in_admin(client, draft)

    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.SUBMITTED
    assert any(
        "You cannot approve an update you recorded, edited or submitted" in str(m)
        for m in response.context["messages"]
    )


def test_a_reviewer_who_only_submitted_another_recorders_draft_cannot_approve_it(both_roles, draft):
    progress_review.progress_update_submit(update=draft, user=both_roles)
    with pytest.raises(Exception, match="recorded, edited or submitted"):
        progress_review.progress_update_approve(update=draft, reviewer=both_roles)


def test_a_reviewer_who_returned_a_figure_approves_it_once_its_recorder_fixed_it(recorder, reviewer, draft):
    progress_review.progress_update_submit(update=draft, user=recorder)
    progress_review.progress_update_reject(update=draft, reviewer=reviewer, comment="请补充佐证")
    progress_review.progress_update_submit(update=draft, user=recorder)
    progress_review.progress_update_approve(update=draft, reviewer=reviewer)
    draft.refresh_from_db()
    assert (draft.review_state, draft.reviewed_by) == (ProgressUpdate.ReviewState.APPROVED, reviewer)


def test_a_recorder_cannot_mark_a_figure_as_sample_data(client, recorder, draft):
    memberships.user_groups_sync(user=recorder)
    client.force_login(recorder)
    change = reverse("admin:goals_progressupdate_change", args=[draft.pk])
    assert "is_sample" not in client.get(change).context["adminform"].form.fields
    client.post(
        change,
        {
            "goal": draft.goal_id,
            "as_of": "2024-06-30",
            "value": "3600",
            "evidence_url": "",
            "is_sample": "on",
        },
    )
    draft.refresh_from_db()
    assert draft.is_sample is False
