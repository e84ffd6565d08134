"""Judging goals against their targets: one goal (after an approval), or all of them set-based for
the daily job. The rules themselves are pure (apps.goals.status); this module reads their inputs and
stores their verdicts, writing a status-change row only when a status changes."""

from __future__ import annotations

import gc
import logging
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .. import status, tasks
from ..models import Goal, ProgressUpdate, StatusChange
from ..querysets import Verdict, period_covers
from ..units import in_unit
from ..wording import explain
from .broker import task_start
from .deciding_figures import deciding_figures
from .quarters import quarters_history_written, quarters_record

logger = logging.getLogger(__name__)


# Goals written per transaction by the daily job: large enough that the per-batch round trips,
# commit and trigger runs cost little (five times fewer than at 1,000 cut the writes' time by a
# fifth), small enough that a goal waits at most a fraction of a second for its row lock.
WRITE_BATCH_SIZE = 5000


@dataclass
class EvaluationSummary:
    """What one run of the status evaluation did."""

    today: date
    evaluated: int = 0
    changed: int = 0  # goals whose stored status, figures or explanation were rewritten
    status_changes: int = 0  # history rows written
    skipped: int = 0  # goals the rules cannot judge (a numeric goal without a target)
    # Goals written by something else while this run judged them (their own evaluation after an
    # approval, the mark that one is owed): left as written, to be judged by that or by the catch-up.
    superseded: int = 0
    counts: Counter = field(default_factory=Counter)  # goals per status after the run

    dry_run: bool = False

    def lines(self) -> list[str]:
        """The run in words: goals per status, then what was written (or would be, on a dry run)."""
        lines = [f"Evaluated {self.evaluated} goals as of {self.today:%Y-%m-%d}:"]
        for name in status.Status:
            if self.counts[name]:
                label = status.bilingual_label(status.STATUS_LABELS[name])
                lines.append(f"  {self.counts[name]:>7}  {name:<14} {label}")
        written = f"{self.changed} goals updated, {self.status_changes} status changes recorded."
        if self.dry_run:
            written = (
                f"Dry run, nothing written: {self.changed} goals would be updated, "
                f"{self.status_changes} status changes recorded."
            )
        lines.append(written)
        if self.skipped:
            lines.append(f"{self.skipped} goals skipped: a numeric goal without a target cannot be judged.")
        if self.superseded:
            lines.append(f"{self.superseded} goals left as written by a concurrent evaluation or approval.")
        return lines

    def __str__(self):
        return "\n".join(self.lines())


def goal_thresholds(goal) -> status.Thresholds:
    """The goal's own thresholds where it has them, else the project-wide ones from settings."""
    return _thresholds(
        str(settings.GOAL_AT_RISK_BAND if goal.at_risk_band is None else goal.at_risk_band),
        str(settings.GOAL_GROWTH_TOLERANCE if goal.tolerance is None else goal.tolerance),
        settings.GOAL_STALE_AFTER_DAYS if goal.stale_after_days is None else goal.stale_after_days,
    )


# Most goals share the project-wide thresholds: one object for them all. Keyed by the decimals as
# written (10 and 10.00 are equal numbers but print differently).
@lru_cache(maxsize=1024)
def _thresholds(at_risk_band: str, growth_tolerance: str, stale_after_days: int) -> status.Thresholds:
    return status.Thresholds(
        at_risk_band=Decimal(at_risk_band),
        growth_tolerance=Decimal(growth_tolerance),
        stale_after_days=stale_after_days,
    )


class Computed(NamedTuple):
    """What the evaluation stores on a goal, by field name (Goal's computed fields)."""

    status: str
    status_evaluated_on: date | None
    status_rule_version: int | None
    expected_value: Decimal | None
    progress_percent: Decimal | None
    status_explanation_zh: str
    status_explanation_en: str
    forecast_date: date | None
    forecast_value: Decimal | None
    latest_value: Decimal | None
    latest_as_of: date | None
    latest_is_provisional: bool
    is_sample: bool


class _GoalRow(NamedTuple):
    """One goal as read for judging: its inputs, by name, the computed fields stored now, and the
    row's version as read (PostgreSQL's xmin: any write to the row changes it; None elsewhere)."""

    pk: int
    kind: str
    comparator: str
    target_value: Decimal | None
    target_max: Decimal | None
    baseline_value: Decimal | None
    period_start: date
    deadline: date
    unit: str
    milestone_done_on: date | None
    at_risk_band: Decimal | None
    tolerance: Decimal | None
    stale_after_days: int | None
    stored: Computed
    version: int | None = None

    @classmethod
    def from_values(cls, values: tuple) -> _GoalRow:
        """From a row of READ_FIELDS, plus the row version when the query read one."""
        inputs, stored = values[:_INPUTS], Computed._make(values[_INPUTS:_READ])
        return cls(*inputs, stored, values[_READ] if len(values) > _READ else None)

    @property
    def stored_status(self) -> str:
        return self.stored.status

    @property
    def ever_evaluated(self) -> bool:
        return self.stored.status_evaluated_on is not None


