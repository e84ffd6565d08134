"""Figures by spreadsheet: the department's template, and `import_progress` on XLSX and CSV files.
One bad row stores nothing and every row's error is printed; a good file stores every row as a
figure submitted for review."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from apps.goals.models import ProgressUpdate
from apps.goals.services.progress_import import COLUMNS, progress_template

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
