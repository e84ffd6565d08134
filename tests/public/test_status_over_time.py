"""The dashboard's status-over-time view replays the status history quarter by quarter."""

import datetime

import pytest
import time_machine

from apps.goals.models import Goal, StatusChange
from apps.public.selectors import status_over_time

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def change(goal, day, to_status, from_status=""):
    StatusChange.objects.create(
        goal=goal, evaluated_on=day, from_status=from_status, to_status=to_status, rule_version="1"
    )


def test_counts_follow_each_goals_latest_status_at_each_quarter_end():
    first, second = GoalFactory(), GoalFactory()
    hidden = GoalFactory(review_state=Goal.ReviewState.PENDING)
    change(first, D(2024, 3, 31), "on_track")
    change(second, D(2024, 3, 31), "not_started")
    change(first, D(2024, 6, 30), "at_risk", "on_track")
    change(second, D(2024, 9, 30), "on_track", "not_started")
    change(first, D(2025, 3, 31), "missed", "at_risk")
    change(hidden, D(2024, 3, 31), "off_track")  # unpublished: never counted

    snapshots = status_over_time(D(2025, 5, 1))

    assert [(s.day, s.counts) for s in snapshots] == [
        (D(2024, 3, 31), {"on_track": 1, "not_started": 1}),
        (D(2024, 6, 30), {"at_risk": 1, "not_started": 1}),
        (D(2024, 9, 30), {"at_risk": 1, "on_track": 1}),
        (D(2024, 12, 31), {"at_risk": 1, "on_track": 1}),
        (D(2025, 3, 31), {"missed": 1, "on_track": 1}),
        (D(2025, 5, 1), {"missed": 1, "on_track": 1}),
    ]


def test_only_the_last_quarters_are_kept():
    goal = GoalFactory()
    change(goal, D(2020, 3, 31), "on_track")
    snapshots = status_over_time(D(2026, 11, 22), quarters=4)
    assert [s.day for s in snapshots] == [
        D(2025, 12, 31),
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 9, 30),
        D(2026, 11, 22),
    ]


@time_machine.travel("2025-05-01 10:00 +0800")
def test_dashboard_shows_the_table_of_statuses_over_time(client):
    goal = GoalFactory()
    change(goal, D(2024, 3, 31), "on_track")
    change(goal, D(2025, 3, 31), "missed", "on_track")
    html = client.get("/").content.decode()
    table = html[html.index('data-testid="status-over-time"') :]
    table = table[: table.index("</table>")]
    assert "进度正常" in table and "未达成" in table
    assert table.count("<tr>") == 1 + 6  # header and five quarter ends plus today


def test_no_history_means_no_section(client):
    GoalFactory()
    assert 'data-testid="status-over-time"' not in client.get("/").content.decode()


@time_machine.travel("2025-05-01 10:00 +0800")
def test_the_section_reads_in_english_too(client):
    goal = GoalFactory()
    change(goal, D(2024, 3, 31), "on_track")
    html = client.get("/en/").content.decode()
    assert "Status over time" in html and "On track" in html


@time_machine.travel("2025-05-01 10:00 +0800")
@pytest.mark.parametrize(("prefix", "label"), [("", "2024年3月31日"), ("/en", "March 31, 2024")])
def test_the_charts_dates_read_as_the_pages_dates_do(client, prefix, label):
    import json
    import re

    goal = GoalFactory()
    change(goal, D(2024, 3, 31), "on_track")
    html = client.get(f"{prefix}/").content.decode()
    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["over_time"]["day_labels"][0] == label
    assert data["over_time"]["days"][0] == "2024-03-31"  # the machine-readable day stays


@time_machine.travel("2025-05-01 10:00 +0800")
def test_the_dashboards_point_for_today_counts_the_goals_own_statuses():
    from apps.public.selectors import dashboard

    in_force = {"period_start": D(2024, 1, 1), "deadline": D(2025, 12, 31)}
    judged = GoalFactory(status="missed", status_evaluated_on=D(2025, 5, 1), **in_force)
    change(judged, D(2024, 3, 31), "on_track")
    change(judged, D(2025, 4, 30), "missed", "on_track")
    GoalFactory(
        status="not_started", status_evaluated_on=None, **in_force
    )  # never judged: no history to count

    context = dashboard()

    today = context["status_over_time"][-1]
    assert (today.day, today.counts) == (D(2025, 5, 1), {"missed": 1})
    assert context["status_over_time"][0].counts == {"on_track": 1}


@time_machine.travel("2025-05-01 10:00 +0800")
def test_a_past_days_point_counts_the_statuses_the_page_shows_for_it():
    from decimal import Decimal

    from apps.goals.models import ProgressUpdate
    from apps.public.selectors import DashboardView, dashboard

    from ..factories import ProgressUpdateFactory

    goal = GoalFactory()  # 新建5G基站7000个 in 2024
    ProgressUpdateFactory(goal=goal, as_of=D(2024, 6, 30), value=Decimal("3600"), approved=True)
    change(goal, D(2024, 3, 31), "not_started")
    change(goal, D(2024, 7, 15), "at_risk", "not_started")  # as judged then, by older rules
    assert ProgressUpdate.objects.approved().count() == 1

    context = dashboard(DashboardView(day=D(2024, 7, 15), as_of=True))

    shown = {row["status"]: row["count"] for row in context["status_counts"]}
    point = context["status_over_time"][-1]
    assert (point.day, point.counts) == (D(2024, 7, 15), shown) and shown == {"on_track": 1}
    assert context["status_over_time"][0].counts == {"not_started": 1}  # the quarters, as recorded
