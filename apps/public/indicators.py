"""One indicator across the years: its targets and reported results side by side, year by year, as a
table and as the numbers behind its chart. Plain functions over goals and figures already read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from apps.goals import units
from apps.goals.english import amount_en
from apps.goals.units import base_unit, unit_magnitude


@dataclass
class YearRow:
    year: int
    goals: list = field(default_factory=list)
    figures: list = field(default_factory=list)


def figure_unit(figure) -> str:
    return figure.unit or (figure.goal.unit if figure.goal_id else "")


def amount_display(value: Decimal | str | None, unit: str, *, computed: bool = False) -> str:
    """A figure in its unit, as the reader's language says it: '1700 亿元' or '170 billion yuan'. The
    digits are units.amount_display's (computed=True for an amount the site worked out: a forecast)."""
    if value is None or value == "":
        return "—"
    value = Decimal(units.amount_display(Decimal(value), computed=computed))
    if (translation.get_language() or "").startswith("en"):
        return amount_en(value, unit)
    return units.amount_text(value, unit)


def period_label(start: datetime.date | None, end: datetime.date) -> str:
    """What a figure covers, in words: '2025年', '2025年1–9月', '2021–2025年'."""
    start = start or datetime.date(end.year, 1, 1)
    english = (translation.get_language() or "").startswith("en")
    whole_years = start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31
    if whole_years and start.year == end.year:
        return str(end.year) if english else f"{end.year}年"
    if whole_years:
        return f"{start.year}–{end.year}" if english else f"{start.year}–{end.year}年"
    if start.year == end.year:
        if english:
            return f"{start:%b}–{end:%b} {end.year}"
        return f"{end.year}年{start.month}–{end.month}月"
    return f"{start.isoformat()} – {end.isoformat()}"


def figure_kind_label(figure) -> str:
    if figure.is_final:
        return _("正式数据")
    if figure.is_estimate:
        return _("预计数")
    return _("初步数据")


def years_table(goals: list, figures: list) -> list[YearRow]:
    """A row per year from the first to the last year that has a target or a figure: the goals due
    that year and the figures whose period ends in it."""
    rows: dict[int, YearRow] = {}
    for goal in goals:
        rows.setdefault(goal.deadline.year, YearRow(goal.deadline.year)).goals.append(goal)
    for figure in figures:
        rows.setdefault(figure.as_of.year, YearRow(figure.as_of.year)).figures.append(figure)
    if not rows:
        return []
    first, last = min(rows), max(rows)
    return [rows.get(year) or YearRow(year) for year in range(first, last + 1)]


def _in_unit(value: Decimal | None, unit: str, chart_unit: str) -> float | None:
    """A value converted to the chart's unit (亿元 -> 万亿元), or None when the two count different things."""
    if value is None:
        return None
    if unit == chart_unit:
        return float(value)
    if base_unit(unit) != base_unit(chart_unit) or chart_unit in ("%", "％"):
        return None
    return float(Decimal(value) * unit_magnitude(unit) / unit_magnitude(chart_unit))


def indicator_chart_data(goals: list, figures: list) -> dict:
    """Targets and results per year in one unit (that of the latest target): a target point for each
    goal, and for each year the figure covering the most of it (the latest of the longest)."""
    chart_unit = goals[-1].unit if goals else ""
    rows = years_table(goals, figures)
    years = [row.year for row in rows]
    targets, results = [], []
    for row in rows:
        target = next(
            (
                _in_unit(g.target_value, g.unit, chart_unit)
                for g in reversed(row.goals)
                if g.target_value is not None
            ),
            None,
        )
        targets.append(target)
        best = None
        for figure in row.figures:
            covered = (figure.as_of - (figure.period_start or datetime.date(figure.as_of.year, 1, 1))).days
            if figure.period_start and figure.period_start.year < figure.as_of.year:
                continue  # a several-year average is no result of one year
            key = (covered, figure.as_of, not figure.is_sample)
            if best is None or key >= best[0]:
                best = (key, figure)
        if best is None:
            results.append(None)
            continue
        figure = best[1]
        results.append(
            {
                "value": _in_unit(figure.value, figure_unit(figure), chart_unit),
                "final": figure.is_final,
                "estimate": figure.is_estimate,
                "sample": figure.is_sample,
                "period": period_label(figure.period_start, figure.as_of),
            }
        )
    return {
        "unit": chart_unit,
        "years": [str(y) for y in years],
        "targets": targets,
        "results": results,
        "labels": {
            "target": _("目标"),
            "result": _("实际"),
            "sample": _("示例数据"),
            "estimate": _("预计数"),
            "provisional": _("初步数据"),
            "final": _("正式数据"),
        },
    }
