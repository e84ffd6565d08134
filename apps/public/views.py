"""What citizens see: the dashboard, the goal list and goal pages, the source documents."""

import dataclasses
import datetime
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from apps.goals.models import EARLIEST_AS_OF, HOME_PLACE, Goal, Indicator, ProgressUpdate
from apps.goals.status import RULE_VERSION, Thresholds
from apps.goals.wording import STATUS_DEFINITIONS

from . import compare, exports, indicators, parts, selectors
from .caching import public_page
from .charts import dashboard_chart_data, goal_chart_data
from .filters import IN_FORCE, GoalFilter
from .tables import SORT_CHOICES, GoalTable

PER_PAGE = 25


@public_page
def dashboard(request):
    today = timezone.localdate()
    try:
        as_of = as_of_day(request, today)
    except DayRefused:
        return day_refused(request)
    year = _int_param(request, "year")
    view = selectors.DashboardView(day=as_of or today, year=year, as_of=as_of is not None)
    context = selectors.dashboard(view)
    if not context["total"] and year is None and context["years"]:
        # Nothing in force that day: every goal rather than an empty page.
        context = selectors.dashboard(dataclasses.replace(view, every_year=True))
    context["chart_data"] = dashboard_chart_data(context)
    context["today"] = today
    # Goal pages opened from a past day's dashboard show that day too.
    context["as_of_query"] = f"?as_of={as_of.isoformat()}" if as_of else ""
    return render(request, "public/dashboard.html", context)


# The first day a page may be shown as it stood: the first day a figure may be dated (no document
# tracked here is older), and the status history's quarter arithmetic needs years well inside the
# calendar (issue 22, item 5: 0001-01-01).
EARLIEST_DAY = EARLIEST_AS_OF
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DayRefused(Exception):
    """?as_of= names a real day before EARLIEST_DAY."""


def as_of_day(request, today):
    """?as_of=YYYY-MM-DD: a past day to show the pages as they stood; None when absent, malformed or
    not in the past (the page of today). A day before EARLIEST_DAY raises DayRefused."""
    written = request.GET.get("as_of", "")
    if not ISO_DAY.fullmatch(written):  # fromisoformat alone takes 20260101 and 2026-W01-1
        return None
    try:
        day = datetime.date.fromisoformat(written)
    except ValueError:
        return None
    if day < EARLIEST_DAY:
        raise DayRefused(written)
    return day if day < today else None


def day_refused(request):
    """The page for a day before EARLIEST_DAY: 400, saying which days can be shown."""
    return render(
        request,
        "public/day_refused.html",
        {"earliest": EARLIEST_DAY, "asked": request.GET.get("as_of", "")},
        status=400,
    )


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def filtered_goals(request, data=None):
    """The published goals the query string (or `data`) selects (bad values are ignored) and the
    filter form."""
    goal_filter = GoalFilter(
        (request.GET if data is None else data) or None,
        queryset=selectors.public_goals(),
        language=translation.get_language() or "",
    )
    return goal_filter, goal_filter.qs


EXPORTERS = {"csv": exports.goals_csv, "json": exports.goals_json, "xlsx": exports.goals_xlsx}


def _goal_table(request, data):
    goal_filter, goals = filtered_goals(request, data)
    table = GoalTable(goals)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return goal_filter, goals, table


@public_page
def goal_list(request):
    # Opened without a year, the list shows the goals in force today (every goal when none is), the
    # other years one click away. Downloads take the query as given: /goals/?_export=csv is every goal.
    data = request.GET.copy()
    if "place" not in data and "_export" not in data:
        data["place"] = HOME_PLACE  # the city's goals, as the home page counts them; ?place= is every place
    in_force_by_default = "year" not in data and "_export" not in data
    if in_force_by_default:
        data["year"] = IN_FORCE
    goal_filter, goals, table = _goal_table(request, data)
    if in_force_by_default and not table.paginator.count:
        del data["year"]
        goal_filter, goals, table = _goal_table(request, data)
    export_format = request.GET.get("_export")
    if export_format is not None:
        if export_format not in EXPORTERS:
            raise Http404("Unknown export format")
        # The table's ordering applies, pagination does not: the download is the whole filtered list.
        ordered = table.data.data if hasattr(table.data, "data") else goals
        return EXPORTERS[export_format](
            ordered, f"jinan-goals.{export_format}", base=exports.site_base(request)
        )
    query = data.copy()
    query.pop("page", None)
    query.pop("_export", None)
    other_filters = query.copy()
    other_filters.pop("year", None)
    return render(
        request,
        "public/goal_list.html",
        {
            "filter": goal_filter,
            "table": table,
            "query": query.urlencode(),
            "year": data.get("year", ""),
            "year_links": _year_links(goal_filter, other_filters),
            "sort_choices": _sort_choices(request.GET.get("sort", "")),
            "sort": request.GET.get("sort", ""),
        },
    )


