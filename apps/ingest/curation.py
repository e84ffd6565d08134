"""Staff curation kept in fixtures/curation.json and applied to goals: per-goal entries (slug, English
title, headline flag, work area, lead department, a review decision with its reason), the table of
indicators (Chinese and English name, the department that leads it, the metric words that name it),
and the departments that own whole plans.

Curation only fills what is blank: a goal's English title and lead department, once set by ingest or
by staff in the admin, are never overwritten, so running it again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from apps.goals.english import goal_title_en
from apps.goals.models import Department, Goal, Indicator, Jurisdiction, LeadSource, unique_slug

CURATION_FILE = Path(settings.BASE_DIR) / "fixtures" / "curation.json"
# The whole city government is who speaks in a work report, not who does the work: a goal it
# "leads" is routed to the department of its indicator when there is one.
WHOLE_GOVERNMENT = "济南市人民政府"


@dataclass(frozen=True)
class IndicatorEntry:
    slug: str
    name: str
    name_en: str
    department: str
    metrics: tuple[str, ...]
    reported_as: tuple[str, ...] = ()


@dataclass
class Curation:
    goals: list[dict] = field(default_factory=list)
    indicators: list[IndicatorEntry] = field(default_factory=list)
    plan_owners: dict[str, str] = field(default_factory=dict)

    def goal_entry(self, *, metric: str, value, unit: str, deadline_year: int) -> dict:
        """The entry for a goal: its metric contains `metric_contains`, and value, unit and deadline
        year are equal; {} when none is."""
        if value is None:
            return {}
        metric = "".join((metric or "").split())
        for entry in self.goals:
            if (
                entry["metric_contains"] in metric
                and Decimal(entry["value"]) == Decimal(value)
                and entry["unit"] == unit
                and entry["deadline_year"] == deadline_year
            ):
                return entry
        return {}

    def indicator_for(self, metric: str) -> IndicatorEntry | None:
        """The first indicator (the table lists specific ones before general ones) whose metric
        words appear in `metric`."""
        metric = "".join((metric or "").split())
        for indicator in self.indicators:
            if any(words in metric for words in indicator.metrics):
                return indicator
        return None

    def indicator_named(self, name: str) -> IndicatorEntry | None:
        """The indicator a reported figure names exactly (its name or one it is reported as): a
        figure for 起步区 5G基站 must not count for the whole city's 5G基站."""
        for indicator in self.indicators:
            if name == indicator.name or name in indicator.reported_as:
                return indicator
        return None


def curation_load(path: Path = CURATION_FILE) -> Curation:
    if not Path(path).is_file():
        return Curation()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Curation(
        goals=data.get("goals", []),
        indicators=[
            IndicatorEntry(
                slug=i["slug"],
                name=i["name"],
                name_en=i["name_en"],
                department=i.get("department", ""),
                metrics=tuple(i["metrics"]),
                reported_as=tuple(i.get("reported_as", ())),
            )
            for i in data.get("indicators", [])
        ],
        plan_owners=data.get("plan_owners", {}),
    )


def lead_department_name(
    *, curation: Curation, entry: dict, stated: str | None, plan_name: str | None, metric: str
) -> tuple[str | None, str]:
    """Who leads a goal and where that came from (a LeadSource value), in order: staff curation of
    this goal; the document (a 责任单位 line, the speaker's department, the subject of the sentence, as
    the extractor read it); the plan's owner; the curated routing of the goal's indicator; the whole
    city government as a last resort."""
    if entry.get("lead_department"):
        return entry["lead_department"], LeadSource.CURATED
    if stated and stated != WHOLE_GOVERNMENT:
        return stated, LeadSource.DOCUMENT
    if plan_name and curation.plan_owners.get(plan_name):
        return curation.plan_owners[plan_name], LeadSource.PLAN
    indicator = curation.indicator_for(metric)
    if indicator is not None and indicator.department:
        return indicator.department, LeadSource.ROUTING
    return (stated, LeadSource.GOVERNMENT) if stated else (None, "")


