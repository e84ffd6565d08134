"""Writes that act on goals and progress updates: judging goals against their targets (one goal, or
all of them set-based for the daily job) and moving progress updates through review."""

from __future__ import annotations

import gc
import logging
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import status, tasks
from .models import DepartmentMembership, Goal, MembershipRole, ProgressUpdate, StatusChange

logger = logging.getLogger(__name__)

# What goal_evaluate reads from a goal, and what it writes back (in this order).
INPUT_FIELDS = (
    "pk",
    "kind",
    "comparator",
    "target_value",
    "target_max",
    "baseline_value",
    "period_start",
    "deadline",
    "unit",
    "milestone_done_on",
    "at_risk_band",
    "tolerance",
    "stale_after_days",
)
COMPUTED_FIELDS = (
    "status",
    "status_evaluated_on",
    "status_rule_version",
    "expected_value",
    "progress_percent",
    "status_explanation_zh",
    "status_explanation_en",
    "forecast_date",
    "latest_value",
    "latest_as_of",
)
# Goals written per statement by the daily job: 11 parameters each stays under SQLite's 32,766 and
# PostgreSQL's 65,535 parameters per statement.
WRITE_BATCH_SIZE = 1000

# Review groups (migration 0003_review_groups) by department role.
ROLE_GROUPS = {
    MembershipRole.RECORDER: "recorders",
    MembershipRole.REVIEWER: "reviewers",
    MembershipRole.MANAGER: "managers",
}


# --- Judging goals ------------------------------------------------------------------------------


@dataclass
class EvaluationSummary:
    """What one run of the status evaluation did."""

    today: date
    evaluated: int = 0
    changed: int = 0  # goals whose stored status, figures or explanation were rewritten
    status_changes: int = 0  # history rows written
    skipped: int = 0  # goals the rules cannot judge (a numeric goal without a target)
    superseded: int = 0  # goals another evaluation rewrote while this one ran; left as that one wrote them
    counts: Counter = field(default_factory=Counter)  # goals per status after the run

    def __str__(self):
        per_status = ", ".join(f"{name} {self.counts[name]}" for name in status.Status if self.counts[name])
        text = (
            f"Evaluated {self.evaluated} goals as of {self.today:%Y-%m-%d}: {per_status or 'none'}. "
            f"{self.changed} goals updated, {self.status_changes} status changes recorded."
        )
        if self.skipped:
            text += f" {self.skipped} goals skipped (no target to judge against)."
        if self.superseded:
            text += f" {self.superseded} goals left as a concurrent evaluation wrote them."
        return text


def goal_thresholds(goal) -> status.Thresholds:
    """The goal's own thresholds where it has them, else the project-wide ones from settings."""
    return status.Thresholds(
        at_risk_band=settings.GOAL_AT_RISK_BAND if goal.at_risk_band is None else goal.at_risk_band,
        growth_tolerance=settings.GOAL_GROWTH_TOLERANCE if goal.tolerance is None else goal.tolerance,
        stale_after_days=settings.GOAL_STALE_AFTER_DAYS
        if goal.stale_after_days is None
        else goal.stale_after_days,
    )


@dataclass(frozen=True)
class _GoalRow:
    """One goal as read for judging: its inputs and the computed fields stored now."""

    pk: int
    kind: str
    comparator: str
    target_value: object
    target_max: object
    baseline_value: object
    period_start: date
    deadline: date
    unit: str
    milestone_done_on: date | None
    at_risk_band: object
    tolerance: object
    stale_after_days: int | None
    stored: tuple  # COMPUTED_FIELDS as stored

    @classmethod
    def from_values(cls, values):
        inputs = values[: len(INPUT_FIELDS)]
        return cls(*inputs, stored=tuple(values[len(INPUT_FIELDS) :]))

    @property
    def stored_status(self) -> str:
        return self.stored[0]

    @property
    def ever_evaluated(self) -> bool:
        return self.stored[1] is not None


def _evaluable_goals():
    """Goals the rules can judge: milestones, and numeric goals with a target. Rejected goals are not tracked."""
    return Goal.objects.exclude(review_state=Goal.ReviewState.REJECTED).filter(
        Q(kind=Goal.Kind.MILESTONE) | Q(target_value__isnull=False)
    )


