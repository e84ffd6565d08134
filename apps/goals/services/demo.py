"""Demo progress figures (load_demo_progress), so the dashboard has something to judge.

Real figures first: fixtures/outcomes.json holds figures later reported in public news pages. Each is
matched to an ingested goal by general rules (indicator similar to the goal's metric, the deadline
year named in the outcome's target, a compatible unit, converting 万/亿 to the goal's unit), never by
a key, and stored as an approved update with its source page as evidence (unless the goal's indicator
already reports the same value for that day: one figure is shown once). A baseline figure sets the
goal's baseline instead, as a staff entry whose evidence is the page. Goals in force today that have
no real figure get synthetic quarterly or yearly figures, flagged is_sample (shown as 示例数据 · sample
data), drawn from a seeded random generator so that they cover the running statuses. A finished goal
never gets one: a verdict about a finished period must rest on real figures. No sample is a baseline
either. All updates are approved by the inactive system user "demo-reviewer".

Idempotent: a goal that already has progress updates gets no synthetic ones, a real figure already
stored is not stored again, and a baseline already set is kept. Statuses are then computed by
`evaluate_goals`; this command prints, without writing, what they will be today.
"""

import datetime
import difflib
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import BaselineSource, Goal, ProgressUpdate
from ..selectors import indicator_observations
from ..status import expected_value
from ..units import base_unit, plain_decimal, unit_magnitude
from .daily_evaluation import goals_evaluate_all
from .quarters import quarter_ends
from .spans import spans_rebuild_all

OUTCOMES = Path(settings.BASE_DIR) / "fixtures" / "outcomes.json"
DEMO_REVIEWER = "demo-reviewer"
SEED = "jinan-targets-demo-1"
# The first time demo figures are loaded, statuses are replayed quarter by quarter from this day.
HISTORY_FROM = datetime.date(2024, 1, 1)
MIN_SIMILARITY = Decimal("0.6")
SAMPLE_NOTE = "示例数据，非官方统计 · Sample data, not an official figure"
# Units of things counted whole: a synthetic figure in them is a whole number.
COUNTED_UNITS = set("个家所条项处场辆组列座台套户人次天") | {"人次"}


# --- Matching reported outcomes to goals ---------------------------------------------------------


@dataclass(frozen=True)
class GoalFacts:
    """What matching needs to know about a goal."""

    pk: int
    metric: str
    title: str
    unit: str
    kind: str
    deadline_year: int


def outcome_year(target_text: str) -> int | None:
    """The deadline year an outcome's target names in its closing brackets: '…（十四五，2025）' -> 2025."""
    bracketed = re.findall(r"[（(]([^）)]*)[）)]\s*$", target_text.strip())
    years = re.findall(r"(20\d\d)", bracketed[-1]) if bracketed else []
    return int(years[-1]) if years else None


def _is_percent(unit: str) -> bool:
    return unit.strip() in ("%", "％", "‰")


def units_compatible(outcome_unit: str, goal: GoalFacts) -> bool:
    """Per cent with per cent; otherwise the same thing counted (万辆 and 辆),
    a bare 万 matching any count."""
    goal_percent = _is_percent(goal.unit) or (not goal.unit and goal.kind in ("growth_rate", "reduction"))
    if _is_percent(outcome_unit) or goal_percent:
        return _is_percent(outcome_unit) and goal_percent
    outcome_base, goal_base = _counted(outcome_unit), _counted(goal.unit)
    return outcome_base == goal_base or not outcome_base or not goal_base


def _counted(unit: str) -> str:
    """What a unit counts, without its magnitude: 万人 -> 人, 亿元 -> 元, a bare 万 -> ''."""
    unit = (unit or "").strip()
    return "" if unit_magnitude(unit) != 1 and base_unit(unit) == unit else base_unit(unit)


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """A figure in another magnitude of the same unit: 13527.6 亿元 -> 1.3528 万亿元."""
    if _is_percent(from_unit):
        return value
    converted = value * unit_magnitude(from_unit) / unit_magnitude(to_unit)
    return converted.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def similarity(indicator: str, goal: GoalFacts) -> Decimal:
    """How alike the outcome's indicator and the goal's metric read (0..1); a metric contained in the
    indicator or the title (中欧班列 in 中欧班列开行量) counts as close."""
    ratio = difflib.SequenceMatcher(None, indicator, goal.metric).ratio()
    if goal.metric and (goal.metric in indicator or indicator in goal.metric):
        ratio = max(ratio, 0.8)
    return Decimal(str(round(ratio, 3)))


