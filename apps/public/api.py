"""The read-only JSON API: the goal list (same filters as the list page, paginated) and one goal with
its sources, approved progress and status history. Field names are listed in exports.GOAL_FIELDS."""

from functools import wraps

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils import translation

from . import exports, selectors
from .caching import public_page
from .views import filtered_goals, goal_or_404

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def language_neutral(view):
    """The API answers alike under /en/: its texts come in a field per language, its links are the
    Chinese site's, and both addresses share one cached answer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapper


@language_neutral
@public_page
def goal_list(request):
    goal_filter, goals = filtered_goals(request)
    size = min(max(_int(request.GET.get("page_size"), PAGE_SIZE), 1), MAX_PAGE_SIZE)
    paginator = Paginator(goals.order_by("deadline", "pk"), size)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return exports.json_response({"error": "page not found", "pages": paginator.num_pages}, status=404)

    base = exports.site_base(request)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return exports.absolute(f"{reverse('public:api_goal_list')}?{query.urlencode()}", base)

    return exports.json_response(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "filter_errors": goal_filter.errors or None,
            "results": [exports.goal_record(goal, base) for goal in page.object_list],
        }
    )


@language_neutral
@public_page
def goal_detail(request, slug):
    goal = goal_or_404(slug)
    goal.public_updates = selectors.figures_for_goal(goal)
    return exports.json_response({"goal": exports.goal_detail_record(goal, exports.site_base(request))})
