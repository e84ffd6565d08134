"""Named reads and bulk writes of the domain's models, so that a page's queries, a staff member's
scope and the daily job's hand-written SQL each live in one place (models.py uses these)."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from django.apps import apps
from django.db import connection, models
from django.db.models import Q

from .models.places import HOME_PLACE
from .status import Thresholds


class Verdict(NamedTuple):
    """One goal's verdict from the daily job, to be written by GoalQuerySet.write_verdicts."""

    goal_id: int
    version: int | None  # the goal row's version as read (PostgreSQL's xmin), None elsewhere
    stored: tuple  # its computed fields as read
    computed: tuple  # its computed fields now (verdicts.Computed)
    from_status: str | None  # the status-change row to record, from this status; None: no change


def _member_departments(user, role: str | None = None):
    """The ids of the departments `user` belongs to (in `role`, when given), as a subquery."""
    memberships = apps.get_model("goals", "DepartmentMembership").objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values("department_id")


# The daily job's batch of verdicts (GoalQuerySet.write_verdicts on PostgreSQL), emptied at commit.
VERDICTS_TABLE_SQL = """
CREATE TEMPORARY TABLE IF NOT EXISTS goal_verdicts (
    goal_id bigint PRIMARY KEY, row_version bigint NOT NULL, from_status text, {columns}
) ON COMMIT DELETE ROWS
"""
# Update the goals still as read (any write to a row changes its xmin), then record the changes of
# those updated; the unique constraint (goal, day, from, to) skips a change already recorded.
WRITE_VERDICTS_SQL = """
WITH written AS (
    UPDATE {goals} AS g SET {assignments}
    FROM goal_verdicts AS v
    WHERE g.id = v.goal_id AND g.xmin::text::bigint = v.row_version
    RETURNING g.id
), recorded AS (
    INSERT INTO {changes} (goal_id, changed_at, from_status, {recorded_columns})
    SELECT v.goal_id, %s, v.from_status, {recorded_values}
    FROM goal_verdicts AS v JOIN written AS w ON w.id = v.goal_id
    WHERE v.from_status IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM recorded)
"""


# Goals per statement where write_verdicts binds parameters (SQLite): 14 each stays under SQLite's
# 32,766 parameters per statement.
PORTABLE_ROWS = 1000


