"""The dashboard is about the targets in force: this year's and the multi-year plans running, with a
year switch for earlier years, and ?as_of= shows it (and any goal page) as it stood on a past day,
computed from what was known then, without writing anything."""

import datetime
import hashlib
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.goals.models import Citation, Goal, ProgressUpdate, StatusChange
from apps.goals.services.daily_evaluation import goals_evaluate_all

from ..factories import DocumentFactory, GoalFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def goal(slug, start, deadline, published_on=None, **extra):
    created = GoalFactory(
        slug=slug,
        title=f"目标{slug}",
        title_en=f"Goal {slug}",
        period_start=start,
        deadline=deadline,
        kind=Goal.Kind.GROWTH_RATE,
        target_value=Decimal("5"),
        unit="%",
        is_headline=True,
        **extra,
    )
    if published_on:
        text = f"{slug}：增长5%以上。"
        document = DocumentFactory(
            text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), published_on=published_on
        )
        Citation.objects.create(goal=created, document=document, start=0, end=len(slug), quote=slug)
    return created


def figure(target, as_of, value, published_on):
    return ProgressUpdate.objects.create(
        goal=target,
        as_of=as_of,
        value=Decimal(value),
        evidence_url="https://example.com/stats",
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        published_on=published_on,
    )


@pytest.fixture
def years():
    return {
        "2024": goal("gdp-2024", D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 11)),
        "2025": goal("gdp-2025", D(2025, 1, 1), D(2025, 12, 31), D(2025, 1, 13)),
        "2026": goal("gdp-2026", D(2026, 1, 1), D(2026, 12, 31), D(2026, 1, 19)),
        "plan": goal("digital-2027", D(2025, 11, 27), D(2027, 12, 31), D(2025, 12, 1)),
    }


def cards(html):
    return re.findall(r'data-testid="headline-card">.*?<a href="/goals/([^/]+)/', html, re.S)


def test_the_dashboard_opens_on_the_targets_in_force_today(client, years):
    html = client.get("/").content.decode()
    assert sorted(cards(html)) == ["digital-2027", "gdp-2026"]
    assert "正在执行的目标" in html
    assert 'href="/?year=2025"' in html and 'href="/?year=2024"' in html


def test_the_year_switch_shows_the_goals_due_that_year(client, years):
    html = client.get("/?year=2025").content.decode()
    assert cards(html) == ["gdp-2025"]
    assert "2025年到期的目标" in html


def test_upcoming_deadlines_are_those_of_the_selection(client, years):
    html = client.get("/").content.decode()
    upcoming = html[html.index('id="upcoming-heading"') :]
    upcoming = upcoming[: upcoming.index("</section>")]
    assert "/goals/gdp-2026/" in upcoming and "/goals/digital-2027/" in upcoming
    assert "/goals/gdp-2025/" not in upcoming


def test_as_of_shows_what_was_known_that_day_and_writes_nothing(client, years):
    target = years["2025"]
    figure(target, D(2025, 3, 31), "5.6", published_on=D(2025, 4, 20))
    figure(target, D(2025, 9, 30), "4.2", published_on=D(2025, 10, 25))
    goals_evaluate_all(today=D(2026, 11, 29))
    target.refresh_from_db()
    stored = (target.status, target.latest_value, target.updated_at)
    assert target.latest_value == Decimal("4.2")
    history = StatusChange.objects.count()

    with CaptureQueriesContext(connection) as queries:
        dashboard = client.get("/?as_of=2025-06-30").content.decode()
        page = client.get("/goals/gdp-2025/?as_of=2025-06-30").content.decode()

    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    target.refresh_from_db()
    assert (target.status, target.latest_value, target.updated_at) == stored
    assert StatusChange.objects.count() == history

    # On 2025-06-30 the 2026 targets were not yet set and the plan not yet issued; only Q1 was known.
    assert cards(dashboard) == ["gdp-2025"]
    assert 'href="/goals/gdp-2025/?as_of=2025-06-30"' in dashboard
    assert "2025年6月30日时的情况" in dashboard
    assert "5.6%" in page and "4.2%" not in page
    assert 'data-testid="as-of-notice"' in page
    assert "进度正常" in page  # 5.6% against ≥ 5% then; today it is off track


def test_a_malformed_or_future_as_of_is_ignored(client, years):
    for query in ("?as_of=yesterday", "?as_of=2030-01-01", "?as_of="):
        html = client.get(f"/{query}").content.decode()
        assert sorted(cards(html)) == ["digital-2027", "gdp-2026"]


def test_api_and_download_links_use_the_address_the_site_was_reached_at(client, years, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    answer = client.get("/api/goals.json?page_size=1", HTTP_HOST="127.0.0.1:8010").json()
    assert answer["results"][0]["url"].startswith("http://127.0.0.1:8010/goals/")
    assert answer["next"].startswith("http://127.0.0.1:8010/api/goals.json?")
    detail = client.get("/api/goals/gdp-2026.json", HTTP_HOST="127.0.0.1:8010").json()["goal"]
    assert detail["data_csv"] == "http://127.0.0.1:8010/goals/gdp-2026/data.csv"
    download = json.loads(client.get("/goals/?_export=json", HTTP_HOST="localhost:8010").getvalue())
    assert download["goals"][0]["url"].startswith("http://localhost:8010/goals/")
