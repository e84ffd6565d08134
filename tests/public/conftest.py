"""A small published world for the public site: the 2024 work report's headline targets, one goal still
pending review, approved, sample and draft figures, status history and the source document."""

import datetime
import hashlib
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Citation, Goal, GoalKind, ProgressUpdate, StatusChange

from ..factories import (
    CategoryFactory,
    DepartmentFactory,
    DocumentFactory,
    GoalFactory,
    PlanFactory,
    ProgressUpdateFactory,
)

REPORT_TEXT = (
    "2024年济南市政府工作报告\n\n"
    "今年经济社会发展的主要预期目标是：全市地区生产总值增长5.5%以上。\n"
    "加快数字济南建设，新建5G基站7000个，智能算力规模达到2000P。\n"
    "建设智慧社区400个。\n"
    "研究设立一个尚在审核中的目标，建设秘密设施12处。\n"
)


def cite(goal, document, quote):
    start = document.text.index(quote)
    return Citation.objects.create(
        goal=goal, document=document, start=start, end=start + len(quote), quote=quote
    )


def approved(goal, as_of, value, **extra):
    return ProgressUpdateFactory(
        goal=goal,
        as_of=as_of,
        value=Decimal(value),
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        **extra,
    )


@dataclass
class World:
    document: object
    gdp: Goal
    stations: Goal
    compute: Goal
    communities: Goal
    pending: Goal
    digital: object
    main_targets: object
    industry: object
    big_data: object
    plan: object
    sample_update: ProgressUpdate
    final_update: ProgressUpdate
    draft_update: ProgressUpdate
    pending_update: ProgressUpdate


