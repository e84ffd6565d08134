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
  then starts the day after that figure's date, so a goal is not judged behind merely because its starting
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


STATUS_LABELS: dict[Status, tuple[str, str]] = {
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


class Kind(enum.StrEnum):
    """What a goal's figure measures, which decides how it is judged (see the rules above)."""

    GROWTH_RATE = "growth_rate"
    LEVEL = "level"
    INCREMENT = "increment"
    CAP = "cap"
    REDUCTION = "reduction"
    MILESTONE = "milestone"


KIND_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.GROWTH_RATE: ("增速", "growth rate"),
    Kind.LEVEL: ("总量", "level (cumulative stock)"),
    Kind.INCREMENT: ("新增", "increment (new within the period)"),
    Kind.CAP: ("上限", "cap"),
    Kind.REDUCTION: ("下降", "reduction"),
    Kind.MILESTONE: ("节点", "milestone"),
}


class Comparator(enum.StrEnum):
    """How a figure must stand against the target: 以上/达到, 超过/突破, 左右/约, 控制在/以内."""

    AT_LEAST = ">="
    MORE_THAN = ">"
    ABOUT = "~"
    AT_MOST = "<="


COMPARATOR_LABELS: dict[Comparator, tuple[str, str]] = {
    Comparator.AT_LEAST: ("≥ 以上", "at least"),
    Comparator.MORE_THAN: ("> 超过", "more than"),
    Comparator.ABOUT: ("≈ 左右", "about"),
    Comparator.AT_MOST: ("≤ 以内", "at most"),
}
# How a target reads with its comparator in front: ≥ 5.5 %, ≈ 30 个.
COMPARATOR_SYMBOLS: dict[Comparator, str] = {
    Comparator.AT_LEAST: "≥",
    Comparator.MORE_THAN: ">",
    Comparator.ABOUT: "≈",
    Comparator.AT_MOST: "≤",
}


def status_label(status: str | None, language: str = "zh") -> str:
    """A status in words, in English when `language` is English (en, en-us …), else in Chinese.
    An empty or unknown status reads as "—"."""
    try:
        zh, en = STATUS_LABELS[Status(status)]
    except ValueError:
        return "—"
    return en if (language or "").lower().startswith("en") else zh


def bilingual_label(labels: tuple[str, str]) -> str:
    """ "中文 · English", as staff forms and choices show a term."""
    return f"{labels[0]} · {labels[1]}"


KINDS = tuple(Kind)
COMPARATORS = tuple(Comparator)

# How many recent figures the forecast fits a line through (two at least give a pace).
_FORECAST_WINDOW = 4
_FORECAST_HORIZON_DAYS = 36_500


@dataclass(frozen=True)
class Observation:
    as_of: date  # end of the period the figure covers
    value: Decimal
    is_final: bool  # official full-period figure vs provisional/partial


@dataclass(frozen=True)
class Thresholds:
    at_risk_band: Decimal = Decimal(
        "10"
    )  # points of the way to target below 序时进度 that are 黄灯 (at risk)
    growth_tolerance: Decimal = Decimal("0.5")  # ± points for rate goals and '~' targets
    stale_after_days: int = 120  # reporting cadence: no update for this long -> stale
    awaiting_data_grace_days: int = 180  # after the deadline, the usual wait for the final figure


@dataclass(frozen=True)
class Evaluation:
    status: Status
    # 序时进度 value expected on the date of the figure compared (today if none), or the target for
    # rate goals; None for milestones.
    expected_value: Decimal | None
    actual_value: Decimal | None  # latest figure used
    progress_percent: Decimal | None  # share of the way from baseline to target (None for rate goals)
    explanation_zh: str
    explanation_en: str
    forecast_date: date | None  # completion forecast from the recent pace, level/increment only
    rule_version: str


