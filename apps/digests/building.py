"""What a manager's digest says, per department: what turned red in the period, what is overdue
(figures, explanations), what waits for review and for how long, what was approved, what comes due
in the next 30 days, and how many goals stood in each status at the period's end (from the status
history, as it was known then). Built as plain values for the email templates, a fixed number of
queries per department whatever the number of goals; lists hold their first lines and their total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from apps.goals.models import Department, Goal, GoalExplanation, ProgressUpdate, StatusChange
from apps.goals.names import person_name
from apps.goals.status import FINISHED, MET, RED, Status, cadence_days, next_figure_due, status_label
from apps.goals.units import amount_text

from .periods import Period

# Deadlines and figures worth a manager's attention: those due within this long after the digest.
DUE_HORIZON = timedelta(days=30)
# Each list shows at most this many lines, then how many more and a link to all of them: an email a
# manager reads, not every approval of a city.
LIST_LIMIT = 20
# The staff page behind a "…N more" link shows one list up to this many lines.
FULL_LIST_LIMIT = 1000

# The lists of a section, by name (the full-list page takes these names).
LISTS = (
    "turned_red",
    "overdue_figures",
    "overdue_explanations",
    "waiting",
    "other_changes",
    "approved",
    "figures_due",
    "deadlines",
)


# --- What a digest holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalLine:
    title: str
    title_en: str
    url: str  # the public goal page, absolute
    status_zh: str
    status_en: str
    deadline: date
    target: str = ""  # "≥ 7000 个"
    department: str = ""  # the lead department's name, shown where a section covers all of them


@dataclass(frozen=True)
class StatusChangeLine:
    goal: GoalLine
    changed_on: date
    from_zh: str
    from_en: str
    to_zh: str
    to_en: str


@dataclass(frozen=True)
class RedLine(StatusChangeLine):
    """A goal that turned red in the period (off track, missed, a milestone overdue), with the figure
    it was judged on."""

    figure: str  # "3500 个"; empty if the status rests on no figure
    expected: str  # 序时进度 — the value expected by then; empty if none
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class UpdateLine:
    goal: GoalLine
    as_of: date
    value: str  # "3500 个"; empty for a milestone report
    is_final: bool
    person: str  # who approved it, or who submitted it
    url: str  # the goal page, or the admin page of an update waiting for review
    waiting_days: int | None = None  # for an update waiting for review: days since it was handed in


@dataclass(frozen=True)
class DueLine:
    """A figure due under the goal's reporting cadence: overdue (days_late > 0) or coming due."""

    goal: GoalLine
    due_on: date
    last_as_of: date | None  # the latest figure's date; None if it never had one
    days_late: int
    url: str  # where the figure is entered


@dataclass(frozen=True)
class ExplanationLine:
    """An explanation of a red goal (原因说明和整改措施) its lead department owes past its day."""

    goal: GoalLine
    department: str
    due_on: date
    days_overdue: int
    url: str  # the admin page where it is written


@dataclass(frozen=True)
class StatusCount:
    zh: str
    en: str
    count: int


@dataclass(frozen=True)
class Listing:
    """The first lines of a list, how many there are in all, and where to see them all."""

    lines: list = field(default_factory=list)
    total: int = 0
    url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class DepartmentTally:
    """One lead department's row in an all-departments digest: how much needs it."""

    department: str
    turned_red: int
    overdue_figures: int
    overdue_explanations: int
    waiting: int

    @property
    def total(self) -> int:
        return self.turned_red + self.overdue_figures + self.overdue_explanations + self.waiting


@dataclass(frozen=True)
class Section:
    """One department's part of a digest (department None: all departments together)."""

    department: str  # "济南市大数据局（Big Data Bureau）"; empty for all departments
    turned_red: Listing
    overdue_figures: Listing
    overdue_explanations: Listing
    waiting: Listing
    other_changes: Listing
    approved: Listing
    figures_due: Listing
    deadlines: Listing
    status_counts: list[StatusCount]  # as known at the end of the period
    # All departments only: the lead departments with something to act on, most first.
    by_department: list[DepartmentTally] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """No goal changed status and no figure was approved in the period."""
        return not (self.turned_red or self.other_changes or self.approved)

    @property
    def goal_total(self) -> int:
        return sum(line.count for line in self.status_counts)


