"""Explanations of red goals: asked of the lead department once per turn to red, written by its
recorder, approved or returned by its reviewer (in the admin, with buttons), then public on the
goal's page and in the API; open ones past their day are overdue."""

import datetime
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.goals.models import (
    DepartmentMembership,
    Goal,
    GoalExplanation,
    MembershipRole,
    StaffNotice,
    StatusChange,
)
from apps.goals.services import explanations
from apps.goals.services.notifications import notices_owed_send

from ..factories import GoalFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]


def turn(goal, to_status, on=date(2024, 7, 14), from_status="on_track"):
    goal.status = to_status
    goal.save()
    return StatusChange.objects.create(
        goal=goal,
        evaluated_on=on,
        changed_at=timezone.now(),
        from_status=from_status,
        to_status=to_status,
        rule_version="test",
    )


@pytest.fixture
def red_goal(department):
    goal = GoalFactory(lead_department=department, title="新建5G基站7000个")
    turn(goal, "off_track")
    return goal


def test_a_goal_gone_red_is_explained_once_per_turn(
    red_goal, department, recorder, settings, django_capture_on_commit_callbacks
):
    settings.GOAL_EXPLANATION_DUE_DAYS = 10
    GoalFactory(lead_department=department, status="on_track")
    with django_capture_on_commit_callbacks(execute=True):
        [asked] = explanations.explanations_request(today=date(2024, 7, 15))
    assert (asked.goal, asked.status, asked.due_on) == (red_goal, "off_track", date(2024, 7, 25))
    [request] = mail.outbox
    assert request.to == [recorder.email]
    assert "请说明原因和整改措施" in request.subject
    assert f"/admin/goals/goalexplanation/{asked.pk}/change/" in request.body

    assert explanations.explanations_request(today=date(2024, 7, 16)) == []  # asked already

    turn(red_goal, "at_risk", on=date(2024, 8, 1), from_status="off_track")
    turn(red_goal, "off_track", on=date(2024, 9, 1), from_status="at_risk")
    assert len(explanations.explanations_request(today=date(2024, 9, 1))) == 1  # a new turn to red


def test_unpublished_goals_are_not_asked(department):
    goal = GoalFactory(lead_department=department, review_state="pending")
    turn(goal, "missed")
    assert explanations.explanations_request(today=date(2024, 7, 15)) == []


D = date
CADENCE, GRACE = 120, 180  # settings.GOAL_STALE_AFTER_DAYS and the rules' grace period in the rows below


@pytest.mark.parametrize(
    ("status", "is_sample", "deadline", "today", "owed"),
    [
        ("off_track", False, D(2024, 12, 31), D(2024, 7, 15), True),  # in force, behind on real figures
        ("off_track", True, D(2024, 12, 31), D(2024, 7, 15), False),  # behind on a sample: a demo's
        ("at_risk", False, D(2024, 12, 31), D(2024, 7, 15), False),  # not red
        ("missed", False, D(2024, 12, 31), D(2025, 3, 1), True),  # missed on its final figure
        ("missed", False, D(2024, 12, 31), D(2025, 7, 1), True),  # missed at the end of the grace period
        # The grace period ended 2025-06-29; the last reporting period reaches back to it until 10-27.
        ("missed", False, D(2024, 12, 31), D(2025, 10, 27), True),
        ("missed", False, D(2024, 12, 31), D(2025, 10, 28), False),  # finished before the last period
        ("missed", False, D(2024, 12, 31), D(2026, 12, 8), False),  # a 2024 goal asked about in 2026
        ("missed", False, D(2025, 12, 31), D(2026, 12, 8), False),  # a 2025 goal too
        ("missed", True, D(2024, 12, 31), D(2025, 1, 15), False),  # missed on sample data
        ("overdue", False, D(2024, 6, 30), D(2024, 7, 15), True),  # a milestone just overdue
    ],
)
def test_which_red_lights_are_explained(status, is_sample, deadline, today, owed):
    assert (
        explanations.explanation_owed(
            status=status,
            is_sample=is_sample,
            deadline=deadline,
            cadence_days=CADENCE,
            grace_days=GRACE,
            today=today,
        )
        is owed
    )


