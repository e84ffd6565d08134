"""A goal's badge and card for other sites (apps/public/embeds.py): every public goal has them, in the
reader's language, cached with the public data version, without cookies; they, and only they, may be
framed, which a real Chromium checks from another origin."""

import functools
import http.server
import threading
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.status import status_label
from apps.public import embeds

from .test_browser import ARTIFACTS

SVG = "{http://www.w3.org/2000/svg}"


def badge(client, slug, prefix=""):
    response = client.get(f"{prefix}/goals/{slug}/badge.svg")
    assert response.status_code == 200, slug
    assert response["Content-Type"].startswith("image/svg+xml")
    return response, ET.fromstring(response.content)  # raises on SVG that is not well-formed XML


@pytest.mark.django_db
def test_every_public_goal_has_a_valid_accessible_badge_with_its_status_in_both_languages(client, full_world):
    goals = list(Goal.objects.public())
    assert {goal.status for goal in goals} == set(full_world.by_status)
    for goal in goals:
        for prefix, language in (("", "zh"), ("/en", "en")):
            _, svg = badge(client, goal.slug, prefix)
            assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
            title = svg.find(f"{SVG}title")
            assert svg.get("aria-labelledby") == title.get("id")
            label = status_label(goal.status, language)
            assert label in title.text and label in [t.text for t in svg.iter(f"{SVG}text")]
            assert svg.get("data-status") == goal.status
            if goal.latest_value is None:
                assert ("暂无数据" if language == "zh" else "No figures yet") in title.text
    assert client.get(f"/goals/{full_world.world.pending.slug}/badge.svg").status_code == 404


