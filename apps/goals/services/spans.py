"""Keeping each goal's status spans (StatusSpan; what they are: apps.goals.spans) true to its inputs
and approved figures, so that the ?as_of= pages read a past day's statuses instead of judging every
goal afresh.

- An evaluation of one goal (after an approval, a revision, a publication: goal_evaluate) rebuilds
  that goal's spans through the day judged, in its transaction. Until it has run, the goal is marked
  as owed an evaluation and readers judge it afresh (selectors.statuses_judged_on).
- The daily evaluation extends every goal's open span by the day judged, or closes it and opens one
  with the new status; a goal whose spans end before yesterday or were judged on other inputs
  (spans.inputs_key) is rebuilt from its figures, which the run has read anyway. Goals without spans
  by the current rules (spans.rules_key: after deploying, or a change of the thresholds) are left to
  `manage.py rebuild_status_spans`; until it has run, readers judge them afresh.
- A merge rebuilds the goal kept, a publication the goals published, a demo load every goal, each in
  its own transaction. `manage.py rebuild_status_spans` rebuilds all goals, GOALS_PER_CHUNK at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q

from .. import status
from ..models import Goal, StatusSpan
from ..selectors import observations_by_goal, trackable
from ..spans import ONE_DAY, inputs_key, rules_key, status_spans
from ..verdicts import COMPUTED_FIELDS, READ_FIELDS, Computed, GoalRow

# Goals read, judged and written per transaction when many goals' spans are rebuilt: bounded memory
# (their figures are read at once) and few round trips.
GOALS_PER_CHUNK = 500


def spanned_goals():
    """The goals that have spans: those the daily evaluation judges (rejected goals are not)."""
    return Goal.objects.exclude(review_state=Goal.ReviewState.REJECTED).filter(trackable())


def goal_spans(
    goal: GoalRow, observations: Sequence[status.Observation], *, through: date
) -> list[StatusSpan]:
    """The goal's spans through `through`, as unsaved rows; none where the rules cannot judge it."""
    try:
        found = status_spans(goal, observations, through=through)
    except ValueError:
        return []
    key, inputs = rules_key(), inputs_key(goal)
    last = len(found) - 1
    return [
        StatusSpan(
            goal_id=goal.pk,
            from_day=span.from_day,
            to_day=None if index == last else span.last_day + ONE_DAY,
            through=through if index == last else None,
            status=span.status,
            rule_version=key,
            inputs=inputs,
        )
        for index, span in enumerate(found)
    ]


def goals_spans_write(
    judged: Iterable[tuple[GoalRow, Sequence[status.Observation]]], *, through: date
) -> int:
    """Replace the spans of these goals (each with all its approved figures) by spans through
    `through`, in the caller's transaction. Returns the number of spans written."""
    judged = list(judged)
    rows = [span for goal, observations in judged for span in goal_spans(goal, observations, through=through)]
    ids = [goal.pk for goal, _ in judged]
    for start in range(0, len(ids), GOALS_PER_CHUNK):
        StatusSpan.objects.filter(goal_id__in=ids[start : start + GOALS_PER_CHUNK]).delete()
    StatusSpan.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def goals_spans_rebuild(*, goal_ids: Iterable[int], through: date) -> int:
    """Rebuild these goals' spans from their inputs and approved figures through `through`, in the
    caller's transaction (a merge, a publication); goals without spans (rejected, untrackable) lose
    any they had. Reads GOALS_PER_CHUNK goals and their figures at a time."""
    goal_ids = sorted(set(goal_ids))
    written = 0
    with transaction.atomic():
        for start in range(0, len(goal_ids), GOALS_PER_CHUNK):
            chunk = goal_ids[start : start + GOALS_PER_CHUNK]
            StatusSpan.objects.filter(goal_id__in=chunk).delete()
            rows = [
                GoalRow.from_values(v) for v in spanned_goals().filter(pk__in=chunk).values_list(*READ_FIELDS)
            ]
            figures = observations_by_goal([row.pk for row in rows])
            written += goals_spans_write(((row, figures.get(row.pk, [])) for row in rows), through=through)
    return written


def spans_rebuild_all(*, through: date, progress=None) -> int:
    """Rebuild every goal's spans through `through`, GOALS_PER_CHUNK goals per transaction (memory
    stays bounded whatever the number of goals); spans of goals no longer spanned are deleted.
    `progress(done, total)` is called after each chunk. Returns the number of spans written."""
    StatusSpan.objects.exclude(goal__in=spanned_goals()).delete()
    ids = list(spanned_goals().order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), GOALS_PER_CHUNK):
        written += goals_spans_rebuild(goal_ids=ids[start : start + GOALS_PER_CHUNK], through=through)
        if progress is not None:
            progress(min(start + GOALS_PER_CHUNK, len(ids)), len(ids))
    return written