def _sort_choices(sort):
    """The sort control's choices; a column header's sort that is not among them is kept as it is."""
    if sort and sort not in {value for value, _label in SORT_CHOICES}:
        return [(sort, _("按所点表头排序")), *SORT_CHOICES]
    return SORT_CHOICES


def _year_links(goal_filter, other_filters):
    """(value, label, query) for each choice of the year filter and for every year, keeping the
    other filters: one click from the goals in force to those of any year."""
    links = []
    for value, label in [*goal_filter.filters["year"].extra["choices"], ("", _("全部年份"))]:
        query = other_filters.copy()
        query["year"] = value
        links.append((value, label, query.urlencode()))
    return links


def goal_or_404(slug, select=selectors.goal_for_page):
    try:
        return select(slug)
    except Goal.DoesNotExist:
        raise Http404("No published goal with this slug") from None


@public_page
def goal_detail(request, slug):
    goal = goal_or_404(slug)
    try:
        as_of = as_of_day(request, timezone.localdate())
    except DayRefused:
        return day_refused(request)
    # The goal's own figures and those reported once for its indicator that cover its period.
    goal.public_updates = selectors.figures_for_goal(goal)
    status_changes = list(goal.status_changes.all())
    explanations = goal.public_explanations
    if as_of is not None:
        # As it stood on that day: the figures known then, the status judged from them, the history so far.
        selectors.goal_as_of(goal, as_of)
        status_changes = [c for c in status_changes if c.evaluated_on <= as_of]
        explanations = [e for e in explanations if e.approved_on and e.approved_on <= as_of]
    predecessor, successor = selectors.goal_neighbours(goal)
    rollup = parts.goal_rollup(goal)
    return render(
        request,
        "public/goal_detail.html",
        {
            "goal": goal,
            "updates": goal.public_updates,
            "predecessor": predecessor,
            "successor": successor,
            "has_sample": any(u.is_sample for u in goal.public_updates),
            "citations": goal.citations.all(),
            "status_changes": status_changes,
            "explanations": explanations,
            "as_of": as_of,
            "revisions": goal.revisions.all(),
            "supporting_departments": goal.supporting_departments.all(),
            "chart_data": goal_chart_data(goal, today=as_of),
            "today": timezone.localdate(),
            "parts": goal.public_parts,
            "rollup_lines": parts.rollup_lines(rollup, goal.public_parts) if rollup else [],
        },
    )


@public_page
def indicator_list(request):
    indicators = list(selectors.public_indicators())  # by Chinese name; in English by English name
    if translation.get_language() == "en":
        indicators.sort(key=lambda indicator: (indicator.name_en or indicator.name).casefold())
    return render(request, "public/indicator_list.html", {"indicators": indicators})


@public_page
def indicator_detail(request, slug):
    try:
        indicator = selectors.indicator_for_page(slug)
    except Indicator.DoesNotExist:
        raise Http404("No indicator with published goals here") from None
    figures = selectors.indicator_figures(indicator)
    return render(
        request,
        "public/indicator_detail.html",
        {
            "indicator": indicator,
            "years": indicators.years_table(indicator.public_goals, figures),
            "has_sample": any(f.is_sample for f in figures),
            "chart_data": indicators.indicator_chart_data(indicator.public_goals, figures),
            "comparison_years": compare.indicator_comparison_years(indicator),
        },
    )


@public_page
def comparison_list(request):
    """The measures two places or more can be compared on, each with its years."""
    return render(request, "public/comparison_list.html", {"measures": compare.compared_measures()})


