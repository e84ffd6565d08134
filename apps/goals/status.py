"""Status rules: pure functions that judge a goal against its deadline and the expected progress to
date (序时进度). No database and no wording here: the rules return a status, the numbers behind it and
a reason code; apps/goals/wording.py turns them into sentences. See tests/goals/test_status.py.

The rules, version 4 (bump RULE_VERSION when a change would move a goal's status):

Figures
  An observation's ``as_of`` is the last day its figure covers; its ``published_on`` the day it became
  known. On a day D only figures known by D count (published on or before D, and dated by D), so a
  replay of a past day sees what was known then. Of those, figures dated within [start, D] speak for
  the period. On one date a final figure beats a provisional one; of two equals the later in the
  sequence wins (a revision). The first figure dated on or after the deadline covers the period and
  closes it; anything after it belongs to a following period and is ignored. A figure dated before
  the deadline covers part of the period only. Sample figures (invented for a demo) count only while
  the period runs and no real figure is known: a real figure is never outweighed by a sample, and
  once the deadline has passed samples are set aside, so a finished goal is judged on real figures
  or not at all.

Time
  序时进度 (expected progress to date) runs in calendar months, days pro rata inside a month, and a
  date means the end of that day. So the end of September is exactly 75% of a calendar year, as
  government reports reckon it, rather than 274/366 of it.

Baseline and progress (progress_facts: the one source of these numbers for every surface)
  A share of progress and an expected value exist only where the baseline is known: stated in the
  source or entered by staff, 0 for an increment (its figures count what was added since the start),
  or, for a level, a figure dated at or before the period start (the latest such). Without one a
  level goal has no pace: no expected value, no expected line and no percentage; it is in_progress
  while its period runs and judged only at the end of it. The expected value always lies between
  baseline and target. Progress is (latest − baseline) / (target − baseline) as it is: below 0 where
  the figure fell back behind the baseline, above 100 past the target (a baseline equal to the target
  gives 100 once reached, else 0).

Before any figure
  not_started while the period has not begun, less than ``at_risk_band`` % of it has elapsed, or it
  began no more than ``stale_after_days`` ago (the first report is not due yet). After that, a period
  with no figure at all is stale.

stale
  While the period runs, a latest figure older than ``stale_after_days`` days makes the goal stale
  (unless it already shows the target reached).

level and increment
  The expected value lies on the straight line from (start, baseline) to (deadline, target). Progress
  is the share of the way from baseline to target; on track at or above the expected share, at risk
  within ``at_risk_band`` points below it, off track below that. A figure reaches the target when
  ">" has strictly more, ">=" and "~" the target, "<=" at most the target (a falling level), and a
  range its lower bound. A count that rises (">=", ">", or "~" from below: a level is a cumulative
  stock, an increment what was added) and has reached its target can no longer lose it: achieved at
  once, on any figure. A falling level that has reached its target may rise again: on_track until a
  figure covering the period decides. While the period runs and the target is
  not reached, the forecast is a least-squares line through the last four figures (two at least),
  continued from the latest one: the day it reaches the target (only while that day lies ahead) and
  the value it reaches by the deadline.

growth_rate, reduction, cap
  The latest cumulative figure is compared with the target; it stays provisional until a final
  figure for the period end arrives, so these goals are achieved or missed only then (or at the end
  of the grace period, below). At least (">=", ">", "~"): at or above the target (">" strictly above;
  "~" down to target − tolerance) is on track, up to one tolerance below that is at risk, lower is off
  track; overshooting is fine. A reduction figure is the reduction so far ("down by"), so it is
  judged like a growth figure. At most (kind cap, or comparator "<="): at or below the cap
  (target_max for a range, + tolerance for "~") is on track, up to one tolerance above it at risk,
  higher off track. A rate goal with no unit is taken to be in per cent.

After the deadline
  A final figure covering the period decides achieved or missed. Without one, a goal whose target is
  reached for good (above) is achieved, as is a level or increment whose provisional figure covering
  the period reaches the target (a lower final figure will still turn it into missed); an increment
  capped with "<=" whose additions already exceed the cap is missed (they can only grow). Everything
  else is awaiting_data for the grace period (``awaiting_data_grace_days``): a goal never turns red
  only because the statistics are late. Once the grace period is over the wait ends:
  - on a provisional figure covering the period, achieved or missed (marked provisional);
  - with figures for part of the period only, period_unreported (no full-period figure published;
    the latest partial figure is shown beside it): a figure for part of the period never makes a
    goal missed;
  - with no real figure at all, unreported (no figure published), whatever samples there are.

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
from functools import lru_cache

RULE_VERSION = "4"


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    IN_PROGRESS = "in_progress"  # no baseline: the pace cannot be judged
    ACHIEVED = "achieved"
    MISSED = "missed"
    AWAITING_DATA = "awaiting_data"
    UNREPORTED = "unreported"  # the grace period is over and no real figure was ever published
    PERIOD_UNREPORTED = "period_unreported"  # the grace period is over with figures for part of it only
    STALE = "stale"
    # Milestones (dated, no number).
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"


# Each status has its own words in both languages: achieved (a number reached) is not done (a
# milestone), due (a milestone not yet done) is not in progress (a number without a pace).
STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.NOT_STARTED: ("未开始", "Not started"),
    Status.ON_TRACK: ("进度正常", "On track"),
    Status.AT_RISK: ("有风险", "At risk"),
    Status.OFF_TRACK: ("滞后", "Off track"),
    Status.IN_PROGRESS: ("进行中", "In progress"),
    Status.ACHIEVED: ("已达成", "Achieved"),
    Status.MISSED: ("未达成", "Missed"),
    Status.AWAITING_DATA: ("待数据", "Awaiting data"),
    Status.UNREPORTED: ("未公布数据", "No figure published"),
    Status.PERIOD_UNREPORTED: ("未公布期末数据", "Full-period figure not published"),
    Status.STALE: ("数据过期", "Stale"),
    Status.DONE: ("已完成", "Done"),
    Status.DUE: ("待完成", "Due"),
    Status.OVERDUE: ("已逾期", "Overdue"),
}


# --- Groupings and colours of statuses, defined here once ---------------------------------------

# Red: a goal behind or past its deadline unmet, whose department is asked for an explanation.
RED = frozenset({Status.OFF_TRACK, Status.MISSED, Status.OVERDUE})
# Met: the target reached or the milestone done; nothing more to chase.
MET = frozenset({Status.ACHIEVED, Status.DONE})
# Finished: the period's verdict is in (met, missed, or never reported); no figure is owed any more.
FINISHED = frozenset({*MET, Status.MISSED, Status.UNREPORTED, Status.PERIOD_UNREPORTED})

# Worst first: the order statuses are listed and sorted in, on the public site and in digests.
STATUS_ORDER: tuple[Status, ...] = (
    Status.OFF_TRACK,
    Status.OVERDUE,
    Status.MISSED,
    Status.AT_RISK,
    Status.STALE,
    Status.UNREPORTED,
    Status.PERIOD_UNREPORTED,
    Status.AWAITING_DATA,
    Status.DUE,
    Status.IN_PROGRESS,
    Status.ON_TRACK,
    Status.NOT_STARTED,
    Status.ACHIEVED,
    Status.DONE,
)
assert set(STATUS_ORDER) == set(Status), "every status needs a place in STATUS_ORDER"

# Each status's colour, for text, badges and charts alike (the page's CSS custom properties
# --status-<status> are rendered from this). Each keeps at least 4.5:1 contrast on the site's white
# and grey (#f4f6f8) backgrounds; the status is always written out too, colour is never the only cue.
STATUS_COLOURS: dict[Status, str] = {
    Status.ACHIEVED: "#0b6b2b",
    Status.DONE: "#0b6b2b",
    Status.ON_TRACK: "#277a3a",
    Status.DUE: "#1f5fa8",
    Status.IN_PROGRESS: "#1f5fa8",
    Status.AT_RISK: "#8a4a00",
    Status.OFF_TRACK: "#b3261e",
    Status.OVERDUE: "#b3261e",
    Status.MISSED: "#7d1a14",
    Status.AWAITING_DATA: "#5b4a8b",
    Status.UNREPORTED: "#4a4f57",
    Status.PERIOD_UNREPORTED: "#4a4f57",
    Status.STALE: "#6b6b6b",
    Status.NOT_STARTED: "#5f6b76",
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
        zh, en = STATUS_LABELS[Status(status or "")]
    except ValueError:
        return "—"
    return en if (language or "").lower().startswith("en") else zh


def bilingual_label(labels: tuple[str, str]) -> str:
    """ "中文 · English", as staff forms and choices show a term."""
    return f"{labels[0]} · {labels[1]}"


KINDS = tuple(Kind)
COMPARATORS = tuple(Comparator)
# The members by value, looked up without the cost of calling the enum (Kind(kind)) per goal.
_KIND_BY_VALUE: dict[str, Kind] = {kind.value: kind for kind in Kind}
_COMPARATOR_BY_VALUE: dict[str, Comparator] = {comparator.value: comparator for comparator in Comparator}


class Reason(enum.StrEnum):
    """Why the rules gave a status; the wording module has a sentence for each."""

    BEFORE_PERIOD = "before_period"  # not_started: the period has not begun
    NO_FIGURE_YET = "no_figure_yet"  # not_started: the first report is not due yet
    NO_FIGURE_OVERDUE = "no_figure_overdue"  # stale: running longer than the cadence without a figure
    FIGURE_OLD = "figure_old"  # stale: the latest figure is older than the cadence
    PACE = "pace"  # on/at/off track against 序时进度
    NO_BASELINE = "no_baseline"  # in_progress: no baseline, so no pace to judge
    AGAINST_TARGET = "against_target"  # a rate goal while its period runs
    TARGET_REACHED = "target_reached"  # achieved (or on track, if it can be lost) before any final figure
    FINAL_FIGURE = "final_figure"  # achieved or missed on the final figure closing the period
    AWAITING_FINAL = "awaiting_final"  # the deadline passed, the grace period not yet
    PROVISIONAL_RESULT = "provisional_result"  # achieved or missed on provisional figures after the grace
    NO_FIGURE_PUBLISHED = "no_figure_published"  # unreported
    PARTIAL_FIGURES_ONLY = "partial_figures_only"  # period_unreported
    CAP_EXCEEDED = "cap_exceeded"  # missed: additions capped with "<=" already past the cap
    MILESTONE_DONE = "milestone_done"
    MILESTONE_DUE = "milestone_due"
    MILESTONE_OVERDUE = "milestone_overdue"


# How many recent figures the forecast fits a line through (two at least give a pace).
_FORECAST_WINDOW = 4
_FORECAST_HORIZON_DAYS = 36_500


@dataclass(frozen=True)
class Observation:
    as_of: date  # end of the period the figure covers
    value: Decimal
    is_final: bool  # official full-period figure vs provisional/partial
    published_on: date | None = None  # the day it became known; None: known since as_of
    is_sample: bool = False  # a synthetic demo figure

    def known_on(self, day: date) -> bool:
        return known_on(as_of=self.as_of, published_on=self.published_on, day=day)


def known_on(*, as_of: date, published_on: date | None, day: date) -> bool:
    """Whether a figure was known on `day`: dated by then and published by then (a figure without a
    publication day is known from its date). ProgressUpdateQuerySet.known_on is this rule in SQL."""
    return as_of <= day and (published_on is None or published_on <= day)


def known_figures(
    observations: Sequence[Observation], day: date, *, real_only: bool = False
) -> list[Observation]:
    """The figures known on `day`, the only ones the rules read; sample figures only while no real
    one is known, and never with `real_only` (a finished goal, a real figure being entered)."""
    known = [o for o in observations if o.known_on(day)]
    if real_only or any(not o.is_sample for o in known):
        known = [o for o in known if not o.is_sample]
    return known


def cadence_days(stale_after_days: int | None, default: int) -> int:
    """A goal's reporting cadence in days: its own where set (0 included: a figure is due at once),
    else the project-wide `default` (settings.GOAL_STALE_AFTER_DAYS)."""
    return default if stale_after_days is None else stale_after_days


@dataclass(frozen=True)
class Thresholds:
    at_risk_band: Decimal = Decimal(
        "10"
    )  # points of the way to target below 序时进度 that are 黄灯 (at risk)
    growth_tolerance: Decimal = Decimal("0.5")  # ± points for rate goals and '~' targets
    stale_after_days: int = 120  # reporting cadence: no update for this long -> stale
    awaiting_data_grace_days: int = 180  # after the deadline, the usual wait for the final figure


@dataclass(frozen=True)
class Facts:
    """The plain facts of the goal judged, as the wording needs them."""

    kind: Kind
    comparator: Comparator
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
        return self.kind == Kind.CAP or self.comparator == Comparator.AT_MOST

    @property
    def period_ended(self) -> bool:
        return self.today > self.deadline

    @property
    def grace_ends(self) -> date:
        return self.deadline + timedelta(days=self.thresholds.awaiting_data_grace_days)


@dataclass(frozen=True)
class Evaluation:
    status: Status
    reason: Reason
    facts: Facts
    # 序时进度 value expected on the date of the figure compared (today if none), or the target for
    # rate goals; None for milestones and where no baseline is known.
    expected_value: Decimal | None = None
    latest: Observation | None = None  # the figure judged by
    progress_percent: Decimal | None = None  # share of the way from baseline to target, where known
    baseline: Decimal | None = None  # the baseline the line starts from, where known
    baseline_figure: Observation | None = None  # the figure it was taken from, if any
    behind: Decimal | None = None  # PACE: points ahead (+) or behind (-) 序时进度
    difference: Decimal | None = None  # AGAINST_TARGET: the latest figure minus the target or cap
    forecast_date: date | None = None  # when the recent pace reaches the target, while that lies ahead
    forecast_value: Decimal | None = None  # the value the recent pace reaches by the deadline
    stalled: bool = False  # the recent pace leads away from the target
    milestone_done_on: date | None = None
    samples_set_aside: bool = False  # the period is over: its sample figures were not looked at
    rule_version: str = RULE_VERSION

    @property
    def actual_value(self) -> Decimal | None:
        return None if self.latest is None else self.latest.value

    @property
    def provisional(self) -> bool:
        """The figure judged by is not a final one."""
        return self.latest is not None and not self.latest.is_final

    @property
    def is_sample(self) -> bool:
        """The verdict rests on a sample figure (the latest, or the one the baseline came from)."""
        return any(f is not None and f.is_sample for f in (self.latest, self.baseline_figure))

    @property
    def baseline_as_of(self) -> date | None:
        """The date of the figure the baseline was taken from; None when given or implied (0)."""
        return None if self.baseline_figure is None else self.baseline_figure.as_of

    @property
    def progress(self) -> ProgressFacts:
        """This verdict's 序时进度, percentage and baseline, as every surface shows them."""
        on = self.latest.as_of if self.latest is not None else self.facts.today
        return ProgressFacts(
            baseline=self.baseline,
            baseline_as_of=self.baseline_as_of,
            expected_value=self.expected_value,
            expected_on=None if self.expected_value is None else on,
            progress_percent=self.progress_percent,
        )