@dataclass(frozen=True)
class Digest:
    """One scope's period, as plain values ready for the email templates."""

    period: Period
    departments: list[str]  # the scope; empty means all departments
    sections: list[Section]

    @property
    def week_start(self) -> date:
        return self.period.start

    @property
    def week_last_day(self) -> date:
        return self.period.last_day

    @property
    def nothing_changed(self) -> bool:
        return all(section.quiet for section in self.sections)

    @property
    def turned_red_total(self) -> int:
        return sum(section.turned_red.total for section in self.sections)

    @property
    def overdue_total(self) -> int:
        return sum(
            section.overdue_figures.total + section.overdue_explanations.total for section in self.sections
        )

    @property
    def waiting_total(self) -> int:
        return sum(section.waiting.total for section in self.sections)

    @property
    def approved_total(self) -> int:
        return sum(section.approved.total for section in self.sections)

    @property
    def other_changes_total(self) -> int:
        return sum(section.other_changes.total for section in self.sections)

    @property
    def headline(self) -> tuple[str, str]:
        """What the subject says, in Chinese and English: first what waits for the reader (figures
        awaiting review, goals turned red, figures and explanations overdue), else what changed, and
        "nothing changed" only when nothing waits and nothing changed."""
        waits = [
            (self.waiting_total, "项待审核", "awaiting review"),
            (self.turned_red_total, "项转红", "turned red"),
            (self.overdue_total, "项逾期", "overdue"),
        ]
        changed = [
            (self.approved_total, "条进展通过审核", "figure{s} approved"),
            (self.other_changes_total, "项状态变化", "status change{s}"),
        ]
        parts = [part for part in waits if part[0]] or [part for part in changed if part[0]]
        if not parts:
            return f"{self.period.words_zh}无变化", "nothing changed"
        return (
            " · ".join(f"{count} {zh}" for count, zh, _ in parts),
            " · ".join(f"{count} {en.format(s='' if count == 1 else 's')}" for count, _, en in parts),
        )


# --- Building -----------------------------------------------------------------------------------


def _labels(status: str) -> tuple[str, str]:
    """A status in Chinese and English ("—" for none: the first evaluation has no status before it)."""
    return status_label(status, "zh"), status_label(status, "en")


def _change_fields(change) -> dict:
    """What every line about a status change shows: the goal, the day, from what to what."""
    (from_zh, from_en), (to_zh, to_en) = _labels(change.from_status), _labels(change.to_status)
    return {
        "goal": _goal_line(change.goal),
        "changed_on": timezone.localdate(change.changed_at),
        "from_zh": from_zh,
        "from_en": from_en,
        "to_zh": to_zh,
        "to_en": to_en,
    }


def _goal_line(goal: Goal) -> GoalLine:
    zh, en = _labels(goal.status)
    return GoalLine(
        title=goal.title,
        title_en=goal.title_en,
        url=settings.SITE_URL + goal.get_absolute_url(),
        status_zh=zh,
        status_en=en,
        deadline=goal.deadline,
        target=goal.target_display(),
        department=goal.lead_department.name if goal.lead_department else "",
    )


def _person(user) -> str:
    """A name in Chinese order (王伟, not “伟 王”)."""
    return "" if user is None else person_name(user)


def department_label(department) -> str:
    return f"{department.name}（{department.name_en}）" if department.name_en else department.name


def goals_in_scope(department_ids: list[int]):
    """Published goals led or supported by one of the departments (all published goals if none)."""
    goals = Goal.objects.public()
    if department_ids:
        goals = goals.filter(
            Q(lead_department__in=department_ids) | Q(supporting_departments__in=department_ids)
        )
    # A subquery: the join through supporting departments must not repeat a goal in what follows.
    return Goal.objects.filter(pk__in=goals.values("pk"))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """Midnight to midnight in TIME_ZONE (Beijing time), since the days are local days."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    return start, timezone.make_aware(datetime.combine(period.end, time.min))


def _first_rows(queryset, limit: int, *, count_apart: bool = False) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all: in one query (a window count), or for a
    list that can run to tens of thousands of rows (a city's approvals in a week) in two, since the
    window would make the database join every row only to count them."""
    if count_apart:
        rows = list(queryset[:limit])
        return rows, (queryset.count() if len(rows) == limit else len(rows))
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].list_total if rows else 0)


