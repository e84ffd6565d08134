"""Staff split a goal into parts on its admin page: a part per district department with its target,
the rest taken from the goal, each part published with it and judged."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.goals.models import Goal, Indicator, Jurisdiction
from apps.goals.services.parts import goal_split

from ..factories import DepartmentFactory, GoalFactory, PlanFactory
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


# --- The split by spreadsheet -------------------------------------------------------------------

HEADER = "上级目标编号 · parent goal,责任单位 · department,目标值 · target,单位 · unit,标题 · title\n"


def sheet(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("split.csv", (HEADER + "\n".join(lines) + "\n").encode("utf-8"))


@pytest.fixture
def districts(db):
    return [
        DepartmentFactory(name="历下区工业和信息化局", slug="lixia-industry"),
        DepartmentFactory(name="历城区工业和信息化局", slug="licheng-industry"),
    ]


def test_a_split_is_imported_from_a_sheet_after_its_check(
    admin_client, stations, districts, django_capture_on_commit_callbacks
):
    page = "/admin/goals/goal/split-import/"
    assert "表格导入分解" in admin_client.get("/admin/goals/goal/").content.decode()
    upload = sheet(
        "new-5g-base-stations-2024,lixia-industry,2000,,",
        "new-5g-base-stations-2024,历城区工业和信息化局,0.5,万个,历城区新建5G基站5000个",
    )
    response = admin_client.post(page, {"sheet": upload})
    assert response.context["result"].is_valid
    assert not Goal.objects.filter(parent=stations).exists()  # checked, nothing stored yet
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page, {"payload": response.context["payload"]}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/goals/goal/{stations.pk}/change/"
    lixia, licheng = Goal.objects.filter(parent=stations).order_by("pk")
    assert (lixia.lead_department, lixia.target_value, lixia.unit) == (districts[0], Decimal(2000), "个")
    assert (licheng.lead_department, licheng.unit, licheng.title) == (
        districts[1],
        "万个",
        "历城区新建5G基站5000个",
    )
    assert lixia.status_evaluated_on is not None


def test_a_sheet_with_any_row_in_error_stores_nothing_and_says_what_is_wrong(
    admin_client, stations, districts
):
    GoalFactory(parent=stations, lead_department=districts[1], target_value=Decimal(900))
    upload = sheet(
        "new-5g-base-stations-2024,lixia-industry,2000,,",  # valid
        "no-such-goal,lixia-industry,100,,",
        "new-5g-base-stations-2024,no-such-bureau,100,,",
        "new-5g-base-stations-2024,lixia-industry,-5,,",  # a negative target, and lixia twice
        "new-5g-base-stations-2024,licheng-industry,900,,",  # 历城 has its part already
        "new-5g-base-stations-2024,lixia-industry,3,亿元,",  # 亿元 does not convert to 个
    )
    response = admin_client.post("/admin/goals/goal/split-import/", {"sheet": upload})
    result = response.context["result"]
    assert "payload" not in response.context
    errors = {row.number: " ".join(row.errors) for row in result.rows}
    assert errors[2] == ""
    assert "no such goal" in errors[3]
    assert "no such department" in errors[4]
    assert "the target must be a number" in errors[5] and "repeats row 2" in errors[5]
    assert "already has a part for this department" in errors[6]
    assert "does not convert" in errors[7]
    assert Goal.objects.filter(parent=stations).count() == 1


def test_the_same_confirmation_posted_twice_splits_once(admin_client, stations, districts):
    page = "/admin/goals/goal/split-import/"
    payload = admin_client.post(
        page, {"sheet": sheet("new-5g-base-stations-2024,lixia-industry,2000,,")}
    ).context["payload"]
    admin_client.post(page, {"payload": payload})
    response = admin_client.post(page, {"payload": payload}, follow=True)
    assert Goal.objects.filter(parent=stations).count() == 1
    assert any("already has a part" in str(m) for m in response.context["messages"])


def test_a_recorder_may_not_import_a_split(client, stations, recorder):
    client.force_login(recorder)
    assert client.get("/admin/goals/goal/split-import/").status_code == 403


def test_a_goal_cannot_become_a_part_of_its_own_part(admin_client, stations):
    part = GoalFactory(parent=stations, lead_department=DepartmentFactory())
    page = f"/admin/goals/goal/{stations.pk}/change/"
    data = change_form_data(admin_client.get(page))
    data.update({"parent": str(part.pk), "_continue": "Save"})
    response = admin_client.post(page, data)
    assert "A goal cannot be a part of itself or of its own part" in str(
        response.context["adminform"].form.errors
    )
    stations.refresh_from_db()
    assert stations.parent is None


def test_a_district_part_takes_its_districts_indicator_of_the_same_measure_and_no_city_plan(stations):
    licheng = Jurisdiction.objects.get(slug="licheng")
    city = Indicator.objects.create(slug="5g-jinan", name="新建5G基站", measure="new-5g-stations")
    Indicator.objects.create(slug="5g-licheng", name="新建5G基站", measure="new-5g-stations", place=licheng)
    Goal.objects.filter(pk=stations.pk).update(indicator=city, plan=PlanFactory())
    stations.refresh_from_db()
    city_bureau = DepartmentFactory()
    district_bureau = DepartmentFactory(name="历城区工业和信息化局", place=licheng)
    in_city, in_licheng = goal_split(
        parent=stations, targets=[(city_bureau, Decimal(100)), (district_bureau, Decimal(900))]
    )
    assert (in_city.place, in_city.indicator, in_city.plan) == (stations.place, city, stations.plan)
    assert (in_licheng.place, in_licheng.indicator.slug, in_licheng.plan) == (licheng, "5g-licheng", None)
    assert in_licheng.title == "新建5G基站900个（历城区）"
    assert in_city.title == f"新建5G基站100个（{city_bureau.name}）"
