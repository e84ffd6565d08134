"""Properties of the status rules over generated goals of every kind and comparator (hypothesis): one
definition of 序时进度, the percentage and the baseline (status.progress_facts) behind every verdict and
every surface; no pace for a level without a baseline; a finished goal decided on real figures
covering its period only. The first tests are pure; the last stores each goal, judges it and reads
it back through the page, chart, entry form, API and export (tests/one_number.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.goals import status
from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services.evaluation import goal_evaluate
from apps.goals.units import amount_rounded
from apps.goals.wording import explain
from apps.public.caching import local_pages

from ..factories import GoalFactory, ProgressUpdateFactory
from ..one_number import check_goal, export_rows

KINDS = [kind.value for kind in status.Kind]
COMPARATORS = [comparator.value for comparator in status.Comparator]
FIRST_DAY = datetime.date(2023, 1, 1)


def _amount(low: int, high: int):
    """Whole numbers and halves: the figures goals are written in."""
    return st.integers(low * 2, high * 2).map(lambda halves: Decimal(halves) / 2)


@st.composite
def goals(draw):
    """A goal's inputs, its figures (real or sample, final or not, published late or not) and the day
    it is judged on: before, during or long after its period."""
    kind = draw(st.sampled_from(KINDS))
    start = FIRST_DAY + datetime.timedelta(days=draw(st.integers(0, 400)))
    deadline = start + datetime.timedelta(days=draw(st.integers(30, 800)))
    numeric = kind != status.Kind.MILESTONE
    target = draw(_amount(1, 1000)) if numeric else None
    target_max = None
    if numeric and draw(st.booleans()) and draw(st.booleans()):
        target_max = target + draw(_amount(1, 100))
    figures = []
    for _ in range(draw(st.integers(0, 6))):
        as_of = start + datetime.timedelta(days=draw(st.integers(-60, (deadline - start).days + 60)))
        late = draw(st.one_of(st.none(), st.integers(0, 120)))
        figures.append(
            status.Observation(
                as_of=as_of,
                value=draw(_amount(0, 1500)),
                is_final=draw(st.booleans()),
                published_on=None if late is None else as_of + datetime.timedelta(days=late),
                is_sample=draw(st.integers(0, 3)) == 0,
            )
        )
    figures.sort(key=lambda figure: figure.as_of)
    today = start + datetime.timedelta(days=draw(st.integers(-30, (deadline - start).days + 400)))
    return {
        "kind": kind,
        "comparator": draw(st.sampled_from(COMPARATORS)),
        "target": target,
        "target_max": target_max,
        "baseline": draw(st.one_of(st.none(), _amount(0, 1500))) if numeric else None,
        "start": start,
        "deadline": deadline,
        "observations": figures,
        "today": today,
        "unit": "%" if kind in ("growth_rate", "reduction", "cap") else "个",
        "milestone_done_on": deadline if kind == status.Kind.MILESTONE and draw(st.booleans()) else None,
    }


@settings(max_examples=600, deadline=None, database=None)
@given(goals())
def test_every_verdict_carries_the_numbers_of_progress_facts(goal):
    evaluation = status.evaluate(**goal)
    progress = evaluation.progress
    latest = evaluation.latest
    again = status.progress_facts(
        kind=goal["kind"],
        comparator=goal["comparator"],
        target=goal["target"],
        baseline=evaluation.baseline,
        baseline_as_of=evaluation.baseline_as_of,
        start=goal["start"],
        deadline=goal["deadline"],
        on=latest.as_of if latest else goal["today"],
        latest_value=None if latest is None else latest.value,
    )
    if goal["kind"] == status.Kind.MILESTONE:
        assert (progress.expected_value, progress.progress_percent) == (None, None)
        return
    assert (progress.expected_value, progress.progress_percent) == (
        again.expected_value,
        again.progress_percent,
    )
    if goal["kind"] in (status.Kind.LEVEL, status.Kind.INCREMENT):
        assert progress == again
    # No pace without a baseline: no expected value, no percentage, no number "expected" in the text.
    said = explain(evaluation).zh
    if goal["kind"] == status.Kind.LEVEL and evaluation.baseline is None:
        assert (progress.expected_value, progress.progress_percent) == (None, None)
        assert "应达到" not in said
    if goal["kind"] in (status.Kind.LEVEL, status.Kind.INCREMENT) and progress.expected_value is not None:
        assert evaluation.baseline is not None
    for number in re.findall(r"(?:应达到|应完成)(-?[\d,]+(?:\.\d+)?)", said):
        # Rounded half up, as every surface rounds it (units.amount_rounded: 29.605 → 29.6).
        assert Decimal(number.replace(",", "")) == amount_rounded(progress.expected_value, computed=True)
    # The percentage is (latest − baseline) / (target − baseline).
    if progress.progress_percent is not None and latest is not None:
        span = goal["target"] - evaluation.baseline
        if span:
            share = (latest.value - evaluation.baseline) / span * 100
            assert abs(share - progress.progress_percent) <= 1


@settings(max_examples=600, deadline=None, database=None)
@given(goals())
def test_a_finished_goal_is_decided_on_real_figures_covering_its_period(goal):
    evaluation = status.evaluate(**goal)
    finished = goal["today"] > goal["deadline"]
    if finished:
        assert not evaluation.is_sample
    if finished and evaluation.status in (status.Status.ACHIEVED, status.Status.MISSED):
        assert evaluation.latest is not None and not evaluation.latest.is_sample
    if evaluation.status == status.Status.MISSED:
        latest = evaluation.latest
        assert latest is not None
        assert latest.as_of >= goal["deadline"] or evaluation.reason == status.Reason.CAP_EXCEEDED
    if evaluation.status == status.Status.PERIOD_UNREPORTED:
        assert evaluation.latest is not None and evaluation.latest.as_of < goal["deadline"]


@settings(max_examples=600, deadline=None, database=None)
@given(goals())
def test_the_entry_form_holds_a_real_figure_to_the_verdicts_expected_value(goal):
    # With no sample in play, a real figure dated like the latest is held to what the verdict expects.
    real = [figure for figure in goal["observations"] if not figure.is_sample]
    goal = {**goal, "observations": real}
    evaluation = status.evaluate(**goal)
    if goal["kind"] not in (status.Kind.LEVEL, status.Kind.INCREMENT):
        return
    held_to = status.expected_on(
        kind=goal["kind"],
        target=goal["target"],
        baseline=goal["baseline"],
        start=goal["start"],
        deadline=goal["deadline"],
        observations=real,
        on=evaluation.latest.as_of if evaluation.latest else goal["today"],
        today=goal["today"],
    )
    assert held_to == evaluation.expected_value


# --- Through the database and every surface -------------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(goal=goals())
@example(  # judged before its period starts: 序时进度 is the baseline, where the chart's line begins
    goal={
        "kind": status.Kind.LEVEL,
        "comparator": status.Comparator.AT_LEAST,
        "target": Decimal(100),
        "target_max": None,
        "baseline": Decimal(50),
        "start": datetime.date(2024, 1, 1),
        "deadline": datetime.date(2024, 12, 31),
        "observations": [],
        "today": datetime.date(2023, 12, 15),
        "unit": "个",
        "milestone_done_on": None,
    }
)
def test_every_surface_of_a_generated_goal_says_one_number(client, goal):
    if goal["kind"] == status.Kind.MILESTONE:
        goal = {**goal, "kind": status.Kind.LEVEL, "target": Decimal(100), "milestone_done_on": None}
    # Rolled back after each example: pages are cached by data version, which the rollback reuses.
    cache.clear()
    local_pages.clear()
    with transaction.atomic():
        stored = GoalFactory(
            kind=goal["kind"],
            comparator=goal["comparator"],
            target_value=goal["target"],
            target_max=goal["target_max"],
            baseline_value=goal["baseline"],
            period_start=goal["start"],
            deadline=goal["deadline"],
            unit=goal["unit"],
        )
        one_per_day = {figure.as_of: figure for figure in goal["observations"]}  # a goal's figure per date
        for figure in one_per_day.values():
            ProgressUpdateFactory(
                goal=stored,
                as_of=figure.as_of,
                value=figure.value,
                is_final=figure.is_final and not figure.is_sample,
                published_on=figure.published_on,
                is_sample=figure.is_sample,
                review_state=ProgressUpdate.ReviewState.APPROVED,
                reviewed_at=timezone.now(),
            )
        # Judged on its own day; the pages read the verdict stored, so they show that day's numbers.
        goal_evaluate(goal_id=stored.pk, today=goal["today"])
        stored = Goal.objects.get(pk=stored.pk)
        assert check_goal(client, stored, export_rows(client).get(stored.slug)) == []
        transaction.set_rollback(True)