def expected_value(
    *, baseline: Decimal | None, target: Decimal, start: date, deadline: date, on: date
) -> Decimal:
    """序时进度: the value on the straight line from (start, baseline) to (deadline, target) at the end of
    `on`, clamped to the period. A missing baseline counts as 0."""
    baseline = Decimal(0) if baseline is None else baseline
    share = _elapsed_share(start, deadline, on)
    return (baseline + (target - baseline) * share).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def evaluate(
    *,
    kind: str,
    comparator: str,
    target: Decimal | None,
    target_max: Decimal | None,
    baseline: Decimal | None,
    start: date,
    deadline: date,
    observations: Sequence[Observation],
    today: date,
    thresholds: Thresholds = Thresholds(),
    unit: str = "",
    milestone_done_on: date | None = None,
) -> Evaluation:
    """Judge one goal on `today`. Raises ValueError for an unknown kind or comparator, a numeric goal
    without a target, or a deadline before the start."""
    if kind not in KINDS:
        raise ValueError(f"unknown goal kind {kind!r}")
    if comparator not in COMPARATORS:
        raise ValueError(f"unknown comparator {comparator!r}")
    if deadline < start:
        raise ValueError(f"deadline {deadline} is before the start {start}")
    if kind == Kind.MILESTONE:
        return _evaluate_milestone(start=start, deadline=deadline, today=today, done_on=milestone_done_on)
    if target is None:
        raise ValueError(f"a {kind} goal needs a target")
    if kind in (Kind.GROWTH_RATE, Kind.REDUCTION) and not unit.strip():
        unit = "%"
    values = [target, target_max, baseline, *(o.value for o in observations)]
    goal = _Goal(
        kind=kind,
        comparator=comparator,
        target=target,
        target_max=target_max,
        start=start,
        deadline=deadline,
        today=today,
        thresholds=thresholds,
        unit=unit.strip(),
        places=min(2, max(_decimal_places(v) for v in values if v is not None)),
    )
    figures = _period_figures(observations, start=start, deadline=deadline, today=today)
    if kind in (Kind.LEVEL, Kind.INCREMENT):
        return _evaluate_progress(goal, figures, baseline=baseline, observations=observations)
    return _evaluate_rate(goal, figures)


@dataclass(frozen=True)
class _Goal:
    """The plain facts of one goal, with the formatting its explanations need."""

    kind: str
    comparator: str
    target: Decimal
    target_max: Decimal | None
    start: date
    deadline: date
    today: date
    thresholds: Thresholds
    unit: str
    places: int  # decimals worth showing, from the most precise figure given (at most 2)

    @property
    def at_most(self) -> bool:
        return self.kind == Kind.CAP or self.comparator == "<="

    @property
    def period_ended(self) -> bool:
        return self.today > self.deadline

    def amount_zh(self, value: Decimal) -> str:
        return _number(value, self.places, zh=True) + self.unit

    def amount_en(self, value: Decimal) -> str:
        return _amount_en(value, self.unit, self.places)

    def date_zh(self, day: date) -> str:
        return (
            f"{day.month}月{day.day}日"
            if day.year == self.today.year
            else f"{day.year}年{day.month}月{day.day}日"
        )

    def target_phrases(self) -> tuple[str, str]:
        zh, en = self.amount_zh(self.target), self.amount_en(self.target)
        if self.target_max is not None:
            return (
                f"{_number(self.target, self.places, zh=True)}–{self.amount_zh(self.target_max)}",
                f"{self.amount_en(self.target)}–{self.amount_en(self.target_max)}",
            )
        if self.comparator == "~":
            return f"{zh}左右", f"about {en}"
        if self.at_most:
            return f"不超过{zh}", f"at most {en}"
        if self.comparator == ">":
            return f"超过{zh}", f"more than {en}"
        return zh, en

    def gap_phrases(self, difference: Decimal) -> tuple[str, str]:
        """A difference between two figures of this goal, in points when the unit is a percentage."""
        if self.unit in ("%", "‰"):
            zh, en = _points(difference)
            return f"{zh}个百分点", f"{en} points"
        return self.amount_zh(abs(difference)), self.amount_en(abs(difference))

    def result(self, status: Status, zh: str, en: str, **numbers) -> Evaluation:
        label_zh, label_en = STATUS_LABELS[status]
        return Evaluation(
            status=status,
            expected_value=numbers.get("expected_value"),
            actual_value=numbers.get("actual_value"),
            progress_percent=numbers.get("progress_percent"),
            explanation_zh=f"{zh}，{label_zh}{numbers.get('tail_zh', '')}",
            explanation_en=f"{en}: {label_en.lower()}{numbers.get('tail_en', '')}",
            forecast_date=numbers.get("forecast_date"),
            rule_version=RULE_VERSION,
        )