def full_list_url(*, period: Period, department_id: int | None, name: str) -> str:
    """The staff page listing every line of one list of one department's section."""
    query = {"period": period.start.isoformat(), "frequency": str(period.frequency), "list": name}
    if department_id is not None:
        query["department"] = department_id
    return f"{settings.SITE_URL}{reverse('admin:digests_digestsubscription_full_list')}?{urlencode(query)}"


def _entry_url(goal_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('admin:goals_progressupdate_add')}?{urlencode({'goal': goal_id})}"


def status_counts_at(goals, moment: datetime) -> list[StatusCount]:
    """How many of these goals stood in each status at `moment`, as the status history knew it then:
    the status of the last change before it; for a goal whose first change came later, the status that
    change started from; for a goal that never changed, its status now. One query."""
    history = StatusChange.objects.filter(goal=OuterRef("pk"))
    before = history.filter(changed_at__lt=moment).order_by("-changed_at", "-pk").values("to_status")[:1]
    after = history.filter(changed_at__gte=moment).order_by("changed_at", "pk").values("from_status")[:1]
    rows = (
        goals.order_by()
        .annotate(status_then=Coalesce(Subquery(before), Subquery(after), "status"))
        .values("status_then")
        .annotate(total=Count("pk"))
    )
    per_status: dict[str, int] = {}
    for row in rows:
        # A first change starts from no status (""): the goal had not been judged yet.
        status = row["status_then"] or Status.NOT_STARTED
        per_status[status] = per_status.get(status, 0) + row["total"]
    return [
        StatusCount(zh=status_label(status, "zh"), en=status_label(status, "en"), count=per_status[status])
        for status in Status
        if per_status.get(status)
    ]


# The "behind" facts, shared by the department sections and the sections per place (by_place.py).


def turned_red_changes(goals, period: Period):
    """Turns to red (off track, missed, a milestone overdue) in the period; a turn resting on a sample
    figure is never listed as one."""
    start, end = _bounds(period)
    return StatusChange.objects.filter(
        goal__in=goals, changed_at__gte=start, changed_at__lt=end, to_status__in=[str(s) for s in RED]
    ).filter(is_sample=False)


def waiting_updates(goals):
    """Figures submitted and waiting for review."""
    return ProgressUpdate.objects.filter(goal__in=goals, review_state=ProgressUpdate.ReviewState.SUBMITTED)


def figure_schedule(goals, day: date):
    """The goals that owe figures on `day`: started, not milestones (they report none), not finished."""
    return (
        goals.exclude(kind=Goal.Kind.MILESTONE)
        .exclude(status__in=[str(s) for s in FINISHED])
        .filter(period_start__lte=day)
    )


def figure_due_on(*, latest: date | None, start: date, cadence: int | None) -> date:
    """When a goal's next figure is due under its reporting cadence (stale_after_days, else
    GOAL_STALE_AFTER_DAYS), counted from its latest figure, else its start."""
    return next_figure_due(
        last_as_of=latest,
        period_start=start,
        cadence_days=cadence_days(cadence, settings.GOAL_STALE_AFTER_DAYS),
    )


def explanation_line(explanation, day: date) -> ExplanationLine:
    return ExplanationLine(
        goal=_goal_line(explanation.goal),
        department=str(explanation.goal.lead_department or "—"),
        due_on=explanation.due_on,
        days_overdue=(day - explanation.due_on).days,
        url=settings.SITE_URL + reverse("admin:goals_goalexplanation_change", args=[explanation.pk]),
    )


def red_line(change) -> RedLine:
    return RedLine(
        **_change_fields(change),
        figure=amount_text(change.actual_value, change.goal.unit, missing=""),
        # 序时进度 as the status text says it (units.amount_display: 9833, not 9833.3333).
        expected=amount_text(change.expected_value, change.goal.unit, computed=True, missing=""),
        explanation_zh=change.explanation_zh,
        explanation_en=change.explanation_en,
    )


