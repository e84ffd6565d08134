"""The Atom feeds read as a feed reader reads them: the XML parsed, each summary decoded and then
interpreted by its type. What staff typed (a note, a unit in a status explanation) never becomes
markup in the reader (issue 22, item 2)."""

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from apps.goals.models import StatusChange

from .conftest import approved

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<img src=x onerror=alert(1)>"


class Tags(HTMLParser):
    """The elements an HTML reader would build from a text."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)


def as_a_reader_shows(summary) -> tuple[str, list[str]]:
    """(the text shown, the elements built) for an Atom text construct of any type."""
    kind = summary.get("type", "text")
    if kind == "html":
        text = summary.text or ""
        parser = Tags(text)
        return text, parser.found
    assert kind == "text", kind
    return summary.text or "", []


def summaries(client, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}summary") for entry in root.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("path", ["/feeds/progress/", "/goals/new-5g-base-stations-2024/feeds/progress/"])
def test_a_note_with_markup_reaches_the_reader_as_text(client, world, path):
    approved(world.stations, datetime.date(2024, 7, 31), "4100", note=f"上报 {HOSTILE} 完毕")
    shown = [as_a_reader_shows(summary) for summary in summaries(client, path)]
    [(text, tags)] = [(text, tags) for text, tags in shown if "onerror" in text]
    assert tags == []  # no element: the reader shows the characters
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in text


def test_a_status_explanation_with_markup_reaches_the_reader_as_text(client, world):
    StatusChange.objects.create(
        goal=world.stations,
        changed_at=timezone.now(),
        evaluated_on=datetime.date(2024, 7, 1),
        from_status="on_track",
        to_status="at_risk",
        explanation_zh=f"单位 {HOSTILE}",
        explanation_en=f"unit {HOSTILE}",
        rule_version="test",
    )
    shown = [as_a_reader_shows(summary) for summary in summaries(client, "/feeds/status/")]
    [(text, tags)] = [(text, tags) for text, tags in shown if "onerror" in text]
    assert tags == []
