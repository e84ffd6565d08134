"""The indicator page: one indicator's targets and reported results year by year, and a goal's links to
the targets before and after it on the same indicator."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Goal, Indicator, ProgressUpdate

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def figure(as_of, value, **extra):
    return ProgressUpdate.objects.create(
        as_of=as_of,
        value=Decimal(value),
        evidence_url="https://example.com/report",
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        **extra,
    )


@pytest.fixture
def gdp_growth():
    indicator = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速", name_en="GDP growth")
    goals = {}
    for year, target, comparator in ((2024, "5.5", ">="), (2025, "5.5", "~"), (2026, "5", ">=")):
        goals[year] = GoalFactory(
            slug=f"gdp-growth-{year}",
            title=f"地区生产总值增长{target}%（{year}）",
            title_en=f"GDP growth of {target}% ({year})",
            indicator=indicator,
            metric="地区生产总值增长",
            kind=Goal.Kind.GROWTH_RATE,
            comparator=comparator,
            target_value=Decimal(target),
            unit="%",
            period_start=D(year, 1, 1),
            deadline=D(year, 12, 31),
        )
    GoalFactory(
        slug="gdp-growth-2027-pending",
        title="待审核的2027年目标",
        indicator=indicator,
        review_state=Goal.ReviewState.PENDING,
        deadline=D(2027, 12, 31),
    )
    figure(
        D(2024, 12, 31),
        "5.5",
        indicator=indicator,
        period_start=D(2024, 1, 1),
        unit="%",
        is_estimate=True,
        quote="预计增长5.5%左右",
    )
    figure(
        D(2025, 9, 30), "5.4", indicator=indicator, period_start=D(2025, 1, 1), unit="%", quote="同比增长5.4%"
    )
    figure(D(2026, 6, 30), "4.8", goal=goals[2026], is_sample=True)
    return indicator, goals


def test_the_indicator_page_reads_2024_to_2026_as_one_story(client, gdp_growth):
    response = client.get("/indicators/gdp-growth/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = dict(re.findall(r'<tr id="year-(\d{4})"[^>]*>(.*?)</tr>', html, re.S))
    assert list(rows) == ["2024", "2025", "2026"]
    assert "地区生产总值增长5.5%（2024）" in rows["2024"] and "预计数" in rows["2024"]
    assert "5.4%" in text_of(rows["2025"]) and "2025年1–9月" in text_of(rows["2025"])
    assert "≥ 5 %" in text_of(rows["2026"]) and "示例数据" in rows["2026"]
    assert "待审核" not in html
    chart = re.search(r'<script id="indicator-data" type="application/json">(.*?)</script>', html, re.S)[1]
    assert '"years": ["2024", "2025", "2026"]' in chart and '"targets": [5.5, 5.5, 5.0]' in chart


def test_in_english_the_targets_read_as_english(client, gdp_growth):
    html = text_of(client.get("/en/indicators/gdp-growth/").content.decode())
    assert "GDP growth" in html and "5% or more" in html and "Estimate" in html and "Jan–Sep 2025" in html


def test_an_indicator_without_published_goals_is_not_found(client):
    Indicator.objects.create(slug="empty", name="空指标")
    assert client.get("/indicators/empty/").status_code == 404
    assert client.get("/indicators/no-such-indicator/").status_code == 404


def test_a_goal_links_to_the_targets_before_and_after_it_and_shows_the_indicators_figures(client, gdp_growth):
    html = client.get("/goals/gdp-growth-2025/").content.decode()
    series = re.search(r'data-testid="goal-series">(.*?)</nav>', html, re.S)[1]
    assert 'href="/goals/gdp-growth-2024/"' in series and 'href="/goals/gdp-growth-2026/"' in series
    assert 'href="/indicators/gdp-growth/"' in html
    assert "同比增长5.4%" in html  # the figure reported for the indicator serves this goal
    assert "预计增长5.5%左右" not in html  # the 2024 figure does not


def test_the_goal_list_says_targets_in_english_with_english_magnitudes(client, gdp_growth):
    GoalFactory(
        slug="software-2024",
        title="软件营业收入5700亿元",
        title_en="Software revenue (2024)",
        kind=Goal.Kind.LEVEL,
        target_value=Decimal("5700"),
        unit="亿元",
    )
    html = text_of(client.get("/en/goals/?year=").content.decode())  # every year, not only those in force
    assert "570 billion yuan or more" in html and "5% or more" in html
    assert "亿元" not in html


def test_the_indicator_list_names_each_indicator_with_published_goals(client, gdp_growth):
    Indicator.objects.create(slug="pending-only", name="只有待审核目标的指标")
    GoalFactory(indicator=Indicator.objects.get(slug="pending-only"), review_state=Goal.ReviewState.PENDING)

    page = text_of(client.get("/indicators/").content.decode())

    assert "地区生产总值增速" in page and "3 个已发布目标" in page and "2024–2026" in page
    assert "只有待审核目标的指标" not in page
    english = text_of(client.get("/en/indicators/").content.decode())
    assert "All indicators" in english and "GDP growth" in english and "3 published goals" in english


def test_the_indicator_list_is_by_name_in_each_language(client, gdp_growth):
    for slug, name, name_en in (("a", "按A", "Zebra crossings"), ("b", "按B", "Apprenticeships")):
        GoalFactory(indicator=Indicator.objects.create(slug=slug, name=name, name_en=name_en))

    def listed(url):
        html = client.get(url).content.decode()
        return text_of(html[html.index('data-testid="indicator-list"') :])

    chinese, english = listed("/indicators/"), listed("/en/indicators/")

    assert chinese.index("按A") < chinese.index("按B")
    assert english.index("Apprenticeships") < english.index("GDP growth") < english.index("Zebra crossings")


def test_the_indicator_list_says_so_when_there_is_none(client):
    page = text_of(client.get("/indicators/").content.decode())
    assert "还没有指标" in page


def test_the_navigation_and_the_indicator_page_lead_to_the_list(client, gdp_growth):
    html = client.get("/indicators/gdp-growth/").content.decode()
    assert 'href="/indicators/"' in html
    assert 'href="/indicators/" aria-current="page"' in client.get("/indicators/").content.decode()
