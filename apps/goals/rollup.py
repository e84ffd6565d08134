"""Targets split into parts and rolled up: pure rules beside status.evaluate, over plain values. A goal
may be split into parts (Goal.parent), one per district or per department, each a full goal with its
own target, figures and status. See tests/goals/test_rollup.py.

The rules, version 1:

What adds up
  A level or an increment (status.Kind: a stock, or what was added in the period) counts things or
  amounts, and its parts' figures add up: 5G base stations, 亿元 of investment. It does not when it
  is a share or a ratio: a unit in %, ‰ or written with "/" or 每 (元/亩), or a metric that says so
  (人均, 平均, 比重, 占比, 率, 强度, 密度, 指数). Growth rates, reductions and caps (the rate goals of
  status.py) never add up, nor do milestones.

Summed (additive goals)
  The parts' latest real figures, each in the parent's unit (units.in_unit: 1.2 万个 is 12000 个),
  are summed and shown against the parent's own target. A part has reported when its verdict rests on
  a real figure; a part with no figure, or only a sample one, has not, and is named: the sum is of
  the others, and says so. The parts' targets are summed the same way; when they do not add up to
  the parent's target the roll-up says so with both numbers (a range's upper ends are summed too).
  The figures summed may be of different dates; the earliest and latest are given.

Refused
  A part of another kind than the parent's (an increment beside a level), or in a unit that does not
  convert to the parent's (亿元 beside 个): nothing is summed, and the parts at fault are named.

Side by side (everything else)
  Each part's target and latest figure beside the parent's, never summed nor averaged.

Never replacing the parent's verdict
  The roll-up is shown beside the parent's own status; it never changes it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Protocol

from .status import Kind
from .units import base_unit, in_unit, simplified_unit

ROLLUP_VERSION = "1"

ADDITIVE_KINDS = frozenset({Kind.LEVEL, Kind.INCREMENT})
RATE_KINDS = frozenset({Kind.GROWTH_RATE, Kind.REDUCTION, Kind.CAP})
# A metric that names a share, an average or a ratio, though its unit reads like an amount (人均可支配收入
# in 元, 城镇化率 in %, 单位GDP能耗强度).
RATIO_WORDS = ("人均", "平均", "比重", "占比", "率", "强度", "密度", "指数")
SHARE_UNITS = frozenset({"%", "％", "‰", "个百分点", "百分点"})


class Method(enum.StrEnum):
    SUM = "sum"  # the parts' latest real figures summed against the parent's target
    SIDE_BY_SIDE = "side_by_side"  # compared, never summed
    REFUSED = "refused"  # additive, but some part cannot be added


class Reason(enum.StrEnum):
    """Why the roll-up took its method."""

    ADDITIVE = "additive"  # SUM: counts and amounts
    RATE = "rate"  # SIDE_BY_SIDE: a growth rate, reduction or cap
    SHARE = "share"  # SIDE_BY_SIDE: a level or increment that is a share, average or ratio
    MILESTONE = "milestone"  # SIDE_BY_SIDE: dated, no number
    KIND_DIFFERS = "kind_differs"  # REFUSED: a part is of another kind than the parent
    UNIT_DIFFERS = "unit_differs"  # REFUSED: a part's unit does not convert to the parent's


@dataclass(frozen=True)
class Whole:
    """The parent goal, as the rules read it."""

    kind: str
    unit: str
    target: Decimal | None
    target_max: Decimal | None = None
    metric: str = ""


@dataclass(frozen=True)
class Part:
    """One part, as the rules read it: its target and the latest figure its verdict rests on."""

    key: str  # what names the part to the caller (its slug)
    kind: str
    unit: str
    target: Decimal | None
    target_max: Decimal | None = None
    latest_value: Decimal | None = None
    latest_as_of: date | None = None
    latest_is_sample: bool = False

    @property
    def has_real_figure(self) -> bool:
        return self.latest_value is not None and not self.latest_is_sample


@dataclass(frozen=True)
class Rollup:
    method: Method
    reason: Reason
    unit: str  # the parent's unit: every amount below is in it
    target: Decimal | None  # the parent's target, as it is
    target_max: Decimal | None
    part_count: int
    reported: tuple[str, ...] = ()  # parts whose latest figure is real
    unreported: tuple[str, ...] = ()  # parts with no real figure (none, or a sample only)
    sample_only: tuple[str, ...] = ()  # of the unreported, those whose only figure is a sample
    total: Decimal | None = None  # SUM: the reported parts' latest real figures summed; None if none
    first_as_of: date | None = None  # SUM: the dates of the figures summed
    last_as_of: date | None = None
    parts_target: Decimal | None = None  # SUM: the parts' targets summed (None if a part has none)
    parts_target_max: Decimal | None = None  # SUM, where a target is a range: the upper ends summed
    without_target: tuple[str, ...] = ()  # parts with no target, so the targets are not compared
    refused_parts: tuple[str, ...] = ()  # REFUSED: the parts that cannot be added
    rule_version: str = ROLLUP_VERSION

    @property
    def targets_mismatch(self) -> bool:
        """The parts' targets, summed, are not the parent's (judged only where every part has one)."""
        if self.method != Method.SUM or self.parts_target is None or self.target is None:
            return False
        if self.parts_target != self.target:
            return True
        if self.parts_target_max is None:
            return False
        whole_max = self.target if self.target_max is None else self.target_max
        return self.parts_target_max != whole_max

    @property
    def dates_differ(self) -> bool:
        return self.first_as_of != self.last_as_of


def adds_up(*, kind: str, unit: str, metric: str = "") -> Reason:
    """Whether goals of this kind, unit and metric add up (ADDITIVE), or why not (see "What adds up")."""
    if kind == Kind.MILESTONE:
        return Reason.MILESTONE
    if kind not in ADDITIVE_KINDS:
        return Reason.RATE
    unit = simplified_unit(unit)
    if base_unit(unit) in SHARE_UNITS or "/" in unit or "每" in unit:
        return Reason.SHARE
    if any(word in metric for word in RATIO_WORDS):
        return Reason.SHARE
    return Reason.ADDITIVE


def roll_up(*, whole: Whole, parts: Sequence[Part]) -> Rollup:
    """The roll-up of `parts` (in the order given, which the lists keep) under `whole`."""
    reason = adds_up(kind=whole.kind, unit=whole.unit, metric=whole.metric)
    rollup = Rollup(
        Method.SIDE_BY_SIDE, reason, whole.unit, whole.target, whole.target_max, part_count=len(parts)
    )
    if reason == Reason.MILESTONE:
        return rollup
    rollup = replace(
        rollup,
        reported=tuple(p.key for p in parts if p.has_real_figure),
        unreported=tuple(p.key for p in parts if not p.has_real_figure),
        sample_only=tuple(p.key for p in parts if p.latest_value is not None and p.latest_is_sample),
    )
    if reason != Reason.ADDITIVE:
        return rollup
    other_kind = tuple(p.key for p in parts if p.kind != whole.kind)
    if other_kind:
        return replace(rollup, method=Method.REFUSED, reason=Reason.KIND_DIFFERS, refused_parts=other_kind)
    other_unit = tuple(p.key for p in parts if in_unit(Decimal(1), p.unit, whole.unit) is None)
    if other_unit:
        return replace(rollup, method=Method.REFUSED, reason=Reason.UNIT_DIFFERS, refused_parts=other_unit)

    def in_whole_unit(value: Decimal | None, part: Part) -> Decimal:
        amount = in_unit(value, part.unit, whole.unit)
        assert amount is not None  # a value is given and the unit converts (checked above)
        return amount

    reported = [p for p in parts if p.has_real_figure]
    dates = sorted(p.latest_as_of for p in reported if p.latest_as_of is not None)
    without_target = tuple(p.key for p in parts if p.target is None)
    parts_target = parts_target_max = None
    if parts and not without_target:
        parts_target = sum((in_whole_unit(p.target, p) for p in parts), Decimal(0))
        if whole.target_max is not None or any(p.target_max is not None for p in parts):
            upper = (p.target if p.target_max is None else p.target_max for p in parts)
            parts_target_max = sum(
                (in_whole_unit(u, p) for u, p in zip(upper, parts, strict=True)), Decimal(0)
            )
    return replace(
        rollup,
        method=Method.SUM,
        total=sum((in_whole_unit(p.latest_value, p) for p in reported), Decimal(0)) if reported else None,
        first_as_of=dates[0] if dates else None,
        last_as_of=dates[-1] if dates else None,
        parts_target=parts_target,
        parts_target_max=parts_target_max,
        without_target=without_target,
    )


class GoalFacts(Protocol):
    """What the rules read of a goal (apps.goals.models.Goal, its stored verdict included)."""

    slug: str
    kind: str
    unit: str
    metric: str
    target_value: Decimal | None
    target_max: Decimal | None
    latest_value: Decimal | None
    latest_as_of: date | None
    is_sample: bool  # the verdict rests on a sample figure


def goal_as_whole(goal: GoalFacts) -> Whole:
    return Whole(
        kind=goal.kind,
        unit=goal.unit,
        target=goal.target_value,
        target_max=goal.target_max,
        metric=goal.metric,
    )


def goal_as_part(goal: GoalFacts) -> Part:
    """A part as its stored verdict has it: the latest figure judged (status.known_figures sets samples
    aside once a real figure is known, so a verdict resting on a sample has no real figure)."""
    return Part(
        key=goal.slug,
        kind=goal.kind,
        unit=goal.unit,
        target=goal.target_value,
        target_max=goal.target_max,
        latest_value=goal.latest_value,
        latest_as_of=goal.latest_as_of,
        latest_is_sample=goal.is_sample,
    )


def roll_up_goals(parent: GoalFacts, parts: Sequence[GoalFacts]) -> Rollup:
    return roll_up(whole=goal_as_whole(parent), parts=[goal_as_part(p) for p in parts])
