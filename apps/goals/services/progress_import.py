"""Figures by spreadsheet: a department's template (its goals with unit, target and last approved
figure), and importing a filled-in XLSX or CSV as submitted figures. Every row is checked first;
one row in error stores nothing, so a department fixes its sheet and uploads it whole again.

A small service on openpyxl rather than django-import-export: the rules here are the domain's (a
recorder's scope, the goal's unit, the as-of date, evidence, the review workflow), not a mapping of
columns onto model fields, and the stored rows must go through `progress_update_submit` like any
figure typed in the admin."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import range_boundaries

from ..models import Department, Goal, MembershipRole, ProgressImport, ProgressUpdate, as_of_refusal
from ..spreadsheets import xlsx_cell
from ..units import plain_decimal
from .progress_review import progress_update_submit

# The template's columns: what the department reads (goal facts) and what it fills in.
GOAL, TITLE, UNIT, TARGET, LAST_VALUE, LAST_AS_OF = (
    "goal",
    "title",
    "unit",
    "target",
    "last_value",
    "last_as_of",
)
AS_OF, VALUE, IS_FINAL, EVIDENCE_URL, NOTE = "as_of", "value", "is_final", "evidence_url", "note"
COLUMNS = [
    (GOAL, "目标编号 · goal"),
    (TITLE, "目标 · title"),
    (UNIT, "单位 · unit"),
    (TARGET, "目标值 · target"),
    (LAST_VALUE, "最近数值 · last figure"),
    (LAST_AS_OF, "最近截至 · last as of"),
    (AS_OF, "数据截至 · as of (YYYY-MM-DD)"),
    (VALUE, "数值 · value"),
    (IS_FINAL, "正式数据 · final (是/否)"),
    (EVIDENCE_URL, "佐证链接 · evidence URL"),
    (NOTE, "说明 · note"),
]
FILLED_IN = (AS_OF, VALUE, IS_FINAL, EVIDENCE_URL, NOTE)
YES = {"是", "y", "yes", "true", "1", "正式"}
NO = {"否", "n", "no", "false", "0", ""}
# What one upload may hold. A sheet is read as a stream and refused as soon as it passes a limit,
# so a file that declares or holds a million rows or columns costs no more than a legitimate one
# (issue 22, item 1: a 4.7 KB sheet declaring A1:XFD1048576 took a worker to 1.35 GB).
MAX_ROWS = 2000  # filled-in or not, below the header
MAX_COLUMNS = 50  # the template has 11; a department may add a few of its own
# Unpacked bytes of an XLSX part openpyxl reads whole (shared strings, styles, the workbook) and of
# the sheet itself (read as a stream, but one row's cells are held together).
MAX_PART_BYTES = 16 * 1024 * 1024
# Elements of the sheet's XML: in one row (a cell and its value, or a few runs of rich text), and
# outside the rows (column widths, merged cells, formatting rules).
MAX_ELEMENTS_PER_ROW = MAX_COLUMNS * 20
MAX_ELEMENTS_OUTSIDE_ROWS = 50_000
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ROW_NUMBER = re.compile(r"[0-9]+")
_no_nul = ProhibitNullCharactersValidator()


class SheetUnreadable(Exception):
    """The file is not an XLSX or CSV this service can read; the message says why, in both languages."""


@dataclass
class ImportRow:
    """One filled-in row of the sheet, as read and as checked."""

    number: int  # the row number a spreadsheet shows (the header is row 1)
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    goal: Goal | None = None
    as_of: date | None = None
    value: Decimal | None = None
    is_final: bool = False
    update: ProgressUpdate | None = None  # the figure as it will be stored, once checked

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    rows: list[ImportRow]
    stored: list[ProgressUpdate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors about the whole file

    @property
    def is_valid(self) -> bool:
        return not self.problems and all(row.is_valid for row in self.rows)

    def error_lines(self) -> list[str]:
        lines = list(self.problems)
        for row in self.rows:
            lines += [f"第{row.number}行 · row {row.number}: {error}" for error in row.errors]
        return lines


def bilingual_message(zh: str, en: str) -> str:
    """A message to staff in Chinese with English beside it, as the import pages show them."""
    return f"{zh} · {en}"


_message = bilingual_message


# --- The template ---------------------------------------------------------------------------------


def department_goals(department: Department):
    """The goals a department records figures for: those it leads or supports, not rejected."""
    return (
        Goal.objects.filter(Q(lead_department=department) | Q(supporting_departments=department))
        .exclude(review_state=Goal.ReviewState.REJECTED)
        .distinct()
        .order_by("deadline", "pk")
    )


def progress_template(*, department: Department) -> bytes:
    """An XLSX workbook listing the department's goals with their unit, target and last approved
    figure, and empty columns for the new figures."""
    goals = list(department_goals(department))
    last = {}
    for update in ProgressUpdate.objects.approved().filter(goal__in=goals).order_by("goal_id", "as_of", "pk"):
        last[update.goal_id] = update
    book = Workbook()
    sheet = book.active
    sheet.title = "进展 progress"
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for goal in goals:
        update = last.get(goal.pk)
        given = [
            goal.slug,
            goal.title,
            goal.unit,
            goal.target_display(),
            plain_decimal(update.value) if update and update.value is not None else "",
            update.as_of.isoformat() if update else "",
        ]
        # Titles and units are text, never formulas (=HYPERLINK…); the columns to fill in are empty.
        sheet.append([xlsx_cell(sheet, value) for value in given] + [None] * len(FILLED_IN))
        for cell in sheet[sheet.max_row][:6]:
            cell.fill = grey
    for column, width in zip("ABCDEFGHIJK", (22, 40, 8, 14, 14, 14, 18, 12, 12, 40, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading a file -------------------------------------------------------------------------------


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _column_key(label: str) -> str | None:
    """A header cell's column: the template's label (目标编号 · goal) or the bare key (goal)."""
    label = label.strip()
    for key, template_label in COLUMNS:
        if label in (key, template_label):
            return key
    return None


def _too_many_rows() -> SheetUnreadable:
    return SheetUnreadable(
        _message(f"一次最多导入{MAX_ROWS}行", f"At most {MAX_ROWS} rows can be imported at once")
    )


def _too_many_columns() -> SheetUnreadable:
    return SheetUnreadable(
        _message(f"表格最多{MAX_COLUMNS}列", f"The sheet may have at most {MAX_COLUMNS} columns")
    )


def _xlsx_unreadable(error: Exception) -> SheetUnreadable:
    return SheetUnreadable(
        _message("无法读取该XLSX文件", f"The XLSX file cannot be read ({error.__class__.__name__})")
    )


def _sheet_checked(source) -> None:
    """If this part of the file is a worksheet, walk its XML as a stream, keeping only the path to
    the element being read, and refuse it at an oversized declared dimension, the first row past
    MAX_ROWS, the first row with more than MAX_COLUMNS cells, or more elements than a sheet of that
    size holds, before openpyxl builds any row (openpyxl keeps a row's cells together, fills every
    gap it is told of with empty cells, and reads a sheet without a dimension to its end to size it)."""
    path: list = []
    row_depth = None
    row_number = cells = in_row = outside = 0
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if not path and event == "start" and element.tag.rsplit("}", 1)[-1] != "worksheet":
            return  # shared strings, styles, relationships: their size was checked
        if event == "end":
            path.pop()
            if path:
                path[-1].remove(element)  # nothing read is kept
            if row_depth is not None and len(path) < row_depth:
                row_depth = None
            continue
        path.append(element)
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "dimension":
            # Refused as declared (A1:XFD1048576), before any row.
            _, _, last_column, last_row = range_boundaries(element.get("ref", "A1"))
            if (last_row or 0) > MAX_ROWS + 1:
                raise _too_many_rows()
            if (last_column or 0) > MAX_COLUMNS:
                raise _too_many_columns()
        if row_depth is None and tag == "row":
            row_depth = len(path)
            declared = element.get("r", "")
            if ROW_NUMBER.fullmatch(declared):
                row_number = int(declared) if len(declared) <= 9 else MAX_ROWS + 2
            else:
                row_number += 1  # r is optional: the next row
            if row_number > MAX_ROWS + 1:
                raise _too_many_rows()
            cells = in_row = 0
        elif row_depth is not None:
            in_row += 1
            cells += tag == "c" and len(path) == row_depth + 1
            if cells > MAX_COLUMNS:
                raise _too_many_columns()
            if in_row > MAX_ELEMENTS_PER_ROW:
                raise _too_much("一行的内容过多", "a row holds too much")
        else:
            outside += 1
            if outside > MAX_ELEMENTS_OUTSIDE_ROWS:
                raise _too_much("表格行以外的内容过多", "the sheet holds too much besides its rows")


def _too_much(zh: str, en: str) -> SheetUnreadable:
    return SheetUnreadable(_message(f"无法读取该XLSX文件：{zh}", f"The XLSX file cannot be read: {en}"))


def _xlsx_table(content: bytes) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _xlsx_unreadable(error) from error
    if any(part.file_size > MAX_PART_BYTES for part in parts):
        raise SheetUnreadable(
            _message(
                f"XLSX文件解压后过大（单个部分超过{MAX_PART_BYTES // 1024 // 1024} MB）",
                f"The XLSX file is too large unpacked (a part over {MAX_PART_BYTES // 1024 // 1024} MB)",
            )
        )
    try:
        # Every worksheet of the file, before openpyxl opens it: openpyxl reads a sheet that declares
        # no dimension to its end just to size it.
        for part in parts:
            if part.filename.lower().endswith(".xml"):
                with archive.open(part) as source:
                    _sheet_checked(source)
    except SheetUnreadable:
        raise
    except Exception as error:  # broken XML, a damaged archive
        raise _xlsx_unreadable(error) from error
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise _xlsx_unreadable(error) from error
    try:
        return [
            [_text(cell) for cell in values]
            for values in sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
        ]
    except SheetUnreadable:
        raise
    except Exception as error:  # a sheet damaged past its first rows
        raise _xlsx_unreadable(error) from error
    finally:
        book.close()


def _csv_table(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as error:
            raise SheetUnreadable(
                _message("CSV文件须为UTF-8或GB18030编码", "The CSV file must be UTF-8 or GB18030")
            ) from error
    table = []
    try:
        for values in csv.reader(io.StringIO(text)):
            if len(table) > MAX_ROWS:
                raise _too_many_rows()
            if len(values) > MAX_COLUMNS:
                raise _too_many_columns()
            table.append([cell.strip() for cell in values])
    except csv.Error as error:
        raise SheetUnreadable(
            _message("无法读取该CSV文件", f"The CSV file cannot be read ({error})")
        ) from error
    return table


def sheet_table(*, name: str, content: bytes) -> list[list[str]]:
    """The cells of an XLSX or CSV file as text, row by row, within the limits above (also read by
    services.parts_import). Raises SheetUnreadable for another kind of file, an empty one, or one past
    a limit."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        table = _xlsx_table(content)
    elif lowered.endswith(".csv"):
        table = _csv_table(content)
    else:
        raise SheetUnreadable(_message("请上传 .xlsx 或 .csv 文件", "Upload an .xlsx or .csv file"))
    if not table:
        raise SheetUnreadable(_message("文件是空的", "The file is empty"))
    return table


