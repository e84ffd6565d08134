"""The admin under malformed query strings (issue 22, finding 6): every registered admin's list with
bad values for each filter it exposes, its search, sorting, page and date drill-down, and every date
of its model as a raw lookup; then every other admin URL (the staff's own pages, autocomplete, the
index with its to-do list) with bad values for each parameter they read. Requested by a superuser
and by a recorder of one department, nothing may answer a server error, and a NUL or a date part out
of the calendar is refused with a 400 that says so. A new admin, filter or admin URL is covered
without being named here."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import models
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from apps.goals.models import Goal
from apps.staff.admin_queries import query_refusal

from ..factories import CitationFactory
from ..marked_world import build_marked_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

# Empty, zero, a date without dashes, out of range either way, a NUL, non-ASCII, SQL-ish, and days
# before and after any plan.
MALFORMED = [
    "",
    "0",
    "00",
    "20260101",
    "99999999999999999999999",
    "-1",
    "a\x00b",
    "济南①",
    "1' OR '1'='1",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
]

# What the admin's own pages read from the query string, and the search, sorting and page of a list.
PAGE_PARAMETERS = ["q", "o", "p", "e", "department", "goal", "as_of", "term", "page", "sort", "year"]


@pytest.fixture
def world(recorder, other_recorder, reviewer, department, other_department):
    world = build_marked_world(
        [department, other_department],
        recorders={department.slug: recorder, other_department.slug: other_recorder},
        reviewers={department.slug: reviewer, other_department.slug: reviewer},
    )
    CitationFactory(goal=world.goals[department.slug, "published"])
    return world


@pytest.fixture(params=["admin_user", "recorder"])
def user(request, world):
    return request.getfixturevalue(request.param)


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def changelist_parameters(model_admin, superuser) -> list[str]:
    """Every parameter the admin's list reads: its filters' (as a superuser sees them), the date
    drill-down's, and a year and a lower bound on each date of the model (local lookups Django allows
    on any list)."""
    request = RequestFactory().get("/")
    request.user = superuser
    changelist = model_admin.get_changelist_instance(request)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    for model_field in model_admin.model._meta.concrete_fields:
        if isinstance(model_field, models.DateField):  # DateTimeField included
            names += [f"{model_field.name}__year", f"{model_field.name}__gte"]
    return ["q", "o", "p", *dict.fromkeys(names)]


def changelist_urls(superuser) -> list[str]:
    urls = []
    for model, model_admin in registered_admins():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        parameters = changelist_parameters(model_admin, superuser)
        urls += [f"{changelist}?{urlencode({name: value})}" for name in parameters for value in MALFORMED]
        if model_admin.date_hierarchy:
            drill = model_admin.date_hierarchy
            for year, month, day in [
                ("9999", "12", "31"),
                ("9999", "", ""),
                ("1", "1", "1"),
                ("2024", "13", ""),
            ]:
                query = {f"{drill}__year": year, f"{drill}__month": month, f"{drill}__day": day}
                urls.append(f"{changelist}?{urlencode({k: v for k, v in query.items() if v})}")
    return urls


def page_urls(goal: Goal) -> list[str]:
    """The admin's other pages that take no argument in their path (the staff's pages, autocomplete,
    the index and its to-do list), each with every parameter malformed in turn; autocomplete also with
    each of its own parameters malformed beside valid others."""
    bases = [reverse("admin:index"), reverse("admin:autocomplete")]
    for _, model_admin in registered_admins():
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if name and not pattern.pattern.regex.groups and not name.endswith(("_changelist", "_add")):
                bases.append(reverse(f"admin:{name}"))
    urls = [
        f"{base}?{urlencode({name: value})}"
        for base in bases
        for name in PAGE_PARAMETERS
        for value in MALFORMED
    ]
    autocomplete = {"app_label": "goals", "model_name": "goal", "field_name": "parent", "term": ""}
    expected = {"goal": str(goal.pk), "as_of": "2024-06-30"}
    for valid, base in [
        (autocomplete, reverse("admin:autocomplete")),
        (expected, reverse("admin:goals_progressupdate_expected")),
    ]:
        for name in valid:
            urls += [f"{base}?{urlencode({**valid, name: value})}" for value in MALFORMED]
    return urls


def test_the_fuzz_reaches_every_admin_and_page(admin_user, world):
    """The lists above are what the test says they are: every registered list with a filter of its
    own, the drill-down of every dated admin, and the staff's pages."""
    urls = changelist_urls(admin_user)
    for model, _ in registered_admins():
        assert reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?q=" in urls
    for expected in [
        "/admin/goals/goal/?deadline_year=20260101",
        "/admin/goals/progressupdate/?as_of__year=99999999999999999999999",
        "/admin/goals/citation/?deadline__year=00",
    ]:
        assert expected in urls
    pages = {url.split("?")[0] for url in page_urls(world.goals[world.departments[0].slug, "published"])}
    for name in [
        "goals_progressupdate_template",
        "goals_progressupdate_expected",
        "goals_progressupdate_import",
    ]:
        assert reverse(f"admin:{name}") in pages
    assert reverse("admin:digests_digestsubscription_full_list") in pages