def waiting_line(update) -> UpdateLine:
    return UpdateLine(
        goal=_goal_line(update.goal),
        as_of=update.as_of,
        value=amount_text(update.value, update.reported_unit, missing=""),
        is_final=update.is_final,
        person=_person(update.recorded_by),
        url=settings.SITE_URL + reverse("admin:goals_progressupdate_change", args=[update.pk]),
        # Counted to the day it is built: the list is what waits now.
        waiting_days=(timezone.localdate() - timezone.localdate(update.updated_at)).days,
    )


def due_line(goal: Goal, *, due_on: date, latest: date | None, day: date) -> DueLine:
    return DueLine(
        goal=_goal_line(goal),
        due_on=due_on,
        last_as_of=latest,
        days_late=(day - due_on).days,
        url=_entry_url(goal.pk),
    )


def _figures_due(goals, period: Period, limits: tuple[int, int]) -> tuple[Listing, Listing, Counter]:
    """Figures owed under each goal's reporting cadence (stale_after_days, else GOAL_STALE_AFTER_DAYS),
    counted from its latest figure (else its start): those overdue at the period's end, most overdue
    first, and those coming due within DUE_HORIZON of it. Milestones report no figures, and a finished
    goal needs none. Also how many are overdue per lead department. Two queries: the schedule of
    every goal in scope, then the goals listed."""
    day = period.end
    overdue, coming, per_department = [], [], Counter()
    for pk, latest, start, cadence, department_id in figure_schedule(goals, day).values_list(
        "pk", "latest_as_of", "period_start", "stale_after_days", "lead_department"
    ):
        due_on = figure_due_on(latest=latest, start=start, cadence=cadence)
        if due_on < day:
            overdue.append((due_on, pk, latest))
            per_department[department_id] += 1
        elif due_on < day + DUE_HORIZON:
            coming.append((due_on, pk, latest))
    overdue.sort()
    coming.sort()
    shown = overdue[: limits[0]] + coming[: limits[1]]
    by_pk = (
        Goal.objects.select_related("lead_department").in_bulk([pk for _, pk, _ in shown]) if shown else {}
    )

    def lines(rows, limit):
        return [
            due_line(by_pk[pk], due_on=due_on, latest=latest, day=day) for due_on, pk, latest in rows[:limit]
        ]

    return (
        Listing(lines(overdue, limits[0]), len(overdue)),
        Listing(lines(coming, limits[1]), len(coming)),
        per_department,
    )


def _per_lead_department(queryset) -> dict:
    return dict(
        queryset.order_by()
        .values("goal__lead_department")
        .annotate(total=Count("pk"))
        .values_list("goal__lead_department", "total")
    )


def _tally(*, turned_red, overdue_figures: Counter, overdue_explanations, waiting) -> list[DepartmentTally]:
    """Per lead department, what needs it (three grouped counts and the departments' names)."""
    counts = [
        _per_lead_department(turned_red),
        overdue_figures,
        _per_lead_department(overdue_explanations),
        _per_lead_department(waiting),
    ]
    ids = {department_id for per in counts for department_id, total in per.items() if total}
    names = {
        department.pk: department_label(department)
        for department in Department.objects.filter(pk__in=[pk for pk in ids if pk is not None])
    }
    rows = [
        DepartmentTally(
            names.get(pk, "未定牵头单位 · no lead department"), *(per.get(pk, 0) for per in counts)
        )
        for pk in ids
    ]
    return sorted(rows, key=lambda row: (-row.total, row.department))