@pytest.fixture
def world(db):
    plan = PlanFactory(name="2024年政府工作报告", name_en="2024 Government Work Report")
    main_targets = CategoryFactory(name="主要预期目标", name_en="Main targets", slug="main-targets", order=1)
    digital = CategoryFactory(name="数字济南", name_en="Digital Jinan", slug="digital", order=2)
    industry = DepartmentFactory(
        name="市工业和信息化局", name_en="Bureau of Industry and IT", slug="industry-it"
    )
    big_data = DepartmentFactory(name="市大数据局", name_en="Big Data Bureau", slug="big-data")
    statistics = DepartmentFactory(name="市统计局", name_en="Statistics Bureau", slug="statistics")
    document = DocumentFactory(
        title="2024年济南市政府工作报告",
        text=REPORT_TEXT,
        sha256=hashlib.sha256(REPORT_TEXT.encode()).hexdigest(),
        url="https://www.jinan.gov.cn/report-2024",
    )
    common = {"plan": plan, "period_start": datetime.date(2024, 1, 1)}
    gdp = GoalFactory(
        slug="gdp-growth-2024",
        title="地区生产总值增长5.5%以上",
        title_en="GDP growth of at least 5.5%",
        metric="地区生产总值增速",
        kind=GoalKind.GROWTH_RATE,
        target_value=Decimal("5.5"),
        unit="%",
        category=main_targets,
        lead_department=statistics,
        deadline=datetime.date(2024, 12, 31),
        is_headline=True,
        headline_order=1,
        status="at_risk",
        progress_percent=None,
        latest_value=Decimal("5.2"),
        latest_as_of=datetime.date(2024, 6, 30),
        status_explanation_zh="截至2024年6月30日累计增长5.2%，目标≥5.5%，低于目标0.3个百分点",
        status_explanation_en="Cumulative growth of 5.2% to 30 Jun 2024, against a target of at least 5.5%",
        **common,
    )
    stations = GoalFactory(
        slug="new-5g-base-stations-2024",
        title="新建5G基站7000个",
        title_en="7,000 new 5G base stations",
        metric="新建5G基站",
        kind=GoalKind.INCREMENT,
        target_value=Decimal("7000"),
        unit="个",
        category=digital,
        lead_department=industry,
        deadline=datetime.date(2024, 12, 31),
        is_headline=True,
        headline_order=2,
        status="on_track",
        progress_percent=Decimal("60.00"),
        expected_value=Decimal("3500"),
        status_baseline=Decimal("0"),  # an increment counts from 0
        latest_value=Decimal("4200"),
        latest_as_of=datetime.date(2024, 6, 30),
        status_explanation_zh="按序时进度，截至2024年6月30日应完成3500个，实际4200个，超前10个百分点",
        status_explanation_en="By 30 Jun 2024, 3,500 of 7,000 expected; 4,200 reported (10 points ahead)",
        **common,
    )
    stations.supporting_departments.add(big_data)
    compute = GoalFactory(
        slug="intelligent-computing-2000p",
        title="智能算力规模达到2000P",
        title_en="2,000P of intelligent computing",
        metric="智能算力规模",
        kind=GoalKind.LEVEL,
        target_value=Decimal("2000"),
        unit="P",
        baseline_value=Decimal("800"),
        category=digital,
        lead_department=big_data,
        deadline=datetime.date(2025, 12, 31),
        status="off_track",
        progress_percent=Decimal("10"),
        expected_value=Decimal("1100"),  # 800 + 1200 × 6/24 by 30 June 2024
        status_baseline=Decimal("800"),
        latest_value=Decimal("920"),
        latest_as_of=datetime.date(2024, 6, 30),
        **common,
    )
    communities = GoalFactory(
        slug="smart-communities-400",
        title="建设智慧社区400个",
        title_en="",
        metric="智慧社区",
        kind=GoalKind.INCREMENT,
        target_value=Decimal("400"),
        unit="个",
        category=digital,
        lead_department=big_data,
        deadline=datetime.date(2024, 12, 31),
        status="achieved",
        progress_percent=Decimal("100"),
        latest_value=Decimal("400"),
        latest_as_of=datetime.date(2024, 11, 30),
        **common,
    )
    pending = GoalFactory(
        slug="secret-facilities",
        title="建设秘密设施12处",
        title_en="Twelve secret facilities",
        metric="秘密设施",
        target_value=Decimal("12"),
        unit="处",
        category=digital,
        lead_department=big_data,
        deadline=datetime.date(2024, 12, 31),
        review_state=Goal.ReviewState.PENDING,
        status="on_track",
        is_headline=True,
        headline_order=0,
        **common,
    )
    for goal, quote in [
        (gdp, "全市地区生产总值增长5.5%以上"),
        (stations, "新建5G基站7000个"),
        (compute, "智能算力规模达到2000P"),
        (communities, "建设智慧社区400个"),
        (pending, "建设秘密设施12处"),
    ]:
        cite(goal, document, quote)
    sample_update = approved(
        stations, datetime.date(2024, 3, 31), "1500", is_sample=True, note="一季度示例数据"
    )
    final_update = approved(stations, datetime.date(2024, 6, 30), "4200", is_final=True, note="上半年")
    draft_update = ProgressUpdateFactory(
        goal=stations, as_of=datetime.date(2024, 9, 30), value=Decimal("6543"), note="未审核的草稿"
    )
    pending_update = approved(pending, datetime.date(2024, 6, 30), "7", note="未发布目标的数据")
    approved(gdp, datetime.date(2024, 6, 30), "5.2")
    StatusChange.objects.create(
        goal=stations,
        evaluated_on=datetime.date(2024, 7, 1),
        from_status="not_started",
        to_status="on_track",
        rule_version="1",
        explanation_zh="上半年完成4200个",
        explanation_en="4,200 built in the first half",
    )
    StatusChange.objects.create(
        goal=gdp,
        evaluated_on=datetime.date(2024, 7, 1),
        from_status="on_track",
        to_status="at_risk",
        rule_version="1",
        explanation_zh="上半年增长5.2%",
        explanation_en="5.2% in the first half",
    )
    StatusChange.objects.create(
        goal=pending,
        evaluated_on=datetime.date(2024, 7, 1),
        from_status="not_started",
        to_status="on_track",
        rule_version="1",
        explanation_zh="秘密变化",
        explanation_en="secret change",
    )
    return World(
        document=document,
        gdp=gdp,
        stations=stations,
        compute=compute,
        communities=communities,
        pending=pending,
        digital=digital,
        main_targets=main_targets,
        industry=industry,
        big_data=big_data,
        plan=plan,
        sample_update=sample_update,
        final_update=final_update,
        draft_update=draft_update,
        pending_update=pending_update,
    )


