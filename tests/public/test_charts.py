"""The chart numbers of apps/public/charts.py: the expected line starts at the baseline the goal's
verdict used (Goal.progress_facts, as the status rules found it that day), and status colours come
from apps/goals/status.py."""

import datetime
from decimal import Decimal

import pytest

from apps.goals.models import GoalKind
from apps.goals.status import STATUS_COLOURS, Observation, evaluate
from apps.public.charts import over_time, trajectory
from apps.public.selectors import StatusSnapshot

from ..factories import GoalFactory

D = datetime.date
TODAY = D(2024, 7, 15)


def level_goal():
    """2,000 by the end of 2025, from a baseline not stated."""
    return GoalFactory.build(
        kind=GoalKind.LEVEL,
        target_value=Decimal("2000"),
        baseline_value=None,
        period_start=D(2024, 1, 1),
        deadline=D(2025, 12, 31),
    )


def line(figures, today):
    """The expected line of the level goal judged on `today` from `figures`, its verdict stored."""
    goal = level_goal()
    verdict = evaluate(
        kind=goal.kind,
        comparator=goal.comparator,
        target=goal.target_value,
        target_max=None,
        baseline=None,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=figures,
        today=today,
    )
    goal.status_baseline, goal.expected_value = verdict.baseline, verdict.expected_value
    return trajectory(goal)


def figure(as_of, value, *, published_on=None, is_sample=False):
    return Observation(
        as_of=as_of, value=Decimal(value), is_final=True, published_on=published_on, is_sample=is_sample
    )


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_the_expected_line_starts_at_the_baseline_known_that_day():
    end_2023 = figure(D(2023, 12, 31), "800")
    points = line([end_2023], TODAY)
    assert (points[0], points[-1]) == (["2023-12-31", 800.0], ["2025-12-31", 2000.0])


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_the_expected_line_passes_through_the_status_rules_value_at_every_month_end():
    """序时进度 runs in calendar months (status.expected_value): a point at each month end, so the line
    a chart draws between them is the rule's, and a quarter of two years is exactly 300 of 1,200 up."""
    points = line([figure(D(2023, 12, 31), "800")], TODAY)
    assert [day for day, _ in points[1:-1]][:3] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    assert len(points) == 2 + 23  # the start, 23 month ends before the deadline's, the deadline
    assert dict(points)["2024-06-30"] == 1100.0  # a quarter of the way from 800 to 2000
    assert dict(points)["2024-12-31"] == 1400.0


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_a_sample_baseline_gives_way_to_a_real_figure():
    sample = figure(D(2024, 1, 1), "900", is_sample=True)
    real = figure(D(2023, 12, 31), "800")
    assert line([real, sample], TODAY)[0] == ["2023-12-31", 800.0]
    assert line([sample], TODAY)[0] == ["2023-12-31", 900.0]  # only samples, in force: a sample


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_a_baseline_published_later_is_not_known_yet():
    published_later = figure(D(2023, 12, 31), "800", published_on=D(2024, 8, 1))
    assert line([published_later], TODAY) is None
    assert line([published_later], D(2024, 8, 1))[0] == ["2023-12-31", 800.0]


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_no_line_where_the_verdict_has_no_expected_value():
    # A baseline given but no verdict yet, or no baseline at all: no line the text does not state.
    assert trajectory(GoalFactory.build(kind=GoalKind.LEVEL, target_value=Decimal("2000"))) is None
    assert line([figure(D(2024, 3, 31), "900")], TODAY) is None


def test_status_colours_in_the_charts_are_those_of_the_status_rules():
    snapshots = [StatusSnapshot(day=TODAY, counts={"on_track": 2, "at_risk": 1})]
    series = over_time(snapshots, "en")["series"]
    assert {s["status"]: s["colour"] for s in series} == {
        "at_risk": STATUS_COLOURS["at_risk"],
        "on_track": STATUS_COLOURS["on_track"],
    }
