"""The OpenAPI 3.1 description of the JSON API (/api/openapi.json), built from the field lists the API's
views build their records from (apps.public.records) and from the goal list's filters, so the schema
cannot drift from what the views answer."""

from functools import cache

from django.urls import reverse
from django.utils import translation

from apps.goals.status import STATUS_ORDER

from . import records
from .filters import IN_FORCE, GoalFilter

# What each filter of the goal list asks for. Every filter of GoalFilter needs a line here (a new
# filter without one fails to build the schema, and so its test).
FILTER_DESCRIPTIONS = {
    "q": (
        "Words that must all appear in the title (Chinese or English), metric or slug.",
        {"type": "string"},
    ),
    "status": ("Goals with this status.", {"type": "string", "enum": [s.value for s in STATUS_ORDER]}),
    "category": ("Goals of this area of work (its slug).", {"type": "string"}),
    "department": ("Goals this department leads or supports (its slug).", {"type": "string"}),
    "place": (
        "Goals of this place (its slug: jinan, licheng, shanghe…; see /places/). Absent: every place.",
        {"type": "string"},
    ),
    "plan": ("Goals of this plan (its id).", {"type": "integer"}),
    "year": (
        f"Goals whose deadline falls in this year; `{IN_FORCE}`: the goals in force today.",
        {"type": "string", "pattern": f"^([0-9]{{4}}|{IN_FORCE})$"},
    ),
}


def object_schema(fields: list[records.Field]) -> dict:
    return {
        "type": "object",
        "properties": {f.name: {**f.schema, "description": f.description} for f in fields},
        "required": [f.name for f in fields],
        "additionalProperties": False,
    }


def _parameters(page_size: int, max_page_size: int) -> list[dict]:
    filters = GoalFilter.base_filters
    missing = set(filters) - set(FILTER_DESCRIPTIONS)
    if missing:
        raise KeyError(f"goal list filters without a description in the schema: {sorted(missing)}")
    parameters = [
        {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
        for name, (description, schema) in FILTER_DESCRIPTIONS.items()
    ]
    parameters += [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "The page of results, from 1.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "description": f"Goals per page (at most {max_page_size}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": max_page_size, "default": page_size},
        },
    ]
    return parameters


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


@cache
def spec(*, page_size: int, max_page_size: int) -> dict:
    """The OpenAPI document (the same for every request: addresses are relative to the server)."""
    with translation.override(None):
        list_path = reverse("public:api_goal_list")
        detail_path = reverse("public:api_goal_detail", args=["SLUG"]).replace("SLUG", "{slug}")
    schemas = {name: object_schema(fields) for name, fields in records.COMPONENTS.items()}
    schemas["GoalDetail"] = object_schema(records.GOAL_FIELDS + records.GOAL_DETAIL_FIELDS)
    schemas["GoalPage"] = {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "description": "Goals matching the filters."},
            "page": {"type": "integer", "description": "This page's number."},
            "pages": {"type": "integer", "description": "The number of pages."},
            "next": {**records.nullable(records.URL), "description": "The next page."},
            "previous": {**records.nullable(records.URL), "description": "The previous page."},
            "filter_errors": {
                "type": ["object", "null"],
                "description": "Filters whose value was not valid and so ignored, with why.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Goal"}},
        },
        "required": ["count", "page", "pages", "next", "previous", "filter_errors", "results"],
        "additionalProperties": False,
    }
    schemas["GoalAnswer"] = {
        "type": "object",
        "properties": {"goal": {"$ref": "#/components/schemas/GoalDetail"}},
        "required": ["goal"],
        "additionalProperties": False,
    }
    schemas["PageNotFound"] = {
        "type": "object",
        "properties": {"error": {"type": "string"}, "pages": {"type": "integer"}},
        "required": ["error", "pages"],
        "additionalProperties": False,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Jinan Targets open data API · 济南目标追踪开放数据接口",
            "version": "1",
            "description": (
                "Published goals of the Jinan city government, their approved figures, status and "
                "sources. Read-only, no key, CORS open to every origin. Texts come in a field per "
                "language; field names never change with the interface language. Decimals are strings."
            ),
            "license": {"name": "Public government information", "identifier": "CC0-1.0"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            list_path: {
                "get": {
                    "operationId": "listGoals",
                    "summary": "Published goals, filtered and paginated (by deadline).",
                    "parameters": _parameters(page_size, max_page_size),
                    "responses": {
                        "200": _json("GoalPage", "A page of goals."),
                        "404": _json("PageNotFound", "No such page of results."),
                    },
                }
            },
            detail_path: {
                "get": {
                    "operationId": "getGoal",
                    "summary": "One published goal: its sources, figures, status history and explanations.",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _json("GoalAnswer", "The goal."),
                        "404": {"description": "No published goal with this slug."},
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
