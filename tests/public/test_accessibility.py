"""axe-core (bundled by axe-playwright-python) finds no violation on any public page, in Chinese and
English, on a desktop (1366 px) and a phone (390 px); and the favicon answers."""

import pytest

from .test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages kept as screenshots in test-artifacts/ for a human look.
SCREENSHOTS = {"API": "api", "goal with an explanation": "goal-share-box", "department report": "report"}
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def public_pages(full_world):
    world = full_world.world
    return {
        "dashboard": "/",
        "goal list": "/goals/",
        "goal with figures and a chart": f"/goals/{world.stations.slug}/",
        "goal with an explanation": f"/goals/{world.compute.slug}/",
        "milestone goal": f"/goals/{full_world.by_status['overdue'].slug}/",
        "indicator list": "/indicators/",
        "indicator": "/indicators/computing/",
        "document list": "/documents/",
        "document": f"/documents/{world.document.pk}/",
        "methodology": "/methodology/",
        "API": "/api/",
        "city report": "/report/?as_of=2024-07-15",
        "department report": f"/report/{world.big_data.slug}/?as_of=2024-07-15",
        "embedded card": f"/goals/{world.stations.slug}/embed/",
    }


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:3]:
            lines.append(f"      {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def test_no_public_page_has_an_axe_violation(page_at, live_server, full_world):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = public_pages(full_world)
    failures, runs = [], 0
    for viewport_name, viewport in VIEWPORTS.items():
        page = page_at(viewport)
        for prefix in ("", "/en"):
            for name, path in pages.items():
                response = page.goto(f"{live_server.url}{prefix}{path}")
                assert response.status == 200, path
                page.wait_for_load_state("load")
                results = axe.run(page)
                runs += 1
                violations = results.response["violations"]
                if name in SCREENSHOTS and not prefix:
                    ARTIFACTS.mkdir(exist_ok=True)
                    shot = f"{SCREENSHOTS[name]}-{viewport_name}.png"
                    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
                if violations:
                    failures.append(f"{name}, {prefix}{path} at {viewport_name}:\n{describe(violations)}")
    assert runs == 2 * 2 * len(pages)
    assert not failures, f"axe found violations on {len(failures)} of {runs} page runs:\n" + "\n".join(
        failures
    )


def test_axe_reports_a_violation_when_there_is_one(page_at, live_server, world):
    # The run above would pass if axe saw nothing: a page with an image without a text alternative fails.
    from axe_playwright_python.sync_playwright import Axe

    page = page_at()
    page.goto(f"{live_server.url}/methodology/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\">')"
    )
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert "image-alt" in ids


@pytest.mark.django_db
def test_the_site_has_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header
    page = client.get("/methodology/").content.decode()
    assert 'rel="icon" href="/static/public/favicon.svg"' in page