def match_outcome(outcome: dict, goals: list[GoalFacts]) -> list[GoalFacts]:
    """The goals an outcome reports on: same deadline year, compatible unit, and the most similar
    metric above MIN_SIMILARITY (all of them when several tie, e.g. a goal stated twice)."""
    year = outcome_year(outcome["target"])
    candidates = [
        (similarity(outcome["indicator"], goal), goal)
        for goal in goals
        if goal.deadline_year == year and units_compatible(outcome["unit"], goal)
    ]
    candidates = [(score, goal) for score, goal in candidates if score >= MIN_SIMILARITY]
    if not candidates:
        return []
    best = max(score for score, _ in candidates)
    return [goal for score, goal in candidates if score == best]


# --- Synthetic figures --------------------------------------------------------------------------

# How a synthetic goal fares: ahead of the line, a little behind, far behind, silent for a while
# before today, or not reporting until after it.
ON, RISK, OFF, SILENT, LATE = "ahead", "slightly behind", "far behind", "silent", "late start"
SHARE_OFFSET = {
    ON: Decimal("0.04"),
    RISK: Decimal("-0.05"),
    OFF: Decimal("-0.2"),
    SILENT: Decimal("-0.02"),
    LATE: Decimal("0"),
}
OUTCOME_WEIGHTS = {  # achieved, missed, no final figure yet
    ON: (7, 1, 2),
    RISK: (4, 4, 2),
    OFF: (1, 7, 2),
    SILENT: (2, 3, 5),
    LATE: (4, 3, 3),
}


@dataclass(frozen=True)
class Figure:
    as_of: datetime.date
    value: Decimal
    is_final: bool


def report_days(goal: Goal, story: str, final: bool, today: datetime.date) -> list[datetime.date]:
    """When a synthetic goal reports: quarterly in a one-year period, yearly plus the quarters of
    2024 and later in a longer one; the deadline itself only with a final figure. A late starter has
    not reported by `today`, a silent one has not for ten months."""
    quarters = quarter_ends(goal.period_start, goal.deadline)
    if (goal.deadline - goal.period_start).days > 400:
        quarters = [d for d in quarters if d.month == 12 or d.year >= 2024 or d == datetime.date(2023, 6, 30)]
    days = [d for d in quarters if d < goal.deadline]
    if story == LATE:
        days = [d for d in days if d > today]
    if story == SILENT:  # nothing for ten months up to today
        silent_from = today - datetime.timedelta(days=300)
        days = [d for d in days if not silent_from < d <= today]
    return days + ([goal.deadline] if final else [])


def _places(goal: Goal) -> Decimal:
    if goal.unit in COUNTED_UNITS or goal.target_value >= 1000:
        return Decimal(1)
    return Decimal("0.1") if goal.target_value >= 10 else Decimal("0.01")


def synthetic_figures(goal: Goal, story: str, rng: random.Random, today: datetime.date) -> list[Figure]:
    """Figures telling `story` for one goal, ending achieved, missed or without a final figure (those
    after `today` are not stored)."""
    outcome = rng.choices(["achieved", "missed", "open"], weights=OUTCOME_WEIGHTS[story])[0]
    days = report_days(goal, story, final=outcome != "open", today=today)
    target = goal.target_value
    figures = []
    if goal.kind in (Goal.Kind.GROWTH_RATE, Goal.Kind.REDUCTION, Goal.Kind.CAP):
        at_most = goal.kind == Goal.Kind.CAP or goal.comparator == "<="
        tolerance = goal.tolerance if goal.tolerance is not None else settings.GOAL_GROWTH_TOLERANCE
        slack = tolerance if goal.comparator == "~" else 0
        gap = {
            ON: Decimal("-0.3") - slack,
            RISK: tolerance / 2 + slack,
            OFF: tolerance * 3 + slack,
            SILENT: Decimal("0.2"),
            LATE: Decimal("-0.2"),
        }[story]  # how far on the wrong side
        for day in days:
            if day == goal.deadline:
                gap = Decimal("-0.3") - slack if outcome == "achieved" else tolerance * 2 + slack
            noise = Decimal(rng.randint(-1, 1)) / 10 if story in (ON, OFF) else 0
            value = target + (gap + noise if at_most else -(gap + noise))
            figures.append(Figure(day, value.quantize(Decimal("0.1")), day == goal.deadline))
        return figures
    baseline = goal.baseline_value
    if baseline is None and goal.kind == Goal.Kind.LEVEL:
        # Where the samples start from; never stored: an invented figure is no baseline, so a level
        # goal without a real one shows no pace.
        baseline = target * Decimal("0.8" if goal.deadline.year == goal.period_start.year else "0.6")
    baseline = baseline or Decimal(0)
    for day in days:
        share = expected_value(
            baseline=Decimal(0), target=Decimal(1), start=goal.period_start, deadline=goal.deadline, on=day
        )
        if day == goal.deadline:
            share = Decimal("1.03") if outcome == "achieved" else Decimal("0.9")
        else:
            share = max(Decimal(0), share + SHARE_OFFSET[story] + Decimal(rng.randint(-5, 5)) / 1000)
        value = (baseline + (target - baseline) * share).quantize(_places(goal), rounding=ROUND_HALF_UP)
        figures.append(Figure(day, value, day == goal.deadline or (day.month == 12 and day.day == 31)))
    return figures


