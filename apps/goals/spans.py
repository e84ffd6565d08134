"""A goal's status on every past day, as runs of days with one status (spans): what the ?as_of= pages
read instead of judging every goal afresh. Plain values only: a span is a verdict of the rules
(verdicts.judge) on each of its days, from the figures known on that day, by today's rules and the
goal's inputs as they are now; the table is kept by apps.goals.services.spans.

Within a run of days on which the same figures are known, the rules move a goal's status one way only
(not started, then on track, at risk, off track or stale as time passes; awaiting data after the
deadline, then a verdict once the grace period ends): a status once left does not come back until a
figure becomes known. So the days are split where a figure becomes known (and at the period's start,
end and end of grace), and each run of days is judged at its ends and halved only where they differ:
a goal is judged a few hundred times, not on every day since 2000 (tests/goals/test_spans.py checks
this against judging every day)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings

from . import status
from .models import EARLIEST_AS_OF
from .verdicts import INPUT_FIELDS, GoalRow, goal_thresholds, judge

ONE_DAY = timedelta(days=1)


class Span(NamedTuple):
    """A goal's status from `from_day` to `last_day`, both included."""

    from_day: date
    last_day: date
    status: str


def rules_key() -> str:
    """What the spans were judged by beyond a goal's own inputs: the rules' version and the
    project-wide thresholds from settings. Spans with another key are not read."""
    thresholds = (settings.GOAL_AT_RISK_BAND, settings.GOAL_GROWTH_TOLERANCE, settings.GOAL_STALE_AFTER_DAYS)
    digest = hashlib.blake2b(repr(thresholds).encode(), digest_size=4).hexdigest()
    return f"{status.RULE_VERSION}:{digest}"


def inputs_key(goal: GoalRow) -> str:
    """A digest of the goal's inputs (kind, target, dates, thresholds…): spans judged on other inputs
    are rebuilt by the daily evaluation."""
    inputs = tuple(getattr(goal, name) for name in INPUT_FIELDS if name != "pk")
    return hashlib.blake2b(repr(inputs).encode(), digest_size=8).hexdigest()


def status_spans(goal: GoalRow, observations: Sequence[status.Observation], *, through: date) -> list[Span]:
    """The goal's status on every day from EARLIEST_AS_OF to `through`, as spans, oldest first: on each
    day what judge(goal, observations, day) says. Raises ValueError where the rules cannot judge."""
    first = EARLIEST_AS_OF
    if through < first:
        return []
    grace = timedelta(days=goal_thresholds(goal).awaiting_data_grace_days)
    # Days from which something the rules read may differ: a figure becomes known, the period starts,
    # ends, its grace period ends, a milestone is done.
    turns = {max(o.as_of, o.published_on or o.as_of) for o in observations} | {
        goal.period_start,
        goal.deadline + ONE_DAY,
        goal.deadline + grace + ONE_DAY,
    }
    if goal.milestone_done_on is not None:
        turns.add(goal.milestone_done_on)
    starts = sorted({first, *(day for day in turns if first < day <= through)})
    judged: dict[date, str] = {}

    def on(day: date) -> str:
        if day not in judged:
            judged[day] = str(judge(goal, observations, day).status)
        return judged[day]

    spans: list[Span] = []

    def add(from_day: date, last_day: date, status_then: str) -> None:
        if spans and spans[-1].status == status_then and spans[-1].last_day + ONE_DAY == from_day:
            spans[-1] = spans[-1]._replace(last_day=last_day)
        else:
            spans.append(Span(from_day, last_day, status_then))

    def fill(low: date, high: date) -> None:
        # Iterative halving (a stack, not recursion): the left half first, so spans come in order.
        pending = [(low, high)]
        while pending:
            low, high = pending.pop()
            if on(low) == on(high):
                add(low, high, on(low))
            elif (high - low).days == 1:
                add(low, low, on(low))
                add(high, high, on(high))
            else:
                middle = low + timedelta(days=(high - low).days // 2)
                pending.append((middle + ONE_DAY, high))
                pending.append((low, middle))

    for index, start in enumerate(starts):
        end = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else through
        fill(start, end)
    return spans


def status_by_day(
    goal: GoalRow, observations: Sequence[status.Observation], days: Sequence[date]
) -> list[str]:
    """Each day's status judged afresh: the full replay the spans must agree with (tests, checks)."""
    return [str(judge(goal, observations, day).status) for day in days]
