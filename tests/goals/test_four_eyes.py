"""Four eyes, one rule for everything reviewed (apps.goals.services.review): whoever wrote, edited or
submitted a figure or an explanation may neither approve nor return it, even when they hold both roles
in the department; and "sample data" is no recorder's choice."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import (
    DepartmentMembership,
    GoalExplanation,
    MembershipRole,
    ProgressUpdate,
    StatusChange,
)
from apps.goals.services import explanations, memberships, progress_review

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


class Figure:
    """A progress figure: written and edited on its admin page, then taken through the review service."""

    def __init__(self, goal):
        self.goal, self.item = goal, None

    def write(self, client, user):
        client.force_login(user)
        data = {
            "goal": self.goal.pk,
            "as_of": "2024-06-30",
            "value": "3600",
            "evidence_url": "https://example.com/q2",
        }
        assert (
            client.post(reverse("admin:goals_progressupdate_add"), {**data, "_save": "1"}).status_code == 302
        )
        self.item = ProgressUpdate.objects.get(goal=self.goal)

    def edit(self, client, user):
        client.force_login(user)
        change = reverse("admin:goals_progressupdate_change", args=[self.item.pk])
        data = {
            "goal": self.goal.pk,
            "as_of": "2024-06-30",
            "value": "3700",
            "evidence_url": "https://example.com/q2",
        }
        assert client.post(change, {**data, "_save": "1"}).status_code == 302

    def submit(self, user):
        progress_review.progress_update_submit(update=self.fresh(), user=user)

    def approve(self, user):
        progress_review.progress_update_approve(update=self.fresh(), reviewer=user)

    def give_back(self, user):
        progress_review.progress_update_reject(update=self.fresh(), reviewer=user, comment="请核实口径")

    def fresh(self):
        return ProgressUpdate.objects.get(pk=self.item.pk)


class Explanation:
    """An explanation of a red goal: its text written and edited on its admin page (saved, not yet
    submitted), submitted unchanged, then reviewed, through the review service."""

    def __init__(self, goal):
        StatusChange.objects.create(
            goal=goal,
            evaluated_on=date(2024, 7, 14),
            changed_at=timezone.now(),
            from_status="on_track",
            to_status="off_track",
            rule_version="test",
        )
        [self.item] = explanations.explanations_request(today=date(2024, 7, 15))

    def _save_text(self, client, user, reason):
        client.force_login(user)
        change = reverse("admin:goals_goalexplanation_change", args=[self.item.pk])
        data = {"reason": reason, "corrective_actions": "加快基站审批", "_save": "1"}
        assert client.post(change, data).status_code == 302
        assert self.fresh().reason == reason

    def write(self, client, user):
        self._save_text(client, user, "选址协调滞后")

    def edit(self, client, user):
        self._save_text(client, user, "选址协调滞后，电力配套未到位")

    def submit(self, user):
        written = self.fresh()
        explanations.goal_explanation_submit(
            explanation=written,
            user=user,
            reason=written.reason,
            corrective_actions=written.corrective_actions,
        )

    def approve(self, user):
        explanations.goal_explanation_approve(explanation=self.fresh(), reviewer=user)

    def give_back(self, user):
        explanations.goal_explanation_return(
            explanation=self.fresh(), reviewer=user, comment="请补充整改时限"
        )

    def fresh(self):
        return GoalExplanation.objects.get(pk=self.item.pk)


@pytest.fixture(params=[Figure, Explanation], ids=["figure", "explanation"])
def reviewed(request, department):
    goal = GoalFactory(lead_department=department, status="off_track", title="新建5G基站7000个")
    return request.param(goal)


# Who writes, who edits (none: nobody), who submits, and whether the person with both roles (`both`)
# may then review it; `other` is another recorder of the department.
SCENARIOS = {
    "wrote the text, another submitted it unchanged": ("both", None, "other", False),
    "edited another's text, the writer submitted it": ("other", "both", "other", False),
    "submitted another's text unchanged": ("other", None, "both", False),
    "wrote, edited and submitted nothing": ("other", None, "other", True),
}


@pytest.mark.parametrize("step", ["approve", "give_back"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_whoever_wrote_edited_or_submitted_it_may_not_review_it(
    client, reviewed, both_roles, recorder, scenario, step
):
    people = {"both": both_roles, "other": recorder}
    writer, editor, submitter, may_review = SCENARIOS[scenario]
    reviewed.write(client, people[writer])
    if editor:
        reviewed.edit(client, people[editor])
    reviewed.submit(people[submitter])

    if may_review:
        getattr(reviewed, step)(both_roles)
        assert reviewed.fresh().reviewed_by == both_roles
        return
    with pytest.raises(PermissionDenied, match="recorded, edited or submitted"):
        getattr(reviewed, step)(both_roles)
    after = reviewed.fresh()
    assert (after.review_state, after.reviewed_by) == ("submitted", None)