# What the evaluation reads from a goal: its inputs, then what it stored last time.
INPUT_FIELDS = _GoalRow._fields[: _GoalRow._fields.index("stored")]
READ_FIELDS = INPUT_FIELDS + Computed._fields
_INPUTS, _READ = len(INPUT_FIELDS), len(READ_FIELDS)


def _goal_rows(goals, on_start=None) -> list[_GoalRow]:
    """The goals as _GoalRow tuples, read in chunks; on PostgreSQL with their row versions, which
    the daily job's writes check (GoalQuerySet.write_verdicts). `on_start` is called once the query
    has run, and so has taken its snapshot."""
    if connection.vendor == "postgresql":
        version = RawSQL(f"{Goal._meta.db_table}.xmin::text::bigint", ())
        rows = goals.annotate(row_version=version).values_list(*READ_FIELDS, "row_version")
    else:
        rows = goals.values_list(*READ_FIELDS)
    values = rows.iterator(chunk_size=10_000)
    first = next(values, None)
    if on_start is not None:
        on_start()
    if first is None:
        return []
    return [_GoalRow.from_values(first), *(_GoalRow.from_values(row) for row in values)]


def _evaluable_goals():
    """Goals the rules can judge: milestones, and numeric goals with a target.
    Rejected goals are not tracked."""
    return Goal.objects.exclude(review_state=Goal.ReviewState.REJECTED).filter(
        Q(kind=Goal.Kind.MILESTONE) | Q(target_value__isnull=False)
    )


def _known_on(day: date | None) -> Q:
    """The figures known on `day` (status.Observation.known_on), the only ones the rules read; all
    when None."""
    if day is None:
        return Q()
    return Q(as_of__lte=day) & (Q(published_on__isnull=True) | Q(published_on__lte=day))


def _observations_by_goal(goals, known_on: date | None = None) -> dict[int, list[status.Observation]]:
    """Approved figures of the given goals (a queryset or ids), oldest first, in two queries: each
    goal's own, and those reported once for its indicator that fall within its period (in the goal's
    unit), so one published GDP growth figure serves every GDP growth goal of that year. With
    `known_on`, only the figures known on that day are read."""
    own = ProgressUpdate.objects.approved().filter(_known_on(known_on), value__isnull=False, goal__in=goals)
    return _with_served(_by_goal(own), goals, known_on)


def _by_goal(figures) -> defaultdict[int, list[status.Observation]]:
    """Goals' own figures (a ProgressUpdate queryset) as each goal's observations, oldest first."""
    rows = figures.order_by("goal_id", "as_of", "pk").values_list(
        "goal_id", "as_of", "value", "is_final", "published_on", "is_sample"
    )
    by_goal = defaultdict(list)
    for goal_id, as_of, value, is_final, published_on, is_sample in rows.iterator(chunk_size=10_000):
        by_goal[goal_id].append(
            status.Observation(
                as_of=as_of, value=value, is_final=is_final, published_on=published_on, is_sample=is_sample
            )
        )
    return by_goal


def _with_served(by_goal, goals, known_on: date | None):
    """Each goal's own figures (oldest first) with its indicator's that serve it put in among them, a
    date's own figures before its served ones."""
    served = indicator_observations(goals, known_on=known_on)
    for goal_id, observations in served.items():
        by_goal[goal_id] = sorted([*by_goal[goal_id], *observations], key=lambda o: o.as_of)
    return by_goal


