"""Staff curation: who leads a goal, its English title, and what ingest makes of the 2025–2026 documents."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.goals.models import Department, Document, Goal
from apps.ingest.curation import Curation, IndicatorEntry, curation_load, goals_curate, lead_department_name
from tests.factories import DepartmentFactory, GoalFactory, PlanFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
GDP_GROWTH = IndicatorEntry(
    slug="gdp-growth",
    name="地区生产总值增速",
    name_en="GDP growth",
    department="市发改委",
    metrics=("地区生产总值增长",),
)
CURATION = Curation(indicators=[GDP_GROWTH], plan_owners={"工信规划": "市工信局"})


@pytest.mark.parametrize(
    "entry, stated, plan, expected",
    [
        ({"lead_department": "市统计局"}, "市大数据局", "工信规划", ("市统计局", "curated")),  # staff decided
        ({}, "市大数据局", "工信规划", ("市大数据局", "document")),  # the document names it
        ({}, None, "工信规划", ("市工信局", "plan")),  # the plan's owner
        ({}, None, "工作报告", ("市发改委", "routing")),  # the indicator's routing
        ({}, "济南市人民政府", "工作报告", ("市发改委", "routing")),  # the whole government speaks: routed
        ({}, "济南市人民政府", "无名规划", ("市发改委", "routing")),
    ],
)
def test_the_lead_department_comes_from_curation_document_plan_then_routing(entry, stated, plan, expected):
    name = lead_department_name(
        curation=CURATION, entry=entry, stated=stated, plan_name=plan, metric="地区生产总值增长5%"
    )
    assert name == expected


def test_the_whole_government_leads_only_when_nothing_else_is_known():
    name = lead_department_name(
        curation=CURATION, entry={}, stated="济南市人民政府", plan_name=None, metric="某项新指标"
    )
    assert name == ("济南市人民政府", "government")


@pytest.mark.django_db
def test_curation_fills_blanks_only_and_a_second_run_changes_nothing():
    DepartmentFactory(name="市发改委", slug="drc")
    staff_choice = DepartmentFactory(name="市统计局", slug="stats")
    blank = GoalFactory(
        metric="地区生产总值增长",
        target_value=Decimal("5"),
        unit="%",
        kind="growth_rate",
        title_en="",
        lead_department=None,
        plan=PlanFactory(name="工作报告"),
        deadline=datetime.date(2026, 12, 31),
        period_start=datetime.date(2026, 1, 1),
    )
    edited = GoalFactory(
        metric="地区生产总值增长",
        target_value=Decimal("5.5"),
        unit="%",
        kind="growth_rate",
        title_en="Growth, as staff wrote it",
        lead_department=staff_choice,
    )
    result = goals_curate(curation=CURATION)
    blank.refresh_from_db()
    edited.refresh_from_db()
    assert (blank.title_en, blank.lead_department.name) == ("GDP growth: 5% or more (2026)", "市发改委")
    assert blank.lead_department_source == "routing"
    assert (edited.title_en, edited.lead_department) == ("Growth, as staff wrote it", staff_choice)
    assert (result.titles, result.departments) == (1, 1)
    again = goals_curate(curation=CURATION)
    assert (again.titles, again.departments) == (0, 0)


def test_every_department_and_plan_the_curation_names_is_in_the_reference_data():
    reference = json.loads((FIXTURES / "reference.json").read_text(encoding="utf-8"))
    departments = {r["fields"]["name"] for r in reference if r["model"] == "goals.department"}
    plans = {r["fields"]["name"] for r in reference if r["model"] == "goals.plan"}
    curation = curation_load()
    named = {i.department for i in curation.indicators} | set(curation.plan_owners.values())
    named |= {e["lead_department"] for e in curation.goals if e.get("lead_department")}
    assert named <= departments
    assert set(curation.plan_owners) <= plans
    manifest = json.loads((FIXTURES / "documents" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["plan"] for e in manifest} <= plans  # every plan has its real period, not a guessed year
    assert len({i.slug for i in curation.indicators}) == len(curation.indicators)


@pytest.fixture
def seeded(db):
    call_command("loaddata", str(FIXTURES / "reference.json"), verbosity=0)
    call_command(
        "ingest_documents",
        *sorted(str(p) for p in (FIXTURES / "documents").glob("*.txt")),
        "--publish",
        stdout=io.StringIO(),
    )


def test_the_seed_documents_give_the_targets_in_force_in_late_2026(seeded):
    public = Goal.objects.public()
    in_force = public.filter(deadline__gt=datetime.date(2026, 11, 29))
    assert in_force.count() >= 20
    gdp = in_force.get(slug="gdp-growth-2026")
    assert (gdp.target_value, gdp.unit, gdp.comparator, gdp.is_headline) == (Decimal("5"), "%", ">=", True)
    assert gdp.lead_department.name == "济南市发展和改革委员会"
    headline_2026 = set(public.headline().filter(deadline__year=2026).values_list("slug", flat=True))
    assert {
        "gdp-growth-2026",
        "budget-revenue-growth-2026",
        "industrial-value-added-growth-2026",
        "retail-sales-growth-2026",
        "new-urban-jobs-2026",
        "computing-power-2026",
        "key-data-enterprises-2026",
    } <= headline_2026


def test_nearly_every_public_goal_has_a_lead_department_and_an_english_title(seeded):
    public = Goal.objects.public()
    assert public.filter(lead_department__isnull=False).count() >= 0.95 * public.count()
    assert not public.filter(lead_department__isnull=False, lead_department_source="").exists()
    assert public.get(slug="video-surveillance-2027").lead_department.name == "中共济南市委政法委员会"
    assert public.exclude(title_en="").count() >= 0.95 * public.count()
    assert not public.filter(title_en__regex=r"[\u4e00-\u9fff]").exists()  # English means no Chinese
    assert (
        public.filter(indicator__isnull=False).exclude(indicator__name_en="").count() >= 0.95 * public.count()
    )


def test_results_and_headlines_are_not_targets_and_a_doubtful_figure_waits_for_review(seeded):
    assert not Goal.objects.public().filter(metric__contains="QiLuWanBao").exists()
    assert not Goal.objects.public().filter(metric__contains="在用标准机架").exists()
    doubtful = Goal.objects.get(slug="5g-base-stations-2027")
    assert (doubtful.target_value, doubtful.unit, doubtful.review_state) == (Decimal("65"), "万个", "pending")


def test_a_document_keeps_the_page_it_came_from(seeded):
    document = Document.objects.get(file_name="2026_02_targets_summary.txt")
    assert document.url == "https://reportify.ai/news/1210643523800535040"
    assert Department.objects.filter(name="济南市财政局").exists()
