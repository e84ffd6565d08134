"""Places (apps/goals/models/places.py): the reference places, every row's place, a goal's place
agreeing with its plan's and indicator's, and one measure shared by the indicators of many places."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.goals.models import Department, Document, Goal, Indicator, Jurisdiction, Plan

from ..factories import DepartmentFactory, DocumentFactory, GoalFactory, PlanFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "reference.json"
UNITS = {
    "370102": "历下区",
    "370103": "市中区",
    "370104": "槐荫区",
    "370105": "天桥区",
    "370112": "历城区",
    "370113": "长清区",
    "370114": "章丘区",
    "370115": "济阳区",
    "370116": "莱芜区",
    "370117": "钢城区",
    "370124": "平阴县",
    "370126": "商河县",
}


def place(slug):
    return Jurisdiction.objects.get(slug=slug)


def test_jinan_holds_its_twelve_units_and_two_zones():
    jinan = Jurisdiction.objects.home()
    assert (jinan.slug, jinan.name, jinan.code, jinan.level, jinan.parent) == (
        "jinan",
        "济南市",
        "370100",
        "city",
        None,
    )
    units = Jurisdiction.objects.units_of(jinan)
    assert {p.code: p.name for p in units if p.code} == UNITS
    zones = {p.slug: (p.name, p.code, p.level) for p in units if not p.code}
    assert zones == {
        "qibuqu": ("济南新旧动能转换起步区", "", "zone"),
        "gaoxin": ("济南高新区", "", "zone"),
    }
    assert place("shanghe").level == "county" and place("licheng").name_en == "Licheng District"


def test_the_fixture_lists_the_places_the_migration_made():
    """make seed loads fixtures/reference.json after migrating: it must say what the migration says."""
    rows = [r["fields"] for r in json.loads(REFERENCE.read_text()) if r["model"] == "goals.jurisdiction"]
    stored = {
        p.slug: (
            p.name,
            p.short_name,
            p.name_en,
            p.level,
            p.code,
            p.parent.slug if p.parent else None,
            p.order,
        )
        for p in Jurisdiction.objects.select_related("parent")
    }
    listed = {
        r["slug"]: (
            r["name"],
            r["short_name"],
            r["name_en"],
            r["level"],
            r["code"],
            r["parent"][0] if r["parent"] else None,
            r["order"],
        )
        for r in rows
    }
    assert listed == stored and len(listed) == 15


def test_a_place_is_found_by_code_else_by_name():
    assert Jurisdiction.objects.matching(code="370112", name="商河县") == place("licheng")
    assert Jurisdiction.objects.matching(code=None, name="商河县") == place("shanghe")
    assert Jurisdiction.objects.matching(code=None, name="济南新旧动能转换起步区") == place("qibuqu")
    assert Jurisdiction.objects.matching(code="", name="起步区") == place("qibuqu")
    assert Jurisdiction.objects.matching(code=None, name="高新区") == place("gaoxin")
    assert Jurisdiction.objects.matching(code="370999", name="历城区") is None  # a wrong code is no guess
    assert Jurisdiction.objects.matching(code=None, name="南部山区") is None
    assert Jurisdiction.objects.matching(code=None, name="") is None


def test_a_division_code_is_six_characters_and_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.filter(slug="lixia").update(code="37010")
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.filter(slug="lixia").update(code="370112")
    Jurisdiction.objects.filter(slug="lixia").update(code="")  # two places without a code are fine
    Jurisdiction.objects.filter(slug="shizhong").update(code="")


def test_rows_stored_without_a_place_are_jinans():
    jinan = Jurisdiction.objects.home()
    plan = Plan.objects.create(name="规划", period_start="2025-01-01", period_end="2025-12-31")
    department = Department.objects.create(name="市某局", slug="some-bureau")
    indicator = Indicator.objects.create(slug="x", name="某指标")
    document = DocumentFactory()
    goal = GoalFactory(plan=plan)
    assert {r.place for r in (plan, department, indicator, document, goal)} == {jinan}
    assert {r.place for r in (Plan, Department, Indicator, Document, Goal) for r in r.objects.all()} == {
        jinan
    }


def test_a_place_in_use_cannot_be_deleted():
    GoalFactory(place=place("licheng"))
    with pytest.raises(Exception, match="protected"):
        place("licheng").delete()


def test_a_goals_plan_and_indicator_must_be_of_its_place():
    licheng, shanghe = place("licheng"), place("shanghe")
    goal = GoalFactory(place=licheng)
    assert goal.plan.place == licheng and goal.lead_department.place == licheng
    goal.full_clean()
    goal.plan = PlanFactory(place=shanghe)
    goal.indicator = Indicator.objects.create(slug="shanghe-gdp-growth", name="地区生产总值增速")
    with pytest.raises(ValidationError) as refused:
        goal.full_clean()
    assert set(refused.value.message_dict) == {"plan", "indicator"}
    assert "商河县" in refused.value.message_dict["plan"][0]


def test_a_measure_is_one_per_place_and_shared_across_places():
    jinan, licheng = Jurisdiction.objects.home(), place("licheng")
    Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速", measure="gdp-growth", place=jinan)
    # The same name and measure in another place is another indicator of the same measure.
    Indicator.objects.create(
        slug="licheng-gdp-growth", name="地区生产总值增速", measure="gdp-growth", place=licheng
    )
    assert Indicator.objects.filter(measure="gdp-growth").count() == 2
    other = Indicator.objects.create(slug="gdp", name="地区生产总值", place=jinan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=other.pk).update(measure="gdp-growth")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=other.pk).update(name="地区生产总值增速")
    Indicator.objects.create(slug="gdp-2", name="地区生产总值2", place=jinan)  # no measure: any number


def test_goals_in_place_are_that_places_own():
    licheng = place("licheng")
    city = GoalFactory()
    district = GoalFactory(place=licheng)
    assert list(Goal.objects.in_place()) == [city]
    assert list(Goal.objects.in_place("jinan")) == [city]
    assert list(Goal.objects.in_place(licheng)) == [district]
    assert list(Goal.objects.in_place("licheng")) == [district]


def test_departments_default_to_the_goals_place_in_the_factories():
    department = DepartmentFactory(place=place("shanghe"))
    assert department.place.name == "商河县"