def indicator_observations(goals, known_on: date | None = None) -> dict[int, list[status.Observation]]:
    """For each goal on an indicator, the indicator's reported figures within the goal's period (with
    `known_on`, those known on that day)."""
    goal_ids = goals.values("pk") if hasattr(goals, "values") else goals
    on_indicator = (
        Goal.objects.filter(pk__in=goal_ids, indicator__isnull=False)
        .order_by()
        .values_list("pk", "indicator_id", "period_start", "deadline", "unit")
    )
    goals_by_indicator = defaultdict(list)
    for pk, indicator_id, period_start, deadline, unit in on_indicator.iterator(chunk_size=10_000):
        goals_by_indicator[indicator_id].append((pk, period_start, deadline, unit))
    served = defaultdict(list)
    if not goals_by_indicator:
        return served
    figures = (
        ProgressUpdate.objects.approved()
        .filter(
            _known_on(known_on),
            goal__isnull=True,
            indicator__in=goals_by_indicator.keys(),
            value__isnull=False,
        )
        .order_by("as_of", "pk")
        .values_list(
            "indicator_id", "period_start", "as_of", "value", "unit", "is_final", "published_on", "is_sample"
        )
    )
    for indicator_id, first_day, as_of, value, unit, is_final, published_on, is_sample in figures:
        for pk, period_start, deadline, goal_unit in goals_by_indicator[indicator_id]:
            if not period_covers(period_start, deadline, first_day, as_of):
                continue
            in_goal_unit = in_unit(value, unit or goal_unit, goal_unit)
            if in_goal_unit is not None:
                served[pk].append(
                    status.Observation(
                        as_of=as_of,
                        value=in_goal_unit,
                        is_final=is_final,
                        published_on=published_on,
                        is_sample=is_sample,
                    )
                )
    return served


def goal_expected_on(*, goal: Goal, on: date, today: date | None = None) -> Decimal | None:
    """The value a figure of `goal` dated `on` is held to (序时进度 for a level or increment, the
    target for a rate), from the goal's approved figures as the evaluation reads them. A read only."""
    return status.expected_on(
        kind=goal.kind,
        target=goal.target_value,
        baseline=goal.baseline_value,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=_observations_by_goal([goal.pk]).get(goal.pk, []),
        on=on,
        today=timezone.localdate() if today is None else today,
    )


def _judge(goal: _GoalRow, observations: list[status.Observation], today: date) -> status.Evaluation:
    return status.evaluate(
        kind=goal.kind,
        comparator=goal.comparator,
        target=goal.target_value,
        target_max=goal.target_max,
        baseline=goal.baseline_value,
        start=goal.period_start,
        deadline=goal.deadline,
        observations=observations,
        today=today,
        thresholds=goal_thresholds(goal),
        unit=goal.unit,
        milestone_done_on=goal.milestone_done_on,
    )


def _computed(evaluation: status.Evaluation, today: date) -> Computed:
    latest = evaluation.latest
    explanation = explain(evaluation)
    return Computed(
        status=str(evaluation.status),
        status_evaluated_on=today,
        status_rule_version=evaluation.rule_version,
        expected_value=evaluation.expected_value,
        progress_percent=evaluation.progress_percent,
        status_explanation_zh=explanation.zh,
        status_explanation_en=explanation.en,
        forecast_date=evaluation.forecast_date,
        forecast_value=evaluation.forecast_value,
        latest_value=None if latest is None else latest.value,
        latest_as_of=None if latest is None else latest.as_of,
        latest_is_provisional=evaluation.provisional,
        is_sample=evaluation.is_sample,
    )


def _history_from(goal: _GoalRow, evaluation: status.Evaluation) -> str | None:
    """The from-status of the history row this verdict records, or None when the status holds. The
    first judgement of a goal starts its history, from no status at all."""
    if not _is_status_change(goal, evaluation):
        return None
    return goal.stored_status if goal.ever_evaluated else ""


def _changed_at(today: date) -> datetime:
    """When a change happened: now, or for an evaluation of a past day (evaluate_goals --date),
    the end of that day, so the history reads in the order things happened."""
    if today >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(23, 59)))


def _is_status_change(goal: _GoalRow, evaluation: status.Evaluation) -> bool:
    return not goal.ever_evaluated or goal.stored_status != evaluation.status


def goal_evaluate(*, goal_id: int, today: date) -> status.Evaluation:
    """Judge one goal on `today` from its approved figures and store the result; record a status
    change only when the status changes. The goal's row is locked meanwhile, so two evaluations of
    one goal run one after the other and the second sees what the first wrote."""
    with transaction.atomic():
        values = Goal.objects.select_for_update().filter(pk=goal_id).values_list(*READ_FIELDS).first()
        if values is None:
            raise Goal.DoesNotExist(f"goal {goal_id} does not exist")
        goal = _GoalRow.from_values(values)
        observations = _observations_by_goal([goal_id]).get(goal_id, [])
        evaluation = _judge(goal, observations, today)
        computed = _computed(evaluation, today)
        if computed != goal.stored:
            Goal.objects.filter(pk=goal_id).update(**computed._asdict())
        # Owed evaluations are paid: an approval committing after this one waits on the row lock
        # and marks the goal again.
        Goal.objects.filter(pk=goal_id, evaluation_requested_at__isnull=False).update(
            evaluation_requested_at=None
        )
        from_status = _history_from(goal, evaluation)
        if from_status is not None:
            # The unique constraint (goal, day, from, to) is the last guard against a duplicate row.
            change = StatusChange.from_verdict(
                goal_id=goal_id, from_status=from_status, verdict=computed, changed_at=_changed_at(today)
            )
            StatusChange.objects.bulk_create([change], ignore_conflicts=True)
            quarters_history_written(goal_ids=[goal_id], since=today)
    return evaluation


