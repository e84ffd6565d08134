"""A goal's status spans (apps/goals/spans.py) against judging every day afresh, over generated goals
of every kind (hypothesis): the spans must say, for each day, what the rules say on that day."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.goals import spans, status
from apps.goals.models import EARLIEST_AS_OF, Goal, Indicator, ProgressUpdate
from apps.goals.selectors import statuses_judged_afresh, statuses_judged_on
from apps.goals.services.daily_evaluation import goals_evaluate_all
from apps.goals.services.evaluation import figure_goals_evaluate_after_commit, goal_evaluate
from apps.goals.services.goal_review import goals_merge
from apps.goals.verdicts import Computed, GoalRow

from ..factories import GoalFactory, ProgressUpdateFactory
from .test_status_properties import FIRST_DAY, goals

NOTHING_STORED = Computed(*([None] * len(Computed._fields)))


def goal_row(goal: dict, stale_after_days: int | None) -> GoalRow:
    return GoalRow(
        pk=1,
        kind=goal["kind"],
        comparator=goal["comparator"],
        target_value=goal["target"],
        target_max=goal["target_max"],
        baseline_value=goal["baseline"],
        period_start=goal["start"],
        deadline=goal["deadline"],
        unit=goal["unit"],
        milestone_done_on=goal["milestone_done_on"],
        at_risk_band=None,
        tolerance=None,
        stale_after_days=stale_after_days,
        stored=NOTHING_STORED,
    )


def status_from_spans(found: list[spans.Span], day: datetime.date) -> str | None:
    return next((span.status for span in found if span.from_day <= day <= span.last_day), None)


@settings(max_examples=300, deadline=None, database=None)
@given(goals(), st.one_of(st.none(), st.integers(0, 200)))
def test_spans_say_what_judging_each_day_says(goal, stale_after_days):
    row = goal_row(goal, stale_after_days)
    through = goal["deadline"] + datetime.timedelta(days=420)
    found = spans.status_spans(row, goal["observations"], through=through)
    # Contiguous from the earliest day a page may ask for up to `through`, never two alike in a row.
    assert found[0].from_day == EARLIEST_AS_OF and found[-1].last_day == through
    for before, after in zip(found, found[1:], strict=False):
        assert before.last_day + spans.ONE_DAY == after.from_day
        assert before.status != after.status
    first = goal["start"] - datetime.timedelta(days=90)
    days = [first + datetime.timedelta(days=n) for n in range((through - first).days + 1)]
    days += [EARLIEST_AS_OF, datetime.date(2010, 5, 17)]
    replayed = spans.status_by_day(row, goal["observations"], days)
    assert [status_from_spans(found, day) for day in days] == replayed


# --- Through the database: the spans the evaluation keeps, read by the ?as_of= pages --------------


def _at_noon(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        tick=False,
    )


def _stored_goal(goal: dict) -> Goal:
    stored = GoalFactory(
        kind=goal["kind"],
        comparator=goal["comparator"],
        target_value=goal["target"],
        target_max=goal["target_max"],
        baseline_value=goal["baseline"],
        period_start=goal["start"],
        deadline=goal["deadline"],
        unit=goal["unit"],
        milestone_done_on=goal["milestone_done_on"],
    )
    for figure in {figure.as_of: figure for figure in goal["observations"]}.values():  # one per date
        _approved(stored, figure)
    return stored


def _approved(goal: Goal, figure: status.Observation) -> ProgressUpdate:
    return ProgressUpdateFactory(
        goal=goal,
        as_of=figure.as_of,
        value=figure.value,
        is_final=figure.is_final and not figure.is_sample,
        published_on=figure.published_on,
        is_sample=figure.is_sample,
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )


def assert_spans_agree_with_a_full_replay(days) -> None:
    """On each day, the statuses read from the spans (one query: no goal judged afresh) are those
    judged afresh from the figures known then (the computation the spans replace)."""
    goals = Goal.objects.all()
    for day in days:
        with CaptureQueriesContext(connection) as queries:
            from_spans = statuses_judged_on(goals=goals, day=day)
        assert from_spans == statuses_judged_afresh(goals=goals, day=day), day
        assert len(queries) == 1, f"{day}: judged afresh, not read from the spans"


@pytest.mark.django_db
@settings(
    max_examples=25,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(goals(), min_size=1, max_size=3),
    late=goals(),
    first_run=st.integers(0, 500),
    runs=st.integers(2, 4),
    asked=st.lists(st.integers(0, 1500), min_size=12, max_size=12),
)
def test_the_spans_the_evaluation_keeps_agree_with_a_full_replay(history, late, first_run, runs, asked):
    """Random goals and figures, judged as they would be: each goal after its figures' approval, then
    the daily runs of a few days, a figure approved on one of them (its goal judged at once) and a
    target changed by hand on another (no judgement asked: the daily run must notice)."""
    with transaction.atomic():
        stored = [_stored_goal(goal) for goal in history]
        today = FIRST_DAY + datetime.timedelta(days=first_run)
        with _at_noon(today):
            for goal in stored:
                goal_evaluate(goal_id=goal.pk, today=today)
        for run in range(1, runs + 1):
            day = today + datetime.timedelta(days=run)
            with _at_noon(day):
                taken = set(ProgressUpdate.objects.filter(goal=stored[0]).values_list("as_of", flat=True))
                if run == 1 and late["observations"] and late["observations"][-1].as_of not in taken:
                    _approved(stored[0], late["observations"][-1])
                    goal_evaluate(goal_id=stored[0].pk, today=day)
                if run == 2 and stored[-1].kind != status.Kind.MILESTONE:
                    Goal.objects.filter(pk=stored[-1].pk).update(
                        target_value=stored[-1].target_value * 10 + 1000, target_max=None
                    )
                goals_evaluate_all(today=day)
        last = today + datetime.timedelta(days=runs)
        days = [FIRST_DAY - datetime.timedelta(days=400) + datetime.timedelta(days=n) for n in asked]
        assert_spans_agree_with_a_full_replay([day for day in days if day <= last] + [last])
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_merge_rebuilds_the_spans_of_the_goal_kept_from_the_figures_it_gained():
    keep, absorb = GoalFactory(target_value=Decimal(1000)), GoalFactory(target_value=Decimal(1000))
    for day, value in ((datetime.date(2024, 3, 31), 400), (datetime.date(2024, 6, 30), 900)):
        _approved(absorb, status.Observation(as_of=day, value=Decimal(value), is_final=False))
    with _at_noon(datetime.date(2024, 8, 1)):
        for goal in (keep, absorb):
            goal_evaluate(goal_id=goal.pk, today=timezone.localdate())
        goals_merge(keep=keep, absorb=absorb)
    # Without its spans rebuilt, the goal kept would still stand as it did with no figure at all.
    assert_spans_agree_with_a_full_replay(
        [datetime.date(2024, m, 15) for m in range(1, 8)] + [datetime.date(2024, 8, 1)]
    )


@pytest.mark.django_db
def test_an_indicators_figure_approved_sends_its_goals_to_be_judged_afresh():
    indicator = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速")
    goal = GoalFactory(indicator=indicator, kind=Goal.Kind.GROWTH_RATE, target_value=Decimal(5), unit="%")
    day = datetime.date(2024, 7, 31)
    with _at_noon(datetime.date(2024, 8, 1)):
        goal_evaluate(goal_id=goal.pk, today=timezone.localdate())
        before = statuses_judged_on(goals=Goal.objects.all(), day=day)
        # Approved for the indicator, not for one goal (what progress_update_approve then calls).
        figure = ProgressUpdate.objects.create(
            indicator=indicator,
            as_of=datetime.date(2024, 6, 30),
            value=Decimal("1.5"),
            unit="%",
            evidence_url="https://example.com/report",
            review_state=ProgressUpdate.ReviewState.APPROVED,
            reviewed_at=timezone.now(),
        )
        figure_goals_evaluate_after_commit(figure=figure)
        after = statuses_judged_on(goals=Goal.objects.all(), day=day)
        assert after == statuses_judged_afresh(goals=Goal.objects.all(), day=day) != before
        goal_evaluate(goal_id=goal.pk, today=timezone.localdate())  # what the task then does
    assert_spans_agree_with_a_full_replay([day])
