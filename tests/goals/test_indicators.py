"""One indicator across years: a figure reported once for an indicator and a period serves every goal on
that indicator whose period covers it, in the goal's unit, and no goal of another period."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Goal, Indicator, ProgressUpdate
from apps.goals.observations import period_covers
from apps.goals.services.daily_evaluation import goals_evaluate_all
from apps.goals.services.evaluation import goal_evaluate
from tests.factories import GoalFactory

D = datetime.date


@pytest.mark.parametrize(
    "goal_period, figure_period, covers",
    [
        ((D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 1, 1), D(2025, 9, 30)), True),
        ((D(2025, 1, 1), D(2025, 12, 31)), (None, D(2025, 9, 30)), True),
        ((D(2026, 1, 1), D(2026, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31)), False),
        ((D(2021, 1, 1), D(2025, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31)), True),
        ((D(2025, 1, 1), D(2025, 12, 31)), (D(2021, 1, 1), D(2025, 12, 31)), False),  # a five-year average
    ],
)
def test_a_goals_period_covers_a_figure_that_lies_within_it(goal_period, figure_period, covers):
    assert period_covers(*goal_period, *figure_period) is covers


def indicator_figure(indicator, as_of, value, unit="%", period_start=None, **extra):
    return ProgressUpdate.objects.create(
        indicator=indicator,
        period_start=period_start,
        as_of=as_of,
        value=Decimal(value),
        unit=unit,
        evidence_url="https://example.com/report",
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        **extra,
    )


def growth_goal(indicator, year, target="5"):
    return GoalFactory(
        indicator=indicator,
        metric="地区生产总值增长",
        kind=Goal.Kind.GROWTH_RATE,
        target_value=Decimal(target),
        unit="%",
        period_start=D(year, 1, 1),
        deadline=D(year, 12, 31),
    )


@pytest.mark.django_db
def test_a_figure_reported_once_serves_every_goal_of_its_period_and_no_other():
    gdp_growth = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速")
    goal_2025, twin_2025, goal_2026 = (
        growth_goal(gdp_growth, 2025, "5.5"),
        growth_goal(gdp_growth, 2025, "6"),
        growth_goal(gdp_growth, 2026),
    )
    figure = indicator_figure(gdp_growth, D(2025, 9, 30), "5.4", period_start=D(2025, 1, 1))

    goals_evaluate_all(today=D(2025, 11, 1))

    for goal in (goal_2025, twin_2025):
        goal.refresh_from_db()
        assert (goal.latest_value, goal.latest_as_of) == (Decimal("5.4"), D(2025, 9, 30))
    goal_2026.refresh_from_db()
    assert goal_2026.latest_value is None
    assert ProgressUpdate.objects.count() == 1  # recorded once, not copied per goal
    assert list(ProgressUpdate.objects.approved().serving(goal_2025)) == [figure]
    assert not ProgressUpdate.objects.approved().serving(goal_2026).exists()


@pytest.mark.django_db
def test_a_figure_in_another_magnitude_is_read_in_the_goals_unit():
    gdp = Indicator.objects.create(slug="gdp", name="地区生产总值")
    goal = GoalFactory(
        indicator=gdp,
        metric="地区生产总值",
        kind=Goal.Kind.LEVEL,
        target_value=Decimal("1.5"),
        unit="万亿元",
        period_start=D(2021, 1, 1),
        deadline=D(2025, 12, 31),
    )
    indicator_figure(gdp, D(2024, 12, 31), "13527.6", unit="亿元", period_start=D(2024, 1, 1), is_final=True)

    goal_evaluate(goal_id=goal.pk, today=D(2025, 3, 1))

    goal.refresh_from_db()
    assert goal.latest_value == Decimal("1.3528")