class EnglishClient:
    """A citizen reading the English site, which lives under /en/ (the language switch links there)."""

    def __init__(self, client):
        self.client = client

    def get(self, path, *args, **kwargs):
        return self.client.get("/en" + path, *args, **kwargs)


@pytest.fixture
def english(client):
    return EnglishClient(client)


# --- The browser (Playwright on Debian's Chromium), shared by the browser tests ------------------

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_SERVICES=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_at(chromium, live_server):
    """page_at(viewport) -> a fresh page; fails the test on any JavaScript error."""
    contexts, errors = [], []

    def open_page(viewport=DESKTOP):
        context = chromium.new_context(viewport=viewport, accept_downloads=True, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@dataclass
class FullWorld:
    """The world above, a published goal of every status besides, an approved explanation with its
    corrective actions, a draft one, a revision and a figure reported for an indicator."""

    world: World
    by_status: dict
    explanation: object
    draft_explanation: object


@pytest.fixture
def full_world(world):
    from apps.goals.models import GoalExplanation, GoalRevision, Indicator
    from apps.goals.status import Status

    by_status = {
        "at_risk": world.gdp,
        "on_track": world.stations,
        "off_track": world.compute,
        "achieved": world.communities,
    }
    milestones = {Status.DONE, Status.DUE, Status.OVERDUE}
    for number, status in enumerate(s for s in Status if s.value not in by_status):
        milestone = status in milestones
        by_status[status.value] = GoalFactory(
            slug=f"goal-{status.value.replace('_', '-')}",
            title=f"状态为{status.value}的目标{number}",
            title_en=f"A goal that is {status.value}",
            kind=GoalKind.MILESTONE if milestone else GoalKind.LEVEL,
            target_value=None if milestone else Decimal("100"),
            unit="" if milestone else "家",
            baseline_value=None if milestone else Decimal("10"),
            status=status.value,
            latest_value=None if milestone or number % 2 else Decimal("42.5"),
            latest_as_of=None if milestone or number % 2 else datetime.date(2024, 6, 30),
            expected_value=None if milestone else Decimal("55"),
            category=world.digital,
            lead_department=world.industry,
            plan=world.plan,
            deadline=datetime.date(2024, 12, 31),
        )
    indicator = Indicator.objects.create(
        slug="computing", name="智能算力规模", name_en="Intelligent computing"
    )
    Goal.objects.filter(pk=world.compute.pk).update(
        indicator=indicator, baseline_source="staff", baseline_evidence="统计月报2024年1月"
    )
    StatusChange.objects.create(
        goal=world.compute,
        evaluated_on=datetime.date(2024, 4, 1),
        from_status="",
        to_status="on_track",
        rule_version="1",
    )
    ProgressUpdateFactory(
        goal=None,
        indicator=indicator,
        as_of=datetime.date(2024, 3, 31),
        value=Decimal("880"),
        approved=True,
        quote="一季度末智能算力880P",
    )
    change = StatusChange.objects.create(
        goal=world.compute,
        evaluated_on=datetime.date(2024, 7, 1),
        from_status="on_track",
        to_status="off_track",
        rule_version="1",
        explanation_zh="上半年仅920P",
        explanation_en="Only 920P in the first half",
    )
    explanation = GoalExplanation.objects.create(
        goal=world.compute,
        status_change=change,
        status="off_track",
        requested_on=datetime.date(2024, 7, 1),
        due_on=datetime.date(2024, 7, 15),
        reason="芯片供货延误",
        corrective_actions="协调第二家供应商，九月底前补齐",
        review_state=GoalExplanation.ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2024, 7, 10, tzinfo=datetime.UTC),
    )
    gdp_change = world.gdp.status_changes.get()
    draft_explanation = GoalExplanation.objects.create(
        goal=world.gdp,
        status_change=gdp_change,
        status="at_risk",
        requested_on=datetime.date(2024, 7, 1),
        due_on=datetime.date(2024, 7, 15),
        reason="尚未审核的原因",
        corrective_actions="尚未审核的措施",
        review_state=GoalExplanation.ReviewState.SUBMITTED,
    )
    GoalRevision.objects.create(
        goal=world.compute, field="target_value", before="1800", after="2000", reason="上级下达新任务"
    )
    return FullWorld(
        world=world, by_status=by_status, explanation=explanation, draft_explanation=draft_explanation
    )
