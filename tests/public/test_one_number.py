"""The seeded site (make seed's commands) says one number everywhere: for every published goal the
status text, key facts, bar, chart, entry form, API and export agree on 序时进度, the percentage and
the baseline, and no finished goal is decided on samples or on a figure for part of its period."""

import datetime
import glob
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.status import Status

from ..one_number import check_goal, export_rows

# The day the citizen looked at the site, Beijing time.
SEEN_ON = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.mark.django_db
def test_every_public_goal_of_the_seeded_site_says_one_number(client, time_machine):
    time_machine.move_to(SEEN_ON, tick=False)
    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    call_command("ingest_documents", *sorted(glob.glob("fixtures/documents/*.txt")), "--publish", verbosity=0)
    districts = sorted(glob.glob("fixtures/districts/documents/*.txt"))
    call_command("ingest_documents", *districts, "--publish", verbosity=0)
    call_command("curate_goals", verbosity=0)
    call_command("load_reported_figures", verbosity=0)
    call_command("load_demo_progress", verbosity=0)
    call_command("evaluate_goals", verbosity=0)
    assert ProgressUpdate.objects.filter(is_sample=True).exists(), "the demo's samples are in play"

    goals = list(Goal.objects.public().select_related("place").order_by("pk"))
    exported = export_rows(client)
    assert len(goals) > 100 and set(exported) == {goal.slug for goal in goals}
    problems = [problem for goal in goals for problem in check_goal(client, goal, exported[goal.slug])]
    assert problems == []

    today = timezone.localdate()
    by_status = Counter(goal.status for goal in goals)
    finished = [goal for goal in goals if goal.deadline < today]
    # The walk saw every kind of number: paced goals with a baseline, and levels without one.
    assert any(g.expected_value is not None and g.kind == Goal.Kind.LEVEL for g in goals)
    assert any(
        g.kind == Goal.Kind.LEVEL and g.status_baseline is None and g.latest_value is not None for g in goals
    )
    assert any(g.progress_percent is not None for g in goals)
    # Finished goals whose only figures are samples have no published figure, counted apart.
    assert by_status[Status.UNREPORTED] > 0
    assert not [g.slug for g in finished if g.is_sample]
    # The districts' goals are walked too, and the home dashboard is the city's alone.
    assert {g.place.slug for g in goals} >= {"jinan", "licheng", "shanghe", "laiwu"}
    goals = [g for g in goals if g.place.is_home]
    # The dashboard counts them apart, each status under its own name.
    year = max(g.deadline.year for g in goals if g.status == Status.UNREPORTED)
    page = client.get(f"/?year={year}").content.decode()
    counts = page[
        page.index('data-testid="status-counts"') : page.index("</ul>", page.index("status-counts"))
    ]
    of_year = Counter(g.status for g in goals if g.deadline.year == year)
    for name in (Status.UNREPORTED, Status.PERIOD_UNREPORTED):
        if of_year[name]:
            item = counts[counts.index(f"?status={name}") :]
            assert f'<span class="count">{of_year[name]}</span>' in item[: item.index("</li>")]
    assert "未公布数据" in counts
