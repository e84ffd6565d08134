"""Named reads and bulk writes of the domain's models, so that a page's queries, a staff member's
scope and the daily job's hand-written SQL each live in one place (models.py uses these)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models
from django.db.models import Q


def _member_departments(user, role: str | None = None):
    """The ids of the departments `user` belongs to (in `role`, when given), as a subquery."""
    memberships = apps.get_model("goals", "DepartmentMembership").objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values("department_id")


def period_covers(goal_start, goal_deadline, figure_start, figure_end) -> bool:
    """Whether a goal's period covers a figure's: the figure ends within the goal's period and does
    not start before it (a figure with no start covers just its end). ProgressUpdateQuerySet.serving
    is the same rule in SQL."""
    return goal_start <= figure_end <= goal_deadline and (figure_start is None or figure_start >= goal_start)


class GoalQuerySet(models.QuerySet):
    def public(self):
        return self.filter(review_state=self.model.ReviewState.PUBLISHED)

    def with_related(self):
        return self.select_related("lead_department", "category", "plan", "indicator")

    def headline(self):
        return self.filter(is_headline=True).order_by("headline_order", "pk")

    def in_force(self, day):
        """Goals whose period contains `day`: this year's targets and the multi-year plans running."""
        return self.filter(period_start__lte=day, deadline__gte=day)

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
        """The goals a staff member may see in the admin: every published goal (public anyway) and
        every goal, in any review state, their departments lead or support."""
        if user.is_superuser:
            return self.all()
        own = self.for_member(user).values("pk")
        return self.filter(Q(review_state=self.model.ReviewState.PUBLISHED) | Q(pk__in=own))

    def write_computed(self, rows: list[tuple[int, tuple]]) -> None:
        """Write the evaluation's computed fields of many goals — (id, Computed) pairs, fields by
        name — in one statement. Django's bulk_update would build a CASE per field, whose cost grows
        with the square of the batch, and split it on SQLite."""
        if not rows:
            return
        names = rows[0][1]._fields
        quote, table = connection.ops.quote_name, connection.ops.quote_name(self.model._meta.db_table)
        fields = [self.model._meta.get_field(name) for name in names]
        columns = [quote(f.column) for f in fields]
        assignments = ", ".join(f"{column} = v.{column}" for column in columns)
        where = f"{table}.{quote('id')} = v.id"
        if connection.vendor == "postgresql":
            # One array per column: eleven parameters, however many rows.
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            sql = (
                f"UPDATE {table} SET {assignments} "
                f"FROM unnest(%s::bigint[], {arrays}) AS v(id, {', '.join(columns)}) WHERE {where}"
            )
            params = [
                [pk for pk, _ in rows],
                *map(list, zip(*(computed for _, computed in rows), strict=True)),
            ]
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


class ProgressUpdateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(review_state=self.model.ReviewState.APPROVED)

    def public(self):
        published = apps.get_model("goals", "Goal").ReviewState.PUBLISHED
        return self.approved().filter(goal__review_state=published)

    def serving(self, goal):
        """Figures reported for the goal's indicator (not against one goal) whose period the goal's
        covers (period_covers): the 2025 GDP growth reported once serves every 2025 GDP growth goal."""
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
    def insert_new(self, changes: list) -> None:
        """Insert history rows in one statement, skipping any the unique constraint (goal, day, from,
        to) already holds: bulk_create would split this into many statements on SQLite."""
        if not changes:
            return
        quote = connection.ops.quote_name
        fields = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(quote(f.column) for f in fields)
        values = [
            [f.get_db_prep_save(getattr(change, f.attname), connection) for f in fields] for change in changes
        ]
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            rows_sql, params = f"SELECT * FROM unnest({arrays})", list(map(list, zip(*values, strict=True)))
        else:
            row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
            rows_sql = f"VALUES {', '.join([row_sql] * len(changes))}"
            params = [v for row in values for v in row]
        table = quote(self.model._meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) {rows_sql} ON CONFLICT DO NOTHING"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
