"""The API's OpenAPI description (apps/public/openapi.py) is a valid OpenAPI 3.1 document, and every
answer of the API over a world with a goal of every status, each filter and page, in both languages,
is valid against it; the human page explains it."""

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from apps.goals.models import Goal
from apps.goals.status import Status
from apps.public import records
from apps.public.api import api_spec
from apps.public.filters import GoalFilter

pytestmark = pytest.mark.django_db


def validator_for(spec, name):
    """A JSON Schema validator of one component, its references resolved inside the document, checking
    formats (date, date-time, uri) too."""
    checker = Draft202012Validator.FORMAT_CHECKER
    assert {"date", "date-time", "uri"} <= set(checker.checkers), "a format checker is missing"
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return Draft202012Validator(schema, format_checker=checker)


def assert_valid(spec, name, payload, address):
    errors = sorted(validator_for(spec, name).iter_errors(payload), key=lambda e: list(e.absolute_path))
    assert not errors, f"{address}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )


def test_the_served_schema_is_valid_openapi_3_1(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    spec = json.loads(response.content)
    validate(spec)  # raises on an invalid document
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/api/goals.json", "/api/goals/{slug}.json"}
    assert client.get("/en/api/openapi.json").content == response.content


def test_the_schema_holds_exactly_the_fields_the_views_write():
    spec = api_spec()
    goal = spec["components"]["schemas"]["Goal"]
    assert list(goal["properties"]) == records.GOAL_FIELD_NAMES == goal["required"]
    assert goal["additionalProperties"] is False
    parameters = {p["name"] for p in spec["paths"]["/api/goals.json"]["get"]["parameters"]}
    assert parameters == set(GoalFilter.base_filters) | {"page", "page_size"}


def test_a_record_with_a_field_the_schema_lacks_is_invalid():
    # The check the next test relies on: an answer with one key too many or one missing fails.
    spec = api_spec()
    record = {name: None for name in records.GOAL_FIELD_NAMES}
    record["new_field"] = 1
    assert list(validator_for(spec, "Goal").iter_errors(record))
    del record["new_field"], record["slug"]
    assert list(validator_for(spec, "Goal").iter_errors(record))


def addresses(full_world):
    world = full_world.world
    public = Goal.objects.public()
    yield "GoalPage", "/api/goals.json"
    yield "GoalPage", "/api/goals.json?page_size=3&page=2"
    yield "GoalPage", "/api/goals.json?page_size=1000"
    for status in Status:
        yield "GoalPage", f"/api/goals.json?status={status.value}"
    yield "GoalPage", f"/api/goals.json?category={world.digital.slug}&department={world.big_data.slug}"
    yield "GoalPage", f"/api/goals.json?plan={world.plan.pk}&year=2024&q=5G"
    yield "GoalPage", "/api/goals.json?year=current"
    yield "GoalPage", "/api/goals.json?status=bogus&year=1900&plan=x"  # ignored, with filter_errors
    yield "PageNotFound", "/api/goals.json?page=99"
    for slug in public.values_list("slug", flat=True):
        yield "GoalAnswer", f"/api/goals/{slug}.json"


def test_every_answer_of_the_api_is_valid_against_the_schema(client, full_world):
    spec = json.loads(client.get("/api/openapi.json").content)
    seen = {
        "statuses": set(),
        "explanations": 0,
        "figures_for_indicator": 0,
        "filter_errors": 0,
        "baseline_evidence": 0,
        "first_changes": 0,
    }
    checked = 0
    for name, address in addresses(full_world):
        answers = []
        for prefix in ("", "/en"):
            response = client.get(prefix + address)
            assert response.status_code == (404 if name == "PageNotFound" else 200), address
            assert response["Content-Type"].startswith("application/json")
            payload = json.loads(response.content)
            assert_valid(spec, name, payload, prefix + address)
            answers.append(payload)
            checked += 1
        assert answers[0] == answers[1], f"{address} differs in English"
        payload = answers[0]
        if name == "GoalPage":
            seen["statuses"] |= {goal["status"] for goal in payload["results"]}
            seen["filter_errors"] += bool(payload["filter_errors"])
        if name == "GoalAnswer":
            seen["explanations"] += len(payload["goal"]["explanations"])
            seen["figures_for_indicator"] += sum(p["for_indicator"] for p in payload["goal"]["progress"])
            seen["baseline_evidence"] += payload["goal"]["baseline_evidence"] is not None
            seen["first_changes"] += sum(c["from_status"] is None for c in payload["goal"]["status_history"])
    # The world exercised every part of the schema: each status, explanations, indicator figures.
    assert seen["statuses"] == {s.value for s in Status}
    assert seen["explanations"] == 1 and seen["figures_for_indicator"] == 1
    assert seen["filter_errors"] == 1
    assert seen["baseline_evidence"] == 1 and seen["first_changes"] == 1
    assert checked == 2 * (8 + len(Status) + Goal.objects.public().count())


def test_the_api_page_explains_the_api_in_chinese_and_english(client, english):
    for response in (client.get("/api/"), english.get("/api/")):
        assert response.status_code == 200
        page = response.content.decode()
        assert "开放数据 API" in page and "Open data API" in page
        assert 'api/openapi.json" data-testid="openapi-link"' in page
        for name in records.GOAL_FIELD_NAMES + [f.name for f in records.GOAL_DETAIL_FIELDS]:
            assert f"<code>{name}</code>" in page, name
