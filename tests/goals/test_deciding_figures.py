"""A past day's statuses judged from the few figures that decide them say what a judgement from every
figure known that day says, for every kind of goal, and cost a fixed number of queries."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.goals.models import Goal, Indicator, ProgressUpdate
from apps.goals.selectors import goals_judged_on, statuses_judged_afresh

from ..factories import GoalFactory, ProgressUpdateFactory

D = datetime.date
KINDS = ["level", "increment", "growth_rate", "reduction", "cap", "milestone"]
UNITS = ["个", "万个", "亿个", "亿元", ""]  # 亿元 counts something else: never read in 个


def random_goals(rng, count, indicator):
    goals = []
    for n in range(count):
        kind = rng.choice(KINDS)
        start = D(2024, 1, 1) + datetime.timedelta(days=rng.choice([0, 0, 90, 181]))
        deadline = start + datetime.timedelta(days=rng.choice([180, 364, 729]))
        numeric = kind != "milestone"
        goals.append(
            GoalFactory(
                kind=kind,
                comparator=rng.choice([">=", ">", "<=", "~"]),
                target_value=Decimal(rng.choice(["50", "100", "7.5"])) if numeric else None,
                baseline_value=Decimal(rng.choice(["10", "60"])) if numeric and rng.random() < 0.4 else None,
                unit=rng.choice(["个", "万个"]) if kind in ("level", "increment") else "%",
                period_start=start,
                deadline=deadline,
                indicator=indicator if numeric and rng.random() < 0.3 else None,
                milestone_done_on=deadline - datetime.timedelta(days=30) if n % 2 and not numeric else None,
                stale_after_days=rng.choice([None, 60]),
            )
        )
    return goals


def random_figure(rng, day, **fields):
    return dict(
        as_of=day,
        value=Decimal(rng.randrange(0, 1300)) / 10,
        is_final=rng.random() < 0.3,
        published_on=rng.choice([None, day + datetime.timedelta(days=rng.randrange(1, 120))]),
        is_sample=rng.random() < 0.1,
        **fields,
    )


def random_figures(rng, goals, indicator):
    for goal in goals:
        offsets = {rng.randrange(-200, 900) for _ in range(rng.randrange(12))}
        days = sorted(goal.period_start + datetime.timedelta(days=offset) for offset in offsets)
        if rng.random() < 0.15:  # only samples: judged by them while no real figure is known
            days, samples = days[:3], True
        else:
            samples = None
        for day in days:
            figure = random_figure(rng, day)
            if samples is not None:
                figure["is_sample"] = samples
            state = rng.choice(["approved"] * 5 + ["draft", "submitted"])
            ProgressUpdateFactory(goal=goal, review_state=state, reviewed_at=timezone.now(), **figure)
    for _ in range(25):  # the indicator's own series, in assorted units, some with a period
        day = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        first = rng.choice([None, day - datetime.timedelta(days=rng.randrange(400))])
        ProgressUpdate.objects.create(
            indicator=indicator,
            period_start=first,
            unit=rng.choice(UNITS),
            evidence_url="https://example.com/report",
            review_state=ProgressUpdate.ReviewState.APPROVED,
            reviewed_at=timezone.now(),
            **random_figure(rng, day),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_statuses_from_the_deciding_figures_are_those_judged_from_every_figure(seed):
    rng = random.Random(seed)
    indicator = Indicator.objects.create(slug="stations", name="5G基站")
    goals = random_goals(rng, 60, indicator)
    random_figures(rng, goals, indicator)
    scope = Goal.objects.filter(pk__in=[g.pk for g in goals[:50]])
    days = [D(2023, 12, 31), D(2024, 6, 30), D(2024, 9, 1), D(2025, 1, 1), D(2025, 7, 15), D(2026, 5, 2)]
    days += [D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900)) for _ in range(8)]

    for day in days:
        judged = goals_judged_on(goals=scope, day=day)
        assert statuses_judged_afresh(goals=scope, day=day) == {pk: c.status for pk, c in judged.items()}, day


def level(**fields):
    return GoalFactory(
        kind=Goal.Kind.LEVEL,
        target_value=Decimal("100"),
        period_start=D(2024, 1, 1),
        deadline=D(2024, 12, 31),
        stale_after_days=365,
        **fields,
    )


def figure(goal, day, value, **fields):
    return ProgressUpdateFactory(goal=goal, as_of=day, value=Decimal(value), approved=True, **fields)


@pytest.mark.django_db
def test_a_level_is_judged_from_the_figure_before_its_start_and_its_latest():
    goal = level()
    figure(goal, D(2023, 6, 30), "10")
    figure(goal, D(2023, 12, 31), "40")  # the baseline: the last figure at the start
    figure(goal, D(2024, 3, 31), "30")
    figure(goal, D(2024, 6, 30), "75")  # past half way from 40, at the half-year mark

    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 7, 1)) == {goal.pk: "on_track"}
    # On 1 May the June figure was not known: 30 is behind a line from 40.
    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 5, 1)) == {goal.pk: "off_track"}


@pytest.mark.django_db
def test_a_figure_dated_on_the_start_day_is_the_baseline():
    goal = level()
    figure(goal, D(2023, 12, 31), "0")
    figure(goal, D(2024, 1, 1), "50")  # the start day: the baseline
    figure(goal, D(2024, 6, 30), "60")

    # From 50, 60 is a fifth of the way at the half-year mark (from 0 it would be more than half).
    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 7, 1)) == {goal.pk: "off_track"}


@pytest.mark.django_db
def test_a_figure_published_later_is_not_known_before_it_is_published():
    goal = level(baseline_value=Decimal("0"))
    figure(goal, D(2024, 3, 31), "30")
    figure(goal, D(2024, 6, 30), "10", published_on=D(2024, 8, 20))

    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 8, 1)) == {goal.pk: "on_track"}
    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 8, 20)) == {goal.pk: "off_track"}


@pytest.mark.django_db
def test_a_real_figure_anywhere_puts_the_samples_aside():
    goal = level(baseline_value=Decimal("0"))
    figure(goal, D(2024, 3, 31), "30", is_sample=True)
    figure(goal, D(2024, 6, 30), "60", is_sample=True)

    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 4, 15)) == {goal.pk: "on_track"}
    figure(goal, D(2024, 4, 30), "1")  # the first real figure, far behind
    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 7, 1)) == {goal.pk: "off_track"}


@pytest.mark.django_db
def test_the_figure_closing_the_period_decides_whatever_follows_it():
    goal = level(baseline_value=Decimal("0"))
    figure(goal, D(2024, 12, 31), "100", is_final=True)
    figure(goal, D(2025, 3, 31), "20", is_final=True)  # a later period's figure

    assert statuses_judged_afresh(goals=Goal.objects.all(), day=D(2025, 6, 1)) == {goal.pk: "achieved"}


@pytest.mark.django_db
def test_the_cost_is_a_fixed_number_of_queries_whatever_the_figures(django_assert_max_num_queries):
    indicator = Indicator.objects.create(slug="stations", name="5G基站")
    goals = [level(baseline_value=Decimal("0"), indicator=indicator if n == 1 else None) for n in range(3)]
    for goal in goals:
        for month in range(1, 13):
            figure(goal, D(2024, month, 28), str(month * 9))

    with django_assert_max_num_queries(4):  # the goals, their deciding figures, the indicator's twice
        statuses = statuses_judged_afresh(goals=Goal.objects.all(), day=D(2024, 11, 1))

    assert statuses == {goal.pk: "on_track" for goal in goals}