@dataclass(frozen=True)
class ProgressFacts:
    """序时进度 (the value expected to date), the share of the way from baseline to target and the
    baseline it starts from: the numbers the status text, key facts, bar, chart, entry form, API,
    exports and emails all show. Built by progress_facts() alone (Goal.progress_facts reads back
    what it built for the stored verdict)."""

    baseline: Decimal | None
    baseline_as_of: date | None  # the figure's date where the baseline was taken from one
    expected_value: Decimal | None  # None for a milestone and for a level without a baseline
    expected_on: date | None  # the day expected_value is reckoned for
    progress_percent: Decimal | None  # None unless a level or increment with a baseline and a figure


_PERCENT = Decimal("0.01")
_PERCENT_LIMIT = Decimal("999999.99")  # Goal.progress_percent holds 9 digits, 2 of them decimals


def progress_facts(
    *,
    kind: str,
    comparator: str,
    target: Decimal | None,
    baseline: Decimal | None,
    start: date,
    deadline: date,
    on: date,
    latest_value: Decimal | None,
    baseline_as_of: date | None = None,
) -> ProgressFacts:
    """The one definition of 序时进度 and progress (see "Baseline and progress" above), for a goal
    whose baseline is already resolved (evaluate resolves it: given, 0 for an increment, or a figure
    from before the start). A growth rate, reduction or cap is held to its target itself and has no
    percentage; a milestone has neither."""
    none = ProgressFacts(baseline, baseline_as_of, None, None, None)
    if kind == Kind.MILESTONE or target is None:
        return none
    if kind not in (Kind.LEVEL, Kind.INCREMENT):
        return ProgressFacts(None, None, target, on, None)
    if baseline is None:
        return none
    expected = expected_value(baseline=baseline, target=target, start=start, deadline=deadline, on=on)
    percent = None
    if latest_value is not None:
        span = target - baseline
        if span:
            percent = ((latest_value - baseline) / span * 100).quantize(_PERCENT, rounding=ROUND_HALF_UP)
            # A baseline a hair from the target makes any gap a vast share: kept within what is stored.
            percent = max(-_PERCENT_LIMIT, min(_PERCENT_LIMIT, percent))
        else:
            reached = _reaches_target(comparator, target, latest_value, baseline)
            percent = Decimal(100 if reached else 0).quantize(_PERCENT)
    return ProgressFacts(baseline, baseline_as_of, expected, on, percent)


