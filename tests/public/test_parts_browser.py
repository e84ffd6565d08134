"""A goal split into parts, in a real Chromium (Playwright): the city's 新建5G基站7000个 page lists its
district parts and rolls them up beside its own verdict, in Chinese and in English, on a desktop and a
phone."""

import datetime

import pytest

from apps.goals.services.evaluation import goal_evaluate

from .conftest import approved
from .split import split_stations
from .test_browser import PHONE, fits_width, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OCT_20 = datetime.date(2024, 10, 20)


def test_the_parents_page_shows_its_parts_and_their_roll_up_in_both_languages(page_at, live_server, world):
    parts = split_stations(world.stations)
    for slug, value in [("lixia-industry", 1950), ("shizhong-industry", 1400), ("tianqiao-industry", 1300)]:
        approved(parts[slug], datetime.date(2024, 9, 30), value)
    approved(parts["huaiyin-industry"], datetime.date(2024, 9, 30), 1100, is_sample=True)
    for part in parts.values():
        goal_evaluate(goal_id=part.pk, today=OCT_20)

    page = page_at()
    page.goto(f"{live_server.url}/goals/new-5g-base-stations-2024/")
    rollup = page.get_by_test_id("rollup").inner_text()
    assert "各部分合计 4650 个 / 目标 7000 个" in rollup
    assert "2 个部分未报告：槐荫区、历城区" in rollup
    assert "各部分目标合计 6900 个，与本目标 7000 个不一致" in rollup
    rows = page.get_by_test_id("part-row")
    assert rows.count() == 5
    assert "进度正常" in rows.first.inner_text() and "1950 个" in rows.first.inner_text()
    # The parent's own verdict, above the parts, stays its own.
    assert "进度正常" in page.locator(".status-panel").inner_text()
    assert "4650" not in page.locator(".status-panel").inner_text()
    screenshot(page, "goal-parts-desktop")

    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    rollup = page.get_by_test_id("rollup").inner_text()
    assert "The parts add up to 4,650 against a target of 7,000" in rollup
    assert "2 parts have not reported: Huaiyin District" in rollup
    assert "The parts' targets add up to 6,900, not this goal's 7,000" in rollup
    assert "Lixia District" in page.get_by_test_id("part-row").first.inner_text()
    screenshot(page, "goal-parts-desktop-en")

    # A part opens its own page, which leads back to the city's goal.
    page.get_by_role("link", name="Lixia District").click()
    page.wait_for_load_state()
    assert "7,000 new 5G base stations" in page.get_by_test_id("part-of").inner_text()

    phone = page_at(PHONE)
    phone.goto(f"{live_server.url}/goals/new-5g-base-stations-2024/")
    assert phone.get_by_test_id("part-row").count() == 5
    assert fits_width(phone), "the parts table scrolls the page sideways on a phone"
    screenshot(phone, "goal-parts-phone")
