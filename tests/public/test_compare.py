"""One measure across places (apps/public/compare.py, /compare/<measure>/<year>/): each place's target
due that year, its latest real figure of that year with its source, the goal's status with its badge,
and the map's rows; the list of measures two places can be compared on; the indicator page's links; a
fixed number of queries; and the seeded site's GDP growth comparison for 2025."""

import datetime
import glob
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.goals.models import Goal, GoalKind, Indicator, Jurisdiction, ProgressUpdate
from apps.goals.status import Status, status_label

from ..factories import DocumentFactory, GoalFactory

pytestmark = pytest.mark.django_db

SEEN_ON = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def place(slug):
    return Jurisdiction.objects.get(slug=slug)


def growth_indicator(where, measure="gdp-growth"):
    return Indicator.objects.create(
        slug=f"{where.slug}-{measure}",
        name="地区生产总值增速",
        name_en="GDP growth",
        measure=measure,
        place=where,
    )


def growth_goal(where, indicator, target, *, year=2025, status=Status.ON_TRACK, **fields):
    return GoalFactory(
        place=where,
        indicator=indicator,
        title=f"{where.name}地区生产总值增长{target}%以上（{year}）",
        title_en=f"GDP growth of {target}% or more ({where.name_en}, {year})",
        metric="地区生产总值增长",
        kind=GoalKind.GROWTH_RATE,
        target_value=Decimal(target),
        unit="%",
        period_start=datetime.date(year, 1, 1),
        deadline=datetime.date(year, 12, 31),
        status=status,
        **fields,
    )


def figure(value, as_of, **fields):
    fields.setdefault("review_state", ProgressUpdate.ReviewState.APPROVED)
    return ProgressUpdate.objects.create(
        value=Decimal(value),
        as_of=as_of,
        period_start=datetime.date(as_of.year, 1, 1),
        unit="%",
        reviewed_at=timezone.now(),
        **fields,
    )


def rows_of(html):
    """{place slug: the row's text}, in the table's order."""
    table = html[html.index('data-testid="comparison-table"') : html.index("</table>")]
    rows = re.findall(r'<tr data-testid="comparison-row" data-place="([^"]+)">(.*?)</tr>', table, re.S)
    return {slug: " ".join(re.sub(r"<[^>]+>", " ", cells).split()) for slug, cells in rows}, table