def next_figure_due(*, last_as_of: date | None, period_start: date, cadence_days: int) -> date:
    """When a goal's next figure is due under its reporting cadence: `cadence_days` after its latest
    figure, or after its start while it has none. Past that day the goal runs stale (_is_stale); the
    digest lists it as overdue and the recorder's reminder asks for it a little before."""
    return (last_as_of or period_start) + timedelta(days=cadence_days)


def _replace(evaluation: Evaluation, **changes: object) -> Evaluation:
    """dataclasses.replace for an Evaluation, without its per-call field introspection: the daily job
    makes a few hundred thousand of these. Evaluation has no __post_init__ to run."""
    copy = object.__new__(Evaluation)
    copy.__dict__.update(evaluation.__dict__, **changes)
    return copy


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
    # Once the period is over, only real figures count (see "Figures").
    finished = kind != Kind.MILESTONE and today > deadline
    known = known_figures(observations, today, real_only=finished)
    unit, places = unit.strip(), 0
    if kind != Kind.MILESTONE:
        if target is None:
            raise ValueError(f"a {kind} goal needs a target")
        unit = unit or ("%" if kind in (Kind.GROWTH_RATE, Kind.REDUCTION) else "")
        values = [target, target_max, baseline, *(o.value for o in known)]
        places = min(2, max(_decimal_places(v) for v in values if v is not None))
    facts = Facts(
        kind=_KIND_BY_VALUE[kind],
        comparator=_COMPARATOR_BY_VALUE[comparator],
        target=Decimal(0) if target is None else target,
        target_max=target_max,
        start=start,
        deadline=deadline,
        today=today,
        thresholds=thresholds,
        unit=unit,
        places=places,
    )
    if kind == Kind.MILESTONE:
        return _evaluate_milestone(facts, done_on=milestone_done_on)
    figures = _period_figures(known, start=start, deadline=deadline)
    if kind in (Kind.LEVEL, Kind.INCREMENT):
        evaluation = _evaluate_progress(facts, figures, baseline=baseline, known=known)
    else:
        evaluation = _evaluate_rate(facts, figures)
    if finished and any(o.is_sample and o.known_on(today) for o in observations):
        evaluation = _replace(evaluation, samples_set_aside=True)
    return evaluation


