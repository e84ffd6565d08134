"""Reads for the public site. Every query here starts from the public querysets, so nothing
unpublished or unapproved can reach a page, feed, export or the API; each page's query count is
decided here and asserted in tests/public/test_query_counts.py."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.goals.models import (
    HOME_PLACE,
    Category,
    Citation,
    Department,
    Document,
    Goal,
    GoalExplanation,
    Indicator,
    Jurisdiction,
    ProgressUpdate,
    StatusChange,
)
from apps.goals.selectors import goals_judged_on, status_counts_on, statuses_judged_on
from apps.goals.services.quarters import quarter_ends
from apps.goals.status import MET, STATUS_ORDER, known_on


def status_rank():
    """An SQL expression ranking goals by STATUS_ORDER, so sorting by status reads worst first."""
    return Case(
        *[When(status=s.value, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


def public_goals():
    return Goal.objects.public().with_related()


def public_documents():
    """Every ingested document is a published government text; the count is of published goals cited."""
    return Document.objects.defer("text").annotate(
        goal_count=Count(
            "citations__goal",
            filter=Q(citations__goal__review_state=Goal.ReviewState.PUBLISHED),
            distinct=True,
        )
    )


def goal_for_page(slug):
    """One published goal with everything its page shows, its published parts among them, in a fixed
    number of queries (8)."""
    return (
        public_goals()
        .select_related("baseline_figure", "parent")
        .prefetch_related(
            "supporting_departments",
            # The goal's parts (a split by district or department), one query whatever their number.
            Prefetch(
                "children",
                queryset=public_goals().select_related("place").order_by("place__order", "pk"),
                to_attr="public_parts",
            ),
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("document").order_by(
                    "document__published_on", "document_id", "start"
                ),
            ),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.approved().order_by("as_of", "pk"),
                to_attr="public_updates",
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("-changed_at", "-pk")),
            Prefetch(
                "explanations",
                queryset=GoalExplanation.objects.approved().order_by("-requested_on", "-pk"),
                to_attr="public_explanations",
            ),
            "revisions",
        )
        .get(slug=slug)
    )


def goal_with_figures(slug):
    """One published goal and its approved figures, oldest first (two queries)."""
    return (
        public_goals()
        .prefetch_related(
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.approved().order_by("as_of", "pk"),
                to_attr="public_updates",
            ),
        )
        .get(slug=slug)
    )


def published_citations(document):
    """The citations in a document whose goal is published, with their goal, in text order."""
    return (
        Citation.objects.filter(document=document, goal__review_state=Goal.ReviewState.PUBLISHED)
        .select_related("goal")
        .order_by("start", "end", "pk")
    )


def public_updates():
    return ProgressUpdate.objects.public().select_related("goal")


def public_status_changes():
    return StatusChange.objects.filter(goal__review_state=Goal.ReviewState.PUBLISHED).select_related("goal")


@dataclass
class Breakdown:
    """Goal counts by status for one category or department (owner None: goals without one)."""

    owner: Category | Department | None
    counts: dict
    total: int


@dataclass(frozen=True)
class DashboardView:
    """What the dashboard is about: the goals in force on `day` (default) or due in `year`; with
    `as_of`, as they stood on that past day, from what was known then."""

    day: date
    year: int | None = None
    as_of: bool = False
    every_year: bool = False  # when nothing is in force: every goal
    place: str | None = None  # a place's slug; None: the home place (a district never counts in the city's)

    def selection(self):
        goals = Goal.objects.public().in_place(self.place)
        if self.year:
            goals = goals.due_in(self.year)
        elif not self.every_year:
            goals = goals.in_force(self.day)
        return goals.known_on(self.day) if self.as_of else goals


def dashboard_years(place: str | None = None) -> list[int]:
    """The deadline years of a place's published goals, newest first: the dashboard's year switch."""
    years = Goal.objects.public().in_place(place).order_by().values_list("deadline__year", flat=True)
    return sorted(set(years.distinct()), reverse=True)


def _breakdown(counts: dict, model) -> list[Breakdown]:
    """Goal counts by status per owner id (None: goals without one), with the owners in one query."""
    owners = model.objects.in_bulk([key for key in counts if key is not None])
    result = [
        Breakdown(owner=owners.get(key), counts=by_status, total=sum(by_status.values()))
        for key, by_status in counts.items()
    ]
    if model is Category:
        result.sort(key=lambda b: (b.owner is None, b.owner.order if b.owner else 0, str(b.owner or "")))
    else:
        result.sort(key=lambda b: (b.owner is None, -b.total, str(b.owner or "")))
    return result


def _judge_listed(goals, day):
    """The goals a page lists, showing in full what was judged for them on the as-of day (never saved):
    from every figure known then, as the wording and forecast need them."""
    judged = goals_judged_on(goals=Goal.objects.filter(pk__in={goal.pk for goal in goals}), day=day)
    for goal in goals:
        computed = judged.get(goal.pk)
        if computed is not None:
            for name, value in computed._asdict().items():
                setattr(goal, name, value)


def dashboard(view: DashboardView | None = None):
    """Everything the dashboard shows about the selected goals, in a fixed number of queries whatever
    the number of goals. For a past day (view.as_of) statuses are judged afresh from the figures known
    then, in memory: nothing is written."""
    view = view or DashboardView(day=timezone.localdate())
    day, selection = view.day, view.selection()
    # A past day's counts need each goal's status only; the goals listed are judged in full below.
    judged = statuses_judged_on(goals=selection, day=day) if view.as_of else {}
    by_status: dict[str, int] = {}
    by_category: dict = {}
    by_department: dict = {}
    # The status over time's point for the day shown says what the page's counts say: the goals' own
    # statuses (those judged at least once, so with a history), or for a past day those judged afresh.
    day_counts: dict[str, int] = {}
    rows = selection.order_by().values_list(
        "pk", "category_id", "lead_department_id", "status", "status_evaluated_on"
    )
    for pk, category_id, department_id, stored_status, evaluated_on in rows:
        status = judged.get(pk, stored_status)
        by_status[status] = by_status.get(status, 0) + 1
        counted = pk in judged if view.as_of else evaluated_on is not None
        if counted:
            day_counts[status] = day_counts.get(status, 0) + 1
        for counts, key in ((by_category, category_id), (by_department, department_id)):
            counts.setdefault(key, {})
            counts[key][status] = counts[key].get(status, 0) + 1
    upcoming = list(selection.with_related().filter(deadline__gte=day).order_by("deadline", "pk")[:40])
    headline = list(selection.with_related().headline())
    if view.as_of:
        _judge_listed([*upcoming, *headline], day)
    over_time = status_over_time(day, goals=selection, today_counts=day_counts)
    return {
        "view": view,
        "years": dashboard_years(view.place),
        "headline_goals": headline,
        "total": sum(by_status.values()),
        "status_counts": [
            {"status": s.value, "count": by_status.get(s.value, 0)}
            for s in STATUS_ORDER
            if by_status.get(s.value)
        ],
        "by_category": _breakdown(by_category, Category),
        "by_department": _breakdown(by_department, Department),
        "upcoming": [g for g in upcoming if g.status not in MET][:8],
        "recent_changes": list(
            public_status_changes()
            .filter(goal__in=selection, evaluated_on__lte=day)
            .order_by("-changed_at", "-pk")[:8]
        ),
        "status_over_time": over_time,
        "over_time_statuses": [
            s.value for s in STATUS_ORDER if any(snapshot.counts.get(s.value) for snapshot in over_time)
        ],
    }


@dataclass
class StatusSnapshot:
    """How many published goals stood in each status on one day."""

    day: date
    counts: dict[str, int]


def _quarter_ends_before(today: date, quarters: int) -> list[date]:
    """The last `quarters` quarter ends before `today`, oldest first."""
    first = date(today.year - (quarters // 4 + 1), 1, 1)
    return [day for day in quarter_ends(first, today) if day < today][-quarters:]


def status_over_time(
    today: date, quarters: int = 12, goals=None, today_counts: dict[str, int] | None = None
) -> list[StatusSnapshot]:
    """Counts by status at each of the last `quarters` quarter ends and today, from the status
    history: how the goals (default: all published ones) went, not only where they stand now. Days
    before the first change of one of them are left out; no history gives no snapshots. A caller that
    has today's counts already (the goals' own statuses) passes them as `today_counts`."""
    past = _quarter_ends_before(today, quarters)
    asked = past if today_counts is not None else [*past, today]
    counts = status_counts_on(asked, goals if goals is not None else Goal.objects.public())
    if today_counts is not None:
        counts[today] = today_counts
    snapshots = [StatusSnapshot(day=day, counts=counts[day]) for day in [*past, today]]
    while snapshots and not snapshots[0].counts:
        snapshots.pop(0)
    return snapshots


def public_indicators(place: str | None = None):
    """A place's indicators (by its slug; default the city's) with at least one published goal, by
    name, each with its lead department, how many published goals it has and the years they span: one
    query."""
    published = Q(goals__review_state=Goal.ReviewState.PUBLISHED)
    return (
        Indicator.objects.filter(place__slug=place or HOME_PLACE)
        .select_related("lead_department")
        .annotate(
            goal_count=Count("goals", filter=published),
            first_year=Min("goals__period_start__year", filter=published),
            last_year=Max("goals__deadline__year", filter=published),
        )
        .filter(goal_count__gt=0)
        .order_by("name")
    )


def indicator_for_page(slug):
    """An indicator with its published goals (oldest deadline first), in two queries; raises
    Indicator.DoesNotExist when it has none published."""
    indicator = Indicator.objects.select_related("lead_department").get(slug=slug)
    indicator.public_goals = list(
        public_goals().filter(indicator=indicator).order_by("deadline", "period_start", "pk")
    )
    if not indicator.public_goals:
        raise Indicator.DoesNotExist(f"no published goal on indicator {slug}")
    return indicator


def indicator_figures(indicator):
    """The approved figures of an indicator, oldest first: those reported for the indicator itself
    and those recorded against its published goals (sample figures among them are marked)."""
    return list(
        ProgressUpdate.objects.approved()
        .filter(
            Q(indicator=indicator, goal__isnull=True)
            | Q(goal__indicator=indicator, goal__review_state=Goal.ReviewState.PUBLISHED)
        )
        .select_related("goal")
        .order_by("as_of", "pk")
    )


def figures_for_goal(goal):
    """The approved figures a goal is judged by, oldest first: its own (prefetched) and those reported
    for its indicator within its period (one query)."""
    served = list(ProgressUpdate.objects.approved().serving(goal).select_related("indicator"))
    return sorted([*goal.public_updates, *served], key=lambda u: (u.as_of, u.pk))


def goal_as_of(goal, day):
    """Show `goal` as it stood on `day`: only the figures known then, and the status judged from them,
    its parts' too (in memory; nothing is written)."""
    goal.public_updates = [
        u for u in goal.public_updates if known_on(as_of=u.as_of, published_on=u.published_on, day=day)
    ]
    _judge_listed([goal, *goal.public_parts], day)
    goal.known_then = Goal.objects.filter(pk=goal.pk).known_on(day).exists()
    return goal