def goal_evaluate_after_commit(*, goal_id: int) -> None:
    """The goal is owed a new judgement (a figure of it was approved or corrected): mark it so in the
    current transaction, and once that commits ask a worker to judge it now. If the broker is down or
    hangs, the approval still succeeds at once: the mark stays, and the sweep (goals_evaluate_requested,
    every minute) judges the goal."""
    Goal.objects.filter(pk=goal_id).update(evaluation_requested_at=timezone.now())
    transaction.on_commit(lambda: task_start(tasks.evaluate_goal, goal_id))


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


def goals_evaluate_all(*, today: date, dry_run: bool = False, only_behind: bool = False) -> EvaluationSummary:
    """Judge every tracked goal on `today`, set-based: one query reads the goals, one their approved
    figures; the rules run in Python; only goals whose computed fields changed are written, in
    batches. Safe to run twice (the second run of a day writes nothing) and beside goal_evaluate: a
    goal rewritten by another evaluation since it was read here is left as that one wrote it.
    Every batch commits on its own and stamps its goals with `today`, so a run that is killed can be
    resumed: `only_behind` judges just the goals not yet judged on `today` (goals_evaluate_catch_up)."""
    summary = EvaluationSummary(today=today, dry_run=dry_run)
    goals = _evaluable_goals()
    if today < timezone.localdate():
        # A past day (a replay, --date): only goals a reader could have known of then, so the history
        # never shows a goal, even as "not started", before the document stating it was published.
        goals = goals.known_on(today)
    if only_behind:
        goals = goals.filter(Q(status_evaluated_on__lt=today) | Q(status_evaluated_on__isnull=True))
    with _cyclic_gc_paused(), _quick_thread_switches():
        rows, observations = _read(goals)
        batches = _pending_batches(rows, observations, today, summary)
        if dry_run:
            pending = [verdict for batch in batches for verdict in batch]
            summary.changed = len(pending)
            summary.status_changes = sum(_is_status_change(goal, e) for goal, _, e in pending)
            return summary
        with _batch_writer(today=today, summary=summary) as write:
            for batch in batches:
                write(batch)
    # The quarter ends now past the day judged (all those past, for today's run) are recorded.
    quarters_record(today=min(today, timezone.localdate()))
    return summary


# The daily run starts at 01:00 (settings.CELERY_BEAT_SCHEDULE) and takes well under half an hour.
CATCH_UP_AFTER = time(1, 30)


def goals_evaluate_catch_up(*, now: datetime) -> EvaluationSummary | None:
    """Finish today's daily evaluation if a run was killed (or never ran): after CATCH_UP_AFTER, judge
    the goals not yet judged today. Run every ten minutes; once the day's run is complete it only
    reads which goals are behind. None before CATCH_UP_AFTER."""
    local = timezone.localtime(now)
    if local.time() < CATCH_UP_AFTER:
        return None
    return goals_evaluate_all(today=local.date(), only_behind=True)


def goals_judged_on(*, goals, day: date) -> dict[int, Computed]:
    """How `goals` (a queryset) stood on `day`, judged from the figures known then, by the rules of
    today. Reads only: nothing is stored and no history is written (the ?as_of= pages)."""
    rows = [_GoalRow.from_values(v) for v in goals.filter(_trackable()).values_list(*READ_FIELDS)]
    observations = _observations_by_goal([row.pk for row in rows], known_on=day)
    return {row.pk: _computed(_judge(row, observations.get(row.pk, []), day), day) for row in rows}


def statuses_judged_on(*, goals, day: date) -> dict[int, str]:
    """The status of each of `goals` (a queryset) on `day`, as goals_judged_on judges it, from only the
    figures that decide it (deciding_figures): the cost follows the number of goals, not their figures
    (beyond those reported for the goals' indicators, a series per indicator). Reads only."""
    goals = goals.filter(_trackable())
    rows = [_GoalRow.from_values(v) for v in goals.values_list(*READ_FIELDS)]
    observations = _with_served(_by_goal(deciding_figures(goals, day)), goals, day)
    return {row.pk: str(_judge(row, observations.get(row.pk, []), day).status) for row in rows}


def _trackable() -> Q:
    return Q(kind=Goal.Kind.MILESTONE) | Q(target_value__isnull=False)


