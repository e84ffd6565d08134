"""Tables for the roll-up rules in apps/goals/rollup.py: plain values in, a Rollup out, no database.

The running example is the city's 2024 goal of 7,000 new 5G base stations (新建5G基站7000个) split
among districts: 历下 2000, 市中 1500, 槐荫 1200, 天桥 1300, 历城 1000.
"""

from datetime import date
from decimal import Decimal

import pytest

from apps.goals.rollup import Method, Part, Reason, Whole, adds_up, roll_up
from apps.goals.status import Kind

STATIONS = Whole(kind=Kind.INCREMENT, unit="个", target=Decimal(7000), metric="新建5G基站")
TARGETS = {"lixia": 2000, "shizhong": 1500, "huaiyin": 1200, "tianqiao": 1300, "licheng": 1000}


def part(key, latest=None, *, target=None, unit="个", kind=Kind.INCREMENT, sample=False, as_of="2024-09-30"):
    return Part(
        key=key,
        kind=kind,
        unit=unit,
        target=Decimal(TARGETS.get(key, 0) if target is None else target),
        latest_value=None if latest is None else Decimal(latest),
        latest_as_of=None if latest is None else date.fromisoformat(as_of),
        latest_is_sample=sample,
    )


def districts(**latest):
    """The five district parts, with the latest figures given (the others have reported nothing)."""
    return [part(key, latest.get(key)) for key in TARGETS]


@pytest.mark.parametrize(
    "latest, total, reported, unreported",
    [
        # Every part reported: the sum of their figures.
        (
            {"lixia": 1950, "shizhong": 1400, "huaiyin": 1100, "tianqiao": 1300, "licheng": 1100},
            6850,
            ("lixia", "shizhong", "huaiyin", "tianqiao", "licheng"),
            (),
        ),
        # Two parts have not reported: the others are summed and the two named.
        (
            {"lixia": 1950, "shizhong": 1400, "tianqiao": 1300},
            4650,
            ("lixia", "shizhong", "tianqiao"),
            ("huaiyin", "licheng"),
        ),
        # Nobody has reported: no total at all (not 0).
        ({}, None, (), tuple(TARGETS)),
    ],
)
def test_additive_parts_are_summed_against_the_parents_target(latest, total, reported, unreported):
    rollup = roll_up(whole=STATIONS, parts=districts(**latest))
    assert (rollup.method, rollup.reason) == (Method.SUM, Reason.ADDITIVE)
    assert rollup.total == (None if total is None else Decimal(total))
    assert (rollup.reported, rollup.unreported) == (reported, unreported)
    assert rollup.target == Decimal(7000) and rollup.part_count == 5
    assert (rollup.parts_target, rollup.targets_mismatch) == (Decimal(7000), False)


@pytest.mark.parametrize(
    "targets, parts_target, mismatch",
    [
        ({"lixia": 2000, "shizhong": 1500, "huaiyin": 1200, "tianqiao": 1300, "licheng": 1000}, 7000, False),
        ({"lixia": 2000, "shizhong": 1500, "huaiyin": 1200, "tianqiao": 1300, "licheng": 900}, 6900, True),
        ({"lixia": 2000, "shizhong": 1500, "huaiyin": 1200, "tianqiao": 1300, "licheng": 1500}, 7500, True),
    ],
)
def test_the_parts_targets_are_compared_with_the_parents(targets, parts_target, mismatch):
    parts = [part(key, target=target) for key, target in targets.items()]
    rollup = roll_up(whole=STATIONS, parts=parts)
    assert rollup.parts_target == Decimal(parts_target)
    assert rollup.targets_mismatch is mismatch


def test_a_part_without_a_target_leaves_the_targets_uncompared():
    parts = [*districts(lixia=100), Part(key="gaoxin", kind=Kind.INCREMENT, unit="个", target=None)]
    rollup = roll_up(whole=STATIONS, parts=parts)
    assert rollup.without_target == ("gaoxin",)
    assert rollup.parts_target is None and rollup.targets_mismatch is False
    assert rollup.total == Decimal(100)


@pytest.mark.parametrize(
    "parent_max, part_maxes, parts_target_max, mismatch",
    [
        (None, (None, None), None, False),  # no range anywhere: only the lower ends are compared
        (
            Decimal(8000),
            (Decimal(4500), Decimal(3500)),
            Decimal(8000),
            False,
        ),  # 7000～8000 = 3500～4500 + 3500
        (Decimal(8000), (None, None), Decimal(7000), True),  # the parent is a range, the parts are not
        (None, (Decimal(4000), None), Decimal(7500), True),  # a part's range reaches past the parent
    ],
)
def test_ranges_are_compared_at_both_ends(parent_max, part_maxes, parts_target_max, mismatch):
    whole = Whole(kind=Kind.INCREMENT, unit="个", target=Decimal(7000), target_max=parent_max)
    parts = [
        Part(key="a", kind=Kind.INCREMENT, unit="个", target=Decimal(3500), target_max=part_maxes[0]),
        Part(key="b", kind=Kind.INCREMENT, unit="个", target=Decimal(3500), target_max=part_maxes[1]),
    ]
    rollup = roll_up(whole=whole, parts=parts)
    assert rollup.parts_target == Decimal(7000)
    assert rollup.parts_target_max == parts_target_max
    assert rollup.targets_mismatch is mismatch


def test_a_sample_figure_is_no_report():
    parts = [part("lixia", 1950), part("shizhong", 900, sample=True), part("huaiyin")]
    rollup = roll_up(whole=STATIONS, parts=parts)
    assert rollup.total == Decimal(1950)
    assert rollup.reported == ("lixia",)
    assert rollup.unreported == ("shizhong", "huaiyin")
    assert rollup.sample_only == ("shizhong",)


