"""A level goal's baseline: stated in the document, else the indicator's last real figure in the year up
to the period start, else a staff entry with evidence; recorded with where it came from."""

import datetime
from decimal import Decimal

import pytest

from apps.goals.models import BaselineSource, Goal, Indicator, ProgressUpdate
from apps.goals.services.baselines import (
    SeriesFigure,
    baseline_choose,
    goal_baseline_resolve,
    goals_baselines_fill,
)

from ..factories import GoalFactory

D = datetime.date
START = D(2026, 1, 1)
END_2025 = SeriesFigure(pk=7, as_of=D(2025, 12, 31), value=Decimal("8"))
MID_2025 = SeriesFigure(pk=3, as_of=D(2025, 6, 30), value=Decimal("6"))
END_2024 = SeriesFigure(pk=2, as_of=D(2024, 12, 31), value=Decimal("5"))
IN_PERIOD = SeriesFigure(pk=9, as_of=D(2026, 3, 31), value=Decimal("9"))


def choose(series=(), value=None, date=None, source="", evidence=""):
    return baseline_choose(
        period_start=START,
        stored_value=value,
        stored_date=date,
        stored_source=source,
        stored_evidence=evidence,
        series=list(series),
    )


@pytest.mark.parametrize(
    "stored, series, expected",
    [
        # The document's own words come first.
        (
            dict(value=Decimal("15"), date=D(2020, 12, 31), source="document", evidence="从15%提高到56%"),
            [END_2025],
            (Decimal("15"), D(2020, 12, 31), "document", None),
        ),
        # Then the last figure of the indicator at or before the start, in the year up to it.
        ({}, [MID_2025, END_2025, IN_PERIOD], (Decimal("8"), D(2025, 12, 31), "indicator", 7)),
        ({}, [MID_2025], (Decimal("6"), D(2025, 6, 30), "indicator", 3)),
        # ...over a staff entry.
        (
            dict(value=Decimal("7"), date=D(2025, 12, 31), source="staff", evidence="统计月报第3页"),
            [END_2025],
            (Decimal("8"), D(2025, 12, 31), "indicator", 7),
        ),
        # A staff entry with evidence where the series has nothing.
        (
            dict(value=Decimal("7"), date=D(2025, 12, 31), source="staff", evidence="统计月报第3页"),
            [IN_PERIOD, END_2024],
            (Decimal("7"), D(2025, 12, 31), "staff", None),
        ),
        # Nothing else is a baseline: a figure older than a year, one inside the period, a staff entry
        # without evidence, a value whose source was never recorded.
        ({}, [END_2024, IN_PERIOD], None),
        (dict(value=Decimal("7"), source="staff", evidence=" "), [], None),
        (dict(value=Decimal("7")), [], None),
    ],
)
def test_the_baseline_is_taken_in_order_from_the_document_the_series_and_staff(stored, series, expected):
    found = choose(series, **stored)
    assert (None if found is None else (found.value, found.date, found.source, found.figure_id)) == expected


@pytest.mark.django_db
def test_a_level_goal_takes_its_indicators_last_real_figure_before_its_period_and_records_it():
    indicator = Indicator.objects.create(slug="ai-core-industry", name="人工智能核心产业规模")
    goal = GoalFactory(
        kind=Goal.Kind.LEVEL,
        indicator=indicator,
        unit="亿元",
        target_value=Decimal("800"),
        period_start=START,
        deadline=D(2026, 12, 31),
    )
    increment = GoalFactory(indicator=indicator, unit="亿元", period_start=START, deadline=D(2026, 12, 31))

    def figure(as_of, value, **fields):
        return ProgressUpdate.objects.create(
            goal=None,
            indicator=indicator,
            as_of=as_of,
            value=Decimal(value),
            unit=fields.pop("unit", "亿元"),
            review_state="approved",
            reviewed_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
            **fields,
        )

    figure(D(2025, 6, 30), "400")
    end_2025 = figure(D(2025, 12, 31), "0.042", unit="万亿元", quote="全年达到420亿元")
    figure(D(2025, 12, 31), "500", is_sample=True)  # a sample is never a baseline
    repeated = figure(D(2025, 12, 31), "430")
    repeated.superseded_by = end_2025  # nor a figure another superseded
    repeated.save()

    assert goals_baselines_fill() == 1
    goal.refresh_from_db()
    assert (goal.baseline_value, goal.baseline_date, goal.baseline_source, goal.baseline_figure) == (
        Decimal("420"),
        D(2025, 12, 31),
        BaselineSource.INDICATOR,
        end_2025,
    )
    assert Goal.objects.get(pk=increment.pk).baseline_source == ""  # an increment counts from 0
    assert goals_baselines_fill() == 0  # safe to run twice
    assert goal_baseline_resolve(goal=goal).figure_id == end_2025.pk


@pytest.mark.django_db
def test_a_goal_whose_series_has_nothing_keeps_what_it_has():
    goal = GoalFactory(kind=Goal.Kind.LEVEL, baseline_value=Decimal("33"), baseline_date=D(2024, 3, 31))
    assert goals_baselines_fill() == 0
    goal.refresh_from_db()
    assert (goal.baseline_value, goal.baseline_source) == (Decimal("33"), "")
