"""The to-do list on the admin index offers a reviewer only what the review service lets them
approve: four eyes as the service counts them (anyone who recorded, edited or handed a thing in)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.goals.models import DepartmentMembership, GoalExplanation, MembershipRole, StatusChange
from apps.goals.services import explanations, progress_review
from apps.staff.todo import staff_todo

from ..factories import GoalFactory, ProgressUpdateFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]


@pytest.fixture
def writer_and_reviewer(reviewer, department):
    """A reviewer of the department who also records for it (issue 22, finding 12)."""
    DepartmentMembership.objects.create(user=reviewer, department=department, role=MembershipRole.RECORDER)
    return reviewer


def figure(goal, recorder, **fields):
    return ProgressUpdateFactory(
        goal=goal,
        recorded_by=recorder,
        evidence_url="https://example.com/figure",
        **fields,
    )


@pytest.fixture
def figures(department, recorder, writer_and_reviewer):
    """Four figures of the department: one the reviewer never touched, and one each that they
    recorded, edited and handed in."""
    goal = GoalFactory(lead_department=department)
    untouched = figure(goal, recorder, as_of=datetime.date(2024, 3, 31), review_state="submitted")
    recorded = figure(goal, writer_and_reviewer, as_of=datetime.date(2024, 4, 30), review_state="submitted")
    edited = figure(goal, recorder, as_of=datetime.date(2024, 5, 31), review_state="submitted")
    edited._history_user = writer_and_reviewer
    edited.note = "口径已更正"
    edited.save()
    handed_in = figure(goal, recorder, as_of=datetime.date(2024, 6, 30), review_state="draft")
    progress_review.progress_update_submit(update=handed_in, user=writer_and_reviewer)
    return {"untouched": untouched, "recorded": recorded, "edited": edited, "handed_in": handed_in}


def approvable(updates, reviewer) -> set[str]:
    """The figures the review service lets `reviewer` approve (each tried, then rolled back)."""
    allowed = set()
    for name, update in updates.items():
        try:
            with transaction.atomic():
                progress_review.progress_update_approve(update=update, reviewer=reviewer)
                allowed.add(name)
                transaction.set_rollback(True)
        except PermissionDenied:
            pass
    return allowed


def test_the_to_do_counts_only_figures_the_reviewer_may_approve(figures, writer_and_reviewer):
    assert approvable(figures, writer_and_reviewer) == {"untouched"}
    assert staff_todo(writer_and_reviewer).to_review == 1


def test_a_figure_nobody_of_theirs_touched_is_counted_for_every_reviewer(figures, department):
    """The control: the same figures, for a reviewer who touched none of them, are all to review."""
    second = UserFactory(username="second_reviewer", is_staff=True)
    DepartmentMembership.objects.create(user=second, department=department, role=MembershipRole.REVIEWER)
    assert approvable(figures, second) == set(figures)
    assert staff_todo(second).to_review == 4


def asked(goal):
    change = StatusChange.objects.create(
        goal=goal,
        evaluated_on=datetime.date(2024, 6, 30),
        changed_at=datetime.datetime(2024, 6, 30, tzinfo=datetime.UTC),
        from_status="on_track",
        to_status="off_track",
        rule_version="t",
    )
    return GoalExplanation.objects.create(
        goal=goal,
        status_change=change,
        status="off_track",
        requested_on=datetime.date(2024, 6, 30),
        due_on=datetime.date(2024, 7, 30),
    )


def test_the_to_do_counts_only_explanations_the_reviewer_may_approve(
    department, recorder, writer_and_reviewer
):
    written_by_them = asked(GoalFactory(lead_department=department))
    explanations.goal_explanation_submit(
        explanation=written_by_them, user=writer_and_reviewer, reason="原因", corrective_actions="措施"
    )
    written_by_another = asked(GoalFactory(lead_department=department))
    explanations.goal_explanation_submit(
        explanation=written_by_another, user=recorder, reason="原因", corrective_actions="措施"
    )
    with pytest.raises(PermissionDenied):
        explanations.goal_explanation_approve(explanation=written_by_them, reviewer=writer_and_reviewer)
    assert staff_todo(writer_and_reviewer).explanations_to_review == 1