@contextmanager
def _quick_thread_switches():
    """Where threads read and write beside the judging (_threads_may_write), let them have the GIL
    soon after the server answers: by default a CPU-bound thread keeps it for up to 5 ms each time,
    a dozen times per batch written, and the writer falls behind the judging."""
    if not _threads_may_write():
        yield
        return
    interval = sys.getswitchinterval()
    quick = min(interval, 0.0005)
    sys.setswitchinterval(quick)
    try:
        yield
    finally:
        # Put back what was there, unless something else has set its own since (say, a run that
        # started meanwhile in another thread and will put back ours).
        if sys.getswitchinterval() == quick:
            sys.setswitchinterval(interval)


@contextmanager
def _cyclic_gc_paused():
    """Reading, judging and writing 100,000 goals allocates millions of objects and no reference
    cycles; the cyclic garbage collector would spend a tenth of the run walking them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _threads_may_write() -> bool:
    """Whether a thread of ours, on a connection of its own, may read and write for this run: on
    PostgreSQL outside a transaction (another connection would not see the transaction's rows)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _read(goals) -> tuple[list[_GoalRow], dict[int, list[status.Observation]]]:
    """The goals and their figures; where _threads_may_write, the figures are read by a thread while
    the goals' rows are turned into tuples. The figures' query starts only once the goals' has taken
    its snapshot, so the figures are never older than the goals: a goal judged meanwhile on a newer
    figure (its own evaluation, after an approval) has a new row version, and this run's verdict,
    which did not see that figure, is not written over it."""
    if not _threads_may_write():
        return _goal_rows(goals), _observations_by_goal(goals)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluation-reader") as reader:
        figures = []
        try:
            rows = _goal_rows(
                goals, on_start=lambda: figures.append(reader.submit(_observations_by_goal, goals))
            )
        finally:
            reader.submit(connections.close_all)  # the reader thread's own connection
        return rows, figures[0].result()


def _pending_batches(rows: list[_GoalRow], observations, today: date, summary: EvaluationSummary):
    """Judge each goal and count the statuses; yield, in batches of WRITE_BATCH_SIZE, (goal, computed
    fields, evaluation) for those whose stored fields differ."""
    pending = []
    for goal in rows:
        try:
            evaluation = _judge(goal, observations.get(goal.pk, []), today)
        except ValueError:
            logger.warning("goal %s cannot be judged", goal.pk, exc_info=True)
            summary.skipped += 1
            summary.counts[goal.stored_status] += 1
            continue
        summary.evaluated += 1
        summary.counts[str(evaluation.status)] += 1
        computed = _computed(evaluation, today)
        if computed != goal.stored:
            pending.append((goal, computed, evaluation))
            if len(pending) == WRITE_BATCH_SIZE:
                yield pending
                pending = []
    if pending:
        yield pending


@contextmanager
def _batch_writer(*, today: date, summary: EvaluationSummary):
    """Yield a function that writes one batch of verdicts in a transaction of its own; a goal written
    by another evaluation since it was read (after an approval, it may rest on a figure this run did
    not see) is left as that one wrote it. Where _threads_may_write, the batches are written by a
    thread of their own, so that the server writes one batch while the next is judged; the counts
    are added once every batch is written."""
    changed_at = _changed_at(today)

    def write(batch) -> tuple[int, int, int]:
        verdicts = [
            Verdict(goal.pk, goal.version, goal.stored, computed, _history_from(goal, e))
            for goal, computed, e in batch
        ]
        with transaction.atomic():
            written, recorded = Goal.objects.write_verdicts(verdicts, changed_at=changed_at)
            if recorded:  # for a day already recorded at a quarter end (a replay), that is kept true
                changed = [v.goal_id for v in verdicts if v.from_status is not None]
                quarters_history_written(goal_ids=changed, since=today)
        return written, recorded, len(batch) - written

    def count(written: int, recorded: int, superseded: int) -> None:
        summary.changed += written
        summary.status_changes += recorded
        summary.superseded += superseded

    if not _threads_may_write():
        yield lambda batch: count(*write(batch))
        return
    futures = []

    def submit(batch) -> None:
        for future in futures:  # a failed write stops the run, as it would inline
            if future.done() and future.exception():
                future.result()
        futures.append(writer.submit(write, batch))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluation-writer") as writer:
        try:
            yield submit
        except BaseException:
            for future in futures:  # a failed run writes no further batch, as it would inline
                future.cancel()
            raise
        finally:
            writer.submit(connections.close_all)  # the writer thread's own connection
    for future in futures:
        count(*future.result())
