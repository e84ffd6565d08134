"""The read-only JSON API: the goal list (same filters as the list page, paginated) and one goal with
its sources, approved progress and status history; its OpenAPI description and the page explaining
it. The records' fields, and so the schema, are listed once in apps.public.records."""

from functools import wraps

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from . import exports, openapi, records, selectors
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
        return records.absolute(f"{reverse('public:api_goal_list')}?{query.urlencode()}", base)

    return exports.json_response(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "filter_errors": goal_filter.errors or None,
            "results": [records.goal_record(goal, base) for goal in page.object_list],
        }
    )


@language_neutral
@public_page
def goal_detail(request, slug):
    goal = goal_or_404(slug)
    goal.public_updates = selectors.figures_for_goal(goal)
    return exports.json_response({"goal": records.goal_detail_record(goal, exports.site_base(request))})


def api_spec():
    return openapi.spec(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)


@language_neutral
@public_page
def openapi_json(request):
    return exports.json_response(api_spec())


@public_page
def api_guide(request):
    """The API explained to people, in Chinese with the English beside it, and every field."""
    components = [(name, _field_rows(fields)) for name, fields in records.COMPONENTS.items()]
    components.insert(1, ("GoalDetail", _field_rows(records.GOAL_DETAIL_FIELDS)))
    return render(
        request,
        "public/api.html",
        {
            "spec": api_spec(),
            "spec_url": reverse("public:api_openapi"),
            "list_url": reverse("public:api_goal_list"),
            "components": components,
            "filters": openapi.FILTER_DESCRIPTIONS,
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
        },
    )


def _field_rows(fields):
    return [(field.name, _type_text(field.schema), field.description) for field in fields]


def _type_text(schema) -> str:
    """A field's type as a reader says it: "string (date) or null", "array of Citation"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_text(part) for part in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_type_text(schema['items'])}"
    if schema.get("type") == "null":
        return "null"
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    main = [k for k in kinds if k != "null"]
    text = " / ".join(main)
    if "format" in schema:
        text += f" ({schema['format']})"
    elif "pattern" in schema:
        text += " (decimal)"
    elif "enum" in schema:
        text += f" ({', '.join(v for v in schema['enum'] if v is not None)})"
    return text + (" or null" if "null" in kinds else "")