def stories_for(goals: list[Goal], today: datetime.date) -> dict[int, str]:
    """Deal the stories round-robin, apart for one-year and longer periods, so each status appears:
    a late start is only possible where the period began shortly before `today`, a silence only
    where it began long before."""
    dealt = {}
    short = [g for g in goals if (today - g.period_start).days <= settings.GOAL_STALE_AFTER_DAYS]
    long = [g for g in goals if g not in short]
    for group, stories in ((short, [ON, RISK, OFF, LATE]), (long, [ON, RISK, OFF, SILENT])):
        for number, goal in enumerate(sorted(group, key=lambda g: g.pk)):
            dealt[goal.pk] = stories[number % len(stories)]
    return dealt


# --- Loading --------------------------------------------------------------------------------


def demo_reviewer():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_REVIEWER, defaults={"is_active": False, "first_name": "演示审核 · demo reviewer"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _reviewed_at(as_of: datetime.date) -> datetime.datetime:
    """Statistics come out some weeks after the period; never later than now."""
    moment = datetime.datetime.combine(
        as_of + datetime.timedelta(days=20), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    return min(moment, timezone.now())


def _published_on(stated: str | None, as_of: datetime.date) -> datetime.date:
    """The day a figure became known: as the source states it, else the day it was reviewed. The
    replay of history counts a figure only from this day on."""
    if stated:
        return datetime.date.fromisoformat(stated)
    return timezone.localtime(_reviewed_at(as_of)).date()


class NoPublishedGoals(Exception):
    """Demo figures need published goals to attach to."""


class SampleDataNotAllowed(Exception):
    """This site does not take invented figures (settings.SAMPLE_DATA_ALLOWED is off)."""


@dataclass
class DemoLoadSummary:
    """What one load of demo progress stored."""

    reported: int = 0  # real reported figures stored
    repeated: int = 0  # real figures not stored: the goal's indicator reports them already
    baselines: int = 0  # baselines set from reported figures
    unmatched: list[str] = field(default_factory=list)  # reported figures that matched no goal
    samples: int = 0  # synthetic figures stored
    sample_goals: int = 0  # goals given synthetic figures
    replayed_quarters: int = 0  # quarter ends at which statuses were replayed


def demo_progress_load(*, reported: list[dict], today: datetime.date) -> DemoLoadSummary:
    """Store the reported figures that match published goals and synthetic ones for every other goal,
    all approved by the demo reviewer; the first time, replay the status history. Safe to run twice."""
    if not settings.SAMPLE_DATA_ALLOWED:
        raise SampleDataNotAllowed()
    goals = list(Goal.objects.public().exclude(kind=Goal.Kind.MILESTONE).filter(target_value__isnull=False))
    if not goals:
        raise NoPublishedGoals()
    summary = DemoLoadSummary()
    with transaction.atomic():
        reviewer = demo_reviewer()
        summary.reported, summary.repeated, summary.baselines, summary.unmatched = _load_reported(
            reported, goals, reviewer, today
        )
        summary.samples, summary.sample_goals = _load_synthetic(goals, reviewer, today)
    if summary.reported or summary.samples:
        summary.replayed_quarters = _replay_history(today)
        # The figures were stored in bulk, not approved one by one: every goal's past days afresh.
        spans_rebuild_all(through=today)
    return summary


def _replay_history(today: datetime.date) -> int:
    """Evaluate every goal at each quarter end since HISTORY_FROM, in order, then today: the
    status history then shows how the goals went, not one jump to today's verdict."""
    days = [day for day in quarter_ends(HISTORY_FROM, today) if day < today]
    for day in days:
        goals_evaluate_all(today=day)
    goals_evaluate_all(today=today)
    return len(days)


def _load_reported(reported, goals, reviewer, today):
    facts = [GoalFacts(g.pk, g.metric, g.title, g.unit, g.kind, g.deadline.year) for g in goals]
    by_pk = {g.pk: g for g in goals}
    served = indicator_observations([g.pk for g in goals])
    stored, repeated, baselines, unmatched, new = 0, 0, 0, [], []
    for outcome in reported:
        matches = match_outcome(outcome, facts)
        if not matches:
            unmatched.append(
                f"{outcome['indicator']} {outcome['value']}{outcome['unit']} ({outcome['target']})"
            )
            continue
        as_of = datetime.date.fromisoformat(outcome["period_end"])
        for match in matches:
            goal = by_pk[match.pk]
            value = convert(Decimal(str(outcome["value"])), outcome["unit"], goal.unit)
            if outcome.get("role") == "baseline":
                if goal.baseline_value is None:
                    goal.baseline_value, goal.baseline_date = value, as_of
                    goal.baseline_source, goal.baseline_evidence = BaselineSource.STAFF, outcome["source_url"]
                    goal._change_reason = f"基期值来自公开报道 · baseline from {outcome['source_url']}"
                    goal.save(
                        update_fields=[
                            "baseline_value",
                            "baseline_date",
                            "baseline_source",
                            "baseline_evidence",
                            "updated_at",
                        ]
                    )
                    baselines += 1
                continue
            already = served.get(goal.pk, [])
            if any(o.as_of == as_of and o.value == value and not o.is_sample for o in already):
                repeated += 1
                continue
            taken = ProgressUpdate.objects.filter(goal=goal, as_of=as_of)
            if (
                as_of > today
                or taken.filter(evidence_url=outcome["source_url"]).exists()
                or taken.approved().exists()
            ):
                continue
            note = f"{outcome['period_label']}：{outcome['value']}{outcome['unit']}"
            if unit_magnitude(outcome["unit"]) != unit_magnitude(goal.unit):
                note += f"（换算为{plain_decimal(value)}{goal.unit} · converted to the goal's unit）"
            new.append(
                ProgressUpdate(
                    goal=goal,
                    as_of=as_of,
                    value=value,
                    is_final=bool(outcome["is_final"]),
                    note=note,
                    evidence_url=outcome["source_url"],
                    is_sample=False,
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                    reviewed_by=reviewer,
                    reviewed_at=_reviewed_at(as_of),
                    published_on=_published_on(outcome.get("published_on"), as_of),
                )
            )
            stored += 1
    bulk_create_with_history(
        new,
        ProgressUpdate,
        default_user=reviewer,
        default_change_reason="公开报道 · reported figure (demo)",
    )
    return stored, repeated, baselines, unmatched


def _load_synthetic(goals, reviewer, today):
    # Sample figures only for goals in force today, and only where nothing real exists: neither the
    # goal's own figures nor figures reported for its indicator within its period.
    in_force = [g for g in goals if g.period_start <= today <= g.deadline]
    with_updates = set(
        ProgressUpdate.objects.filter(goal__in=in_force).values_list("goal_id", flat=True).distinct()
    )
    with_updates |= set(indicator_observations([g.pk for g in in_force]))
    fresh = [g for g in in_force if g.pk not in with_updates]
    stories, new = stories_for(in_force, today), []
    for goal in fresh:
        rng = random.Random(f"{SEED}:{goal.slug}")
        for figure in synthetic_figures(goal, stories[goal.pk], rng, today):
            if figure.as_of > today:
                continue
            new.append(
                ProgressUpdate(
                    goal=goal,
                    as_of=figure.as_of,
                    value=figure.value,
                    is_final=figure.is_final,
                    note=SAMPLE_NOTE,
                    is_sample=True,
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                    reviewed_by=reviewer,
                    reviewed_at=_reviewed_at(figure.as_of),
                    published_on=_published_on(None, figure.as_of),
                )
            )
    bulk_create_with_history(
        new, ProgressUpdate, default_user=reviewer, default_change_reason="示例数据 · sample data (demo)"
    )
    return len(new), len(fresh)
