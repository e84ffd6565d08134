"""What a recorder or reviewer needs beside a figure: the goal's unit, target, baseline, last approved
figure and the value expected on the figure's date (序时进度, recomputed by the status rules for that
date), and for a figure under review the change from the previous one and its share of the target.
Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services.evaluation import goal_expected_on
from apps.goals.units import amount_display, amount_text


@dataclass(frozen=True)
class EntryFacts:
    goal: Goal
    unit: str
    target: str
    baseline: str
    expected: str  # the value a figure dated expected_on is held to (序时进度), or "—"
    expected_on: date
    previous: ProgressUpdate | None  # the last approved figure before this one
    previous_value: str
    value: str  # the figure itself, in the goal's unit; "" on an empty form
    change: str  # this figure less the previous one, signed; "" without both
    share_of_target: str  # this figure as a share of the target, "" when it means nothing


def expected_display(*, goal: Goal, on: date) -> str:
    """序时进度 for a figure of `goal` dated `on`, in the goal's unit, or "—" where there is none."""
    expected = goal_expected_on(goal=goal, on=on)
    # Shown as every computed amount is (units.amount_display): 1470 亿元, not the stored 1470.1613.
    return amount_text(expected, goal.unit, computed=True)


def entry_facts(*, goal: Goal, update: ProgressUpdate | None = None, on: date | None = None) -> EntryFacts:
    """`on` is the date being entered; else the figure's own date; else today."""
    on = on or (update.as_of if update is not None and update.as_of else None) or timezone.localdate()
    previous_figures = ProgressUpdate.objects.approved().filter(goal=goal, value__isnull=False)
    if update is not None and update.pk:
        previous_figures = previous_figures.exclude(pk=update.pk)
        if update.as_of:
            previous_figures = previous_figures.filter(as_of__lte=update.as_of)
    previous = previous_figures.order_by("-as_of", "-pk").first()
    value = update.value if update is not None else None
    change = share = ""
    if value is not None and previous is not None:
        delta = value - previous.value
        change = ("+" if delta > 0 else "") + amount_text(delta, goal.unit)
    # A level's share of its target only beside a baseline: without one no percentage is shown.
    known_baseline = goal.baseline_value is not None or goal.progress_facts.baseline is not None
    paced = goal.kind == Goal.Kind.INCREMENT or (goal.kind == Goal.Kind.LEVEL and known_baseline)
    if value is not None and goal.target_value and paced:
        share = f"{amount_display(value / goal.target_value * 100, percent=True)}%"
    return EntryFacts(
        goal=goal,
        unit=goal.unit or "—",
        target=goal.target_display(),
        baseline=amount_text(goal.baseline_value, goal.unit)
        + (
            f"（{goal.baseline_date:%Y-%m-%d}）"
            if goal.baseline_date and goal.baseline_value is not None
            else ""
        ),
        expected=expected_display(goal=goal, on=on),
        expected_on=on,
        previous=previous,
        previous_value=amount_text(previous.value, goal.unit) if previous else "—",
        value=amount_text(value, goal.unit, missing=""),
        change=change,
        share_of_target=share,
    )