def section_build(*, department, period: Period, full: str = "") -> Section:
    """One department's section (department None: all departments) of the digest of `period`; each
    list holds its first LIST_LIMIT lines, the one named `full` (one of LISTS) up to FULL_LIST_LIMIT."""

    def limit(name: str) -> int:
        return FULL_LIST_LIMIT if name == full else LIST_LIMIT

    department_id = None if department is None else department.pk
    goals = goals_in_scope([] if department is None else [department_id])
    start, end = _bounds(period)
    day = period.end  # the period's end, the day the digest goes out

    def url(name: str) -> str:
        return full_list_url(period=period, department_id=department_id, name=name)

    changes = StatusChange.objects.filter(goal__in=goals, changed_at__gte=start, changed_at__lt=end)
    red_statuses = [str(s) for s in RED]
    red_changes = turned_red_changes(goals, period)
    turned_red, red_total = _first_rows(
        red_changes.select_related("goal__lead_department").order_by("changed_at", "pk"), limit("turned_red")
    )
    other_changes, other_total = _first_rows(
        changes.exclude(to_status__in=red_statuses)
        .select_related("goal__lead_department")
        .order_by("changed_at", "pk"),
        limit("other_changes"),
    )
    approved, approved_total = _first_rows(
        ProgressUpdate.objects.approved()
        .filter(goal__in=goals, reviewed_at__gte=start, reviewed_at__lt=end)
        .select_related("goal__lead_department", "reviewed_by")
        .order_by("reviewed_at", "pk"),
        limit("approved"),
        count_apart=True,
    )
    submitted = waiting_updates(goals)
    waiting, waiting_total = _first_rows(
        submitted.select_related("goal__lead_department", "recorded_by").order_by("updated_at", "pk"),
        limit("waiting"),
    )
    late_explanations = GoalExplanation.objects.overdue(day).filter(goal__in=goals)
    explanations, explanations_total = _first_rows(
        late_explanations.select_related("goal__lead_department").order_by("due_on", "pk"),
        limit("overdue_explanations"),
    )
    deadlines, deadlines_total = _first_rows(
        goals.filter(deadline__gte=day, deadline__lt=day + DUE_HORIZON)
        .exclude(status__in=MET)  # met goals need nobody's attention however close
        .select_related("lead_department")
        .order_by("deadline", "pk"),
        limit("deadlines"),
    )
    overdue_figures, figures_due, overdue_per_department = _figures_due(
        goals, period, (limit("overdue_figures"), limit("figures_due"))
    )

    return Section(
        department="" if department is None else department_label(department),
        turned_red=Listing(
            [red_line(change) for change in turned_red],
            red_total,
            url("turned_red"),
        ),
        overdue_figures=Listing(overdue_figures.lines, overdue_figures.total, url("overdue_figures")),
        overdue_explanations=Listing(
            [explanation_line(explanation, day) for explanation in explanations],
            explanations_total,
            url("overdue_explanations"),
        ),
        waiting=Listing(
            [waiting_line(update) for update in waiting],
            waiting_total,
            url("waiting"),
        ),
        other_changes=Listing(
            [StatusChangeLine(**_change_fields(change)) for change in other_changes],
            other_total,
            url("other_changes"),
        ),
        approved=Listing(
            [
                UpdateLine(
                    goal=line,
                    as_of=update.as_of,
                    value=amount_text(update.value, update.reported_unit, missing=""),
                    is_final=update.is_final,
                    person=_person(update.reviewed_by),
                    url=line.url,
                )
                for update in approved
                for line in [_goal_line(update.goal)]
            ],
            approved_total,
            url("approved"),
        ),
        figures_due=Listing(figures_due.lines, figures_due.total, url("figures_due")),
        deadlines=Listing([_goal_line(goal) for goal in deadlines], deadlines_total, url("deadlines")),
        status_counts=status_counts_at(goals, end),
        by_department=[]
        if department is not None
        else _tally(
            turned_red=red_changes,
            overdue_figures=overdue_per_department,
            overdue_explanations=late_explanations,
            waiting=submitted,
        ),
    )


def digest_build_for_scope(*, departments: list, period: Period, sections: dict | None = None) -> Digest:
    """The digest of `period` for these departments, one section each in name order (all departments
    together in one section if none). `sections`, when given, keeps each department's section so that
    a run builds each once however many scopes share it."""
    ordered = sorted(departments, key=lambda department: (department.name, department.pk))
    built = {} if sections is None else sections
    keys = [(period, department.pk) for department in ordered] or [(period, None)]
    for key, department in zip(keys, ordered or [None], strict=True):
        if key not in built:
            built[key] = section_build(department=department, period=period)
    return Digest(
        period=period,
        departments=[department_label(department) for department in ordered],
        sections=[built[key] for key in keys],
    )