def expected_on(
    *,
    kind: str,
    target: Decimal | None,
    baseline: Decimal | None,
    start: date,
    deadline: date,
    observations: Sequence[Observation],
    on: date,
    today: date,
) -> Decimal | None:
    """The value a real figure dated `on` will be held to once approved, as `evaluate` on `today`
    reckons it (progress_facts): for a level or increment 序时进度 on `on` (the straight line from the
    baseline known today, from real figures only, to the target); for a growth rate, reduction or cap
    the target itself; None for a milestone, a goal without a target, or a level whose baseline is
    unknown. Raises ValueError for an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown goal kind {kind!r}")
    # The figure entered is real: once approved, the samples it joins no longer count.
    if kind in (Kind.LEVEL, Kind.INCREMENT):
        baseline, _ = known_baseline(
            Kind(kind), start, baseline, known_figures(observations, today, real_only=True)
        )
    facts = progress_facts(
        kind=kind,
        comparator=Comparator.AT_LEAST,
        target=target,
        baseline=baseline,
        start=start,
        deadline=deadline,
        on=on,
        latest_value=None,
    )
    return facts.expected_value


# --- Judging ------------------------------------------------------------------------------------


def _evaluate_milestone(facts: Facts, *, done_on: date | None) -> Evaluation:
    if done_on is not None and done_on <= facts.today:
        return Evaluation(Status.DONE, Reason.MILESTONE_DONE, facts, milestone_done_on=done_on)
    if facts.today <= facts.deadline:
        return Evaluation(Status.DUE, Reason.MILESTONE_DUE, facts)
    return Evaluation(Status.OVERDUE, Reason.MILESTONE_OVERDUE, facts)


def known_baseline(
    kind: Kind, start: date, baseline: Decimal | None, known: list[Observation]
) -> tuple[Decimal | None, Observation | None]:
    """(baseline, the figure it came from): as given, 0 for an increment, or for a level the latest
    figure dated at or before the period start among `known` (the figures known that day,
    known_figures); (None, None) when none is known. The chart's expected line starts here too."""
    if baseline is not None:
        return baseline, None
    if kind == Kind.INCREMENT:
        return Decimal(0), None
    before = sorted((o for o in known if o.as_of <= start), key=lambda o: (o.as_of, o.is_final))
    if before:
        return before[-1].value, before[-1]
    return None, None