# --- Judging ------------------------------------------------------------------------------------


def _evaluate_milestone(*, start: date, deadline: date, today: date, done_on: date | None) -> Evaluation:
    goal = _Goal(
        kind=Kind.MILESTONE,
        comparator=">=",
        target=Decimal(0),
        target_max=None,
        start=start,
        deadline=deadline,
        today=today,
        thresholds=Thresholds(),
        unit="",
        places=0,
    )
    if done_on is not None and done_on <= today:
        late = (done_on - deadline).days
        if late > 0:
            return goal.result(
                Status.DONE,
                f"已于{goal.date_zh(done_on)}完成，比期限{goal.date_zh(deadline)}晚{late}天",
                f"Done on {_date_en(done_on)}, {_days_en(late)} after the deadline of {_date_en(deadline)}",
            )
        return goal.result(
            Status.DONE,
            f"已于{goal.date_zh(done_on)}完成（期限{goal.date_zh(deadline)}）",
            f"Done on {_date_en(done_on)} (deadline {_date_en(deadline)})",
        )
    if today <= deadline:
        left = (deadline - today).days
        return goal.result(
            Status.DUE,
            f"期限为{goal.date_zh(deadline)}，{f'尚余{left}天' if left else '今天到期'}",
            f"Due by {_date_en(deadline)}, {f'{_days_en(left)} left' if left else 'which is today'}",
        )
    overdue = (today - deadline).days
    return goal.result(
        Status.OVERDUE,
        f"期限{goal.date_zh(deadline)}已过{overdue}天，尚未完成",
        f"The deadline of {_date_en(deadline)} passed {_days_en(overdue)} ago and it is not done",
    )