def goal_neighbours(goal):
    """The published goals on the same indicator just before and after this one (by deadline): its
    predecessor and successor, in one query."""
    if goal.indicator_id is None:
        return None, None
    others = list(
        Goal.objects.public()
        .filter(indicator_id=goal.indicator_id)
        .exclude(pk=goal.pk)
        .only("slug", "title", "title_en", "deadline", "period_start")
        .order_by("deadline", "pk")
    )
    before = [g for g in others if g.deadline < goal.deadline]
    after = [g for g in others if g.deadline > goal.deadline]
    return (before[-1] if before else None), (after[0] if after else None)


# --- Places: the city and its districts, counties and zones ---------------------------------------


def places_overview():
    """Every place, city first, each with how many published goals it has, how many documents and how
    many approved figures of its own indicators: one query whatever the number of places or goals."""

    def counted(queryset):
        return Subquery(
            queryset.order_by().values("place_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )

    return (
        Jurisdiction.objects.select_related("parent")
        .annotate(
            goal_count=Coalesce(counted(Goal.objects.public().filter(place_id=OuterRef("pk"))), 0),
            document_count=Coalesce(counted(Document.objects.filter(place_id=OuterRef("pk"))), 0),
            figure_count=Coalesce(
                Subquery(
                    ProgressUpdate.objects.approved()
                    .filter(indicator__place_id=OuterRef("pk"), goal__isnull=True)
                    .order_by()
                    .values("indicator__place_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("order", "name")
    )


def place_for_page(slug):
    """One place with its chain of parents (济南市 › 历城区), in one query; raises DoesNotExist."""
    return Jurisdiction.objects.select_related("parent__parent").get(slug=slug)


# How many of a place's goals and figures its page lists; the full lists are one link away.
PLACE_PAGE_ROWS = 60


def place_goals(place):
    """A place's published goals, latest deadline first, each with its first citation and that
    citation's document (to show the source sentence): two queries."""
    return list(
        public_goals()
        .filter(place=place)
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("document").order_by("document_id", "start"),
            )
        )
        .order_by("-deadline", "title", "pk")[:PLACE_PAGE_ROWS]
    )


def place_figures(place):
    """The approved figures reported for a place's indicators (its results, with their quote and
    source), newest first: one query."""
    return list(
        ProgressUpdate.objects.approved()
        .filter(indicator__place=place, goal__isnull=True)
        .select_related("indicator", "source_document")
        .defer("source_document__text")
        .order_by("-as_of", "indicator__name", "pk")[:PLACE_PAGE_ROWS]
    )


def place_documents(place):
    return list(public_documents().filter(place=place).order_by("-published_on", "pk"))


def place_status_counts(place):
    """How many of a place's published goals stand in each status, worst first, every year counted
    (the page lists them all): one query."""
    rows = dict(
        Goal.objects.public().filter(place=place).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return [{"status": s.value, "count": rows[s.value]} for s in STATUS_ORDER if rows.get(s.value)]