def test_only_samples_give_no_total():
    rollup = roll_up(whole=STATIONS, parts=[part("lixia", 1950, sample=True)])
    assert rollup.total is None and rollup.unreported == ("lixia",)


@pytest.mark.parametrize(
    "parent_unit, part_unit, value, target, total, parts_target",
    [
        ("个", "个", "1950", "2000", "1950", "2000"),
        ("个", "万个", "0.195", "0.2", "1950", "2000"),  # 万个 converts to 个 by its magnitude
        ("万个", "个", "1950", "2000", "0.195", "0.2"),
        ("亿元", "万元", "5000", "10000", "0.5", "1"),
        ("个", "個", "1950", "2000", "1950", "2000"),  # traditional characters read as simplified
    ],
)
def test_units_are_converted_into_the_parents(parent_unit, part_unit, value, target, total, parts_target):
    whole = Whole(
        kind=Kind.INCREMENT, unit=parent_unit, target=Decimal(target) if parent_unit == part_unit else None
    )
    parts = [
        Part(
            key="a", kind=Kind.INCREMENT, unit=part_unit, target=Decimal(target), latest_value=Decimal(value)
        )
    ]
    rollup = roll_up(whole=whole, parts=parts)
    assert rollup.method == Method.SUM
    assert rollup.total == Decimal(total)
    assert rollup.parts_target == Decimal(parts_target)


@pytest.mark.parametrize(
    "parts, reason, refused",
    [
        # A unit that counts something else cannot be added.
        ([part("lixia", 1950), part("shizhong", 3, unit="亿元")], Reason.UNIT_DIFFERS, ("shizhong",)),
        # A stock beside additions cannot be added either.
        ([part("lixia", 1950), part("huaiyin", 9000, kind=Kind.LEVEL)], Reason.KIND_DIFFERS, ("huaiyin",)),
    ],
)
def test_parts_that_cannot_be_added_refuse_the_sum_and_are_named(parts, reason, refused):
    rollup = roll_up(whole=STATIONS, parts=parts)
    assert (rollup.method, rollup.reason, rollup.refused_parts) == (Method.REFUSED, reason, refused)
    assert rollup.total is None and rollup.parts_target is None
    assert rollup.reported == tuple(p.key for p in parts)  # who reported is still said


@pytest.mark.parametrize(
    "kind, unit, metric, reason",
    [
        (Kind.INCREMENT, "个", "新建5G基站", Reason.ADDITIVE),
        (Kind.LEVEL, "亿元", "固定资产投资", Reason.ADDITIVE),
        (Kind.LEVEL, "万人", "城镇新增就业", Reason.ADDITIVE),
        (Kind.GROWTH_RATE, "%", "地区生产总值增速", Reason.RATE),
        (Kind.REDUCTION, "%", "单位GDP能耗下降", Reason.RATE),
        (Kind.CAP, "%", "城镇调查失业率", Reason.RATE),
        (Kind.LEVEL, "%", "常住人口城镇化率", Reason.SHARE),  # a level in per cent is a share
        (Kind.LEVEL, "元", "居民人均可支配收入", Reason.SHARE),  # per person: an average
        (Kind.LEVEL, "元/亩", "亩均税收", Reason.SHARE),  # a ratio unit
        (Kind.INCREMENT, "‰", "出生人口", Reason.SHARE),
        (Kind.MILESTONE, "", "建成投用", Reason.MILESTONE),
    ],
)
def test_what_adds_up(kind, unit, metric, reason):
    assert adds_up(kind=kind, unit=unit, metric=metric) == reason


def test_rates_are_never_summed_but_compared_side_by_side():
    growth = Whole(kind=Kind.GROWTH_RATE, unit="%", target=Decimal("5.5"), metric="地区生产总值增速")
    parts = [
        Part(
            key="licheng", kind=Kind.GROWTH_RATE, unit="%", target=Decimal("5.6"), latest_value=Decimal("5.8")
        ),
        Part(
            key="shanghe", kind=Kind.GROWTH_RATE, unit="%", target=Decimal("6"), latest_value=Decimal("4.9")
        ),
        Part(key="laiwu", kind=Kind.GROWTH_RATE, unit="%", target=Decimal("5")),
    ]
    rollup = roll_up(whole=growth, parts=parts)
    assert (rollup.method, rollup.reason) == (Method.SIDE_BY_SIDE, Reason.RATE)
    assert rollup.total is None and rollup.parts_target is None and not rollup.targets_mismatch
    assert rollup.unreported == ("laiwu",)


def test_a_split_milestone_is_compared_part_by_part():
    whole = Whole(kind=Kind.MILESTONE, unit="", target=None)
    rollup = roll_up(whole=whole, parts=[Part(key="a", kind=Kind.MILESTONE, unit="", target=None)])
    assert (rollup.method, rollup.reason) == (Method.SIDE_BY_SIDE, Reason.MILESTONE)
    assert rollup.reported == rollup.unreported == ()


def test_figures_of_different_dates_are_said_to_differ():
    parts = [part("lixia", 1950, as_of="2024-06-30"), part("shizhong", 1400, as_of="2024-09-30")]
    rollup = roll_up(whole=STATIONS, parts=parts)
    assert (rollup.first_as_of, rollup.last_as_of) == (date(2024, 6, 30), date(2024, 9, 30))
    assert rollup.dates_differ
    same = roll_up(whole=STATIONS, parts=[part("lixia", 1950), part("shizhong", 1400)])
    assert not same.dates_differ


def test_no_parts_sum_to_nothing():
    rollup = roll_up(whole=STATIONS, parts=[])
    assert rollup.total is None and rollup.parts_target is None and rollup.part_count == 0