def _evaluate_progress(
    goal: _Goal, figures: list[Observation], *, baseline: Decimal | None, observations: Sequence[Observation]
) -> Evaluation:
    """level and increment: against the straight line from baseline to target."""
    line_start, baseline_note = goal.start, ("", "")
    if baseline is None:
        known = sorted((o for o in observations if o.as_of <= goal.today), key=lambda o: o.as_of)
        if goal.kind == Kind.LEVEL and known:
            # The figure covers its whole day, so the line starts the day after it.
            first_day = known[0].as_of + timedelta(days=1)
            baseline, line_start = known[0].value, min(goal.deadline, max(goal.start, first_day))
            baseline_note = (
                f"；基数取首个数据{goal.amount_zh(baseline)}",
                f"; baseline taken from the first figure, {goal.amount_en(baseline)}",
            )
        else:
            baseline = Decimal(0)
    target = goal.target
    latest = figures[-1] if figures else None
    on = latest.as_of if latest else goal.today
    expected = expected_value(
        baseline=baseline, target=target, start=line_start, deadline=goal.deadline, on=on
    )
    target_zh, target_en = goal.target_phrases()
    if latest is None:
        return _without_recent_figures(goal, None, expected_value=expected)

    def reaches(value: Decimal) -> bool:
        if goal.comparator == ">":
            return value > target
        if goal.comparator == "<=" or (goal.comparator == "~" and baseline > target):
            return value <= target
        return value >= target

    span = target - baseline
    reached = reaches(latest.value)
    if span:
        progress = (latest.value - baseline) / span * 100
    else:
        progress = Decimal(100) if reached else Decimal(0)
    forecast, stalled = (None, False) if reached else _forecast(figures, target)
    numbers = {
        "expected_value": expected,
        "actual_value": latest.value,
        "progress_percent": progress.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        "forecast_date": forecast,
    }
    actual_zh, actual_en = goal.amount_zh(latest.value), goal.amount_en(latest.value)
    as_of_zh, as_of_en = goal.date_zh(latest.as_of), _date_en(latest.as_of)
    closes_period = latest.as_of >= goal.deadline and latest.is_final

    if closes_period:
        if reached:
            return goal.result(
                Status.ACHIEVED,
                f"期末正式数据：截至{as_of_zh}实际{actual_zh}，达到目标{target_zh}",
                f"Final figure to {as_of_en}: {actual_en}, reaching the target of {target_en}",
                **numbers,
            )
        share_zh, share_en = _points(progress)
        return goal.result(
            Status.MISSED,
            f"期末正式数据：截至{as_of_zh}实际{actual_zh}，未达到目标{target_zh}（完成{share_zh}%）",
            f"Final figure to {as_of_en}: {actual_en}, short of the target of {target_en} "
            f"({share_en}% of the way)",
            **numbers,
        )
    if reached:
        provisional = not latest.is_final and goal.period_ended
        return goal.result(
            Status.ACHIEVED,
            f"截至{as_of_zh}实际{actual_zh}{'（初步数据，待正式数据确认）' if provisional else ''}，"
            f"已达到目标{target_zh}",
            f"{actual_en} reported by {as_of_en}{' (provisional, pending the final figure)' if provisional else ''}, "
            f"reaching the target of {target_en}",
            **numbers,
        )
    if goal.period_ended:
        return _awaiting_final_figure(goal, latest, **numbers)
    if _is_stale(goal, latest):
        return _without_recent_figures(goal, latest, **numbers)

    expected_share = _elapsed_share(line_start, goal.deadline, latest.as_of) * 100
    behind = progress - expected_share
    if behind >= 0:
        status = Status.ON_TRACK
    elif behind >= -goal.thresholds.at_risk_band:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    points_zh, points_en = _points(behind)
    if behind < 0:
        gap_zh, gap_en = f"落后{points_zh}个百分点", f"{points_en} points behind"
    elif behind > 0:
        gap_zh, gap_en = f"超前{points_zh}个百分点", f"{points_en} points ahead"
    else:
        gap_zh, gap_en = "与序时进度持平", "on schedule"
    verb = "应完成" if goal.kind == Kind.INCREMENT else "应达到"
    tail_zh, tail_en = baseline_note
    pace_zh, pace_en = _pace_phrases(goal, forecast, stalled)
    return goal.result(
        status,
        f"按序时进度，截至{as_of_zh}{verb}{goal.amount_zh(expected)}，实际{actual_zh}，{gap_zh}",
        f"By {as_of_en}, {goal.amount_en(expected)} of {goal.amount_en(target)} expected; "
        f"{actual_en} reported ({gap_en})",
        tail_zh=tail_zh + pace_zh,
        tail_en=tail_en + pace_en,
        **numbers,
    )