def _reaches(facts: Facts, value: Decimal, baseline: Decimal | None) -> bool:
    return _reaches_target(facts.comparator, facts.target, value, baseline)


def _reaches_target(comparator: str, target: Decimal, value: Decimal, baseline: Decimal | None) -> bool:
    if comparator == Comparator.MORE_THAN:
        return value > target
    if _falls(comparator, target, baseline):
        return value <= target
    return value >= target


def _falls(comparator: str, target: Decimal, baseline: Decimal | None) -> bool:
    """The goal asks for at most its target: "<=", or "about" a target below the baseline."""
    falling = baseline is not None and baseline > target
    return comparator == Comparator.AT_MOST or (comparator == Comparator.ABOUT and falling)


def _kept(facts: Facts, baseline: Decimal | None) -> bool:
    """A target reached can no longer be lost: a rising count (a level is a cumulative stock, an
    increment what was added since the start)."""
    return not _falls(facts.comparator, facts.target, baseline)


def _cap_exceeded(facts: Facts, latest: Observation) -> bool:
    """Additions capped with "<=" that already exceed the cap: they can only grow, so the goal is lost
    even on a figure for part of the period."""
    if facts.kind != Kind.INCREMENT or facts.comparator != Comparator.AT_MOST:
        return False
    return latest.value > (facts.target_max if facts.target_max is not None else facts.target)


