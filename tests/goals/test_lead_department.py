"""Staff confirm or change a goal's lead department in the admin; the public page says when it was only
inferred from the indicator or the plan."""

import pytest

from apps.goals.models import LeadSource
from apps.goals.services.goal_review import goals_lead_confirm
from tests.factories import DepartmentFactory, GoalFactory

pytestmark = pytest.mark.django_db


def test_confirming_marks_routed_goals_as_confirmed_by_staff_and_leaves_others(admin_user):
    routed = GoalFactory(lead_department_source=LeadSource.ROUTING)
    without = GoalFactory(lead_department=None, lead_department_source="")
    assert goals_lead_confirm(goals=[routed, without], user=admin_user) == 1
    routed.refresh_from_db()
    without.refresh_from_db()
    assert (routed.lead_department_source, without.lead_department_source) == (LeadSource.STAFF, "")
    assert routed.history.first().history_change_reason == "确认牵头单位 · lead department confirmed"


def test_the_admin_action_confirms_the_selected_goals(client, admin_user):
    client.force_login(admin_user)
    goal = GoalFactory(lead_department_source=LeadSource.PLAN)
    response = client.post(
        "/admin/goals/goal/",
        {"action": "confirm_lead_departments", "_selected_action": [goal.pk]},
        follow=True,
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.lead_department_source == LeadSource.STAFF


def test_the_public_page_says_when_the_lead_department_was_inferred(client):
    GoalFactory(slug="inferred", lead_department_source=LeadSource.ROUTING)
    GoalFactory(slug="named", lead_department_source=LeadSource.DOCUMENT, lead_department=DepartmentFactory())
    assert 'data-testid="lead-inferred"' in client.get("/goals/inferred/").content.decode()
    assert 'data-testid="lead-inferred"' not in client.get("/goals/named/").content.decode()
