"""load_demo_progress: real reported figures find their goals by general rules, goals in force without
them get seeded sample data covering the running statuses, a finished goal never gets any, and running
it twice changes nothing."""

import datetime
import glob
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services import demo
from apps.goals.services.daily_evaluation import goals_evaluate_all
from apps.goals.status import Status

from ..factories import GoalFactory

TODAY = datetime.datetime(2026, 11, 22, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
RUNNING = dict(period_start=datetime.date(2024, 1, 1), deadline=datetime.date(2024, 12, 31))
THREE_YEARS = dict(period_start=datetime.date(2023, 1, 1), deadline=datetime.date(2025, 12, 31))
IN_FORCE = dict(period_start=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 12, 31))
IN_FORCE_LONG = dict(period_start=datetime.date(2024, 1, 1), deadline=datetime.date(2027, 12, 31))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def facts(**overrides):
    values = dict(pk=1, metric="地区生产总值", title="", unit="万亿元", kind="level", deadline_year=2025)
    return demo.GoalFacts(**{**values, **overrides})


@pytest.mark.parametrize(
    ("target", "year"),
    [
        ("地区生产总值增长5.5%以上（2024）", 2024),
        ("规模以上工业营业收入突破万亿元（十四五，2025）", 2025),
        ("没有年份", None),
    ],
)
def test_the_deadline_year_comes_from_the_outcomes_target(target, year):
    assert demo.outcome_year(target) == year


def test_units_must_count_the_same_thing():
    assert demo.units_compatible("亿元", facts(unit="万亿元"))
    assert demo.units_compatible("万人", facts(unit="万"))  # a bare 万 counts anything
    assert demo.units_compatible("%", facts(unit="", kind="growth_rate"))
    assert not demo.units_compatible("%", facts(unit="万亿元"))
    assert not demo.units_compatible("万辆", facts(unit="万吨"))


def test_figures_convert_to_the_goals_magnitude():
    assert demo.convert(Decimal("13527.6"), "亿元", "万亿元") == Decimal("1.3528")
    assert demo.convert(Decimal("4.9"), "万个", "个") == Decimal("49000")
    assert demo.convert(Decimal("5.3"), "%", "%") == Decimal("5.3")


def test_an_outcome_matches_by_metric_year_and_unit_not_by_any_key():
    growth = facts(pk=1, metric="地区生产总值增长", unit="%", kind="growth_rate", deadline_year=2024)
    level = facts(pk=2, metric="地区生产总值", unit="万亿元", deadline_year=2025)
    stations_2024 = facts(pk=3, metric="新建5G基站", unit="个", kind="increment", deadline_year=2024)
    stations_2025 = facts(pk=4, metric="5G基站数量", unit="万个", deadline_year=2025)
    goals = [growth, level, stations_2024, stations_2025]

    def outcome(indicator, unit, target):
        return {"indicator": indicator, "unit": unit, "target": target, "goal_key": "ignored"}

    assert demo.match_outcome(outcome("地区生产总值增长", "%", "…（2024）"), goals) == [growth]
    assert demo.match_outcome(outcome("地区生产总值", "亿元", "…（2025）"), goals) == [level]
    assert demo.match_outcome(outcome("5G基站数量", "万个", "…（十四五，2025）"), goals) == [stations_2025]
    assert demo.match_outcome(outcome("地区生产总值", "亿元", "…（2026）"), goals) == []
    assert demo.match_outcome(outcome("蔬菜产量", "万吨", "…（2025）"), goals) == []


@pytest.fixture
def seeded_goals(db):
    """Goals shaped like the ingested ones, several per period so every story is dealt."""
    goals = [
        GoalFactory(
            metric="规模以上工业增加值增长",
            kind=Goal.Kind.GROWTH_RATE,
            target_value=Decimal("7"),
            unit="%",
            **RUNNING,
        ),
        GoalFactory(
            metric="5G基站数量",
            kind=Goal.Kind.LEVEL,
            target_value=Decimal("50000"),
            unit="个",
            **THREE_YEARS,
        ),
        GoalFactory(
            metric="中欧班列", kind=Goal.Kind.LEVEL, target_value=Decimal("1000"), unit="列", **RUNNING
        ),
    ]
    goals += [GoalFactory(target_value=Decimal(7000 + 100 * n), **IN_FORCE) for n in range(6)]
    goals += [
        GoalFactory(
            metric=f"指标{n}",
            kind=Goal.Kind.LEVEL,
            target_value=Decimal(500 + 10 * n),
            unit="家",
            **IN_FORCE_LONG,
        )
        for n in range(5)
    ]
    # Finished, with nothing real reported: no figure may be invented for them.
    goals += [GoalFactory(metric=f"已结束{n}", target_value=Decimal(300 + n), **RUNNING) for n in range(2)]
    goals += [
        GoalFactory(
            metric="已结束水平", kind=Goal.Kind.LEVEL, target_value=Decimal(80), unit="家", **THREE_YEARS
        )
    ]
    return goals


def figures():
    return sorted(ProgressUpdate.objects.values_list("goal__slug", "as_of", "value", "is_final", "is_sample"))