def test_no_malformed_query_string_makes_a_server_error(client, user, world, admin_user):
    client.raise_request_exception = False  # count every failure, not only the first
    client.force_login(user)
    goal = world.goals[world.departments[0].slug, "published"]
    urls = changelist_urls(admin_user) + page_urls(goal)
    errors = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url!r}")
    assert len(urls) > 1500
    assert not errors, f"{len(errors)} of {len(urls)} requests failed:\n" + "\n".join(errors)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/goals/progressupdate/?as_of__year=99999999999999999999999",
        "/admin/goals/citation/?deadline__year=00",
        "/admin/goals/goal/?deadline__month=13",
        "/admin/goals/goal/?q=a%00b",
        "/admin/autocomplete/?app_label=goals&model_name=goal&field_name=parent&term=%00",
        "/admin/goals/progressupdate/template/?department=%00",
    ],
)
def test_a_nul_or_a_date_part_out_of_the_calendar_is_refused_with_a_400(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert ("NUL" in text) or ("must be a whole number" in text and url.split("?")[1].split("=")[0] in text)


def test_a_good_drill_down_still_filters(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(reverse("admin:goals_progressupdate_changelist"), {"as_of__year": "2024"})
    assert response.status_code == 200
    shown = {update.as_of.year for update in response.context["cl"].result_list}
    assert shown == {2024}


@pytest.mark.parametrize("year", ["0", "00", "20260101", "-1", "２０２４"])
def test_the_deadline_year_filter_ignores_what_is_no_year(client, admin_user, world, year):
    client.force_login(admin_user)
    everything = client.get(reverse("admin:goals_goal_changelist"))
    response = client.get(reverse("admin:goals_goal_changelist"), {"deadline_year": year})
    assert response.status_code == 200
    assert response.context["cl"].result_count == everything.context["cl"].result_count > 0


def test_the_deadline_year_filter_filters_on_a_year(client, admin_user, world):
    client.force_login(admin_user)
    Goal.objects.filter(pk=world.goals[world.departments[0].slug, "published"].pk).update(
        deadline="2031-12-31"
    )
    response = client.get(reverse("admin:goals_goal_changelist"), {"deadline_year": "2031"})
    assert [goal.deadline.year for goal in response.context["cl"].result_list] == [2031]


@pytest.mark.parametrize(
    "query, refused",
    [
        ({"as_of__year": "2024"}, False),
        ({"as_of__year": "0"}, True),
        ({"as_of__month": "12"}, False),
        ({"as_of__month": "13"}, True),
        ({"q": "year"}, False),  # a word, not a lookup
        ({"deadline_year": "0"}, False),  # a custom filter's own parameter: the filter judges it
        ({"q": "济南\x00"}, True),
        ({"a\x00": "1"}, True),
        ({"created_at__gte": "2024-06-30"}, False),
        ({"created_at__gte": "0001-01-01"}, True),
        ({"created_at__range": "2024-01-01,10000-01-01"}, True),
        ({"deadline__year": "9999"}, True),  # the drill-down would step to the year 10000
    ],
)
def test_query_refusal(query, refused):
    data = QueryDict(mutable=True)
    data.update(query)
    assert (query_refusal(data) is not None) is refused
