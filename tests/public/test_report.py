"""The printable report for a supervision meeting (apps/public/reports.py): red and at-risk goals with
their figures, expected values and approved explanations, what is overdue, who leads; for the city or
a department, on a chosen day; a bounded number of queries; and printed to an A4 PDF by Chromium."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from apps.goals.models import Goal, GoalExplanation

from .test_browser import ARTIFACTS
from .test_query_counts import build_goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def july_2024(time_machine):
    time_machine.move_to(datetime.datetime(2024, 7, 15, 10, tzinfo=datetime.UTC))


def listed(page, testid):
    """The titles of the goals in the report's articles with this data-testid, in order."""
    return re.findall(
        rf'data-testid="{testid}" data-status="[a-z_]+">\s*<h4><a href="[^"]+">([^<]+)</a>', page
    )


def test_the_city_report_lists_red_then_at_risk_goals_with_figures_and_approved_explanations(
    client, full_world, july_2024
):
    world = full_world.world
    response = client.get("/report/")
    assert response.status_code == 200
    page = response.content.decode()
    attention = listed(page, "report-goal")
    red = {full_world.by_status[s].title for s in ("off_track", "missed", "overdue")}
    assert set(attention[:3]) == red and attention[3:] == [world.gdp.title]
    for title in ("新建5G基站7000个", "建设智慧社区400个", "建设秘密设施12处"):  # on track, achieved, pending
        assert title not in page
    # The compute goal's figures, expected value and its approved explanation with corrective actions.
    assert "920 P" in page and "芯片供货延误" in page and "协调第二家供应商，九月底前补齐" in page
    assert "55 家" in page  # an expected value (序时进度)
    assert (
        "尚未审核的原因" not in page and "尚未审核的措施" not in page
    )  # a submitted explanation stays private
    # Who leads: a section per lead department, the one with the most red goals first.
    headings = [h.strip() for h in re.findall(r"<h2 id=\"department-heading-\d+\">牵头单位：([^<]+)", page)]
    assert headings == ["市工业和信息化局", "市大数据局", "市统计局"]
    # Figures owed (stale, unreported) are listed as overdue, under their lead department.
    overdue = page[page.index('data-testid="report-overdue"') :]
    assert (
        full_world.by_status["stale"].title in overdue and full_world.by_status["unreported"].title in overdue
    )
    assert "亮红灯 3 个，有风险 1 个，逾期或缺数据 2 个" in page


def test_a_department_report_holds_the_goals_it_leads_or_supports(client, full_world, july_2024):
    world = full_world.world
    page = client.get(f"/report/{world.big_data.slug}/").content.decode()
    assert listed(page, "report-goal") == [world.compute.title]
    assert world.gdp.title not in page
    assert "督查报告：市大数据局" in page
    english = client.get(f"/en/report/{world.big_data.slug}/").content.decode()
    assert world.compute.title_en in english and "Supervision report: Big Data Bureau" in english
    assert client.get("/report/no-such-department/").status_code == 404


def test_a_report_for_a_past_day_judges_from_what_was_known_then(client, full_world, july_2024):
    world = full_world.world
    today = client.get("/report/").content.decode()
    assert "芯片供货延误" in today
    # On 1 July the explanation (approved on 10 July) was not yet public.
    earlier = client.get("/report/?as_of=2024-07-01").content.decode()
    assert "芯片供货延误" not in earlier
    assert 'value="2024-07-01"' in earlier
    GoalExplanation.objects.filter(pk=full_world.explanation.pk).update(
        reviewed_at=datetime.datetime(2024, 6, 20, tzinfo=datetime.UTC)
    )
    assert "芯片供货延误" in client.get("/report/?as_of=2024-07-01").content.decode()
    # A day before the figures: the goals are judged afresh and the GDP goal is no longer at risk.
    before = client.get("/report/?as_of=2024-02-01").content.decode()
    assert world.gdp.title not in listed(before, "report-goal")


def test_a_goal_that_ended_long_ago_is_no_longer_reported(client, full_world, time_machine):
    time_machine.move_to(datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC))
    page = client.get("/report/").content.decode()
    assert listed(page, "report-goal") == [] and 'data-testid="report-empty"' in page
    Goal.objects.filter(pk=full_world.world.compute.pk).update(deadline=datetime.date(2026, 12, 31))
    assert listed(client.get("/report/").content.decode(), "report-goal") == [full_world.world.compute.title]


@pytest.mark.parametrize("count", [10, 300])
def test_the_report_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, july_2024, count):
    goal, _ = build_goals(count)
    for url, bound in (
        ("/report/", 6),
        (f"/report/{goal.lead_department.slug}/", 7),
        ("/report/?as_of=2024-07-01", 14),
    ):
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200
        if url == "/report/":  # a third of the goals are red or at risk (test_query_counts.STATUSES)
            assert len(listed(response.content.decode(), "report-goal")) >= count // 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_city_report_prints_to_an_a4_pdf_with_the_red_goals_in_it(page_at, live_server, full_world):
    world = full_world.world
    # The live server runs on the real clock: the world's goals run this year rather than in 2024.
    today = timezone.localdate()
    Goal.objects.update(period_start=today.replace(month=1, day=1), deadline=today.replace(month=12, day=31))
    page = page_at()
    page.goto(f"{live_server.url}/report/")
    assert page.get_by_test_id("report").is_visible()
    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-city.pdf").write_bytes(printed)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "report-city-print.png"), full_page=True)
    pdf = PdfReader(io.BytesIO(printed))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842), "not A4"
    red = [full_world.by_status[s].title for s in ("off_track", "missed", "overdue")]
    for title in [*red, world.gdp.title]:
        assert re.sub(r"\s+", "", title) in text, title
    assert "芯片供货延误" in text
    assert "全部指标" not in text and "跳到正文" not in text  # no navigation on paper
    # The summary, then each lead department on a page of its own.
    assert len(pdf.pages) >= 4
    starts = [re.sub(r"\s+", "", p.extract_text())[:20] for p in pdf.pages]
    for name in ("市工业和信息化局", "市大数据局", "市统计局"):
        assert any(start.startswith(f"牵头单位：{name}") for start in starts), (name, starts)