def _evaluate_rate(goal: _Goal, figures: list[Observation]) -> Evaluation:
    """growth_rate, reduction and cap: the latest cumulative figure against the target."""
    target, tolerance = goal.target, goal.thresholds.growth_tolerance
    latest = figures[-1] if figures else None
    if latest is None:
        return _without_recent_figures(goal, None, expected_value=target)
    value = latest.value
    if goal.at_most:
        ceiling = goal.target_max if goal.target_max is not None else target
        if goal.comparator == "~":
            ceiling += tolerance
        ok, close = value <= ceiling, value <= ceiling + tolerance
        reference = goal.target_max if goal.target_max is not None else target
    else:
        if goal.comparator == ">":
            ok = value > target
        else:
            ok = value >= (target - tolerance if goal.comparator == "~" else target)
        floor = target - tolerance if goal.comparator == "~" else target
        close = value >= floor - tolerance
        reference = target
    numbers = {"expected_value": target, "actual_value": value}
    verb_zh = {Kind.GROWTH_RATE: "累计增长", Kind.REDUCTION: "累计下降", Kind.CAP: "为"}[goal.kind]
    as_of_zh, as_of_en = goal.date_zh(latest.as_of), _date_en(latest.as_of)
    actual_en = goal.amount_en(value)
    lead_en = {
        Kind.GROWTH_RATE: f"Cumulative growth of {actual_en} to {as_of_en}",
        Kind.REDUCTION: f"Reduction of {actual_en} so far to {as_of_en}",
        Kind.CAP: f"{actual_en} as of {as_of_en}",
    }[goal.kind]
    lead_zh = f"截至{as_of_zh}{verb_zh}{goal.amount_zh(value)}"
    target_zh, target_en = goal.target_phrases()

    if latest.as_of >= goal.deadline and latest.is_final:
        return goal.result(
            Status.ACHIEVED if ok else Status.MISSED,
            f"期末正式数据：{lead_zh}，目标{target_zh}，{'达到' if ok else '未达到'}目标",
            f"Final figure: {lead_en}, against a target of {target_en}",
            **numbers,
        )
    if goal.period_ended:
        return _awaiting_final_figure(goal, latest, **numbers)
    if _is_stale(goal, latest):
        return _without_recent_figures(goal, latest, **numbers)

    status = Status.ON_TRACK if ok else Status.AT_RISK if close else Status.OFF_TRACK
    difference = value - reference
    amount_zh, amount_en = goal.gap_phrases(difference)
    word_zh, word_en = ("上限", "the cap") if goal.at_most and goal.comparator != "~" else ("目标", "target")
    if difference > 0:
        gap_zh, gap_en = f"高于{word_zh}{amount_zh}", f"{amount_en} above {word_en}"
    elif difference < 0:
        gap_zh, gap_en = f"低于{word_zh}{amount_zh}", f"{amount_en} below {word_en}"
    else:
        gap_zh, gap_en = f"与{word_zh}持平", f"exactly at {word_en}"
    return goal.result(
        status,
        f"{lead_zh}，目标{target_zh}，{gap_zh}",
        f"{lead_en}, against a target of {target_en} ({gap_en})",
        **numbers,
    )


def _awaiting_final_figure(goal: _Goal, latest: Observation | None, **numbers) -> Evaluation:
    """After the deadline without a final figure closing the period: never red for want of statistics."""
    deadline_zh, deadline_en = goal.date_zh(goal.deadline), _date_en(goal.deadline)
    target_zh, target_en = goal.target_phrases()
    if latest is None:
        latest_zh, latest_en = "尚无任何数据", "no figures have been reported"
    else:
        provisional_zh, provisional_en = ("", "") if latest.is_final else ("（初步）", " (provisional)")
        latest_zh = (
            f"最新数据截至{goal.date_zh(latest.as_of)}为{goal.amount_zh(latest.value)}{provisional_zh}"
        )
        latest_en = (
            f"the latest is {goal.amount_en(latest.value)}{provisional_en} as of {_date_en(latest.as_of)}"
        )
    grace = goal.thresholds.awaiting_data_grace_days
    expected_by = goal.deadline + timedelta(days=grace)
    if goal.today <= expected_by:
        tail_zh, tail_en = (
            f"；正式数据预计{goal.date_zh(expected_by)}前发布",
            f"; final figure expected by {_date_en(expected_by)}",
        )
    else:
        late = (goal.today - expected_by).days
        tail_zh = f"；已超过通常{grace}天的等待期{late}天，仍未发布正式数据"
        tail_en = f"; now {_days_en(late)} beyond the usual {grace}-day wait for the final figure"
    forecast = numbers.get("forecast_date")
    if forecast is not None and forecast > goal.deadline:
        tail_zh += f"；按近期进度，预计{goal.date_zh(forecast)}完成"
        tail_en += f"; at this pace, done by {_date_en(forecast)}"
    return goal.result(
        Status.AWAITING_DATA,
        f"期限{deadline_zh}已过，期末正式数据尚未发布；{latest_zh}（目标{target_zh}）",
        f"The deadline of {deadline_en} has passed and the final figure is not yet published; "
        f"{latest_en} (target {target_en})",
        tail_zh=tail_zh,
        tail_en=tail_en,
        **numbers,
    )