# --- The daily evaluation -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenSpan:
    status: str
    through: date
    rule_version: str
    inputs: str


def open_spans() -> dict[int, OpenSpan]:
    """Every goal's open span (one query), read by the daily evaluation before it judges."""
    rows = StatusSpan.objects.filter(to_day__isnull=True).values_list(
        "goal_id", "status", "through", "rule_version", "inputs"
    )
    return {goal_id: OpenSpan(*values) for goal_id, *values in rows.iterator(chunk_size=10_000)}


@dataclass
class DaySpans:
    """What a day's evaluation does to the spans of the goals it judged: extend the open span by the
    day, turn to a new status that day, or rebuild the goal's spans."""

    today: date
    extend: list[int] = field(default_factory=list)
    turn: dict[str, list[int]] = field(default_factory=dict)
    rebuild: list[tuple[GoalRow, Sequence[status.Observation], Computed]] = field(default_factory=list)

    def add(
        self,
        goal: GoalRow,
        observations: Sequence[status.Observation],
        verdict: Computed,
        open_span: OpenSpan | None,
        key: str,
    ) -> None:
        """Plan the spans of `goal`, judged `verdict` today (its open span as read before judging). A goal
        without spans by these rules is left to rebuild_status_spans (readers judge it afresh
        meanwhile): building them costs a few hundred judgements per goal, too much for the daily run
        after a deployment or a change of the thresholds."""
        if open_span is None or open_span.rule_version != key:
            return
        current = open_span.inputs == inputs_key(goal)
        if current and open_span.through == self.today - ONE_DAY:
            if open_span.status == verdict.status:
                self.extend.append(goal.pk)
            else:
                self.turn.setdefault(verdict.status, []).append(goal.pk)
        elif not (current and open_span.through >= self.today and open_span.status == verdict.status):
            self.rebuild.append((goal, observations, verdict))

    def __len__(self) -> int:
        return len(self.extend) + sum(map(len, self.turn.values())) + len(self.rebuild)


def day_spans_write(plan: DaySpans) -> None:
    """Write what `plan` says, in the caller's transaction (the batch's). Each step acts only where
    the spans and the goal are still as read: a goal judged meanwhile by its own evaluation (after an
    approval) has had its spans rebuilt by it, and is left so."""
    today, yesterday = plan.today, plan.today - ONE_DAY
    open_through_yesterday = Q(to_day__isnull=True, through=yesterday)
    for chunk in _chunks(plan.extend):
        StatusSpan.objects.filter(open_through_yesterday, goal_id__in=chunk).update(through=today)
    for new_status, goal_ids in plan.turn.items():
        for chunk in _chunks(goal_ids):
            StatusSpan.objects.filter(open_through_yesterday, goal_id__in=chunk).exclude(
                status=new_status
            ).update(to_day=today, through=None)
            still_open = set(
                StatusSpan.objects.filter(goal_id__in=chunk, to_day__isnull=True).values_list(
                    "goal_id", flat=True
                )
            )
            closed_today = set(
                StatusSpan.objects.filter(goal_id__in=chunk, to_day=today).values_list("goal_id", flat=True)
            )
            key = rules_key()
            inputs = dict(
                StatusSpan.objects.filter(goal_id__in=chunk, to_day=today).values_list("goal_id", "inputs")
            )
            StatusSpan.objects.bulk_create(
                [
                    StatusSpan(
                        goal_id=goal_id,
                        from_day=today,
                        through=today,
                        status=new_status,
                        rule_version=key,
                        inputs=inputs[goal_id],
                    )
                    for goal_id in closed_today - still_open
                ]
            )
    if plan.rebuild:
        # Only goals whose stored verdict is still this run's: locked until the batch commits.
        ids = [goal.pk for goal, _, _ in plan.rebuild]
        stored = {}
        for chunk in _chunks(ids):
            rows = Goal.objects.select_for_update().filter(pk__in=chunk).values_list("pk", *COMPUTED_FIELDS)
            stored.update({pk: Computed(*values) for pk, *values in rows})
        goals_spans_write(
            (
                (goal, observations)
                for goal, observations, verdict in plan.rebuild
                if stored.get(goal.pk) == verdict
            ),
            through=today,
        )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), GOALS_PER_CHUNK):
        yield ids[start : start + GOALS_PER_CHUNK]
