"""The daily evaluation: every tracked goal judged on one day, set-based. One query reads the goals,
one their approved figures (a thread reads the figures while the goals' rows are turned into
tuples); the rules run in Python; only goals whose computed fields changed are written, in batches,
by a writer thread of its own while the next batch is judged. One goal at a time, after an approval,
is apps.goals.services.evaluation."""

from __future__ import annotations

import gc
import logging
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .. import status
from ..models import Goal
from ..querysets import Verdict
from ..selectors import observations_by_goal, trackable
from ..spans import rules_key
from ..verdicts import READ_FIELDS, GoalRow, changed_at, computed, history_from, is_status_change, judge
from .quarters import quarters_history_written, quarters_record
from .spans import DaySpans, day_spans_write, open_spans

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


def _goal_rows(goals, on_start=None) -> list[GoalRow]:
    """The goals as GoalRow tuples, read in chunks; on PostgreSQL with their row versions, which
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
    return [GoalRow.from_values(first), *(GoalRow.from_values(row) for row in values)]


def _evaluable_goals():
    """Goals the rules can judge (selectors.trackable). Rejected goals are not tracked."""
    return Goal.objects.exclude(review_state=Goal.ReviewState.REJECTED).filter(trackable())


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
    # The status spans (services.spans) follow the days as they come: a run for a past day changes no
    # goal's inputs or figures, so it leaves them as they are.
    spans_before = open_spans() if not dry_run and today >= timezone.localdate() else None
    with _cyclic_gc_paused(), _quick_thread_switches():
        rows, observations = _read(goals)
        batches = _pending_batches(rows, observations, today, summary, spans_before)
        if dry_run:
            pending = [verdict for batch, _ in batches for verdict in batch]
            summary.changed = len(pending)
            summary.status_changes = sum(is_status_change(goal, e) for goal, _, e in pending)
            return summary
        with _batch_writer(today=today, summary=summary) as write:
            for batch, spans_plan in batches:
                write(batch, spans_plan)
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


def _read(goals) -> tuple[list[GoalRow], dict[int, list[status.Observation]]]:
    """The goals and their figures; where _threads_may_write, the figures are read by a thread while
    the goals' rows are turned into tuples. The figures' query starts only once the goals' has taken
    its snapshot, so the figures are never older than the goals: a goal judged meanwhile on a newer
    figure (its own evaluation, after an approval) has a new row version, and this run's verdict,
    which did not see that figure, is not written over it."""
    if not _threads_may_write():
        return _goal_rows(goals), observations_by_goal(goals)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluation-reader") as reader:
        figures = []
        try:
            rows = _goal_rows(
                goals, on_start=lambda: figures.append(reader.submit(observations_by_goal, goals))
            )
        finally:
            reader.submit(connections.close_all)  # the reader thread's own connection
        return rows, figures[0].result()


def _pending_batches(
    rows: list[GoalRow], observations, today: date, summary: EvaluationSummary, spans_before
):
    """Judge each goal and count the statuses; yield, in batches of WRITE_BATCH_SIZE, (goal, computed
    fields, evaluation) for those whose stored fields differ, each with what to do to the spans of the
    goals judged meanwhile (None when `spans_before`, the open spans read first, is None)."""
    pending = []
    key = rules_key()
    plan = None if spans_before is None else DaySpans(today)
    for goal in rows:
        try:
            evaluation = judge(goal, observations.get(goal.pk, []), today)
        except ValueError:
            logger.warning("goal %s cannot be judged", goal.pk, exc_info=True)
            summary.skipped += 1
            summary.counts[goal.stored_status] += 1
            continue
        summary.evaluated += 1
        summary.counts[str(evaluation.status)] += 1
        fields = computed(evaluation, today)
        if plan is not None:
            plan.add(goal, observations.get(goal.pk, []), fields, spans_before.get(goal.pk), key)
        if fields != goal.stored:
            pending.append((goal, fields, evaluation))
        if len(pending) == WRITE_BATCH_SIZE or (plan is not None and len(plan) >= WRITE_BATCH_SIZE):
            yield pending, plan
            pending, plan = [], None if plan is None else DaySpans(today)
    if pending or plan:
        yield pending, plan


@contextmanager
def _batch_writer(*, today: date, summary: EvaluationSummary):
    """Yield a function that writes one batch of verdicts in a transaction of its own; a goal written
    by another evaluation since it was read (after an approval, it may rest on a figure this run did
    not see) is left as that one wrote it. Where _threads_may_write, the batches are written by a
    thread of their own, so that the server writes one batch while the next is judged; the counts
    are added once every batch is written."""
    when = changed_at(today)

    def write(batch, spans_plan: DaySpans | None) -> tuple[int, int, int]:
        verdicts = [
            Verdict(goal.pk, goal.version, goal.stored, fields, history_from(goal, e))
            for goal, fields, e in batch
        ]
        with transaction.atomic():
            written, recorded = Goal.objects.write_verdicts(verdicts, changed_at=when)
            if recorded:  # for a day already recorded at a quarter end (a replay), that is kept true
                changed = [v.goal_id for v in verdicts if v.from_status is not None]
                quarters_history_written(goal_ids=changed, since=today)
            if spans_plan is not None:
                day_spans_write(spans_plan)
        return written, recorded, len(batch) - written

    def count(written: int, recorded: int, superseded: int) -> None:
        summary.changed += written
        summary.status_changes += recorded
        summary.superseded += superseded

    if not _threads_may_write():
        yield lambda batch, spans_plan: count(*write(batch, spans_plan))
        return
    futures = []

    def submit(batch, spans_plan) -> None:
        for future in futures:  # a failed write stops the run, as it would inline
            if future.done() and future.exception():
                future.result()
        futures.append(writer.submit(write, batch, spans_plan))

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