def _without_recent_figures(goal: _Goal, latest: Observation | None, **numbers) -> Evaluation:
    """No figure at all, or only an old one, while the period runs (or after it, when none ever came)."""
    if goal.period_ended:
        return _awaiting_final_figure(goal, latest, **numbers)
    cadence = goal.thresholds.stale_after_days
    if latest is not None:
        silent = (goal.today - latest.as_of).days
        return goal.result(
            Status.STALE,
            f"最新数据截至{goal.date_zh(latest.as_of)}（{goal.amount_zh(latest.value)}），已{silent}天未更新，"
            f"超过{cadence}天的报送周期",
            f"Latest figure {goal.amount_en(latest.value)} as of {_date_en(latest.as_of)}; nothing reported for "
            f"{_days_en(silent)}, longer than the {cadence}-day reporting cadence",
            **numbers,
        )
    start_zh, start_en = goal.date_zh(goal.start), _date_en(goal.start)
    if goal.today < goal.start:
        return goal.result(
            Status.NOT_STARTED, f"目标期自{start_zh}开始", f"The period starts on {start_en}", **numbers
        )
    running = (goal.today - goal.start).days
    early = _elapsed_share(goal.start, goal.deadline, goal.today) * 100 < goal.thresholds.at_risk_band
    if early or running <= cadence:
        return goal.result(
            Status.NOT_STARTED,
            f"目标期{start_zh}至{goal.date_zh(goal.deadline)}，尚无进展数据",
            f"Runs {start_en} – {_date_en(goal.deadline)}; no figures reported yet",
            **numbers,
        )
    return goal.result(
        Status.STALE,
        f"目标期自{start_zh}开始已{running}天，尚无任何数据，超过{cadence}天的报送周期",
        f"No figures reported in the {_days_en(running)} since the period began on {start_en}, "
        f"longer than the {cadence}-day reporting cadence",
        **numbers,
    )


def _is_stale(goal: _Goal, latest: Observation) -> bool:
    # Figures are never dated before the start, so the period has also run longer than the cadence.
    return (goal.today - latest.as_of).days > goal.thresholds.stale_after_days


def _period_figures(
    observations: Sequence[Observation], *, start: date, deadline: date, today: date
) -> list[Observation]:
    """The figures that speak for this period, one per date, oldest first (see the module docstring)."""
    by_date: dict[date, Observation] = {}
    # A stable sort puts the final figure of a date last, and keeps later revisions after earlier ones.
    for observation in sorted(observations, key=lambda o: (o.as_of, o.is_final)):
        if start <= observation.as_of <= today:
            by_date[observation.as_of] = observation
    figures = [by_date[day] for day in sorted(by_date)]
    closing = next((i for i, figure in enumerate(figures) if figure.as_of >= deadline), None)
    return figures if closing is None else figures[: closing + 1]