def _observations_by_goal(goals) -> dict[int, list[status.Observation]]:
    """Approved figures of the given goals (a queryset or ids), oldest first, in one query."""
    rows = (
        ProgressUpdate.objects.approved()
        .filter(value__isnull=False, goal__in=goals)
        .order_by("goal_id", "as_of", "pk")
        .values_list("goal_id", "as_of", "value", "is_final")
    )
    by_goal = defaultdict(list)
    for goal_id, as_of, value, is_final in rows.iterator(chunk_size=10_000):
        by_goal[goal_id].append(status.Observation(as_of=as_of, value=value, is_final=is_final))
    return by_goal


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


def _latest_as_of(goal: _GoalRow, observations: list[status.Observation], today: date) -> date | None:
    """The date of the figure the rules judged by (status.py, "Figures"): the latest one dated within
    the period up to today, stopping at the first on or after the deadline."""
    latest = None
    for observation in observations:
        if goal.period_start <= observation.as_of <= today:
            latest = observation.as_of if latest is None else max(latest, observation.as_of)
            if observation.as_of >= goal.deadline:
                break
    return latest


def _computed(goal: _GoalRow, evaluation: status.Evaluation, observations, today: date) -> tuple:
    judged_by_figure = evaluation.actual_value is not None and goal.kind != Goal.Kind.MILESTONE
    return (
        str(evaluation.status),
        today,
        evaluation.rule_version,
        evaluation.expected_value,
        evaluation.progress_percent,
        evaluation.explanation_zh,
        evaluation.explanation_en,
        evaluation.forecast_date,
        evaluation.actual_value,
        _latest_as_of(goal, observations, today) if judged_by_figure else None,
    )


def _status_change(goal: _GoalRow, evaluation: status.Evaluation, today: date, now) -> StatusChange:
    return StatusChange(
        goal_id=goal.pk,
        changed_at=now,
        evaluated_on=today,
        # The first judgement of a goal starts its history, from no status at all.
        from_status=goal.stored_status if goal.ever_evaluated else "",
        to_status=str(evaluation.status),
        expected_value=evaluation.expected_value,
        actual_value=evaluation.actual_value,
        explanation_zh=evaluation.explanation_zh,
        explanation_en=evaluation.explanation_en,
        rule_version=evaluation.rule_version,
    )


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
        values = (
            Goal.objects.select_for_update()
            .filter(pk=goal_id)
            .values_list(*INPUT_FIELDS, *COMPUTED_FIELDS)
            .first()
        )
        if values is None:
            raise Goal.DoesNotExist(f"goal {goal_id} does not exist")
        goal = _GoalRow.from_values(values)
        observations = _observations_by_goal([goal_id]).get(goal_id, [])
        evaluation = _judge(goal, observations, today)
        computed = _computed(goal, evaluation, observations, today)
        if computed != goal.stored:
            Goal.objects.filter(pk=goal_id).update(**dict(zip(COMPUTED_FIELDS, computed, strict=True)))
        if _is_status_change(goal, evaluation):
            # The unique constraint (goal, day, from, to) is the last guard against a duplicate row.
            StatusChange.objects.bulk_create(
                [_status_change(goal, evaluation, today, _changed_at(today))], ignore_conflicts=True
            )
    return evaluation


def goals_evaluate_all(*, today: date, dry_run: bool = False) -> EvaluationSummary:
    """Judge every tracked goal on `today`, set-based: one query reads the goals, one their approved
    figures; the rules run in Python; only goals whose computed fields changed are written, in
    batches. Safe to run twice (the second run of a day writes nothing) and beside goal_evaluate: a
    goal rewritten by another evaluation since it was read here is left as that one wrote it."""
    summary = EvaluationSummary(today=today)
    goals = _evaluable_goals()
    with _cyclic_gc_paused():
        rows = [
            _GoalRow.from_values(v)
            for v in goals.values_list(*INPUT_FIELDS, *COMPUTED_FIELDS).iterator(10_000)
        ]
        pending = _judge_all(rows, _observations_by_goal(goals), today, summary)
    if dry_run:
        summary.changed = len(pending)
        summary.status_changes = sum(_is_status_change(goal, e) for goal, _, e in pending)
        return summary
    for start in range(0, len(pending), WRITE_BATCH_SIZE):
        _write_batch(pending[start : start + WRITE_BATCH_SIZE], today=today, summary=summary)
    return summary