def _evaluate_progress(
    facts: Facts, figures: list[Observation], *, baseline: Decimal | None, known: list[Observation]
) -> Evaluation:
    """level and increment: against the straight line from baseline to target, where one is known."""
    baseline, baseline_figure = known_baseline(facts.kind, facts.start, baseline, known)
    latest = figures[-1] if figures else None
    numbers = progress_facts(
        kind=facts.kind,
        comparator=facts.comparator,
        target=facts.target,
        baseline=baseline,
        start=facts.start,
        deadline=facts.deadline,
        on=latest.as_of if latest else facts.today,
        latest_value=None if latest is None else latest.value,
    )
    progress = numbers.progress_percent
    # The numbers every verdict below carries; each sets its own status and reason.
    base = Evaluation(
        Status.NOT_STARTED,
        Reason.NO_FIGURE_YET,
        facts,
        expected_value=numbers.expected_value,
        baseline=baseline,
        baseline_figure=baseline_figure,
    )
    if latest is None:
        return _without_figures(base)
    base = _replace(base, latest=latest, progress_percent=progress)

    reached = _reaches(facts, latest.value, baseline)
    covers = latest.as_of >= facts.deadline  # the figure covers the whole period
    if covers and latest.is_final:
        verdict = Status.ACHIEVED if reached else Status.MISSED
        return _replace(base, status=verdict, reason=Reason.FINAL_FIGURE)
    if reached and (covers or _kept(facts, baseline)):
        if facts.today > facts.grace_ends and not latest.is_final:  # the wait for the final figure is over
            return _replace(base, status=Status.ACHIEVED, reason=Reason.PROVISIONAL_RESULT)
        return _replace(base, status=Status.ACHIEVED, reason=Reason.TARGET_REACHED)
    forecast, forecast_value, stalled = _forecast(figures, facts)
    if facts.period_ended:
        if facts.today <= facts.grace_ends:  # while waiting, a completion date still ahead is news
            base = _replace(base, forecast_date=forecast)
        if covers:
            return _after_deadline(base, achieved=False)
        return _partial_after_deadline(base, lost=_cap_exceeded(facts, latest))
    if reached:  # reached for now, but a falling level may rise again
        return _replace(base, status=Status.ON_TRACK, reason=Reason.TARGET_REACHED)
    if _is_stale(facts, latest):
        return _replace(base, status=Status.STALE, reason=Reason.FIGURE_OLD)
    base = _replace(base, forecast_date=forecast, forecast_value=forecast_value, stalled=stalled)
    if progress is None:
        return _replace(base, status=Status.IN_PROGRESS, reason=Reason.NO_BASELINE)

    expected_share = _elapsed_share(facts.start, facts.deadline, latest.as_of) * 100
    behind = progress - expected_share
    if behind >= 0:
        status = Status.ON_TRACK
    elif behind >= -facts.thresholds.at_risk_band:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return _replace(base, status=status, reason=Reason.PACE, behind=behind)