@public_page
def comparison(request, measure, year):
    """One measure across places in one year: a table, and the map of Jinan's 12 units beside it."""
    found = compare.measure_comparison(measure, year)
    if found is None or not found.rows:
        raise Http404("No place has a target or figure of this measure in this year")
    return render(request, "public/comparison.html", {"comparison": found})


@public_page
def goal_data_csv(request, slug):
    return exports.goal_open_sdg_csv(goal_or_404(slug, selectors.goal_with_figures))


@public_page
def methodology(request):
    """How statuses are decided: every status with its definition, the thresholds in force, 序时进度,
    the grace period, provisional and final figures, sample data and the rule version."""
    english = (translation.get_language() or "").startswith("en")
    statuses = [
        {
            "status": status.value,
            "definition": definition[1] if english else definition[0],
        }
        for status, definition in STATUS_DEFINITIONS.items()
    ]
    return render(
        request,
        "public/methodology.html",
        {
            "statuses": statuses,
            "at_risk_band": settings.GOAL_AT_RISK_BAND,
            "tolerance": settings.GOAL_GROWTH_TOLERANCE,
            "stale_after_days": settings.GOAL_STALE_AFTER_DAYS,
            "grace_days": Thresholds().awaiting_data_grace_days,
            "rule_version": RULE_VERSION,
        },
    )


@public_page
def document_list(request):
    return render(request, "public/document_list.html", {"documents": selectors.public_documents()})


@public_page
def document_detail(request, pk):
    document = get_object_or_404(selectors.public_documents().defer(None), pk=pk)
    citations = list(selectors.published_citations(document))
    return render(
        request,
        "public/document_detail.html",
        {
            "document": document,
            "citations": citations,
            "highlighted_text": highlight(document.text, citations),
        },
    )


def highlight(text, citations):
    """The document text as HTML with each citation in a <mark id="cite-<pk>"> linking to its goal.

    Citations may overlap (two goals stated in one sentence): the text is cut at every start and end,
    each piece is marked with the citations covering it, and a citation's id goes on its first piece.
    Texts taken from PDFs are hard-wrapped every line; a newline inside a paragraph (not before an
    indented or empty line) is dropped so paragraphs reflow on any screen. Offsets are unaffected."""
    soft_breaks = {
        i
        for i, char in enumerate(text)
        if char == "\n" and 0 < i < len(text) - 1 and text[i - 1] != "\n" and text[i + 1] not in "\n \u3000\t"
    }
    cuts = sorted({0, len(text), *(c.start for c in citations), *(c.end for c in citations)})
    parts = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = escape("".join(char for i, char in enumerate(text[a:b], a) if i not in soft_breaks))
        covering = [c for c in citations if c.start <= a and b <= c.end]
        if not covering:
            parts.append(piece)
            continue
        starting = [c for c in covering if c.start == a]
        goal = covering[0].goal
        mark_id = f' id="cite-{starting[0].pk}"' if starting else ""
        extra_anchors = "".join(f'<span id="cite-{c.pk}"></span>' for c in starting[1:])
        title = escape(" / ".join(c.goal.display_title for c in covering))
        parts.append(
            f'<mark{mark_id} class="citation" data-goal="{escape(goal.slug)}">{extra_anchors}'
            f'<a href="{escape(goal.get_absolute_url())}" title="{title}">{piece}</a></mark>'
        )
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text is escaped above


# Evidence that is safe to show inline; anything else (HTML, office files…) downloads.
INLINE_EVIDENCE = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp")


def evidence_file(request, name):
    """An uploaded evidence file: to anyone once its update is approved on a published goal, to staff of
    the goal's departments before that. Media is never served wholesale, so a draft's file stays private."""
    if "\x00" in name:  # no stored name holds one, and PostgreSQL refuses to compare with it
        raise Http404("No such evidence file")
    updates = ProgressUpdate.objects.filter(evidence_file=name)
    public = updates.public().exists()
    if not public:
        user = request.user
        if not (user.is_authenticated and user.is_staff and updates.visible_to(user).exists()):
            raise Http404("No public evidence file here")
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("Evidence file missing from storage") from None
    inline = name.lower().endswith(INLINE_EVIDENCE)
    response = FileResponse(handle, as_attachment=not inline, filename=name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


FAVICON = settings.BASE_DIR / "static" / "public" / "favicon.ico"


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page's <link rel="icon">."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
