"""A goal's split by spreadsheet: one row per part (the parent goal, the department, its target, and
optionally its unit and title). Following progress_import: the same reading of XLSX and CSV within its
limits, every row checked with all its errors, and nothing stored while one row is in error."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from ..models import Department, Goal
from ..units import in_unit
from .parts import goal_part_add
from .progress_import import SheetUnreadable, sheet_table
from .progress_import import bilingual_message as _message

PARENT, DEPARTMENT, TARGET, UNIT, TITLE = "parent", "department", "target", "unit", "title"
COLUMNS = [
    (PARENT, "上级目标编号 · parent goal"),
    (DEPARTMENT, "责任单位 · department"),
    (TARGET, "目标值 · target"),
    (UNIT, "单位 · unit"),
    (TITLE, "标题 · title"),
]
REQUIRED = (PARENT, DEPARTMENT, TARGET)


@dataclass
class SplitRow:
    """One part as read from the sheet, and as checked."""

    number: int  # the row number a spreadsheet shows (the header is row 1)
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    parent: Goal | None = None
    department: Department | None = None
    target: Decimal | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class SplitResult:
    rows: list[SplitRow]
    stored: list[Goal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems and all(row.is_valid for row in self.rows)

    def error_lines(self) -> list[str]:
        lines = list(self.problems)
        for row in self.rows:
            lines += [f"第{row.number}行 · row {row.number}: {error}" for error in row.errors]
        return lines


def _column_key(label: str) -> str | None:
    label = label.strip()
    return next((key for key, template_label in COLUMNS if label in (key, template_label)), None)


def split_rows_read(*, name: str, content: bytes) -> list[SplitRow]:
    """The rows of an XLSX or CSV file with the split's header (its labels or bare keys); empty rows are
    left out. Raises SheetUnreadable as progress_import does, or for a header without the columns needed."""
    table = sheet_table(name=name, content=content)
    keys = [_column_key(label) for label in table[0]]
    missing = [label for key, label in COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise SheetUnreadable(
            _message(
                f"表头缺少列：{'、'.join(missing)}", f"The header lacks the columns: {', '.join(missing)}"
            )
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {key: value.strip() for key, value in zip(keys, values, strict=False) if key}
        if any(cells.values()):
            rows.append(SplitRow(number=number, cells=cells))
    return rows


def split_import_check(*, rows: list[SplitRow], user) -> SplitResult:
    """Check every row: a goal the person may split (in their scope, a numeric goal), a department
    (slug or Chinese name), a target, a unit that converts to the goal's, and no department given two
    parts of one goal (in the sheet or already)."""
    result = SplitResult(rows=rows)
    if not rows:
        result.problems.append(_message("文件中没有任何分解目标", "The file has no parts"))
        return result
    if not user.has_perm("goals.add_goal"):
        result.problems.append(_message("没有新增目标的权限", "You may not add goals"))
        return result
    slugs = {row.cells.get(PARENT, "") for row in rows if "\x00" not in row.cells.get(PARENT, "")}
    parents = {g.slug: g for g in Goal.objects.in_staff_scope(user).filter(slug__in=slugs)}
    named = {row.cells.get(DEPARTMENT, "") for row in rows if "\x00" not in row.cells.get(DEPARTMENT, "")}
    departments = {}
    for department in Department.objects.filter(Q(slug__in=named) | Q(name__in=named)):
        departments[department.slug] = departments[department.name] = department
    taken = set(
        Goal.objects.filter(parent__in=parents.values(), lead_department__isnull=False).values_list(
            "parent_id", "lead_department_id"
        )
    )
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        _check_row(row, parents, departments)
        if row.parent is None or row.department is None:
            continue
        key = (row.parent.pk, row.department.pk)
        if key in taken:
            row.errors.append(
                _message("该目标已有这一单位的分解目标", "the goal already has a part for this department")
            )
        elif key in seen:
            row.errors.append(
                _message(
                    f"与第{seen[key]}行重复（同一目标、同一单位）",
                    f"repeats row {seen[key]} (same goal and department)",
                )
            )
        seen.setdefault(key, row.number)
    return result


def _check_row(row: SplitRow, parents: dict[str, Goal], departments: dict[str, Department]) -> None:
    cells = row.cells
    row.parent = parents.get(cells.get(PARENT, ""))
    if row.parent is None:
        row.errors.append(_message("找不到该目标，或无权分解", "no such goal, or not one you may split"))
    elif row.parent.kind == Goal.Kind.MILESTONE:
        row.errors.append(
            _message("节点目标没有目标值，不能按目标值分解", "a milestone has no target to split")
        )
    row.department = departments.get(cells.get(DEPARTMENT, ""))
    if row.department is None:
        row.errors.append(
            _message(
                "找不到该单位（填写编号或中文全称）", "no such department (give its slug or Chinese name)"
            )
        )
    try:
        row.target = Decimal(cells.get(TARGET, "").replace(",", ""))
        if not row.target.is_finite() or row.target < 0:
            raise InvalidOperation
    except InvalidOperation:
        row.target = None
        row.errors.append(_message("目标值应为不小于0的数字", "the target must be a number, 0 or more"))
    unit = cells.get(UNIT, "")
    if row.parent is not None and unit and in_unit(Decimal(1), unit, row.parent.unit) is None:
        row.errors.append(
            _message(
                f"单位“{unit}”不能换算为目标的单位“{row.parent.unit}”",
                f"the unit “{unit}” does not convert to the goal's “{row.parent.unit}”",
            )
        )
    for key, limit in ((UNIT, 30), (TITLE, 300)):
        if len(cells.get(key, "")) > limit or "\x00" in cells.get(key, ""):
            row.errors.append(_message(f"{key} 过长或含有非法字符", f"{key} is too long or holds a NUL"))


def split_import(*, rows: list[SplitRow], user) -> SplitResult:
    """Check every row; when all are valid, add each part (services.parts.goal_part_add), all in one
    transaction. One row in error stores nothing; the same sheet confirmed twice stores its parts once
    (the second time each row's department has its part already)."""
    with transaction.atomic():
        # The goals split are locked while checked and split: two confirmations at once split once.
        slugs = [row.cells.get(PARENT, "") for row in rows]
        list(Goal.objects.select_for_update().filter(slug__in=slugs).values_list("pk", flat=True))
        result = split_import_check(rows=rows, user=user)
        if not result.is_valid:
            return result
        for row in rows:
            assert row.parent is not None and row.department is not None and row.target is not None
            result.stored.append(
                goal_part_add(
                    parent=row.parent,
                    department=row.department,
                    target=row.target,
                    unit=row.cells.get(UNIT, ""),
                    title=row.cells.get(TITLE, ""),
                    user=user,
                )
            )
    return result
