"""The digest tells managers which explanations of red goals are overdue, per department, with how
long and where they are written; one still within its days is not listed."""

import datetime

import pytest

from apps.digests import services
from apps.goals.models import GoalExplanation, StatusChange

from ..factories import GoalFactory
from .conftest import PERIOD, beijing

pytestmark = pytest.mark.django_db


def asked(goal, due_on):
    change = StatusChange.objects.create(
        goal=goal,
        evaluated_on=datetime.date(2024, 6, 30),
        changed_at=beijing(datetime.date(2024, 6, 30)),
        from_status="on_track",
        to_status="off_track",
        rule_version="t",
    )
    return GoalExplanation.objects.create(
        goal=goal,
        status_change=change,
        status="off_track",
        requested_on=datetime.date(2024, 6, 30),
        due_on=due_on,
    )


def test_overdue_explanations_are_listed_with_their_department_and_days(department):
    late = asked(
        GoalFactory(title="逾期未说明的目标", lead_department=department), datetime.date(2024, 7, 10)
    )
    asked(GoalFactory(title="尚在期限内的目标", lead_department=department), datetime.date(2024, 7, 20))
    submitted = asked(
        GoalFactory(title="已报送说明的目标", lead_department=department), datetime.date(2024, 7, 1)
    )
    GoalExplanation.objects.filter(pk=submitted.pk).update(
        review_state="submitted", reason="r", corrective_actions="a"
    )

    digest = services.digest_build_for_scope(departments=[], period=PERIOD)
    [line] = digest.sections[0].overdue_explanations.lines
    assert (line.goal.title, line.department, line.days_overdue) == ("逾期未说明的目标", "济南市大数据局", 5)
    assert line.url.endswith(f"/admin/goals/goalexplanation/{late.pk}/change/")

    text = services.digest_render(digest).text
    assert "逾期未交的原因说明 · Explanations overdue (1)" in text
    assert "济南市大数据局：期限 2024-07-10，已逾期 5 天 · due 2024-07-10, 5 days overdue" in text
    assert "尚在期限内的目标" not in text.split("逾期未交的原因说明")[1].split("30 天内应报数据")[0]
