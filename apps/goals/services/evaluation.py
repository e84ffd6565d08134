"""Judging one goal and storing its verdict: after an approval (its task, or the sweep of goals owed
an evaluation), a status-change row only when its status changes. The rules themselves are pure
(apps.goals.status); every goal at once is the daily run (apps.goals.services.daily_evaluation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import status
from ..models import Goal, StatusChange
from ..selectors import observations_by_goal
from ..verdicts import READ_FIELDS, GoalRow, changed_at, computed, history_from, judge
from .broker import task_start
from .quarters import quarters_history_written
from .spans import goals_spans_write

# The task that judges one goal (apps.goals.tasks), started by name: tasks call services, not back.
EVALUATE_GOAL_TASK = "apps.goals.tasks.evaluate_goal"


def goal_expected_on(*, goal: Goal, on: date, today: date | None = None) -> Decimal | None:
    """The value a figure of `goal` dated `on` is held to (序时进度 for a level or increment, the
    target for a rate), from the goal's approved figures as the evaluation reads them. A read only."""
    return status.expected_on(
        kind=goal.kind,
        target=goal.target_value,
        baseline=goal.baseline_value,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=observations_by_goal([goal.pk]).get(goal.pk, []),
        on=on,
        today=timezone.localdate() if today is None else today,
    )


def goal_evaluate(*, goal_id: int, today: date) -> status.Evaluation:
    """Judge one goal on `today` from its approved figures and store the result; record a status
    change only when the status changes. The goal's row is locked meanwhile, so two evaluations of
    one goal run one after the other and the second sees what the first wrote."""
    with transaction.atomic():
        values = Goal.objects.select_for_update().filter(pk=goal_id).values_list(*READ_FIELDS).first()
        if values is None:
            raise Goal.DoesNotExist(f"goal {goal_id} does not exist")
        goal = GoalRow.from_values(values)
        observations = observations_by_goal([goal_id]).get(goal_id, [])
        evaluation = judge(goal, observations, today)
        fields = computed(evaluation, today)
        if fields != goal.stored:
            Goal.objects.filter(pk=goal_id).update(**fields._asdict())
        # Owed evaluations are paid: an approval committing after this one waits on the row lock
        # and marks the goal again.
        Goal.objects.filter(pk=goal_id, evaluation_requested_at__isnull=False).update(
            evaluation_requested_at=None
        )
        from_status = history_from(goal, evaluation)
        if from_status is not None:
            # The unique constraint (goal, day, from, to) is the last guard against a duplicate row.
            change = StatusChange.from_verdict(
                goal_id=goal_id, from_status=from_status, verdict=fields, changed_at=changed_at(today)
            )
            StatusChange.objects.bulk_create([change], ignore_conflicts=True)
            quarters_history_written(goal_ids=[goal_id], since=today)
        # Whatever made the goal owed a judgement (a figure, a revision) may have moved its status on
        # past days too: its spans are judged afresh from the same figures.
        goals_spans_write([(goal, observations)], through=today)
    return evaluation


def goal_evaluate_after_commit(*, goal_id: int) -> None:
    """The goal is owed a new judgement (a figure of it was approved or corrected): mark it so in the
    current transaction, and once that commits ask a worker to judge it now. If the broker is down or
    hangs, the approval still succeeds at once: the mark stays, and the sweep (goals_evaluate_requested,
    every minute) judges the goal."""
    Goal.objects.filter(pk=goal_id).update(evaluation_requested_at=timezone.now())
    transaction.on_commit(lambda: task_start(EVALUATE_GOAL_TASK, goal_id))


def figure_goals_evaluate_after_commit(*, figure) -> None:
    """An approved figure was approved, corrected or deleted: its goal is owed a judgement (and, for a
    figure reported for an indicator, every goal on that indicator, which it may serve)."""
    if figure.goal_id is not None:
        goal_evaluate_after_commit(goal_id=figure.goal_id)
        return
    for goal_id in Goal.objects.filter(indicator_id=figure.indicator_id).values_list("pk", flat=True):
        goal_evaluate_after_commit(goal_id=goal_id)


def goals_evaluate_requested(*, today: date) -> int:
    """Judge every goal marked as owed an evaluation (approvals whose task was lost or never sent);
    returns how many. Safe twice and beside the per-goal task: each judgement locks its goal."""
    judged = 0
    for goal_id in (
        Goal.objects.filter(evaluation_requested_at__isnull=False)
        .order_by("evaluation_requested_at")
        .values_list("pk", flat=True)
    ):
        try:
            goal_evaluate(goal_id=goal_id, today=today)
        except Goal.DoesNotExist:
            continue
        judged += 1
    return judged