def test_a_goal_finished_long_ago_is_not_asked_about(department, settings):
    # On 15 July 2024 the last reporting period (120 days, or a goal's own cadence) reaches back to
    # 17 March: a goal whose grace period (180 days after its deadline) ended before that is history.
    settings.GOAL_STALE_AFTER_DAYS = 120
    old = GoalFactory(lead_department=department, period_start=date(2023, 1, 1), deadline=date(2023, 6, 30))
    turn(old, "missed")  # its grace period ended 2023-12-27
    quarterly = GoalFactory(
        lead_department=department,
        period_start=date(2023, 1, 1),
        deadline=date(2023, 9, 30),
        stale_after_days=90,
    )
    turn(quarterly, "missed")  # grace ended 2024-03-28; its last reporting period begins 2024-04-16
    recent = GoalFactory(
        lead_department=department, period_start=date(2023, 1, 1), deadline=date(2023, 9, 30)
    )
    turn(recent, "missed")  # the same, on the 120-day cadence: its last period begins 2024-03-17
    assert [asked.goal for asked in explanations.explanations_request(today=date(2024, 7, 15))] == [recent]


@pytest.fixture
def many_red_goals(department, other_department):
    goals = [GoalFactory(lead_department=department, title=f"滞后目标{n}") for n in range(12)]
    for goal in goals:
        turn(goal, "off_track")
    elsewhere = GoalFactory(lead_department=other_department, title="别处的滞后目标")
    turn(elsewhere, "missed", from_status="awaiting_data")
    return goals, elsewhere