@contextmanager
def _cyclic_gc_paused():
    """Reading and judging 100,000 goals allocates millions of objects and no reference cycles; the
    cyclic garbage collector would spend a tenth of the run walking them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _judge_all(rows: list[_GoalRow], observations, today: date, summary: EvaluationSummary) -> list[tuple]:
    """Judge each goal, count the statuses, and return (goal, computed fields, evaluation) for those
    whose stored fields differ."""
    pending = []
    for goal in rows:
        goal_observations = observations.get(goal.pk, [])
        try:
            evaluation = _judge(goal, goal_observations, today)
        except ValueError:
            logger.warning("goal %s cannot be judged", goal.pk, exc_info=True)
            summary.skipped += 1
            summary.counts[goal.stored_status] += 1
            continue
        summary.evaluated += 1
        summary.counts[str(evaluation.status)] += 1
        computed = _computed(goal, evaluation, goal_observations, today)
        if computed != goal.stored:
            pending.append((goal, computed, evaluation))
    return pending


def _write_batch(batch, *, today: date, summary: EvaluationSummary) -> None:
    now = _changed_at(today)
    with transaction.atomic():
        # Lock the rows and keep only those still as read: a goal evaluated meanwhile (after an
        # approval) may rest on a figure this run did not see.
        ids = [goal.pk for goal, _, _ in batch]
        current = {
            values[0]: tuple(values[1:])
            for values in Goal.objects.select_for_update()
            .filter(pk__in=ids)
            .values_list("pk", *COMPUTED_FIELDS)
        }
        still_as_read = [
            (goal, computed, e) for goal, computed, e in batch if current.get(goal.pk) == goal.stored
        ]
        summary.superseded += len(batch) - len(still_as_read)
        _update_computed_fields([(goal.pk, computed) for goal, computed, _ in still_as_read])
        changes = [
            _status_change(goal, e, today, now) for goal, _, e in still_as_read if _is_status_change(goal, e)
        ]
        _insert_status_changes(changes)
    summary.changed += len(still_as_read)
    summary.status_changes += len(changes)


def _update_computed_fields(rows: list[tuple[int, tuple]]) -> None:
    """Write the computed fields of many goals in one statement. Django's bulk_update would build a
    CASE per field, whose cost grows with the square of the batch, and split it on SQLite."""
    if not rows:
        return
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Goal._meta.db_table)
    fields = [Goal._meta.get_field(name) for name in COMPUTED_FIELDS]
    columns = [quote(f.column) for f in fields]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns)
    where = f"{table}.{quote('id')} = v.id"
    if connection.vendor == "postgresql":
        # One array per column: eleven parameters, however many rows.
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        sql = f"UPDATE {table} SET {assignments} FROM unnest(%s::bigint[], {arrays}) AS v(id, {', '.join(columns)}) WHERE {where}"
        params = [[pk for pk, _ in rows], *map(list, zip(*(computed for _, computed in rows), strict=True))]
    else:
        row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        sql = (
            f"WITH v(id, {', '.join(columns)}) AS (VALUES {', '.join([row_sql] * len(rows))}) "
            f"UPDATE {table} SET {assignments} FROM v WHERE {where}"
        )
        params = [
            value
            for pk, computed in rows
            for value in (
                pk,
                *(f.get_db_prep_value(v, connection) for f, v in zip(fields, computed, strict=True)),
            )
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert_status_changes(changes: list[StatusChange]) -> None:
    """Insert history rows in one statement, skipping any the unique constraint (goal, day, from, to)
    already holds: bulk_create would split this into many statements on SQLite."""
    if not changes:
        return
    quote = connection.ops.quote_name
    fields = [f for f in StatusChange._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    values = [
        [f.get_db_prep_save(getattr(change, f.attname), connection) for f in fields] for change in changes
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        rows_sql, params = f"SELECT * FROM unnest({arrays})", list(map(list, zip(*values, strict=True)))
    else:
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        rows_sql, params = f"VALUES {', '.join([row_sql] * len(changes))}", [v for row in values for v in row]
    sql = f"INSERT INTO {quote(StatusChange._meta.db_table)} ({columns}) {rows_sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Reviewing progress updates -----------------------------------------------------------------


def _message(zh: str, en: str) -> str:
    return f"{zh} · {en}"


def _department_ids(user, role: str) -> set[int]:
    return set(
        DepartmentMembership.objects.filter(user=user, role=role).values_list("department_id", flat=True)
    )


def _goal_department_ids(goal: Goal) -> set[int]:
    ids = set(goal.supporting_departments.values_list("pk", flat=True))
    if goal.lead_department_id:
        ids.add(goal.lead_department_id)
    return ids


def goals_for_role(*, user, role: str):
    """The goals a staff member acts on in `role`: those their departments lead or support."""
    if user.is_superuser:
        return Goal.objects.all()
    departments = DepartmentMembership.objects.filter(user=user, role=role).values("department_id")
    return Goal.objects.filter(
        Q(lead_department__in=departments) | Q(supporting_departments__in=departments)
    ).distinct()


def progress_updates_visible_to(updates, *, user):
    """Those of `updates` a staff member may see: updates on their departments' goals, in any role."""
    if user.is_superuser:
        return updates
    departments = DepartmentMembership.objects.filter(user=user).values("department_id")
    goals = Goal.objects.filter(
        Q(lead_department__in=departments) | Q(supporting_departments__in=departments)
    )
    return updates.filter(goal__in=goals.values("pk"))


