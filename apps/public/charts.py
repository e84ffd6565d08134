"""The numbers behind the ECharts charts, as plain JSON-ready dicts (rendered with json_script).
Labels are translated here, so static/public/charts.js carries no text of its own."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.goals.models import GoalKind
from apps.goals.status import status_label
from apps.goals.units import in_unit

from .selectors import STATUS_ORDER

# Chart colours per status; the status is also always written out, colour is never the only cue.
STATUS_COLOURS = {
    "achieved": "#0b6b2b",
    "done": "#0b6b2b",
    "on_track": "#2e8540",
    "due": "#1f5fa8",
    "at_risk": "#a85a00",
    "off_track": "#b3261e",
    "missed": "#7d1a14",
    "overdue": "#b3261e",
    "awaiting_data": "#5b4a8b",
    "unreported": "#4a4f57",
    "in_progress": "#1f5fa8",
    "stale": "#6b6b6b",
    "not_started": "#8a939e",
}

# Kinds whose 序时进度 (expected progress to date) is a straight line from baseline to target.
_TRAJECTORY_KINDS = {GoalKind.LEVEL, GoalKind.INCREMENT}


def _float(value):
    return None if value is None else float(value)


def _language():
    return translation.get_language() or ""


def dashboard_chart_data(context):
    language = _language()
    present = [s.value for s in STATUS_ORDER if any(b.counts.get(s.value) for b in context["by_category"])]

    def stacked(breakdowns, nobody):
        names = [b.owner.display_name if b.owner else nobody for b in breakdowns]
        return {
            "names": names,
            "series": [
                {
                    "status": s,
                    "name": status_label(s, language),
                    "colour": STATUS_COLOURS[s],
                    "values": [b.counts.get(s, 0) for b in breakdowns],
                }
                for s in present
            ],
        }

    return {
        "status": [
            {
                "status": row["status"],
                "name": status_label(row["status"], language),
                "value": row["count"],
                "colour": STATUS_COLOURS[row["status"]],
            }
            for row in context["status_counts"]
        ],
        "by_category": stacked(context["by_category"], _("未分类")),
        "over_time": over_time(context["status_over_time"], language),
        "labels": {"goals": _("目标数")},
    }


def over_time(snapshots, language):
    """Stacked counts by status at each quarter end and today."""
    present = [s.value for s in STATUS_ORDER if any(snap.counts.get(s.value) for snap in snapshots)]
    return {
        "days": [snap.day.isoformat() for snap in snapshots],
        "day_labels": [date_format(snap.day) for snap in snapshots],
        "series": [
            {
                "status": s,
                "name": status_label(s, language),
                "colour": STATUS_COLOURS[s],
                "values": [snap.counts.get(s, 0) for snap in snapshots],
            }
            for s in present
        ],
    }


def trajectory(goal, updates):
    """(start date, start value) and (deadline, target) of the expected-progress line, or None.

    Mirrors the status rules: drawn only where the baseline is known — given, 0 for an increment, or
    for a level the latest figure dated at or before the period start — never from a later figure."""
    if goal.kind not in _TRAJECTORY_KINDS or goal.target_value is None:
        return None
    base = goal.baseline_value
    if base is None and goal.kind == GoalKind.INCREMENT:
        base = Decimal(0)
    if base is None:
        before = [u for u in updates if u.value is not None and u.as_of <= goal.period_start]
        if not before:
            return None
        base = max(before, key=lambda u: (u.as_of, u.is_final)).value
    if goal.period_start >= goal.deadline:
        return None
    return [
        [goal.period_start.isoformat(), _float(base)],
        [goal.deadline.isoformat(), _float(goal.target_value)],
    ]


@dataclass(frozen=True)
class _Point:
    as_of: date
    value: Decimal
    is_final: bool
    is_sample: bool


def goal_chart_data(goal, today=None):
    # Figures reported for the indicator may be in another magnitude (亿元 for a goal in 万亿元).
    updates = [
        _Point(as_of=u.as_of, value=value, is_final=u.is_final, is_sample=u.is_sample)
        for u in goal.public_updates
        if (value := in_unit(u.value, u.unit or goal.unit, goal.unit)) is not None
    ]
    return {
        "unit": goal.unit,
        "today": (today or timezone.localdate()).isoformat(),
        "period": [goal.period_start.isoformat(), goal.deadline.isoformat()],
        "actual": [
            {
                "date": u.as_of.isoformat(),
                "date_label": date_format(u.as_of),
                "value": _float(u.value),
                "final": u.is_final,
                "sample": u.is_sample,
            }
            for u in updates
        ],
        "target": _float(goal.target_value),
        "target_max": _float(goal.target_max),
        "expected": trajectory(goal, updates),
        "labels": {
            "actual": _("实际值"),
            "target": _("目标"),
            "target_max": _("目标上限"),
            "expected": _("序时进度"),
            "today": _("今天"),
            "sample": _("示例数据"),
            "provisional": _("初步数据"),
            "final": _("正式数据"),
        },
    }
