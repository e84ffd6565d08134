"""Staff split a goal into parts on its admin page: a part per district department with its target,
the rest taken from the goal, each part published with it and judged."""

import datetime
from decimal import Decimal

import pytest

from apps.goals.models import Goal

from ..factories import DepartmentFactory, GoalFactory
from .test_admin_messages import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations(db):
    return GoalFactory(
        slug="new-5g-base-stations-2024",
        title="新建5G基站7000个",
        metric="新建5G基站",
        kind=Goal.Kind.INCREMENT,
        target_value=Decimal(7000),
        unit="个",
        period_start=datetime.date(2024, 1, 1),
        deadline=datetime.date(2024, 12, 31),
    )


def test_parts_added_on_the_goals_page_take_the_rest_from_it(
    admin_client, stations, django_capture_on_commit_callbacks
):
    lixia = DepartmentFactory(name="历下区工业和信息化局", slug="lixia-industry")
    licheng = DepartmentFactory(name="历城区工业和信息化局", slug="licheng-industry")
    page = f"/admin/goals/goal/{stations.pk}/change/"
    data = change_form_data(admin_client.get(page))
    data.update(
        {
            "children-TOTAL_FORMS": "2",
            "children-0-lead_department": str(lixia.pk),
            "children-0-target_value": "2000",
            "children-1-lead_department": str(licheng.pk),
            "children-1-target_value": "0.5",
            "children-1-unit": "万个",
            "children-1-title": "历城区新建5G基站5000个",
            "_continue": "Save",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page, data, follow=True)
    assert response.status_code == 200
    assert not response.context["inline_admin_formsets"][0].formset.errors
    first, second = Goal.objects.filter(parent=stations).order_by("pk")
    assert (first.title, first.target_value, first.unit, first.kind, first.metric) == (
        "新建5G基站2000个（历下区工业和信息化局）",
        Decimal(2000),
        "个",
        "increment",
        "新建5G基站",
    )
    assert (first.period_start, first.deadline) == (stations.period_start, stations.deadline)
    assert (second.title, second.unit, second.unit_magnitude) == (
        "历城区新建5G基站5000个",
        "万个",
        Decimal(10000),
    )
    for part in (first, second):
        assert part.review_state == Goal.ReviewState.PUBLISHED  # split from a published goal
        assert part.status_evaluated_on is not None  # judged once the split committed
        assert part.lead_department_source == "staff"
    # The page lists them, each linked to its own page.
    html = admin_client.get(page).content.decode()
    assert "分解到各区县或部门" in html and f"/admin/goals/goal/{first.pk}/change/" in html


def test_a_part_needs_a_department_and_a_target(admin_client, stations):
    page = f"/admin/goals/goal/{stations.pk}/change/"
    data = change_form_data(admin_client.get(page))
    data.update({"children-TOTAL_FORMS": "1", "children-0-title": "没有目标值的部分", "_continue": "Save"})
    response = admin_client.post(page, data)
    assert response.status_code == 200  # the page again, with the errors
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert set(errors) == {"lead_department", "target_value"}
    assert not Goal.objects.filter(parent=stations).exists()


def test_a_saved_parts_target_is_changed_on_its_own_page_with_a_reason(admin_client, stations):
    part = GoalFactory(parent=stations, target_value=Decimal(2000), lead_department=DepartmentFactory())
    page = f"/admin/goals/goal/{stations.pk}/change/"
    data = change_form_data(admin_client.get(page))
    data.update({"children-0-target_value": "1", "_continue": "Save"})
    admin_client.post(page, data)
    part.refresh_from_db()
    assert part.target_value == Decimal(2000)