def _require_role(user, goal: Goal, role: str, zh: str, en: str) -> None:
    if user.is_superuser:
        return
    if not (_department_ids(user, role) & _goal_department_ids(goal)):
        raise PermissionDenied(_message(zh, en))


def _require_complete(update: ProgressUpdate) -> None:
    """Raise ValidationError unless the update is complete enough to be reviewed and approved."""
    errors = {}
    if update.value is None and not update.goal.is_milestone:
        errors["value"] = _message(
            "请填写数值（只有节点类目标可以不填）", "Enter a value (only a milestone may have none)"
        )
    if not (update.evidence_url or update.evidence_file or update.is_sample):
        errors["evidence_url"] = _message(
            "请提供佐证链接或上传佐证文件", "Give an evidence link or upload an evidence file"
        )
    today = timezone.localdate()
    if update.as_of and update.as_of > today:
        errors["as_of"] = _message(
            f"数据截至日期不能晚于今天（{today:%Y-%m-%d}）",
            f"The as-of date cannot be after today ({today:%Y-%m-%d})",
        )
    if errors:
        raise ValidationError(errors)


def _wrong_state(update: ProgressUpdate, action_zh: str, action_en: str, allowed_zh: str, allowed_en: str):
    update.refresh_from_db(fields=["review_state"])
    state = ProgressUpdate.ReviewState(update.review_state)
    state_zh, state_en = state.label.split(" · ")
    return ValidationError(
        _message(
            f"只有{allowed_zh}的进展才能{action_zh}（这条是{state_zh}）",
            f"Only a {allowed_en} update can be {action_en} (this one is {state_en})",
        ),
        code="wrong_state",
    )


def _record_history(update: ProgressUpdate, user) -> None:
    """A review transition is claimed with a queryset update, which simple_history does not see;
    saving the fresh row once more records who moved it."""
    update.refresh_from_db()
    update._history_user = user
    update.save(update_fields=["updated_at"])


def progress_update_submit(*, update: ProgressUpdate, user) -> ProgressUpdate:
    """A recorder of the goal's department hands a draft (or a returned update) in for review."""
    _require_role(
        user,
        update.goal,
        MembershipRole.RECORDER,
        "只有本单位的填报员可以报送这一目标的进展",
        "Only a recorder of this goal's department may submit its progress",
    )
    _require_complete(update)
    with transaction.atomic():
        claimed = ProgressUpdate.objects.filter(
            pk=update.pk,
            review_state__in=[ProgressUpdate.ReviewState.DRAFT, ProgressUpdate.ReviewState.REJECTED],
        ).update(
            review_state=ProgressUpdate.ReviewState.SUBMITTED,
            reviewed_by=None,
            reviewed_at=None,
            updated_at=timezone.now(),
        )
        if claimed != 1:
            raise _wrong_state(update, "报送", "submitted", "草稿或已退回", "draft or returned")
        _record_history(update, user)
    return update


