"""What a citizen can rely on: figures and statuses that rest on invented demo figures say so on every
surface, a sample is never called final, and shares of progress never contradict the verdict."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services.evaluation import goal_evaluate
from apps.goals.services.progress_review import progress_update_approve
from apps.goals.status import Status

from ..factories import GoalFactory, ProgressUpdateFactory


@pytest.fixture
def sample_headline(world):
    """The GDP headline goal, judged on a sample figure."""
    Goal.objects.filter(slug="gdp-growth-2024").update(is_sample=True, latest_is_provisional=True)
    return Goal.objects.get(slug="gdp-growth-2024")


def card_of(html, title):
    start = html.index(title)
    return html[html.rindex('data-testid="headline-card"', 0, start) : html.index("</li>", start)]


def test_a_card_resting_on_a_sample_figure_says_so(client, sample_headline):
    html = client.get("/").content.decode()
    assert 'data-testid="sample-flag">示例数据' in card_of(html, "地区生产总值增长5.5%以上")
    assert "示例数据" not in card_of(html, "新建5G基站7000个")
    assert "初步" in card_of(html, "地区生产总值增长5.5%以上")  # the latest figure is provisional


def test_a_list_row_resting_on_a_sample_figure_says_so(client, sample_headline):
    html = client.get("/goals/?q=地区生产总值").content.decode()
    row = html[html.index("地区生产总值增长5.5%以上") :]
    assert "示例数据" in row[: row.index("</tr>")]


def test_every_page_carries_a_banner_while_the_site_holds_sample_figures(client, world):
    goal = Goal.objects.get(slug="new-5g-base-stations-2024")
    pages = ["/", "/goals/", f"/goals/{goal.slug}/", "/documents/"]
    for url in pages:
        assert 'data-testid="sample-banner"' in client.get(url).content.decode(), url
    ProgressUpdate.objects.filter(is_sample=True).delete()
    for url in pages:
        assert 'data-testid="sample-banner"' not in client.get(url).content.decode(), url


def test_the_api_and_exports_mark_goals_and_figures_resting_on_samples(client, sample_headline):
    results = json.loads(client.get("/api/goals.json").content)["results"]
    marks = {g["slug"]: g["is_sample"] for g in results}
    assert marks["gdp-growth-2024"] is True and marks["new-5g-base-stations-2024"] is False
    detail = json.loads(client.get("/api/goals/new-5g-base-stations-2024.json").content)["goal"]
    assert [(f["as_of"], f["is_sample"]) for f in detail["progress"]] == [
        ("2024-03-31", True),
        ("2024-06-30", False),
    ]
    rows = list(csv.DictReader(io.StringIO(client.get("/goals/?_export=csv").getvalue().decode("utf-8-sig"))))
    assert {r["slug"]: r["is_sample"] for r in rows}["gdp-growth-2024"] in ("True", "true")


def test_a_sample_figure_is_never_called_final(client, world):
    goal = Goal.objects.get(slug="new-5g-base-stations-2024")
    ProgressUpdate.objects.filter(goal=goal, is_sample=True).update(is_final=True)
    feed = client.get("/feeds/progress/").content.decode()
    entry = feed[feed.index("一季度示例数据") - 400 : feed.index("一季度示例数据")]
    assert "示例数据" in entry and "正式数据" not in entry
    page = client.get(f"/goals/{goal.slug}/").content.decode()
    row = page[page.index('id="update-') : page.index("</tr>", page.index('id="update-'))]
    assert "示例数据" in row and "正式数据" not in row


@pytest.mark.django_db
def test_a_verdict_on_a_sample_figure_reads_as_a_sample_and_never_decides_a_finished_goal(time_machine):
    time_machine.move_to(datetime.datetime(2024, 12, 31, 12))
    goal = GoalFactory(
        kind=Goal.Kind.INCREMENT,
        target_value=Decimal("400"),
        unit="个",
        period_start=datetime.date(2024, 1, 1),
        deadline=datetime.date(2024, 12, 31),
    )
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 12, 31),
        value=Decimal("410"),
        is_final=True,
        is_sample=True,
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2024, 12, 31, tzinfo=datetime.UTC),
    )
    goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 12, 31))
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.is_sample
    assert "期末示例数据" in goal.status_explanation_zh and "正式" not in goal.status_explanation_zh
    assert goal.status_changes.get().is_sample
    # Once the period is over the sample decides nothing: the real figures are awaited.
    goal_evaluate(goal_id=goal.pk, today=datetime.date(2025, 2, 1))
    goal.refresh_from_db()
    assert (goal.status, goal.is_sample) == ("awaiting_data", False)


@pytest.mark.django_db
def test_production_refuses_sample_figures(settings, world):
    settings.SAMPLE_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="SAMPLE_DATA_ALLOWED"):
        call_command("load_demo_progress")
    update = ProgressUpdateFactory(
        goal=Goal.objects.get(slug="new-5g-base-stations-2024"),
        as_of=datetime.date(2024, 9, 30),
        value=Decimal("5000"),
        is_sample=True,
        evidence_url="https://example.com/x",
        review_state=ProgressUpdate.ReviewState.SUBMITTED,
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    with pytest.raises(ValidationError, match="sample"):
        progress_update_approve(update=update, reviewer=admin)


def test_goals_without_a_lead_department_are_named_so_not_uncategorised(client, world):
    Goal.objects.filter(slug="smart-communities-400").update(lead_department=None)
    html = client.get("/").content.decode()
    by_department = html[html.index("各牵头单位的目标数") :]
    assert "未指定牵头单位" in by_department[: by_department.index("</table>")]
    assert "未指定牵头单位" in client.get("/goals/smart-communities-400/").content.decode()


@pytest.mark.parametrize(
    ("sort", "order"), [("target", ["firms", "revenue"]), ("-target", ["revenue", "firms"])]
)
def test_sorting_by_value_compares_absolute_amounts_not_numbers_as_written(client, db, sort, order):
    # 8,900 firms against 5,700 亿元 (570 billion yuan): by the number as written, 8900 > 5700.
    GoalFactory(
        slug="firms",
        title="市场主体8900家",
        target_value=Decimal("8900"),
        unit="家",
        latest_value=Decimal("8000"),
    )
    GoalFactory(
        slug="revenue", title="营业收入5700亿元", target_value=Decimal("5700"), unit="亿元", latest_value=5000
    )
    for column in ("target", "latest_value"):
        html = client.get(f"/goals/?sort={sort.replace('target', column)}").content.decode()
        assert sorted(order, key=lambda slug: html.index(f"/goals/{slug}/")) == order, column


def test_the_methodology_page_defines_every_status_in_both_languages(client, db, english):
    html = english.get("/methodology/").content.decode()
    for status in Status:
        assert f'id="status-{status.value}"' in html
    assert "How statuses are decided" in html and "Awaiting data" in html
    assert "grace period" in html and "Rule version" in html and "sample" in html.lower()


def test_the_methodology_page_in_chinese_gives_the_thresholds_in_force(client, db, settings):
    settings.GOAL_AT_RISK_BAND = Decimal("7")
    html = client.get("/methodology/").content.decode()
    assert "方法说明" in html and "序时进度" in html and "等待期" in html
    assert "不超过 7 个百分点" in html
    assert 'id="status-unreported"' in html and "未公布数据" in html


def test_every_status_on_the_site_links_to_its_definition(client, world):
    html = client.get("/goals/gdp-growth-2024/").content.decode()
    assert 'href="/methodology/#status-at_risk"' in html
    assert 'href="/methodology/#status-at_risk"' in client.get("/goals/").content.decode()
    assert 'href="/methodology/#status-' in client.get("/").content.decode()


def test_a_final_verdict_on_provisional_figures_says_so_beside_the_status(client, world):
    Goal.objects.filter(slug="gdp-growth-2024").update(status="achieved", latest_is_provisional=True)
    html = client.get("/").content.decode()
    assert 'data-testid="provisional-verdict">初步数据' in card_of(html, "地区生产总值增长5.5%以上")
    page = client.get("/goals/gdp-growth-2024/").content.decode()
    panel = page[page.index("status-panel") : page.index("</section>", page.index("status-panel"))]
    assert "初步数据" in panel
    # A running goal's provisional figure is no provisional verdict.
    Goal.objects.filter(slug="gdp-growth-2024").update(status="at_risk")
    assert 'data-testid="provisional-verdict"' not in client.get("/").content.decode()