def _evaluate_rate(facts: Facts, figures: list[Observation]) -> Evaluation:
    """growth_rate, reduction and cap: the latest cumulative figure against the target."""
    target, tolerance = facts.target, facts.thresholds.growth_tolerance
    latest = figures[-1] if figures else None
    base = Evaluation(Status.NOT_STARTED, Reason.NO_FIGURE_YET, facts, expected_value=target)
    if latest is None:
        return _without_figures(base)
    value = latest.value
    if facts.at_most:
        ceiling = facts.target_max if facts.target_max is not None else target
        if facts.comparator == Comparator.ABOUT:
            ceiling += tolerance
        ok, close = value <= ceiling, value <= ceiling + tolerance
        reference = facts.target_max if facts.target_max is not None else target
    else:
        if facts.comparator == Comparator.MORE_THAN:
            ok = value > target
        else:
            ok = value >= (target - tolerance if facts.comparator == Comparator.ABOUT else target)
        floor = target - tolerance if facts.comparator == Comparator.ABOUT else target
        close = value >= floor - tolerance
        reference = target
    base = _replace(base, latest=latest, difference=value - reference)

    covers = latest.as_of >= facts.deadline
    if covers and latest.is_final:
        return _replace(base, status=Status.ACHIEVED if ok else Status.MISSED, reason=Reason.FINAL_FIGURE)
    if facts.period_ended:
        if covers:
            return _after_deadline(base, achieved=ok)
        # A year-to-date rate is no annual one: it never decides, even above a cap.
        return _partial_after_deadline(base, lost=False)
    if _is_stale(facts, latest):
        return _replace(base, status=Status.STALE, reason=Reason.FIGURE_OLD)
    status = Status.ON_TRACK if ok else Status.AT_RISK if close else Status.OFF_TRACK
    return _replace(base, status=status, reason=Reason.AGAINST_TARGET)


def _after_deadline(base: Evaluation, *, achieved: bool) -> Evaluation:
    """After the deadline without a final figure closing the period: awaiting data during the grace
    period (never red for want of statistics), then a verdict on what is known."""
    if base.facts.today <= base.facts.grace_ends:
        return _replace(base, status=Status.AWAITING_DATA, reason=Reason.AWAITING_FINAL)
    if base.latest is None:
        return _replace(base, status=Status.UNREPORTED, reason=Reason.NO_FIGURE_PUBLISHED)
    status = Status.ACHIEVED if achieved else Status.MISSED
    return _replace(base, status=status, reason=Reason.PROVISIONAL_RESULT)