def progress_rows_read(*, name: str, content: bytes) -> list[ImportRow]:
    """The filled-in rows of an XLSX or CSV file with the template's header; rows with nothing
    filled in (a goal the department has no new figure for) are left out. A file past MAX_ROWS rows
    or MAX_COLUMNS columns is refused as soon as that is known, without reading the rest."""
    table = sheet_table(name=name, content=content)
    header = table[0]
    keys = [_column_key(label) for label in header]
    missing = [
        label for key, label in COLUMNS if key in (GOAL, AS_OF, VALUE, EVIDENCE_URL) and key not in keys
    ]
    if missing:
        raise SheetUnreadable(
            _message(
                f"表头缺少列：{'、'.join(missing)}", f"The header lacks the columns: {', '.join(missing)}"
            )
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {key: value for key, value in zip(keys, values, strict=False) if key}
        if any(cells.get(key) for key in FILLED_IN):
            rows.append(ImportRow(number=number, cells=cells))
    return rows


# --- Checking and storing ---------------------------------------------------------------------------


def _check_row(row: ImportRow, goals: dict[str, Goal], allowed: set[int], today: date, user) -> None:
    cells = row.cells
    if any("\x00" in value for value in cells.values()):
        # No check below may see it: PostgreSQL refuses the character in a query as in a row.
        row.errors.append(_message("含有空字符（NUL）", "contains a NUL character"))
        return
    slug = cells.get(GOAL, "")
    goal = goals.get(slug)
    if goal is None:
        row.errors.append(_message(f"未知目标“{slug}”", f"unknown goal “{slug}”"))
    elif goal.pk not in allowed:
        row.errors.append(
            _message(
                f"“{goal.title}”不是您所在单位的目标",
                f"“{slug}” is another department's goal, not yours to record",
            )
        )
    else:
        row.goal = goal
        unit = cells.get(UNIT, goal.unit)
        if unit != goal.unit:
            row.errors.append(
                _message(
                    f"单位应为“{goal.unit}”，不是“{unit}”（请按目标的单位填写数值）",
                    f"the unit must be “{goal.unit}”, not “{unit}” (give the value in the goal's unit)",
                )
            )
    written = cells.get(AS_OF, "")
    try:
        if not ISO_DATE.fullmatch(written):  # fromisoformat alone takes 20260101 and 2026-W01-1
            raise ValueError(written)
        row.as_of = date.fromisoformat(written)
    except ValueError:
        row.errors.append(
            _message(
                f"数据截至日期“{written}”应写作YYYY-MM-DD",
                f"the as-of date “{written}” must be written YYYY-MM-DD",
            )
        )
    else:
        refusal = as_of_refusal(row.as_of, today=today)
        if refusal is not None:
            row.errors.append(_message(*refusal))
    raw_value = cells.get(VALUE, "").replace(",", "").replace("，", "")
    if raw_value:
        try:
            row.value = Decimal(raw_value)
            if not row.value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            row.value = None
            row.errors.append(
                _message(
                    f"数值“{cells.get(VALUE)}”不是数字", f"the value “{cells.get(VALUE)}” is not a number"
                )
            )
    elif goal is not None and not goal.is_milestone:
        row.errors.append(_message("请填写数值", "enter a value"))
    final = cells.get(IS_FINAL, "").strip().lower()
    if final in YES:
        row.is_final = True
    elif final not in NO:
        row.errors.append(
            _message(f"正式数据一栏应填“是”或“否”，不是“{final}”", f"final must be 是 or 否, not “{final}”")
        )
    evidence = cells.get(EVIDENCE_URL, "")
    if not evidence:
        row.errors.append(_message("请提供佐证链接", "give an evidence link"))
    elif not evidence.lower().startswith(("https://", "http://")):
        row.errors.append(
            _message(
                f"佐证链接“{evidence}”应以http://或https://开头",
                f"the evidence link “{evidence}” must start with http:// or https://",
            )
        )
    _check_as_stored(row, user)


# Fields whose errors the checks above already word, or that the import does not fill in.
_CHECKED_ABOVE = ["goal", "indicator", "as_of", "recorded_by", "reviewed_by", "source_document"]


def _check_as_stored(row: ImportRow, user) -> None:
    """The figure as it would be stored, validated by the model's own fields (the digits a value may
    have, the length and form of a link): the preview refuses whatever the write would refuse."""
    row.update = ProgressUpdate(
        goal=row.goal,
        as_of=row.as_of,
        value=row.value,
        is_final=row.is_final,
        evidence_url=row.cells.get(EVIDENCE_URL, ""),
        note=row.cells.get(NOTE, ""),
        recorded_by=user,
    )
    already = set(row.errors)
    try:
        row.update.clean_fields(exclude=_CHECKED_ABOVE)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = ProgressUpdate._meta.get_field(name).verbose_name
            row.errors += [f"{label}: {message}" for message in messages if message not in already]


def progress_import_check(*, rows: list[ImportRow], user, today: date) -> ImportResult:
    """Check every row against the goals `user` records for; each row collects all its errors."""
    result = ImportResult(rows=rows)
    if not rows:
        result.problems.append(_message("文件中没有填写任何数据", "The file has no figures filled in"))
        return result
    slugs = {row.cells.get(GOAL, "") for row in rows} - {""}
    slugs = {slug for slug in slugs if "\x00" not in slug}
    goals = {goal.slug: goal for goal in Goal.objects.filter(slug__in=slugs)}
    allowed = set(
        Goal.objects.for_member(user, MembershipRole.RECORDER)
        .exclude(review_state=Goal.ReviewState.REJECTED)
        .filter(slug__in=slugs)
        .values_list("pk", flat=True)
    )
    seen: dict[tuple, int] = {}
    for row in rows:
        _check_row(row, goals, allowed, today, user)
        if row.goal is not None and row.as_of is not None:
            key = (row.goal.pk, row.as_of)
            if key in seen:
                row.errors.append(
                    _message(
                        f"与第{seen[key]}行重复（同一目标、同一截至日期）",
                        f"repeats row {seen[key]} (same goal and as-of date)",
                    )
                )
            seen.setdefault(key, row.number)
    return result


def _already_imported() -> str:
    return _message(
        "这份表格已经导入，没有再次写入（请到进展列表查看）",
        "This sheet was imported already; nothing was stored again (see the list of progress updates)",
    )


def progress_import(
    *, rows: list[ImportRow], user, today: date, dry_run: bool = False, once: str | None = None
) -> ImportResult:
    """Check every row; when all are valid (and this is no dry run) store each as a figure recorded
    by `user` and submit it for review, all in one transaction. One row in error stores nothing.

    `once` names the confirmed sheet (the admin passes its signed payload): it is claimed in the same
    transaction as the figures, so the same confirmation posted again stores nothing and says so."""
    token = hashlib.sha256(once.encode()).hexdigest() if once is not None else None
    if token is not None and ProgressImport.objects.filter(token=token).exists():
        return ImportResult(rows=rows, problems=[_already_imported()])
    result = progress_import_check(rows=rows, user=user, today=today)
    if not result.is_valid or dry_run:
        return result
    try:
        with transaction.atomic():
            if token is not None:
                ProgressImport.objects.create(token=token, imported_by=user, figures=len(rows))
            for row in rows:
                update = row.update
                update.save()
                progress_update_submit(update=update, user=user)
                result.stored.append(update)
    except IntegrityError:
        if token is None or not ProgressImport.objects.filter(token=token).exists():
            raise
        # The same confirmation, posted twice at once: the other request stored the figures.
        result.stored = []
        result.problems.append(_already_imported())
    except (ValidationError, PermissionDenied) as error:
        # Checked above; only a change between the check and the write (a membership removed) lands here.
        result.stored = []
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        result.problems += messages
    return result
