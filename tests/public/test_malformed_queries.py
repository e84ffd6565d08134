"""Every public URL, in both languages, asked with malformed `as_of`, `page`, `sort` and `year`
values (empty, huge, negative, NUL, non-ASCII, far past and future days, SQL-ish): none may answer a
server error (issue 22). A day before the site's earliest is refused with a 400 page that says why."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from apps.goals.models import Indicator
from apps.public.views import EARLIEST_DAY

pytestmark = pytest.mark.django_db

MALFORMED = [
    "",
    "0",
    "-1",
    "00",
    "0000",
    "99999999999999999999999",
    "1e400",
    "\x00",
    "2024-06-30\x00",
    "济南",
    "😀",
    "0001-01-01",
    "0004-12-31",
    "1999-12-31",
    "9999-12-31",
    "99999-01-01",
    "2024-02-30",
    "20240101",
    "2024-W01-1",
    "' OR 1=1 --",
    "1; DROP TABLE goals_goal",
    "-title",
    "title,-title",
    "<script>alert(1)</script>",
]


@pytest.fixture
def urls(world):
    indicator = Indicator.objects.create(slug="5g-stations", name="新建5G基站", name_en="New 5G stations")
    world.stations.indicator = indicator
    world.stations.save()
    goal, document = world.stations.slug, world.stations.citations.first().document_id
    paths = [
        reverse("public:dashboard"),
        reverse("public:goal_list"),
        reverse("public:goal_list") + "?_export=csv",
        reverse("public:goal_list") + "?_export=json",
        reverse("public:goal_list") + "?_export=xlsx",
        reverse("public:goal_detail", args=[goal]),
        reverse("public:goal_data_csv", args=[goal]),
        reverse("public:goal_progress_feed", args=[goal]),
        reverse("public:goal_status_feed", args=[goal]),
        reverse("public:indicator_list"),
        reverse("public:indicator_detail", args=[indicator.slug]),
        reverse("public:methodology"),
        reverse("public:document_list"),
        reverse("public:document_detail", args=[document]),
        reverse("public:progress_feed"),
        reverse("public:status_feed"),
        reverse("public:api_goal_list"),
        reverse("public:api_goal_detail", args=[goal]),
    ]
    return paths + ["/en" + path for path in paths]


def test_no_malformed_value_gives_a_server_error(urls):
    client = Client(raise_request_exception=False)
    asked, errors = 0, []
    with time_machine.travel(datetime.datetime(2024, 9, 1, 12, tzinfo=datetime.UTC), tick=False):
        for path in urls:
            joiner = "&" if "?" in path else "?"
            for value in MALFORMED:
                # as_of alone (a refused day answers before the others are read), then the other three.
                for query in [{"as_of": value}, {"page": value, "sort": value, "year": value}]:
                    response = client.get(f"{path}{joiner}", query)
                    asked += 1
                    if response.status_code >= 500:
                        errors.append((path, query, response.status_code))
    assert asked == len(urls) * len(MALFORMED) * 2
    assert errors == []


@pytest.mark.parametrize("day", ["0001-01-01", "0004-02-29", "1999-12-31"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_day_before_the_earliest_is_refused_with_a_page_saying_why(client, world, day, prefix):
    for path in ["/", f"/goals/{world.stations.slug}/"]:
        response = client.get(prefix + path, {"as_of": day})
        assert response.status_code == 400
        assert f"from {EARLIEST_DAY:%Y-%m-%d} until today" in response.content.decode()


def test_the_earliest_day_itself_is_shown(client, world):
    response = client.get("/", {"as_of": EARLIEST_DAY.isoformat()})
    assert response.status_code == 200
    assert response.context["as_of_query"] == f"?as_of={EARLIEST_DAY.isoformat()}"


@pytest.mark.parametrize("written", ["20240101", "2024-W01-1", "2024-001"])
def test_only_yyyy_mm_dd_names_a_past_day(client, world, written):
    response = client.get("/", {"as_of": written})
    assert response.status_code == 200
    assert response.context["as_of_query"] == ""  # today's page, as for any malformed value
