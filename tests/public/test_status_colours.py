"""Status colours on the page (apps/public/templatetags/status_colours.py): every page's head defines
--status-<status> from apps/goals/status.py, and site.css colours statuses from those alone."""

import re
from pathlib import Path

import pytest

from apps.goals.status import STATUS_COLOURS, Status

SITE_CSS = Path(__file__).resolve().parents[2] / "static/public/site.css"


@pytest.mark.django_db
def test_every_page_defines_each_status_colour_from_the_status_rules(client):
    page = client.get("/").content.decode()
    defined = dict(re.findall(r"--status-([a-z_]+): (#[0-9a-f]{6});", page))
    assert defined == {str(status): colour for status, colour in STATUS_COLOURS.items()}


def test_the_stylesheet_colours_statuses_only_through_those_properties():
    css = SITE_CSS.read_text(encoding="utf-8")
    for status in Status:
        rule = re.search(rf"\.status-{status} \{{([^}}]*)\}}", css)
        assert rule is not None, f".status-{status} has no rule"
        assert rule.group(1).strip() == f"color: var(--status-{status});"
    used = set(re.findall(r"var\(--status-([a-z_]+)\)", css))
    assert used <= {str(s) for s in Status}