def english_title(*, curation: Curation, goal: Goal, entry: dict | None = None) -> str:
    """The curated English title, else one rendered from the indicator's English name and the target;
    '' when the indicator has no English name in the table."""
    entry = entry if entry is not None else _entry_for(curation, goal)
    if entry.get("title_en"):
        return entry["title_en"]
    indicator = curation.indicator_for(goal.metric)
    if indicator is None:
        return ""
    return goal_title_en(
        metric_en=indicator.name_en,
        kind=goal.kind,
        comparator=goal.comparator,
        value=goal.target_value,
        value_max=goal.target_max,
        unit=goal.unit,
        deadline_year=goal.deadline.year,
    )[:300]


def _entry_for(curation: Curation, goal: Goal) -> dict:
    return curation.goal_entry(
        metric=goal.metric, value=goal.target_value, unit=goal.unit, deadline_year=goal.deadline.year
    )


def indicator_row(
    entry: IndicatorEntry, departments: dict[str, Department], place: Jurisdiction | None = None
) -> Indicator:
    """The Indicator of `place` (default Jinan) for a table entry, made the first time it is needed;
    staff edits to it stand. The entry's slug is the measure every place shares (gdp-growth); Jinan's
    indicator has it as its slug too, another place's is prefixed with the place (licheng-gdp-growth)."""
    if place is None or place.is_home:
        indicator, _ = Indicator.objects.get_or_create(
            slug=entry.slug,
            defaults={
                "name": entry.name,
                "name_en": entry.name_en,
                "lead_department": departments.get(entry.department),
                "measure": entry.slug,
            },
        )
        return indicator
    indicator, _ = Indicator.objects.get_or_create(
        place=place,
        measure=entry.slug,
        defaults={
            "slug": unique_slug(Indicator, f"{place.slug}-{entry.slug}"),
            "name": entry.name,
            "name_en": entry.name_en,
        },
    )
    return indicator


@dataclass
class CurationResult:
    titles: int = 0
    departments: int = 0
    indicators: int = 0


def goals_curate(*, goals=None, curation: Curation | None = None) -> CurationResult:
    """Fill the blank English titles, lead departments and indicators of `goals` (default: every goal)
    from the curation. Safe to run twice: the second run finds nothing blank it can fill."""
    curation = curation or curation_load()
    goals = Goal.objects.all() if goals is None else goals
    blank = goals.filter(title_en="") | goals.filter(lead_department__isnull=True)
    blank |= goals.filter(indicator__isnull=True)
    departments = {d.name: d for d in Department.objects.all()}
    result = CurationResult()
    for goal in blank.select_related("plan", "lead_department", "place").distinct():
        changed = []
        home = goal.place.is_home  # the per-goal entries and the routing are Jinan's
        entry = _entry_for(curation, goal) if home else {}
        indicator = curation.indicator_for(goal.metric)
        if goal.indicator_id is None and indicator is not None:
            goal.indicator = indicator_row(indicator, departments, goal.place)
            changed.append("indicator")
            result.indicators += 1
        if not goal.title_en:
            goal.title_en = english_title(curation=curation, goal=goal, entry=entry)
            if goal.title_en:
                changed.append("title_en")
                result.titles += 1
        if goal.lead_department is None and home:
            name, source = lead_department_name(
                curation=curation,
                entry=entry,
                stated=None,
                plan_name=goal.plan.name if goal.plan else None,
                metric=goal.metric,
            )
            if name in departments:
                goal.lead_department, goal.lead_department_source = departments[name], source
                changed += ["lead_department", "lead_department_source"]
                result.departments += 1
        if changed:
            goal._change_reason = "整理 · curation (fixtures/curation.json)"
            goal.save(update_fields=[*changed, "updated_at"])
    return result
