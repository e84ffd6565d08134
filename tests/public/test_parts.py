"""A goal split into parts: the city's 新建5G基站7000个 (2024) split among districts, real figures approved
for some of them through the review service, and the parent's page and API rolling them up beside the
parent's own verdict."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.goals.models import Goal
from apps.goals.services import progress_review
from apps.goals.services.evaluation import goal_evaluate
from apps.goals.services.parts import goal_split

from ..factories import DepartmentFactory, ProgressUpdateFactory
from .conftest import approved
from .split import district_staff, split_stations
from .test_api_schema import assert_valid

pytestmark = pytest.mark.django_db

OCT_20 = datetime.datetime(2024, 10, 20, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def text_of(html: str, testid: str) -> str:
    """The text inside the elements marked data-testid=`testid`, tags taken out."""
    found = re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:p|div|section)>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", chunk).strip() for chunk in found)


def approve_through_review(part, value, recorder, reviewer, capture):
    update = ProgressUpdateFactory(
        goal=part,
        as_of=datetime.date(2024, 9, 30),
        value=Decimal(value),
        recorded_by=recorder,
        evidence_url="https://www.jinan.gov.cn/district-report",
    )
    progress_review.progress_update_submit(update=update, user=recorder)
    with capture(execute=True):
        progress_review.progress_update_approve(update=update, reviewer=reviewer)


@pytest.fixture
def split_world(world, django_capture_on_commit_callbacks):
    """On 20 October 2024: three districts have reported real figures for Q3 (approved through the review
    service), 槐荫 only a sample figure, 历城 nothing."""
    with time_machine.travel(OCT_20, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            parts = split_stations(world.stations)
        recorder, reviewer = district_staff()
        for slug, value in [
            ("lixia-industry", 1950),
            ("shizhong-industry", 1400),
            ("tianqiao-industry", 1300),
        ]:
            approve_through_review(parts[slug], value, recorder, reviewer, django_capture_on_commit_callbacks)
        approved(parts["huaiyin-industry"], datetime.date(2024, 9, 30), "1100", is_sample=True)
        goal_evaluate(goal_id=parts["huaiyin-industry"].pk, today=OCT_20.date())
    for part in parts.values():
        part.refresh_from_db()
    return parts


def test_the_split_parts_are_full_goals_with_their_own_targets_and_statuses(world, split_world):
    lixia = split_world["lixia-industry"]
    assert lixia.parent == world.stations
    assert (lixia.kind, lixia.unit, lixia.period_start, lixia.deadline) == (
        "increment",
        "个",
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert lixia.title == "新建5G基站2000个（历下区）"
    # The part is the district's target: of its place, not in the city's plan.
    assert (lixia.place.slug, lixia.plan, lixia.lead_department.slug) == ("lixia", None, "lixia-industry")
    assert lixia.review_state == Goal.ReviewState.PUBLISHED  # split from a published goal
    # Each part judged on its own figures: 1950 of 2000 by the end of September is ahead of 序时进度.
    assert (lixia.status, lixia.latest_value) == ("on_track", Decimal(1950))
    # 历城 has reported nothing since January: past the reporting cadence, stale.
    assert split_world["licheng-industry"].status == "stale"
    assert split_world["huaiyin-industry"].is_sample


def test_the_parents_page_rolls_the_parts_up_beside_its_own_verdict(client, world, split_world):
    html = client.get("/goals/new-5g-base-stations-2024/").content.decode()
    lines = text_of(html, "rollup-line")
    # The sum of the real figures approved (1950 + 1400 + 1300), against the city's target.
    assert "各部分合计 4650 个 / 目标 7000 个" in lines
    # The parts that have not reported, named: 槐荫 has a sample figure only, 历城 nothing.
    assert "2 个部分未报告：槐荫区、历城区" in lines
    assert "槐荫区只有示例数据，不计入合计" in lines
    # The districts' targets add up to 6900, not 7000.
    assert "各部分目标合计 6900 个，与本目标 7000 个不一致" in lines
    # Every part is listed with its status, latest figure and target.
    rows = re.findall(r'data-testid="part-row">(.*?)</tr>', html, re.S)
    assert len(rows) == 5
    assert "历下区" in rows[0] and "进度正常" in rows[0] and "1950 个" in rows[0]
    assert "≥ 2000 个" in rows[0]
    assert "暂无数据" in rows[4] and "数据过期" in rows[4]
    # The parent's own verdict stays its own: on track on its own figure of 4200, not the parts' 4650.
    panel = html[
        html.index('class="status-panel') : html.index("</section>", html.index('class="status-panel'))
    ]
    assert "进度正常" in panel and "4650" not in panel
    assert Goal.objects.get(pk=world.stations.pk).latest_value == Decimal(4200)


def test_a_part_links_back_to_its_parent(client, split_world):
    html = client.get(split_world["lixia-industry"].get_absolute_url()).content.decode()
    assert "本目标是以下目标的一部分" in html and 'href="/goals/new-5g-base-stations-2024/"' in html


def test_the_roll_up_in_english(english, split_world):
    html = english.get("/goals/new-5g-base-stations-2024/").content.decode()
    lines = text_of(html, "rollup-line")
    assert "The parts add up to 4,650 against a target of 7,000" in lines
    assert ("2 parts have not reported: Huaiyin District, Licheng District") in lines
    assert "The parts' targets add up to 6,900, not this goal's 7,000" in lines


def test_parts_not_yet_published_are_not_shown_nor_counted(client, world, split_world):
    Goal.objects.filter(pk=split_world["licheng-industry"].pk).update(review_state=Goal.ReviewState.PENDING)
    html = client.get("/goals/new-5g-base-stations-2024/").content.decode()
    section = html[
        html.index('data-testid="parts"') : html.index("</section>", html.index('data-testid="parts"'))
    ]
    assert "历城区" not in section and section.count('data-testid="part-row"') == 4
    assert "各部分目标合计 6000 个，与本目标 7000 个不一致" in text_of(html, "rollup-line")


def test_when_every_part_has_reported_and_the_targets_agree_nothing_is_said_to_be_missing(client, world):
    parts = goal_split(
        parent=world.stations,
        targets=[(DepartmentFactory(), Decimal(3000)), (DepartmentFactory(), Decimal(4000))],
    )
    for part, value in zip(parts, (2500, 3300), strict=True):
        approved(part, datetime.date(2024, 9, 30), value)
        goal_evaluate(goal_id=part.pk, today=datetime.date(2024, 10, 20))
    lines = text_of(client.get("/goals/new-5g-base-stations-2024/").content.decode(), "rollup-line")
    assert lines == "各部分合计 5800 个 / 目标 7000 个"


def test_rates_are_compared_side_by_side_and_never_summed(client, world):
    parts = goal_split(
        parent=world.gdp, targets=[(DepartmentFactory(), Decimal("5.6")), (DepartmentFactory(), Decimal("6"))]
    )
    approved(parts[0], datetime.date(2024, 6, 30), "5.8")
    goal_evaluate(goal_id=parts[0].pk, today=datetime.date(2024, 7, 20))
    html = client.get("/goals/gdp-growth-2024/").content.decode()
    lines = text_of(html, "rollup-line")
    assert "不作合计" in lines and "合计 " not in lines.replace("不作合计", "")
    assert "11.6" not in html  # 5.6 + 6 is never shown
    assert "1 个部分未报告" in lines


def test_the_api_gives_the_parts_and_their_roll_up(client, world, split_world):
    spec = client.get("/api/openapi.json").json()
    answer = client.get("/api/goals/new-5g-base-stations-2024.json").json()
    assert_valid(spec, "GoalAnswer", answer, "the parent's record")
    goal = answer["goal"]
    assert [p["label_zh"] for p in goal["parts"]] == [
        "历下区",
        "市中区",
        "槐荫区",
        "天桥区",
        "历城区",
    ]
    lixia = goal["parts"][0]
    assert (lixia["target_value"], lixia["latest_value"], lixia["status"], lixia["reported"]) == (
        "2000",
        "1950",
        "on_track",
        True,
    )
    assert goal["parts"][2]["reported"] is False  # a sample figure is no report
    rollup = goal["rollup"]
    assert rollup["method"] == "sum"
    assert (rollup["total"], rollup["target_value"], rollup["parts_target"]) == ("4650", "7000", "6900")
    assert rollup["targets_match"] is False
    assert rollup["unreported"] == [
        split_world["huaiyin-industry"].slug,
        split_world["licheng-industry"].slug,
    ]
    assert goal["status"] == "on_track"  # the parent's own
    answer = client.get(f"/api/goals/{split_world['lixia-industry'].slug}.json").json()
    assert_valid(spec, "GoalAnswer", answer, "a part's record")
    part = answer["goal"]
    assert part["parent"] == "new-5g-base-stations-2024" and part["parts"] == [] and part["rollup"] is None


@pytest.mark.parametrize(
    "path", ["/goals/{slug}/", "/api/goals/{slug}.json", "/goals/{slug}/?as_of=2024-09-30"]
)
def test_one_query_for_the_parts_whatever_their_number(client, world, path):
    """The page with 2 parts and with 12 runs as many queries, one of them for the parts."""
    counts = []
    url = path.format(slug=world.stations.slug)
    for number in (2, 12):
        Goal.objects.filter(parent=world.stations).delete()
        goal_split(
            parent=world.stations, targets=[(DepartmentFactory(), Decimal(100)) for _ in range(number)]
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(re.findall(r'data-testid="part-row"', response.content.decode())) in (0, number)
        counts.append(len(queries))
        parts_queries = [q for q in queries.captured_queries if '"parent_id" IN' in q["sql"]]
        assert len(parts_queries) == 1
    assert counts[0] == counts[1]