def test_a_run_sends_each_recorder_one_email_listing_every_goal_asked_of_them(
    many_red_goals, department, recorder, other_recorder, django_capture_on_commit_callbacks
):
    goals, elsewhere = many_red_goals
    second = UserFactory(username="second_recorder", is_staff=True)
    DepartmentMembership.objects.create(user=second, department=department, role=MembershipRole.RECORDER)

    with django_capture_on_commit_callbacks(execute=True):
        asked = explanations.explanations_request(today=date(2024, 7, 15))
    assert len(asked) == 13
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [recorder.email, second.email, other_recorder.email]
    )
    [to_recorder] = [m for m in mail.outbox if m.to == [recorder.email]]
    assert "12 个目标转为红灯" in to_recorder.subject and "Explain 12 goals gone red" in to_recorder.subject
    for goal in goals:
        explanation = goal.explanations.get()
        assert goal.title in to_recorder.body
        assert f"/admin/goals/goalexplanation/{explanation.pk}/change/" in to_recorder.body
    assert elsewhere.title not in to_recorder.body
    [to_other] = [m for m in mail.outbox if m.to == [other_recorder.email]]
    assert elsewhere.title in to_other.body and "1 个目标转为红灯" in to_other.subject
    assert not StaffNotice.objects.filter(sent_at__isnull=True).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert explanations.explanations_request(today=date(2024, 7, 16)) == []
        assert notices_owed_send(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert mail.outbox == []


def test_a_later_run_lists_only_the_new_requests(
    many_red_goals, recorder, department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        explanations.explanations_request(today=date(2024, 7, 15))
    mail.outbox.clear()
    late = GoalFactory(lead_department=department, title="后来滞后的目标")
    turn(late, "off_track", on=date(2024, 7, 20))
    with django_capture_on_commit_callbacks(execute=True):
        explanations.explanations_request(today=date(2024, 7, 20), goal_ids=[late.pk])
    [email] = mail.outbox
    assert late.title in email.body and "滞后目标0" not in email.body
    assert "1 个目标转为红灯" in email.subject


def test_requests_whose_email_never_went_are_sent_by_the_sweep_in_one_email(many_red_goals, recorder):
    explanations.explanations_request(today=date(2024, 7, 15))  # the broker never gets the task
    assert mail.outbox == []
    assert notices_owed_send(now=timezone.now() + datetime.timedelta(minutes=10)) == 1
    [to_recorder] = [m for m in mail.outbox if m.to == [recorder.email]]
    assert to_recorder.body.count("/admin/goals/goalexplanation/") == 12
    assert notices_owed_send(now=timezone.now() + datetime.timedelta(minutes=20)) == 0


@pytest.fixture
def asked(red_goal):
    [explanation] = explanations.explanations_request(today=date(2024, 7, 15))
    return explanation


def test_the_recorder_writes_it_and_a_reviewer_approves_it(asked, recorder, reviewer, other_recorder):
    with pytest.raises(PermissionDenied):
        explanations.goal_explanation_submit(
            explanation=asked, user=other_recorder, reason="x", corrective_actions="y"
        )
    with pytest.raises(ValidationError) as missing:
        explanations.goal_explanation_submit(
            explanation=asked, user=recorder, reason="原因", corrective_actions=""
        )
    assert "corrective_actions" in missing.value.message_dict

    explanations.goal_explanation_submit(
        explanation=asked, user=recorder, reason="建设审批滞后", corrective_actions="开通绿色通道"
    )
    with pytest.raises(ValidationError):
        explanations.goal_explanation_return(explanation=asked, reviewer=reviewer, comment="")
    explanations.goal_explanation_approve(explanation=asked, reviewer=reviewer)
    asked.refresh_from_db()
    assert (asked.review_state, asked.reviewed_by, asked.recorded_by) == ("approved", reviewer, recorder)
    assert asked.history.count() >= 3  # who moved it, each time


def test_overdue_explanations(asked, recorder):
    assert list(GoalExplanation.objects.overdue(asked.due_on)) == []
    assert list(GoalExplanation.objects.overdue(asked.due_on + datetime.timedelta(days=1))) == [asked]
    explanations.goal_explanation_submit(explanation=asked, user=recorder, reason="a", corrective_actions="b")
    assert list(GoalExplanation.objects.overdue(asked.due_on + datetime.timedelta(days=1))) == []


def test_the_admin_buttons_submit_return_and_approve(client, asked, recorder, reviewer):
    page = f"/admin/goals/goalexplanation/{asked.pk}/change/"
    client.force_login(recorder)
    form = client.get(page).content.decode()
    assert 'name="_submit_explanation"' in form and 'name="_approve"' not in form
    client.post(page, {"_submit_explanation": "1", "reason": "审批慢", "corrective_actions": "专班推进"})

    client.force_login(reviewer)
    form = client.get(page).content.decode()
    assert 'name="_approve"' in form and 'name="_submit_explanation"' not in form
    client.post(page, {"_return": "1", "return_reason": "措施不具体"})
    asked.refresh_from_db()
    assert (asked.review_state, asked.review_comment) == ("returned", "措施不具体")
    listing = client.get("/admin/goals/goalexplanation/").content.decode()
    assert "措施不具体" in listing  # the return's reason shows in the list

    client.force_login(recorder)
    client.post(
        page, {"_submit_explanation": "1", "reason": "审批慢", "corrective_actions": "每周调度，9月底前完成"}
    )
    client.force_login(reviewer)
    client.post(page, {"_approve": "1"})
    asked.refresh_from_db()
    assert asked.review_state == "approved"


def test_only_approved_explanations_are_public(client, asked, recorder, reviewer, red_goal):
    explanations.goal_explanation_submit(
        explanation=asked, user=recorder, reason="建设审批滞后", corrective_actions="开通绿色通道"
    )
    assert "建设审批滞后" not in client.get(red_goal.get_absolute_url()).content.decode()
    assert client.get(f"/api/goals/{red_goal.slug}.json").json()["goal"]["explanations"] == []

    explanations.goal_explanation_approve(explanation=asked, reviewer=reviewer)
    page = client.get(red_goal.get_absolute_url()).content.decode()
    assert "原因说明和整改措施" in page and "建设审批滞后" in page and "开通绿色通道" in page
    [record] = client.get(f"/api/goals/{red_goal.slug}.json").json()["goal"]["explanations"]
    assert record == {
        "status": "off_track",
        "requested_on": "2024-07-15",
        "due_on": "2024-07-29",
        "reason": "建设审批滞后",
        "corrective_actions": "开通绿色通道",
        "approved_on": "2024-07-15",
    }


def test_a_milestone_gone_overdue_is_a_red_light_to_explain(department):
    milestone = GoalFactory(
        lead_department=department, kind="milestone", target_value=None, unit="", title="建成智慧社区平台"
    )
    turn(milestone, "overdue", from_status="due")
    [asked] = explanations.explanations_request(today=date(2024, 7, 15))
    assert (asked.goal, asked.status) == (milestone, "overdue")


def test_a_red_light_resting_on_a_sample_asks_nobody(department):
    # Samples illustrate goals in force in the demo; a department never explains an invented figure.
    goal = GoalFactory(lead_department=department, is_sample=True)
    turn(goal, "off_track")
    assert explanations.explanations_request(today=date(2024, 7, 15)) == []
    Goal.objects.filter(pk=goal.pk).update(is_sample=False)  # the same red light on a real figure
    assert [asked.goal for asked in explanations.explanations_request(today=date(2024, 7, 15))] == [goal]