def _forecast(figures: list[Observation], target: Decimal) -> tuple[date | None, bool]:
    """(completion date at the recent pace, whether the recent pace leads nowhere)."""
    recent = figures[-_FORECAST_WINDOW:]
    if len(recent) < 2:
        return None, False
    xs = [Decimal((f.as_of - recent[0].as_of).days) for f in recent]
    ys = [f.value for f in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    remaining = target - recent[-1].value
    if slope == 0 or (remaining > 0) != (slope > 0):
        return None, True
    days = math.ceil(remaining / slope)
    if days > _FORECAST_HORIZON_DAYS:
        return None, True
    return recent[-1].as_of + timedelta(days=days), False


def _pace_phrases(goal: _Goal, forecast: date | None, stalled: bool) -> tuple[str, str]:
    if forecast is not None and forecast > goal.deadline:
        return (
            f"；按近期进度，预计{goal.date_zh(forecast)}完成",
            f"; at this pace, done by {_date_en(forecast)}",
        )
    if stalled:
        return "；近期无进展", "; no progress at the recent pace"
    return "", ""


def _elapsed_share(start: date, deadline: date, on: date) -> Decimal:
    """Share of the period [start, deadline] over by the end of `on`, in calendar months, 0..1."""
    if on < start:
        return Decimal(0)
    if on >= deadline:
        return Decimal(1)
    begin = _month_position(start, end_of_day=False)
    return (_month_position(on, end_of_day=True) - begin) / (
        _month_position(deadline, end_of_day=True) - begin
    )


def _month_position(day: date, *, end_of_day: bool) -> Decimal:
    days_in_month = monthrange(day.year, day.month)[1]
    days_done = day.day if end_of_day else day.day - 1
    return Decimal(day.year * 12 + day.month - 1) + Decimal(days_done) / Decimal(days_in_month)


# --- Formatting ---------------------------------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# How a unit as written reads after an English number; measure words (个, 座 ...) need none.
_UNITS_EN = {
    **dict.fromkeys(
        ("个", "座", "家", "处", "所", "项", "台", "辆", "套", "条", "栋", "幢", "间", "只", "张"), ""
    ),
    "人": " people",
    "人次": " visits",
    "户": " households",
    "元": " yuan",
    "美元": " US dollars",
    "公里": " km",
    "千米": " km",
    "米": " m",
    "平方米": " m²",
    "平方公里": " km²",
    "亩": " mu",
    "公顷": " ha",
    "吨": " t",
    "千瓦": " kW",
    "兆瓦": " MW",
    "千瓦时": " kWh",
    "度": " kWh",
}
_SCALE_WORDS_EN = (
    (Decimal(10) ** 12, " trillion"),
    (Decimal(10) ** 9, " billion"),
    (Decimal(10) ** 6, " million"),
)


def _date_en(day: date) -> str:
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _days_en(days: int) -> str:
    return "1 day" if days == 1 else f"{days:,} days"


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _number(value: Decimal, places: int, *, zh: bool = False) -> str:
    """7000 -> "7,000" (zh: "7000", Chinese writes no separator below 10,000), 5.50 -> "5.5"."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if zh and abs(rounded) < 10_000:
        text = text.replace(",", "")
    return text


def _amount_en(value: Decimal, unit: str, places: int) -> str:
    """A figure in English: 万/亿 prefixes become plain numbers (1.2万辆 -> 12,000; 3.5亿元 -> 350 million yuan)."""
    if unit in ("%", "‰"):
        return _number(value, places) + unit
    magnitude = unit_magnitude(unit)
    base = base_unit(unit) if magnitude != 1 else unit
    if magnitude != 1 and base == unit:  # the unit is a bare 万 or 亿
        base = ""
    value *= magnitude
    places = max(0, places - (len(str(magnitude)) - 1))
    scale_word = ""
    if magnitude != 1:
        for scale, word in _SCALE_WORDS_EN:
            if abs(value) >= scale:
                value, places, scale_word = value / scale, 2, word
                break
    unit_en = _UNITS_EN.get(base, f" {base}" if base else "")
    return _number(value, places) + scale_word + unit_en


def _points(difference: Decimal) -> tuple[str, str]:
    """The size of a difference in points, to one decimal; never "0" for a real difference."""
    size = abs(difference).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if size == 0 and difference != 0:
        return "不足0.1", "less than 0.1"
    text = _number(size, 1)
    return text, text
