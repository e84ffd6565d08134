"""The goal list (views.goal_list, filters.GoalFilter's year, tables.SORT_CHOICES) opens on the goals in
force today, with every other year one click away, and has a sort control that works without the
column headers (hidden on phones) and without JavaScript."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs

import pytest
import time_machine

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def goals():
    return {
        "done-2024": GoalFactory(slug="done-2024", period_start=D(2024, 1, 1), deadline=D(2024, 12, 31)),
        "this-year": GoalFactory(slug="this-year", period_start=D(2026, 1, 1), deadline=D(2026, 12, 31)),
        "plan-2030": GoalFactory(slug="plan-2030", period_start=D(2026, 1, 1), deadline=D(2030, 12, 31)),
        "plan-2025": GoalFactory(slug="plan-2025", period_start=D(2021, 1, 1), deadline=D(2025, 12, 31)),
    }


def listed(client, url):
    return re.findall(r'<a href="/goals/([a-z0-9-]+)/">', client.get(url).content.decode().split("<table")[1])


def year_links(client, url):
    nav = re.search(r'data-testid="year-links">(.*?)</nav>', client.get(url).content.decode(), re.S)[1]
    return re.findall(r'<a href="\?([^"]*)"( aria-current="page")?>([^<]+)</a>', nav)


def test_the_list_opens_on_the_goals_in_force_with_the_other_years_one_click_away(client, goals):
    assert set(listed(client, "/goals/")) == {"this-year", "plan-2030"}
    links = year_links(client, "/goals/")
    assert [(label, bool(current)) for _, current, label in links] == [
        ("当前在期", True),
        ("2024", False),
        ("2025", False),
        ("2026", False),
        ("2030", False),
        ("全部年份", False),
    ]
    by_label = {label: query.replace("&amp;", "&") for query, _, label in links}
    assert listed(client, f"/goals/?{by_label['2024']}") == ["done-2024"]
    assert set(listed(client, f"/goals/?{by_label['全部年份']}")) == set(goals)
    # The other filters are kept when switching years.
    query = year_links(client, "/goals/?q=abc&status=on_track")[1][0].replace("&amp;", "&")
    assert parse_qs(query, keep_blank_values=True) == {
        "q": ["abc"],
        "status": ["on_track"],
        "year": ["2024"],
        "place": ["jinan"],  # opened without a place: the city's, as the home page counts them
    }


def test_downloads_take_the_query_as_given(client, goals):
    rows = list(csv.DictReader(io.StringIO(client.get("/goals/?_export=csv").getvalue().decode("utf-8-sig"))))
    assert {row["slug"] for row in rows} == set(goals)  # every goal, as the footer's link promises
    page = client.get("/goals/").content.decode()
    # The page's download is what it shows: the city's goals in force.
    assert 'href="?place=jinan&amp;year=current&amp;_export=csv"' in page


def test_with_nothing_in_force_the_list_shows_every_goal(client, goals):
    for slug in ("this-year", "plan-2030"):
        goals[slug].delete()
    assert set(listed(client, "/goals/")) == {"done-2024", "plan-2025"}
    current = [label for _, is_current, label in year_links(client, "/goals/") if is_current]
    assert current == ["全部年份"]


def test_the_sort_control_orders_the_list_and_keeps_a_headers_sort(client, goals):
    page = client.get("/goals/?year=").content.decode()
    select = re.search(r'<select name="sort" id="id_sort"[^>]*>(.*?)</select>', page, re.S)[1]
    assert 'value="-deadline"' in select and 'value="status"' in select
    assert 'for="id_sort"' in page  # labelled
    assert listed(client, "/goals/?year=&sort=-deadline") == [
        "plan-2030",
        "this-year",
        "plan-2025",
        "done-2024",
    ]
    assert listed(client, "/goals/?year=&sort=deadline") == [
        "done-2024",
        "plan-2025",
        "this-year",
        "plan-2030",
    ]
    chosen = client.get("/goals/?year=&sort=-deadline").content.decode()
    assert '<option value="-deadline" selected>' in chosen
    by_header = client.get("/goals/?year=&sort=-category").content.decode()
    assert '<option value="-category" selected>' in by_header
    english = client.get("/en/goals/").content.decode()
    assert '<label for="id_sort">Sort</label>' in english and "Deadline, latest first" in english
