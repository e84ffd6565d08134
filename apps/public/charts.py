"""The numbers behind the ECharts charts, as plain JSON-ready dicts (rendered with json_script).
Labels are translated here, so static/public/charts.js carries no text of its own."""

from calendar import monthrange
from datetime import date, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.goals.models import GoalKind
from apps.goals.status import STATUS_COLOURS, STATUS_ORDER, Observation, expected_value, status_label
from apps.goals.units import in_unit

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


def _month_ends(start: date, deadline: date) -> list[date]:
    """The last day of each month from `start`'s to the month before `deadline`'s, inside the period."""
    ends, day = [], start
    while True:
        end = day.replace(day=monthrange(day.year, day.month)[1])
        if end >= deadline:
            return ends
        ends.append(end)
        day = end + timedelta(days=1)


def trajectory(goal):
    """The points of the expected-progress line, [date, value] from (start, baseline) to (deadline,
    target), or None.

    The baseline is the one the goal's verdict used (Goal.progress_facts): the line is drawn exactly
    where the status text and key facts give an expected value. 序时进度 runs in calendar months
    (status.py), so the line has a point at every month end, each status.expected_value itself: it
    passes through the very number the status text and the key facts give, not a straight line in
    days."""
    if goal.kind not in _TRAJECTORY_KINDS or goal.target_value is None:
        return None
    progress = goal.progress_facts
    base = progress.baseline
    if base is None or progress.expected_value is None or goal.period_start >= goal.deadline:
        return None

    def on(day: date) -> float | None:
        return _float(
            expected_value(
                baseline=base,
                target=goal.target_value,
                start=goal.period_start,
                deadline=goal.deadline,
                on=day,
            )
        )

    return [
        # A point's date means the end of that day, as in the rules: the line leaves the baseline at the
        # end of the day before the period starts.
        [(goal.period_start - timedelta(days=1)).isoformat(), _float(base)],
        *([end.isoformat(), on(end)] for end in _month_ends(goal.period_start, goal.deadline)),
        [goal.deadline.isoformat(), _float(goal.target_value)],
    ]


def goal_chart_data(goal, today=None):
    today = today or timezone.localdate()
    # Figures reported for the indicator may be in another magnitude (亿元 for a goal in 万亿元).
    updates = [
        Observation(
            as_of=u.as_of,
            value=value,
            is_final=u.is_final,
            published_on=u.published_on,
            is_sample=u.is_sample,
        )
        for u in goal.public_updates
        if (value := in_unit(u.value, u.unit or goal.unit, goal.unit)) is not None
    ]
    return {
        "unit": goal.unit,
        "today": today.isoformat(),
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
        "expected": trajectory(goal),
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
