"""Status rules: pure functions that judge a goal against its deadline and the
expected progress to date (序时进度). No database here; see tests/goals/test_status.py.

The rules, version 1 (bump RULE_VERSION when a change would move a goal's status):

Figures
  An observation's ``as_of`` is the last day its figure covers. Only figures dated within
  [start, today] count: an earlier one belongs to the previous period, a later one is not known yet
  when re-evaluating a past day. On one date a final figure beats a provisional one; of two equals the
  later in the sequence wins (a revision). The first figure dated on or after the deadline closes the
  period; anything after it belongs to a following period and is ignored.

Time
  序时进度 (expected progress to date) runs in calendar months, days pro rata inside a month, and a
  date means the end of that day. So the end of September is exactly 75% of a calendar year, as
  government reports reckon it, rather than 274/366 of it.

Before any figure
  not_started while the period has not begun, less than ``at_risk_band`` % of it has elapsed, or it
  began no more than ``stale_after_days`` ago (the first report is not due yet). After that, a period
  with no figure at all is stale.

stale
  While the period runs, a latest figure older than ``stale_after_days`` days makes the goal stale
  (unless it already shows the target reached). Past the deadline it is awaiting_data instead.

level and increment
  The expected value lies on the straight line from (start, baseline) to (deadline, target). An
  increment's baseline defaults to 0: its figures count what was added since the start. A level with
  no baseline takes its first figure (even one from before the period) as the baseline, and the line
  then starts on that figure's date, so a goal is not judged behind merely because its starting
  stock was unknown. Progress is the share of the way from baseline to target; on track at or above
  the expected share, at risk within ``at_risk_band`` points below it, off track below that. Achieved
  as soon as a figure reaches the target: ">" needs strictly more, ">=" and "~" need the target, "<="
  needs at most the target (a falling level), and a range is reached at its lower bound.
  The forecast is a least-squares line through the last four figures, continued from the latest one.

growth_rate, reduction, cap
  The latest cumulative figure is compared with the target; it stays provisional until a final
  figure for the period end arrives, so these goals are achieved or missed only then. At least
  (">=", ">", "~"): at or above the target (">" strictly above; "~" down to target − tolerance) is
  on track, up to one tolerance below that is at risk, lower is off track; overshooting is fine.
  A reduction figure is the reduction so far ("down by"), so it is judged like a growth figure.
  At most (kind cap, or comparator "<="): at or below the cap (target_max for a range, + tolerance
  for "~") is on track, up to one tolerance above it at risk, higher off track. A rate goal with no
  unit is taken to be in per cent.

After the deadline
  A final figure closing the period decides achieved or missed. Without one, a level or increment
  whose latest figure already reaches the target is achieved (flagged provisional; a lower final
  figure will still turn it into missed), and everything else is awaiting_data: a goal never turns
  red only because the statistics are not published yet. The grace period does not change the
  status either; it changes the explanation, which first says by when the final figure is expected
  and, once the grace period is over, how long it is overdue. Missed always rests on a final figure.

milestone
  done once ``milestone_done_on`` is set and not after today; otherwise due up to and including the
  deadline, overdue after it. Observations are ignored.
"""
from __future__ import annotations

import enum
import math
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .units import base_unit, unit_magnitude

RULE_VERSION = "1"


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    MISSED = "missed"
    AWAITING_DATA = "awaiting_data"
    STALE = "stale"
    # Milestones (dated, no number).
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"


STATUS_LABELS = {
    Status.NOT_STARTED: ("未开始", "Not started"),
    Status.ON_TRACK: ("进度正常", "On track"),
    Status.AT_RISK: ("有风险", "At risk"),
    Status.OFF_TRACK: ("滞后", "Off track"),
    Status.ACHIEVED: ("已完成", "Achieved"),
    Status.MISSED: ("未完成", "Missed"),
    Status.AWAITING_DATA: ("待数据", "Awaiting data"),
    Status.STALE: ("数据过期", "Stale"),
    Status.DONE: ("已完成", "Done"),
    Status.DUE: ("进行中", "Due"),
    Status.OVERDUE: ("已逾期", "Overdue"),
}
