"""The printable report for a 督查 (supervision) meeting, for the city or one department, on a chosen day:
the red and at-risk goals with their figures, expected values, explanations and corrective actions,
what is overdue, and who leads. Public data only (published goals, approved figures and explanations),
so it is a public page; its queries are a fixed number whatever the number of goals."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from apps.goals.models import Department, Goal, GoalExplanation
from apps.goals.selectors import goals_judged_on
from apps.goals.status import MET, RED, STATUS_ORDER, Status

from .caching import public_page
from .views import as_of_day

AT_RISK = {Status.AT_RISK}
# Figures owed: the goal runs on without a recent figure, or ended without any.
FIGURES_OWED = {Status.STALE, Status.UNREPORTED}
# Goals that ended within this many days before the report's day are still reported on (a target
# missed last December belongs in January's meeting), older ones are not.
RECENTLY_ENDED_DAYS = 366


@dataclass
class Section:
    """What one lead department has to answer for."""

    department: Department | None
    attention: list = field(default_factory=list)  # red, then at risk
    overdue: list = field(default_factory=list)  # past the deadline and not met, or figures owed

    @property
    def red_count(self):
        return sum(goal.status in RED for goal in self.attention)

    @property
    def at_risk_count(self):
        return sum(goal.status in AT_RISK for goal in self.attention)


def report_goals(day: datetime.date, department: Department | None = None):
    """The published goals a report on `day` covers: those in force that day and those that ended in
    the year before it; for a department, those it leads or supports."""
    goals = Goal.objects.public().filter(
        period_start__lte=day, deadline__gte=day - datetime.timedelta(days=RECENTLY_ENDED_DAYS)
    )
    if department is not None:
        supporting = Goal.supporting_departments.through.objects.filter(
            goal_id=OuterRef("pk"), department=department
        )
        goals = goals.filter(Q(lead_department=department) | Exists(supporting))
    return goals


def _needs_a_line(goal, day):
    return (
        goal.status in RED
        or goal.status in AT_RISK
        or goal.status in FIGURES_OWED
        or (goal.deadline < day and goal.status not in MET)
    )


def build_report(day: datetime.date, *, as_of: bool, department: Department | None = None) -> list[Section]:
    """The report's sections, one per lead department with something to report, the department with
    the most red goals first. For a past day (`as_of`) the statuses are judged afresh from the figures
    known then, and only explanations approved by then count."""
    goals = report_goals(day, department)
    if as_of:
        goals = goals.known_on(day)
    explanations = GoalExplanation.objects.approved().order_by("-requested_on", "-pk")
    listed = list(
        goals.with_related().prefetch_related(
            "supporting_departments",
            Prefetch("explanations", queryset=explanations, to_attr="public_explanations"),
        )
    )
    if as_of:
        judged = goals_judged_on(goals=Goal.objects.filter(pk__in=[g.pk for g in listed]), day=day)
        for goal in listed:
            computed = judged.get(goal.pk)
            if computed is not None:
                for name, value in computed._asdict().items():
                    setattr(goal, name, value)
    rank = {status.value: number for number, status in enumerate(STATUS_ORDER)}
    sections: dict[int | None, Section] = {}
    for goal in sorted(listed, key=lambda g: (rank.get(g.status, len(rank)), g.deadline, g.pk)):
        if not _needs_a_line(goal, day):
            continue
        goal.report_explanations = [
            e for e in goal.public_explanations if e.approved_on and e.approved_on <= day
        ]
        section = sections.setdefault(goal.lead_department_id, Section(department=goal.lead_department))
        if goal.status in RED or goal.status in AT_RISK:
            section.attention.append(goal)
        else:
            section.overdue.append(goal)
    return sorted(
        sections.values(),
        key=lambda s: (
            s.department is None,
            -s.red_count,
            -s.at_risk_count,
            s.department and s.department.name,
        ),
    )


def _report_page(request, department=None):
    today = timezone.localdate()
    as_of = as_of_day(request, today)
    day = as_of or today
    sections = build_report(day, as_of=as_of is not None, department=department)
    return render(
        request,
        "public/report.html",
        {
            "department": department,
            "sections": sections,
            "day": day,
            "as_of": as_of,
            "today": today,
            "red_total": sum(s.red_count for s in sections),
            "at_risk_total": sum(s.at_risk_count for s in sections),
            "overdue_total": sum(len(s.overdue) for s in sections),
            "recently_ended_days": RECENTLY_ENDED_DAYS,
        },
    )


@public_page
def city_report(request):
    return _report_page(request)


@public_page
def department_report(request, slug):
    try:
        department = Department.objects.get(slug=slug)
    except Department.DoesNotExist:
        raise Http404("No such department") from None
    return _report_page(request, department)