def _partial_after_deadline(base: Evaluation, *, lost: bool) -> Evaluation:
    """After the deadline with figures for part of the period only: they never make the goal missed
    (unless it is `lost` already); awaiting data during the grace period, then no full-period figure
    published, beside the latest partial one."""
    if lost:
        return _replace(base, status=Status.MISSED, reason=Reason.CAP_EXCEEDED)
    if base.facts.today <= base.facts.grace_ends:
        return _replace(base, status=Status.AWAITING_DATA, reason=Reason.AWAITING_FINAL)
    return _replace(base, status=Status.PERIOD_UNREPORTED, reason=Reason.PARTIAL_FIGURES_ONLY)


def _without_figures(base: Evaluation) -> Evaluation:
    """No figure at all in the period."""
    facts = base.facts
    if facts.period_ended:
        return _after_deadline(base, achieved=False)
    if facts.today < facts.start:
        return _replace(base, status=Status.NOT_STARTED, reason=Reason.BEFORE_PERIOD)
    running = (facts.today - facts.start).days
    early = _elapsed_share(facts.start, facts.deadline, facts.today) * 100 < facts.thresholds.at_risk_band
    if early or running <= facts.thresholds.stale_after_days:
        return _replace(base, status=Status.NOT_STARTED, reason=Reason.NO_FIGURE_YET)
    return _replace(base, status=Status.STALE, reason=Reason.NO_FIGURE_OVERDUE)


def _is_stale(facts: Facts, latest: Observation) -> bool:
    # Figures are never dated before the start, so the period has also run longer than the cadence.
    return (facts.today - latest.as_of).days > facts.thresholds.stale_after_days


def _period_figures(observations: Sequence[Observation], *, start: date, deadline: date) -> list[Observation]:
    """The known figures that speak for this period, one per date, oldest first (see "Figures")."""
    by_date: dict[date, Observation] = {}
    # A stable sort puts the final figure of a date last, and keeps later revisions after earlier ones.
    for observation in sorted(observations, key=lambda o: (o.as_of, o.is_final)):
        if start <= observation.as_of:
            by_date[observation.as_of] = observation
    figures = [by_date[day] for day in sorted(by_date)]
    closing = next((i for i, figure in enumerate(figures) if figure.as_of >= deadline), None)
    return figures if closing is None else figures[: closing + 1]


def _forecast(figures: list[Observation], facts: Facts) -> tuple[date | None, Decimal | None, bool]:
    """(the day the recent pace reaches the target if that lies ahead, the value it reaches by the
    deadline, whether the recent pace leads nowhere)."""
    recent = figures[-_FORECAST_WINDOW:]
    if len(recent) < 2:
        return None, None, False
    xs = [Decimal((f.as_of - recent[0].as_of).days) for f in recent]
    ys = [f.value for f in recent]
    zero = Decimal(0)
    mean_x, mean_y = sum(xs, zero) / len(xs), sum(ys, zero) / len(ys)
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), zero) / sum(
        ((x - mean_x) ** 2 for x in xs), zero
    )
    last = recent[-1]
    at_deadline = (last.value + slope * (facts.deadline - last.as_of).days).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    remaining = facts.target - last.value
    if slope == 0 or (remaining > 0) != (slope > 0):
        return None, at_deadline, True
    days = math.ceil(remaining / slope)
    if days > _FORECAST_HORIZON_DAYS:
        return None, at_deadline, True
    reached_on = last.as_of + timedelta(days=days)
    return (reached_on if reached_on > facts.today else None), at_deadline, False


def _decimal_places(value: Decimal) -> int:
    if value == value.to_integral_value():  # most figures are whole: no need to normalise them
        return 0
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


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
    days_done = day.day if end_of_day else day.day - 1
    return _month_start(day.year, day.month) + Decimal(days_done) / _days_in_month(day.year, day.month)


@lru_cache(maxsize=4096)
def _month_start(year: int, month: int) -> Decimal:
    return Decimal(year * 12 + month - 1)


@lru_cache(maxsize=4096)
def _days_in_month(year: int, month: int) -> Decimal:
    return Decimal(monthrange(year, month)[1])
