"""A goal's status spans (apps/goals/spans.py) against judging every day afresh, over generated goals
of every kind (hypothesis): the spans must say, for each day, what the rules say on that day."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.goals import spans
from apps.goals.models import EARLIEST_AS_OF
from apps.goals.verdicts import Computed, GoalRow

from .test_status_properties import goals

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