def map_payload(html):
    found = re.search(r'<script id="place-map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def gdp_world():
    jinan, licheng, shanghe, laiwu = (place(s) for s in ("jinan", "licheng", "shanghe", "laiwu"))
    city = growth_indicator(jinan)
    bulletin = DocumentFactory(title="济南市2025年上半年经济运行情况", place=jinan)
    figure("5.1", datetime.date(2025, 3, 31), indicator=city)
    figure(
        "5.3",
        datetime.date(2025, 6, 30),
        indicator=city,
        source_document=bulletin,
        quote="上半年全市地区生产总值同比增长5.3%",
    )
    figure("9.9", datetime.date(2025, 9, 30), indicator=city, is_sample=True)  # a sample: never shown
    figure("8.8", datetime.date(2025, 9, 30), indicator=city, review_state=ProgressUpdate.ReviewState.DRAFT)
    figure("5.4", datetime.date(2024, 12, 31), indicator=city)  # another year's
    restated = figure("5.2", datetime.date(2025, 3, 31), indicator=city)
    ProgressUpdate.objects.filter(pk=restated.pk).update(
        superseded_by=ProgressUpdate.objects.get(value=Decimal("5.1"))
    )
    growth_goal(jinan, city, "5.5", status=Status.ON_TRACK)
    growth_goal(jinan, city, "5.0", year=2026)  # due another year
    growth_goal(licheng, growth_indicator(licheng), "5.6", status=Status.UNREPORTED)
    shanghe_goal = growth_goal(shanghe, growth_indicator(shanghe), "5.2", status=Status.AT_RISK)
    figure("4.9", datetime.date(2025, 6, 30), goal=shanghe_goal)  # reported against the goal itself
    growth_goal(laiwu, growth_indicator(laiwu), "9.9", review_state=Goal.ReviewState.PENDING)
    pingyin = place("pingyin")
    growth_goal(pingyin, growth_indicator(pingyin, measure="retail-sales-growth"), "7.7")
    return bulletin


def test_a_comparison_shows_each_places_target_latest_real_figure_source_and_status(client, gdp_world):
    html = client.get("/compare/gdp-growth/2025/").content.decode()
    rows, table = rows_of(html)
    # Only places with a published target due that year or a real figure of it, the city first.
    assert list(rows) == ["jinan", "licheng", "shanghe"]
    assert '<th scope="row"><a href="/places/licheng/">历城区</a></th>' in table
    assert 'href="/compare/"' in client.get("/places/").content.decode()
    assert rows["jinan"].startswith("济南市 ≥ 5.5 %")
    assert "5.3%" in rows["jinan"] and gdp_world.title in rows["jinan"]
    assert "上半年全市地区生产总值同比增长5.3%" in rows["jinan"]
    for never in ("9.9", "8.8", "5.4", "5.2%", "5.1%", "≥ 5 %"):  # sample, draft, other year, superseded
        assert never not in rows["jinan"]
    assert rows["licheng"].startswith("历城区 ≥ 5.6 %") and "暂无数据" in rows["licheng"]
    assert "4.9%" in rows["shanghe"]
    # Each status in words with its badge, not by colour alone.
    for slug, status in [
        ("jinan", Status.ON_TRACK),
        ("licheng", Status.UNREPORTED),
        ("shanghe", Status.AT_RISK),
    ]:
        assert status_label(status) in rows[slug]
        row = table[table.index(f'data-place="{slug}"') :]
        assert f'class="status status-{status} ' in row[: row.index("</tr>")]
    # The map: the two units among the 12 with a row (the city is not a unit), by status; the ten
    # others named under the table, and on the map without a status.
    payload = map_payload(html)
    assert len(payload["rows"]) == 12
    assert payload["mode"] == "status"
    assert {(r["code"], r["status"], r["label"]) for r in payload["rows"] if r["status"]} == {
        ("370112", Status.UNREPORTED, "≥ 5.6 %"),
        ("370126", Status.AT_RISK, "≥ 5.2 %"),
    }
    assert payload["without_data"] == 10
    without = html[html.index('data-testid="units-without"') :]
    without = without[: without.index("</p>")]
    assert "莱芜区" in without and "平阴县" in without and "历城区" not in without


def test_the_comparison_in_english(client, gdp_world):
    html = client.get("/en/compare/gdp-growth/2025/").content.decode()
    rows, _ = rows_of(html)
    assert rows["licheng"].startswith("Licheng District 5.6% or more")
    assert "No figure published" in rows["licheng"]
    assert "GDP growth: places compared, 2025" in html
    assert map_payload(html)["rows"][0]["status_words"] == "No figure published"
    # Every unit of the map is named in English, those without data too.
    names = {row["code"]: row["name"] for row in map_payload(html)["rows"]}
    assert len(names) == 12 and names["370102"] == "Lixia District"


def test_a_year_of_figures_alone_is_mapped_by_value(client):
    lixia, zhangqiu = place("lixia"), place("zhangqiu")
    figure("6", datetime.date(2023, 12, 31), indicator=growth_indicator(lixia), is_estimate=True)
    figure("6.5", datetime.date(2023, 12, 31), indicator=growth_indicator(zhangqiu))
    html = client.get("/compare/gdp-growth/2023/").content.decode()
    rows, _ = rows_of(html)
    assert list(rows) == ["lixia", "zhangqiu"] and "无目标" in rows["lixia"]
    payload = map_payload(html)
    assert payload["mode"] == "value"
    assert {(r["code"], r["value"], r["label"]) for r in payload["rows"] if r["value"] is not None} == {
        ("370102", 6.0, "6%"),
        ("370114", 6.5, "6.5%"),
    }


def test_the_list_names_measures_two_places_can_be_compared_on(client, gdp_world):
    GoalFactory(place=place("jinan"))  # a goal with no measure: nothing to compare
    html = client.get("/compare/").content.decode()
    assert 'href="/compare/gdp-growth/2025/"' in html
    assert "/compare/gdp-growth/2026/" not in html  # only the city has a 2026 goal
    assert "retail-sales-growth" not in html  # one place only
    assert client.get("/en/compare/").status_code == 200
    assert client.get("/compare/gdp-growth/2026/").status_code == 200  # one place: shown, not listed
    assert client.get("/compare/gdp-growth/1999/").status_code == 404
    assert client.get("/compare/no-such-measure/2025/").status_code == 404


def test_an_indicator_page_links_its_comparisons_only_when_another_place_shares_its_measure(
    client, gdp_world
):
    html = client.get("/indicators/jinan-gdp-growth/").content.decode()
    links = html[html.index('data-testid="comparison-links"') :]
    links = links[: links.index("</p>")]
    assert re.findall(r'href="([^"]+)"', links) == ["/compare/gdp-growth/2025/"]
    alone = client.get("/indicators/pingyin-retail-sales-growth/").content.decode()
    assert "comparison-links" not in alone


def build_places(goals_per_place, figures_per_goal):
    """Every reference place with an indicator of gdp-growth, goals due 2025 and figures of 2025."""
    for where in Jurisdiction.objects.all():
        indicator = growth_indicator(where)
        source = DocumentFactory(place=where)
        for g in range(goals_per_place):
            goal = growth_goal(where, indicator, f"5.{g}")
            for f in range(figures_per_goal):
                figure(f"4.{f}", datetime.date(2025, 1 + f % 12, 28), goal=goal, source_document=source)
                figure(f"4.{f}", datetime.date(2025, 1 + f % 12, 27), indicator=indicator)


@pytest.mark.parametrize("size", [(1, 1), (3, 8)])
def test_the_comparison_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    build_places(*size)
    assert Goal.objects.count() == Jurisdiction.objects.count() * size[0]
    # One of them is the ETag's data version, one asks whether the site holds sample figures.
    with django_assert_max_num_queries(7):
        html = client.get("/compare/gdp-growth/2025/").content.decode()
    assert len(rows_of(html)[0]) == Jurisdiction.objects.count()
    with django_assert_max_num_queries(4):
        assert client.get("/compare/").status_code == 200


def test_the_seeded_gdp_growth_comparison_for_2025(client, time_machine):
    # Seeded as make seed does; the expected places are the seed's goals, the figures Jinan's and
    # 历城区's targets as the issue states them.
    time_machine.move_to(SEEN_ON, tick=False)
    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    call_command("loaddata", "fixtures/places.json", verbosity=0)
    call_command("ingest_documents", *sorted(glob.glob("fixtures/documents/*.txt")), "--publish", verbosity=0)
    districts = sorted(glob.glob("fixtures/districts/documents/*.txt"))
    call_command("ingest_documents", *districts, "--publish", verbosity=0)
    call_command("curate_goals", verbosity=0)
    call_command("load_reported_figures", verbosity=0)
    call_command("load_demo_progress", verbosity=0)
    call_command("evaluate_goals", verbosity=0)

    # Every published 2025 goal read as GDP growth (地区生产总值增长) is of the shared measure.
    seeded = Goal.objects.public().filter(deadline__year=2025, metric__startswith="地区生产总值增")
    assert {g.indicator.measure for g in seeded.select_related("indicator")} == {"gdp-growth"}
    html = client.get("/compare/gdp-growth/2025/").content.decode()
    rows, _ = rows_of(html)
    assert (
        set(rows) == {g.place.slug for g in seeded.select_related("place")} >= {"jinan", "licheng", "shanghe"}
    )
    assert "5.5" in rows["jinan"].split()[2] and rows["licheng"].startswith("历城区 ≥ 5.6 %")
    assert rows["shanghe"].startswith("商河县 ≥ 5.2 %")
    # Jinan's latest real 2025 figure with its quote; the demo's samples never.
    latest = (
        ProgressUpdate.objects.approved()
        .filter(indicator__slug="gdp-growth", as_of__year=2025, is_sample=False)
        .latest("as_of")
    )
    assert f"{latest.value.normalize()}%" in rows["jinan"] and latest.quote in rows["jinan"]
    assert ProgressUpdate.objects.filter(goal__indicator__measure="gdp-growth", is_sample=True).exists()
    english = client.get("/en/compare/gdp-growth/2025/").content.decode()
    assert rows_of(english)[0]["licheng"].startswith("Licheng District 5.6% or more")
    assert 'href="/compare/gdp-growth/2025/"' in client.get("/compare/").content.decode()
    # 商河县's 2023 GDP growth (可比价, its statistical bulletin) is compared with its source.
    rows_2023, _ = rows_of(client.get("/compare/gdp-growth/2023/").content.decode())
    bulletin = ProgressUpdate.objects.approved().get(
        indicator__place__slug="shanghe", indicator__measure="gdp-growth", as_of=datetime.date(2023, 12, 31)
    )
    assert bulletin.source_document is not None and bulletin.is_final
    assert f"{bulletin.value.normalize()}%" in rows_2023["shanghe"]
    assert bulletin.source_document.title in rows_2023["shanghe"] and bulletin.quote in rows_2023["shanghe"]