@pytest.mark.django_db
def test_the_badge_shows_the_latest_figure_and_changes_when_a_figure_is_approved(client, world):
    response, svg = badge(client, world.stations.slug)
    figure = [t.text for t in svg.iter(f"{SVG}text")][1]
    assert figure.startswith("4200 个")
    assert response["ETag"] and "public" in response["Cache-Control"]
    assert client.get(response.request["PATH_INFO"], HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    Goal.objects.filter(pk=world.stations.pk).update(latest_value=6543)
    ProgressUpdate.objects.filter(pk=world.draft_update.pk).update(
        review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=timezone.now()
    )
    fresh = client.get(f"/goals/{world.stations.slug}/badge.svg", HTTP_IF_NONE_MATCH=response["ETag"])
    assert fresh.status_code == 200 and "6543 个" in fresh.content.decode()
    _, english = badge(client, world.stations.slug, "/en")
    assert "On track" in english.find(f"{SVG}title").text


@pytest.mark.django_db  # a goal built in memory reads its default place (Jinan)
def test_badge_text_is_escaped_and_sized_to_its_words():
    goal = Goal(title='<b>"x"</b> & 5G', status="off_track", unit="个", latest_value=None)
    svg = ET.fromstring(embeds.badge_svg(goal))
    assert svg.find(f"{SVG}title").text.startswith('<b>"x"</b> & 5G')
    assert embeds.text_width("滞后") > embeds.text_width("ab") > 0


@pytest.mark.django_db
def test_embeds_set_no_cookie_may_be_framed_and_the_rest_of_the_site_may_not(client, world, english):
    slug = world.stations.slug
    for response in (
        client.get(f"/goals/{slug}/embed/"),
        client.get(f"/goals/{slug}/badge.svg"),
        english.get(f"/goals/{slug}/embed/"),
    ):
        assert response.status_code == 200
        assert not response.cookies
        assert "X-Frame-Options" not in response
        assert response["Content-Security-Policy"] == "frame-ancestors *"
        # A second answer, from the cache, says the same.
        again = client.get(response.request["PATH_INFO"])
        assert "X-Frame-Options" not in again and again["Content-Security-Policy"] == "frame-ancestors *"
    for path in ("/", "/goals/", f"/goals/{slug}/", "/api/", "/methodology/"):
        for _ in range(2):  # rendered, then from the cache
            response = client.get(path)
            assert response["X-Frame-Options"] == "DENY", path
            assert "Content-Security-Policy" not in response, path


@pytest.mark.django_db
def test_the_card_links_back_in_a_new_window_and_the_goal_page_offers_the_snippets(client, world, english):
    page = client.get(f"/goals/{world.stations.slug}/embed/", HTTP_HOST="127.0.0.1:8010").content.decode()
    assert (
        'href="http://127.0.0.1:8010/goals/new-5g-base-stations-2024/" target="_blank" rel="noopener"' in page
    )
    assert "新建5G基站7000个" in page and "进度正常" in page and "4200 个" in page
    assert "csrf" not in page.lower()
    assert (
        "7,000 new 5G base stations" in english.get(f"/goals/{world.stations.slug}/embed/").content.decode()
    )

    goal_page = client.get(f"/goals/{world.stations.slug}/", HTTP_HOST="127.0.0.1:8010").content.decode()
    assert (
        "&lt;iframe src=&quot;http://127.0.0.1:8010/goals/new-5g-base-stations-2024/embed/&quot;" in goal_page
        or '&lt;iframe src="http://127.0.0.1:8010/goals/new-5g-base-stations-2024/embed/"' in goal_page
    )
    assert "http://127.0.0.1:8010/goals/new-5g-base-stations-2024/badge.svg" in goal_page
    english_page = english.get(f"/goals/{world.stations.slug}/", HTTP_HOST="localhost:8011").content.decode()
    assert "http://localhost:8011/en/goals/new-5g-base-stations-2024/embed/" in english_page


class _OtherSite:
    """A page on another origin (its own port) framing the given addresses."""

    def __init__(self, tmp_path, frames, images=()):
        html = "".join(
            f'<p><img src="{src}" alt="badge {n}" id="image-{n}"></p>' for n, src in enumerate(images)
        )
        html += "".join(
            f'<iframe id="frame-{n}" src="{src}" width="420" height="260" title="t{n}"></iframe>'
            for n, src in enumerate(frames)
        )
        (tmp_path / "index.html").write_text(f"<!doctype html><title>news</title>{html}", encoding="utf-8")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
        handler.log_message = lambda *args: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/index.html"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_another_site_shows_the_card_in_an_iframe_but_not_the_goal_page(
    page_at, live_server, world, tmp_path
):
    site = live_server.url
    slug = world.stations.slug
    other = _OtherSite(
        tmp_path,
        [f"{site}/goals/{slug}/embed/", f"{site}/goals/{slug}/", f"{site}/en/goals/{slug}/embed/"],
        images=[f"{site}/goals/{slug}/badge.svg", f"{site}/en/goals/{world.compute.slug}/badge.svg"],
    )
    try:
        assert other.url.split("/")[2] != site.split("/")[2], "the other site must be another origin"
        page = page_at()
        page.goto(other.url)
        page.wait_for_load_state("load")
        card = page.frame_locator("#frame-0")
        assert "新建5G基站7000个" in card.locator("h1").inner_text()
        link = card.get_by_test_id("embed-link")
        assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
        assert "7,000 new 5G base stations" in page.frame_locator("#frame-2").locator("h1").inner_text()
        # The goal page refuses to be framed: its frame stays empty (Chromium shows an error page).
        framed = page.frame(url=f"{site}/goals/{slug}/")
        blocked = framed is None or framed.evaluate("document.querySelector('h1') === null")
        assert blocked, "the goal page was shown inside another site's frame"
        assert page.frame(url=f"{site}/goals/{slug}/embed/") is not None
        # The badges show as images there too.
        for image in ("#image-0", "#image-1"):
            assert page.eval_on_selector(image, "img => img.complete && img.naturalWidth > 40")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "embed-on-another-site.png"), full_page=True)
    finally:
        other.close()