@pytest.mark.django_db
def test_real_figures_carry_their_source_and_everything_else_is_sample_data(seeded_goals):
    call_command("load_demo_progress")

    stations = ProgressUpdate.objects.get(goal=seeded_goals[1], as_of=datetime.date(2024, 9, 21))
    assert (stations.value, stations.is_final, stations.is_sample) == (Decimal("49000"), False, False)
    assert stations.evidence_url == "http://news.e23.cn/jnnews/2024-09-22/2024092200003.html"
    assert "4.9万个" in stations.note
    assert set(
        ProgressUpdate.objects.filter(goal=seeded_goals[0]).values_list(
            "as_of", "value", "is_final", "is_sample"
        )
    ) == {(datetime.date(2024, 12, 31), Decimal("6.5"), True, False)}
    trains = Goal.objects.get(pk=seeded_goals[2].pk)
    assert (trains.baseline_value, trains.baseline_date) == (Decimal("1006"), datetime.date(2023, 12, 31))
    assert (trains.baseline_source, trains.baseline_evidence) == (
        "staff",
        "http://sd.people.com.cn/BIG5/n2/2024/0321/c166194-40783051.html",
    )
    # A finished goal with no real figure gets none; the goals in force without one get samples.
    assert not ProgressUpdate.objects.filter(goal=trains).exists()
    assert not ProgressUpdate.objects.filter(goal__in=seeded_goals[14:]).exists()
    in_force = ProgressUpdate.objects.filter(goal__in=seeded_goals[3:14])
    assert in_force.exists() and all(in_force.values_list("is_sample", flat=True))
    assert not ProgressUpdate.objects.filter(is_sample=True).exclude(evidence_url="").exists()
    # No sample is dated before its goal's period: an invented figure never serves as a baseline.
    for update in ProgressUpdate.objects.filter(is_sample=True).select_related("goal"):
        assert update.as_of >= update.goal.period_start

    reviewer = get_user_model().objects.get(username="demo-reviewer")
    assert not reviewer.is_active and not reviewer.has_usable_password()
    assert set(ProgressUpdate.objects.values_list("review_state", "reviewed_by")) == {
        ("approved", reviewer.pk)
    }
    assert not ProgressUpdate.objects.filter(as_of__gt=datetime.date(2026, 11, 22)).exists()


@pytest.mark.django_db
def test_running_it_twice_changes_nothing_and_the_draw_is_seeded(seeded_goals):
    call_command("load_demo_progress")
    first = figures()
    call_command("load_demo_progress")
    assert figures() == first

    ProgressUpdate.objects.all().delete()
    call_command("load_demo_progress")
    assert figures() == first


@pytest.mark.django_db
def test_samples_illustrate_the_goals_in_force_and_never_decide_a_finished_one(seeded_goals):
    call_command("load_demo_progress")
    goals_evaluate_all(today=datetime.date(2026, 11, 22))

    finished = Goal.objects.filter(deadline__lt=datetime.date(2026, 11, 22))
    in_force = Goal.objects.exclude(pk__in=finished.values("pk"))
    assert not finished.filter(is_sample=True).exists()
    assert {Status.ON_TRACK, Status.OFF_TRACK} <= set(in_force.values_list("status", flat=True))
    judged = in_force.filter(latest_value__isnull=False)
    assert judged.exists() and all(judged.values_list("is_sample", flat=True))  # and labelled so


@pytest.mark.django_db
def test_staff_figures_are_never_mixed_with_samples(seeded_goals):
    recorded = ProgressUpdate.objects.create(
        goal=seeded_goals[5],
        as_of=datetime.date(2024, 3, 31),
        value=Decimal("10"),
        evidence_url="https://example.com",
    )
    call_command("load_demo_progress")
    assert list(ProgressUpdate.objects.filter(goal=seeded_goals[5])) == [recorded]


@pytest.mark.django_db
def test_with_the_projects_own_extraction_the_reported_figures_find_their_goals():
    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    call_command("ingest_documents", *sorted(glob.glob("fixtures/documents/*.txt")), "--publish", verbosity=0)
    call_command("load_reported_figures", verbosity=0)
    call_command("load_demo_progress")

    real = ProgressUpdate.objects.filter(is_sample=False, goal__isnull=False).select_related("goal")
    by_metric = Counter(update.goal.metric for update in real)
    # Every reported progress figure found a goal; the 2024 industrial growth of 6.5% is not stored
    # for its goal again, since the indicator's bulletin figure already serves it.
    assert sum(by_metric.values()) == 5
    assert by_metric["人才总量"] == 2 and by_metric["规模以上工业营业收入"] == 2
    industry_2024 = Goal.objects.get(metric="规模以上工业增加值增长", deadline__year=2024)
    assert [
        (u.as_of, u.value, u.is_final) for u in ProgressUpdate.objects.approved().serving(industry_2024)
    ] == [
        (datetime.date(2024, 6, 30), Decimal("4.0"), False),
        (datetime.date(2024, 12, 31), Decimal("6.5"), True),
    ]
    # Goals whose indicator has figures reported for their period get no sample figures; the
    # estimate of 5.5% gives way to the bulletin's final 5.4%.
    gdp_2024 = Goal.objects.get(slug="gdp-growth-2024")
    assert not ProgressUpdate.objects.filter(goal=gdp_2024).exists()
    served = ProgressUpdate.objects.approved().serving(gdp_2024)
    assert sorted((u.as_of, u.value, u.is_final) for u in served) == [
        (datetime.date(2024, 6, 30), Decimal("5.3"), False),
        (datetime.date(2024, 9, 30), Decimal("5.4"), False),
        (datetime.date(2024, 12, 31), Decimal("5.4"), True),
    ]
    # No finished goal has a sample figure.
    assert not ProgressUpdate.objects.filter(
        is_sample=True, goal__deadline__lt=datetime.date(2026, 11, 22)
    ).exists()
