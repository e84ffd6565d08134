"""Downloads, the JSON API and the Atom feeds: the same published data, nothing else."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from apps.public.exports import GOAL_FIELDS, OPEN_SDG_COLUMNS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = {
    "gdp-growth-2024",
    "new-5g-base-stations-2024",
    "intelligent-computing-2000p",
    "smart-communities-400",
}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))


# --- List downloads ------------------------------------------------------------------------------


def test_csv_download_is_the_whole_filtered_list(client, world):
    response = client.get("/goals/?category=digital&sort=-deadline&_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [r["slug"] for r in rows][0] == "intelligent-computing-2000p"
    assert {r["slug"] for r in rows} == {
        "new-5g-base-stations-2024",
        "intelligent-computing-2000p",
        "smart-communities-400",
    }
    assert list(rows[0]) == GOAL_FIELDS
    stations = next(r for r in rows if r["slug"] == "new-5g-base-stations-2024")
    assert stations["target_value"] == "7000" and stations["status"] == "on_track"
    assert stations["status_zh"] == "进度正常" and stations["status_en"] == "On track"


def test_download_ignores_pagination(client, world):
    from apps.public import views

    original, views.PER_PAGE = views.PER_PAGE, 1
    try:
        rows = csv_rows(client.get("/goals/?page=2&_export=csv"))
    finally:
        views.PER_PAGE = original
    assert {r["slug"] for r in rows} == PUBLISHED


def test_json_download(client, world):
    payload = json.loads(client.get("/goals/?status=achieved&_export=json").getvalue())
    assert [g["slug"] for g in payload["goals"]] == ["smart-communities-400"]


def test_xlsx_download(client, world):
    response = client.get("/goals/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == GOAL_FIELDS
    assert {r[0] for r in rows[1:]} == PUBLISHED
    target = rows[0].index("target_value")
    assert any(r[target] == 7000 for r in rows[1:])


def test_unknown_export_format_is_404(client, world):
    assert client.get("/goals/?_export=pdf").status_code == 404


DOWNLOAD_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_cells(response, fmt) -> tuple[list[str], str]:
    """The goal slugs a download lists, and all its text (an XLSX is zipped: read from its cells)."""
    body = response.getvalue()
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
        text = "\n".join(str(cell) for row in rows for cell in row if cell is not None)
        return [row[0] for row in rows[1:]], text
    text = body.decode("utf-8")
    if fmt == "json":
        return [goal["slug"] for goal in json.loads(text)["goals"]], text
    return [row["slug"] for row in csv.DictReader(io.StringIO(text))], text


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_downloads_never_contain_unpublished_goals(client, world, fmt):
    response = client.get(f"/goals/?_export={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(DOWNLOAD_TYPES[fmt])
    slugs, text = download_cells(response, fmt)
    assert sorted(slugs) == sorted(PUBLISHED)
    assert "7,000 new 5G base stations" in text  # a published goal's words are found where they are
    assert "secret-facilities" not in text and "Twelve secret facilities" not in text


# --- Open SDG CSV per goal -----------------------------------------------------------------------


def test_goal_data_csv_in_open_sdg_layout(client, world):
    response = client.get("/goals/new-5g-base-stations-2024/data.csv")
    rows = csv_rows(response)
    assert list(rows[0]) == OPEN_SDG_COLUMNS
    assert list(rows[0])[0] == "Year" and list(rows[0])[-1] == "Value"
    assert [
        (r["Year"], r["Date"], r["Value"], r["Units"], r["Observation status"], r["Sample data"])
        for r in rows
    ] == [
        ("2024", "2024-03-31", "1500", "个", "sample", "true"),
        ("2024", "2024-06-30", "4200", "个", "final", "false"),
    ]


# --- JSON API ------------------------------------------------------------------------------------


def test_api_list_filters_and_paginates(client, world):
    payload = json.loads(client.get("/api/goals.json?page_size=2").content)
    assert payload["count"] == 4 and payload["pages"] == 2 and len(payload["results"]) == 2
    assert payload["next"].endswith("page=2") and payload["previous"] is None
    second = json.loads(client.get("/api/goals.json?page_size=2&page=2").content)
    assert {g["slug"] for g in payload["results"] + second["results"]} == PUBLISHED
    filtered = json.loads(client.get("/api/goals.json?department=big-data&q=社区").content)
    assert [g["slug"] for g in filtered["results"]] == ["smart-communities-400"]


def test_api_record_has_the_documented_fields(client, world):
    goal = json.loads(client.get("/api/goals.json?status=on_track").content)["results"][0]
    assert list(goal) == GOAL_FIELDS
    assert goal["title_zh"] == "新建5G基站7000个" and goal["title_en"] == "7,000 new 5G base stations"
    assert goal["url"].endswith("/goals/new-5g-base-stations-2024/")


def test_a_goals_baseline_says_where_it_came_from_in_the_api_and_on_its_page(client, world):
    from apps.goals.models import Goal, ProgressUpdate

    compute = Goal.objects.get(slug="intelligent-computing-2000p")
    figure = ProgressUpdate.objects.create(
        indicator=compute.indicator,
        goal=None if compute.indicator else compute,
        as_of=compute.period_start,
        value=compute.baseline_value,
        unit="P",
        quote="算力规模达到800P",
        evidence_url="https://example.com/compute",
        review_state="approved",
        reviewed_at=compute.created_at,
    )
    Goal.objects.filter(pk=compute.pk).update(
        baseline_source="indicator", baseline_figure=figure, baseline_date=compute.period_start
    )
    listed = json.loads(client.get("/api/goals.json?q=算力").content)["results"][0]
    assert (listed["baseline_value"], listed["baseline_source"]) == ("800", "indicator")
    detail = json.loads(client.get("/api/goals/intelligent-computing-2000p.json").content)["goal"]
    assert detail["baseline_evidence"]["quote"] == "算力规模达到800P"
    assert detail["baseline_evidence"]["source_url"] == "https://example.com/compute"
    page = client.get(compute.get_absolute_url()).content.decode()
    assert "来源：本指标公布数据" in page and "「算力规模达到800P」" in page

    Goal.objects.filter(pk=compute.pk).update(baseline_source="staff", baseline_evidence="统计月报2024年1月")
    page = client.get(compute.get_absolute_url()).content.decode()
    assert "来源：工作人员录入" in page and "统计月报2024年1月" in page


@pytest.mark.parametrize("query", ["page=99999", "page=abc", "page=0"])
def test_api_bad_page_is_404(client, world, query):
    response = client.get(f"/api/goals.json?{query}")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]


@pytest.mark.parametrize(
    ("query", "pages", "shown", "refused"),
    [
        ("page_size=abc", 1, 4, None),  # the default size
        ("page_size=-5", 4, 1, None),  # at least one goal a page
        ("page_size=100000", 1, 4, None),  # at most MAX_PAGE_SIZE
        ("status=nope", 1, 4, "status"),  # a filter it cannot apply is dropped, and named
        ("year=99999", 1, 4, "year"),
    ],
)
def test_api_odd_parameters_still_answer(client, world, query, pages, shown, refused):
    response = client.get(f"/api/goals.json?{query}")
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["count"] == len(PUBLISHED) and payload["pages"] == pages
    assert len(payload["results"]) == shown and {g["slug"] for g in payload["results"]} <= PUBLISHED
    assert list(payload["filter_errors"] or {}) == ([refused] if refused else [])


def test_api_detail_has_citations_progress_and_history(client, world, settings):
    goal = json.loads(client.get("/api/goals/new-5g-base-stations-2024.json").content)["goal"]
    citation = world.stations.citations.get()
    assert goal["citations"] == [
        {
            "document_id": world.document.pk,
            "document_title": "2024年济南市政府工作报告",
            "document_published_on": "2024-01-11",
            "document_source_url": "https://www.jinan.gov.cn/report-2024",
            "quote": "新建5G基站7000个",
            "start": citation.start,
            "end": citation.end,
            # the address asked
            "url": f"http://testserver/documents/{world.document.pk}/#cite-{citation.pk}",
        }
    ]
    assert [(p["as_of"], p["value"], p["is_sample"]) for p in goal["progress"]] == [
        ("2024-03-31", "1500", True),
        ("2024-06-30", "4200", False),
    ]
    assert [(h["from_status"], h["to_status"]) for h in goal["status_history"]] == [
        ("not_started", "on_track")
    ]
    assert goal["supporting_departments"][0]["slug"] == "big-data"


def test_api_is_the_same_in_both_languages(client, english, world):
    from django.test import Client

    chinese = Client().get("/api/goals/new-5g-base-stations-2024.json").content
    assert english.get("/api/goals/new-5g-base-stations-2024.json").content == chinese


def test_api_never_shows_drafts_or_unpublished(client, world):
    listed = client.get("/api/goals.json?page_size=200")
    detail = client.get("/api/goals/new-5g-base-stations-2024.json")
    assert listed.status_code == detail.status_code == 200
    assert {goal["slug"] for goal in json.loads(listed.content)["results"]} == PUBLISHED
    assert [p["value"] for p in json.loads(detail.content)["goal"]["progress"]] == ["1500", "4200"]
    content = listed.content + detail.content
    assert b"6543" not in content and b"secret" not in content


# --- Atom feeds ----------------------------------------------------------------------------------


def entries(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href")) for e in root.iter(f"{ATOM}entry")
    ]


def test_progress_feed_lists_approved_updates_of_published_goals(client, world):
    items = entries(client.get("/feeds/progress/"))
    links = [link for _, link in items]
    assert f"http://testserver/goals/new-5g-base-stations-2024/#update-{world.final_update.pk}" in links
    assert not any("secret" in link for link in links)
    assert not any("6543" in title for title, _ in items)
    sample = next(t for t, link in items if link.endswith(f"#update-{world.sample_update.pk}"))
    assert "示例数据" in sample


def test_status_feed(client, world):
    items = entries(client.get("/feeds/status/"))
    titles = [t for t, _ in items]
    assert "地区生产总值增长5.5%以上：进度正常 → 有风险" in titles
    assert not any("秘密" in t for t in titles)


def test_goal_feeds_only_have_that_goal(client, world):
    progress = entries(client.get("/goals/gdp-growth-2024/feeds/progress/"))
    status = entries(client.get("/goals/gdp-growth-2024/feeds/status/"))
    assert len(progress) == 1 and len(status) == 1
    assert all("gdp-growth-2024" in link for _, link in progress + status)


def test_feeds_follow_the_language(english, world):
    items = entries(english.get("/feeds/status/"))
    assert "GDP growth of at least 5.5%: On track → At risk" in [t for t, _ in items]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_streams_and_holds_at_most_export_max_goals(client, world, settings, fmt):
    settings.EXPORT_MAX_GOALS = 2
    response = client.get(f"/goals/?_export={fmt}")
    assert response.streaming
    if fmt == "csv":
        assert len(csv_rows(response)) == 2
    else:
        assert len(json.loads(response.getvalue())["goals"]) == 2