def progress_update_approve(*, update: ProgressUpdate, reviewer) -> ProgressUpdate:
    """A reviewer of the goal's department approves a submitted update, which makes it public and
    re-evaluates the goal once the approval is committed. A double click approves once."""
    _require_role(
        reviewer,
        update.goal,
        MembershipRole.REVIEWER,
        "只有本单位的审核员可以审核这一目标的进展",
        "Only a reviewer of this goal's department may approve its progress",
    )
    if update.recorded_by_id == reviewer.pk and not reviewer.is_superuser:
        raise PermissionDenied(
            _message("不能审核自己填报的进展", "You cannot approve an update you recorded")
        )
    _require_complete(update)
    try:
        with transaction.atomic():
            claimed = ProgressUpdate.objects.filter(
                pk=update.pk, review_state=ProgressUpdate.ReviewState.SUBMITTED
            ).update(
                review_state=ProgressUpdate.ReviewState.APPROVED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
                updated_at=timezone.now(),
            )
            if claimed != 1:
                raise _wrong_state(update, "通过审核", "approved", "待审核", "submitted")
            _record_history(update, reviewer)
            if update.goal.is_milestone and update.is_final and update.goal.milestone_done_on is None:
                # A final report on a milestone says it was done on that date.
                Goal.objects.filter(pk=update.goal_id, milestone_done_on__isnull=True).update(
                    milestone_done_on=update.as_of
                )
    except IntegrityError as error:
        # The constraint "one approved figure per goal and date" (the only one an approval can break).
        approved_same_day = ProgressUpdate.objects.approved().filter(
            goal_id=update.goal_id, as_of=update.as_of
        )
        if not approved_same_day.exclude(pk=update.pk).exists():
            raise
        raise ValidationError(
            _message(
                f"该目标在{update.as_of:%Y-%m-%d}已有通过审核的数据；请退回这一条或更正日期",
                f"This goal already has an approved figure as of {update.as_of:%Y-%m-%d}; return this one or correct its date",
            ),
            code="duplicate_date",
        ) from error
    goal_id = update.goal_id
    transaction.on_commit(lambda: tasks.evaluate_goal.delay(goal_id))
    return update


def progress_update_reject(*, update: ProgressUpdate, reviewer, comment: str) -> ProgressUpdate:
    """A reviewer returns a submitted update to its recorder, saying why."""
    _require_role(
        reviewer,
        update.goal,
        MembershipRole.REVIEWER,
        "只有本单位的审核员可以退回这一目标的进展",
        "Only a reviewer of this goal's department may return its progress",
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _message("请写明退回原因", "Say why the update is returned"), code="comment_required"
        )
    with transaction.atomic():
        claimed = ProgressUpdate.objects.filter(
            pk=update.pk, review_state=ProgressUpdate.ReviewState.SUBMITTED
        ).update(
            review_state=ProgressUpdate.ReviewState.REJECTED,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
            review_comment=comment,
            updated_at=timezone.now(),
        )
        if claimed != 1:
            raise _wrong_state(update, "退回", "returned", "待审核", "submitted")
        _record_history(update, reviewer)
    return update


# --- Staff roles --------------------------------------------------------------------------------


def user_groups_sync(*, user) -> None:
    """Put a staff member in exactly the review groups (recorders, reviewers, managers) their
    department roles call for, so the admin's model permissions follow the memberships."""
    roles = set(DepartmentMembership.objects.filter(user=user).values_list("role", flat=True))
    wanted = {name for role, name in ROLE_GROUPS.items() if role in roles}
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    user.groups.remove(*[group for name, group in groups.items() if name not in wanted])
    user.groups.add(*[group for name, group in groups.items() if name in wanted])
    if wanted and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