class GoalQuerySet(models.QuerySet):
    def public(self):
        return self.filter(review_state=self.model.ReviewState.PUBLISHED)

    def with_related(self):
        return self.select_related("lead_department", "category", "plan", "indicator", "place")

    def in_place(self, place=None):
        """The goals of one place: a Jurisdiction, its pk or its slug; by default the home place, Jinan
        (no query of its own). A district's goals are its own and never count in the city's."""
        if place is None or isinstance(place, str):
            return self.filter(place__slug=place or HOME_PLACE)
        return self.filter(place=place)

    def headline(self):
        return self.filter(is_headline=True).order_by("headline_order", "pk")

    def in_force(self, day):
        """Goals whose period contains `day`: this year's targets and the multi-year plans running."""
        return self.filter(period_start__lte=day, deadline__gte=day)

    def reportable(self, day):
        """Published goals a figure may still be recorded for on `day`: in force, or past their deadline
        within the usual wait for the final figure (the rules' awaiting-data grace period)."""
        grace = timedelta(days=Thresholds().awaiting_data_grace_days)
        return self.public().filter(period_start__lte=day, deadline__gte=day - grace)

    def due_in(self, year: int):
        return self.filter(deadline__year=year)

    def known_on(self, day):
        """Goals a reader could have known of on `day`: stated in a document published by then (a goal
        whose documents carry no date counts as known)."""
        citations = apps.get_model("goals", "Citation").objects.filter(goal=models.OuterRef("pk"))
        return self.filter(
            models.Exists(citations.filter(document__published_on__lte=day))
            | ~models.Exists(citations.filter(document__published_on__isnull=False))
        )

    def for_member(self, user, role: str | None = None):
        """The goals a staff member acts on (in `role`, or in any role): those their departments
        lead or support. A superuser acts on every goal."""
        if user.is_superuser:
            return self.all()
        departments = _member_departments(user, role)
        return self.filter(
            Q(lead_department__in=departments) | Q(supporting_departments__in=departments)
        ).distinct()

    def in_staff_scope(self, user):
        """The goals a staff member may see in the admin: every goal, in any review state, their
        departments lead or support, and the published goals (public anyway) of their departments'
        places and of the places under those: the city's staff see the districts', a district's staff
        their district's only. A member of no department sees every published goal."""
        if user.is_superuser:
            return self.all()
        own = self.for_member(user).values("pk")
        places = apps.get_model("goals", "Department").objects.filter(pk__in=_member_departments(user))
        places = places.values("place_id")
        member = models.Exists(_member_departments(user))
        published = Q(review_state=self.model.ReviewState.PUBLISHED) & (
            Q(place__in=places) | Q(place__parent__in=places) | ~member
        )
        return self.filter(published | Q(pk__in=own))

    def write_verdicts(self, verdicts: list[Verdict], *, changed_at) -> tuple[int, int]:
        """Store the daily job's verdicts on their goals, and a status-change row (changed at
        `changed_at`) for each verdict with a from-status, in the caller's transaction. A goal written
        since it was read is left as that write left it. Returns (goals written, rows recorded)."""
        if not verdicts:
            return 0, 0
        if connection.vendor == "postgresql":
            return self._write_verdicts_postgresql(verdicts, changed_at)
        return self._write_verdicts_portable(verdicts, changed_at)

    def _write_verdicts_postgresql(self, verdicts: list[Verdict], changed_at) -> tuple[int, int]:
        """COPY the batch into a temporary table, then one statement updates the goals whose row
        version (xmin) is still the one read and records the status changes of those it updated.
        COPY and one statement keep both the Python and the server's work per goal small."""
        quote, meta = connection.ops.quote_name, self.model._meta
        fields = [meta.get_field(name) for name in verdicts[0].computed._fields]
        columns = [quote(f.column) for f in fields]
        history = apps.get_model("goals", "StatusChange")
        recorded = {
            quote(history._meta.get_field(name).column): "v." + quote(meta.get_field(source).column)
            for name, source in history.FROM_VERDICT.items()
        }
        definitions = ", ".join(f"{c} {f.db_type(connection)}" for c, f in zip(columns, fields, strict=True))
        statement = WRITE_VERDICTS_SQL.format(
            goals=quote(meta.db_table),
            assignments=", ".join(f"{c} = v.{c}" for c in columns),
            changes=quote(history._meta.db_table),
            recorded_columns=", ".join(recorded),
            recorded_values=", ".join(recorded.values()),
        )
        with connection.cursor() as cursor:
            cursor.execute(VERDICTS_TABLE_SQL.format(columns=definitions))
            # Empty already after a commit; not within an enclosing transaction (a test, a replay).
            cursor.execute("DELETE FROM goal_verdicts")
            copied = ", ".join(["goal_id", "row_version", "from_status", *columns])
            with cursor.cursor.copy(f"COPY goal_verdicts ({copied}) FROM STDIN") as copy:
                for verdict in verdicts:
                    copy.write_row((verdict.goal_id, verdict.version, verdict.from_status, *verdict.computed))
            cursor.execute(statement, [changed_at])
            written, recorded_count = cursor.fetchone()
        return written, recorded_count

    def _write_verdicts_portable(self, verdicts: list[Verdict], changed_at) -> tuple[int, int]:
        """Lock the goals, keep those whose computed fields are still as read, and write them with an
        UPDATE and an INSERT per PORTABLE_ROWS goals (bulk_update and bulk_create would split them
        into many more statements on SQLite)."""
        names = verdicts[0].computed._fields
        current = {
            values[0]: values[1:]
            for values in self.select_for_update()
            .filter(pk__in=[verdict.goal_id for verdict in verdicts])
            .values_list("pk", *names)
        }
        still_as_read = [v for v in verdicts if current.get(v.goal_id) == tuple(v.stored)]
        history = apps.get_model("goals", "StatusChange")
        recorded = 0
        for start in range(0, len(still_as_read), PORTABLE_ROWS):
            chunk = still_as_read[start : start + PORTABLE_ROWS]
            self._update_computed([(verdict.goal_id, verdict.computed) for verdict in chunk])
            changes = [
                history.from_verdict(
                    goal_id=v.goal_id, from_status=v.from_status, verdict=v.computed, changed_at=changed_at
                )
                for v in chunk
                if v.from_status is not None
            ]
            recorded += history.objects.insert_new(changes)
        return len(still_as_read), recorded

    def _update_computed(self, rows: list[tuple[int, tuple]]) -> None:
        """Write the computed fields of many goals — (id, Computed) pairs, fields by name — in one
        statement (bulk_update would build a CASE per field, whose cost grows with the square of
        the batch)."""
        if not rows:
            return
        names = rows[0][1]._fields
        quote, table = connection.ops.quote_name, connection.ops.quote_name(self.model._meta.db_table)
        fields = [self.model._meta.get_field(name) for name in names]
        columns = [quote(f.column) for f in fields]
        row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        sql = (
            f"WITH v(id, {', '.join(columns)}) AS (VALUES {', '.join([row_sql] * len(rows))}) "
            f"UPDATE {table} SET {', '.join(f'{column} = v.{column}' for column in columns)} "
            f"FROM v WHERE {table}.{quote('id')} = v.id"
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


class ProgressUpdateQuerySet(models.QuerySet):
    def approved(self):
        """Approved figures still in force: one superseded by a firmer or repeated statement of the
        same statistic (ingest.reported) stays stored but is neither shown nor judged by."""
        return self.filter(review_state=self.model.ReviewState.APPROVED, superseded_by__isnull=True)

    def public(self):
        published = apps.get_model("goals", "Goal").ReviewState.PUBLISHED
        return self.approved().filter(goal__review_state=published)

    def known_on(self, day):
        """The approved figures known on `day`: dated by then and published by then (status.known_on,
        the same rule over plain values). The status rules read only these; of them, real figures go
        before samples (status.known_figures)."""
        return self.approved().filter(
            Q(as_of__lte=day) & (Q(published_on__isnull=True) | Q(published_on__lte=day))
        )

    def serving(self, goal):
        """Figures reported for the goal's indicator (not against one goal) whose period the goal's
        covers (observations.period_covers): the 2025 GDP growth reported once serves every 2025 GDP
        growth goal."""
        if goal.indicator_id is None:
            return self.none()
        return self.filter(
            Q(period_start__isnull=True) | Q(period_start__gte=goal.period_start),
            goal__isnull=True,
            indicator_id=goal.indicator_id,
            as_of__gte=goal.period_start,
            as_of__lte=goal.deadline,
        )

    def visible_to(self, user):
        """The updates a staff member may see: those on their departments' goals, in any role."""
        if user.is_superuser:
            return self.all()
        goals = apps.get_model("goals", "Goal").objects.for_member(user)
        return self.filter(goal__in=goals.values("pk"))


class GoalExplanationQuerySet(models.QuerySet):
    def approved(self):
        """Explanations a reviewer approved: public on their goal's page and in the API."""
        return self.filter(review_state=self.model.ReviewState.APPROVED)

    def open(self):
        """Asked for and not yet submitted (or returned): the department owes an answer."""
        states = self.model.ReviewState
        return self.filter(review_state__in=[states.REQUESTED, states.RETURNED])

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)


class StatusChangeQuerySet(models.QuerySet):
    def insert_new(self, changes: list) -> int:
        """Insert history rows in one statement, skipping any the unique constraint (goal, day, from,
        to) already holds (bulk_create would split this into many statements on SQLite); returns how
        many were inserted."""
        if not changes:
            return 0
        quote = connection.ops.quote_name
        fields = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        params = [
            f.get_db_prep_save(getattr(change, f.attname), connection) for change in changes for f in fields
        ]
        sql = (
            f"INSERT INTO {quote(self.model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([row_sql] * len(changes))} ON CONFLICT DO NOTHING"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
