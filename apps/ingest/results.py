"""Reported results become proposed progress figures: `results_ingest` reads a document's results (a
report's review of last year, a bulletin, a quarterly release), matches each to the goals on that
indicator and period, and stores a figure awaiting review with the quote as its evidence.

Nothing it stores is public: a figure is submitted for review (待审核), the goal's reviewers are emailed
as for any submitted figure, and it shows only once a reviewer of the goal's department approves it.
Running it twice stores nothing new (one figure per goal and quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from apps.goals.models import Document, Goal, ProgressUpdate
from apps.goals.services.progress_review import progress_update_submit_by_site
from apps.goals.units import absolute_amount, base_unit

from . import extractor, matching
from .services import SourceFile, document_store, mention_rules_store

_BULLETIN = re.compile(r"统计公报|统计年鉴")
_PRELIMINARY = re.compile(r"初步核算|初步统计|初步测算|快报")
# A figure's size may differ from its goal's by this factor either way and still be the same indicator
# (a 2024 level against a 2027 target); beyond it, it is not (7家 new listings against 300家 firms).
_PLAUSIBLE_RATIO = Decimal(20)


@dataclass
class Proposal:
    result: extractor.Mention
    goal: Goal
    update: ProgressUpdate
    created: bool


@dataclass
class ResultsIngest:
    document: Document
    results: int = 0
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[extractor.Mention] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(p.created for p in self.proposals)


ESTIMATE, PRELIMINARY, FINAL = "estimate", "preliminary", "final"


def result_basis(result: extractor.Mention, document: Document, text: str) -> str:
    """预计 -> estimate; 初步核算 or any figure a report quotes before the statistics -> preliminary; a
    statistical bulletin's figure -> final."""
    if result.is_estimate:
        return ESTIMATE
    sentence_start = max(text.rfind("。", 0, result.start), 0)
    if _PRELIMINARY.search(text, sentence_start, result.end):
        return PRELIMINARY
    return FINAL if _BULLETIN.search(document.title) else PRELIMINARY


def _kinds_agree(result: extractor.Mention, goal: Goal) -> bool:
    growth = result.kind == "growth_rate" or (result.unit == "%" and "增长" in result.metric)
    return growth == (goal.kind == "growth_rate")


def value_in_goal_unit(result: extractor.Mention, goal: Goal) -> Decimal | None:
    """The result's value in the goal's unit (1083 亿元 against a goal in 万亿元 -> 0.1083), or None when
    the units measure different things (亿元 against 个)."""
    if result.value is None:
        return None
    amount, base = absolute_amount(result.value, result.unit)
    if amount is None or base != base_unit(goal.unit):
        return None
    return amount / goal.unit_magnitude


def _same_indicator(result: extractor.Mention, goal: Goal) -> bool:
    names = [goal.metric]
    if goal.indicator_id is not None:
        names.append(goal.indicator.name)
    return any(matching.same_indicator(result.metric, name) for name in names)


def goal_matches(result: extractor.Mention, goal: Goal) -> Decimal | None:
    """The value to propose for `goal` if the result reports on its indicator and period, else None."""
    if result.period_end is None or not (goal.period_start <= result.period_end <= goal.deadline):
        return None
    if not _kinds_agree(result, goal) or not _same_indicator(result, goal):
        return None
    value = value_in_goal_unit(result, goal)
    if value is None:
        return None
    target = goal.target_value
    if target and value and goal.kind != "growth_rate":
        ratio = abs(value / target)
        if ratio > _PLAUSIBLE_RATIO or ratio < 1 / _PLAUSIBLE_RATIO:
            return None
    return value


def _candidates(results: list[extractor.Mention], document: Document) -> list[Goal]:
    """The goals any of these results could report on: of the document's place, not rejected, in force
    over a result's period."""
    ends = [r.period_end for r in results if r.period_end is not None]
    if not ends:
        return []
    return list(
        Goal.objects.in_place(document.place)
        .exclude(review_state=Goal.ReviewState.REJECTED)
        .exclude(kind="milestone")
        .filter(period_start__lte=max(ends), deadline__gte=min(ends))
        .select_related("indicator")
        .order_by("pk")
    )


class AttachError(ValueError):
    """A result that cannot be attached to the goal named; the message is meant for a person."""


def _read(source: SourceFile, document: Document) -> extractor.Reading:
    meta = source.metadata
    return extractor.read(
        source.text,
        reference_year=meta.get("reference_year") or document.reference_year,
        year_source="manifest" if meta.get("reference_year") else "document",
        title=meta.get("title") or document.title,
        speakers=meta.get("speakers") or None,
    )


def result_attach(*, source: SourceFile, start: int, goal: Goal) -> tuple[ProgressUpdate, bool]:
    """Staff attach a result that matched no goal (listed by its offset) to the goal it reports on: the same
    proposed figure, awaiting review, as a match would have made. The unit must measure the same thing."""
    document = document_store(source=source)
    result = next((r for r in _read(source, document).results if r.start == start), None)
    if result is None:
        raise AttachError(f"{source.path.name}: no result starts at {start} · 该位置没有数据")
    value = value_in_goal_unit(result, goal)
    if value is None or result.period_end is None:
        raise AttachError(
            f"{result.quote!r} is in {result.unit}, {goal} in {goal.unit}: they measure different things "
            "· 单位不符"
        )
    return _propose(result=result, goal=goal, value=value, document=document, text=source.text)


def results_ingest(*, source: SourceFile) -> ResultsIngest:
    """Store the document (once) and propose a progress figure for each result that matches a goal."""
    document = document_store(source=source)
    reading = _read(source, document)
    outcome = ResultsIngest(document=document, results=len(reading.results))
    goals = _candidates(reading.results, document)
    mention_rules_store(document=document, mentions=reading.results)
    for result in reading.results:
        matched = [(goal, value) for goal in goals if (value := goal_matches(result, goal)) is not None]
        if not matched:
            outcome.unmatched.append(result)
            continue
        for goal, value in matched:
            update, created = _propose(
                result=result, goal=goal, value=value, document=document, text=source.text
            )
            outcome.proposals.append(Proposal(result, goal, update, created))
    return outcome


def _propose(
    *, result: extractor.Mention, goal: Goal, value: Decimal, document: Document, text: str
) -> tuple[ProgressUpdate, bool]:
    """One submitted figure per goal and quote; an existing one is left as staff left it."""
    basis = result_basis(result, document, text)
    fields = {
        "period_start": result.period_start,
        "as_of": result.period_end,
        "value": value,
        "is_final": basis == FINAL,
        "is_estimate": basis == ESTIMATE,
        "published_on": document.published_on,
        "evidence_url": document.url,
        "quote": result.quote,
        "source_end": result.end,
        "note": f"{result.quote}（{document.title}）",
        "review_state": ProgressUpdate.ReviewState.DRAFT,
    }
    try:
        with transaction.atomic():
            update, created = ProgressUpdate.objects.get_or_create(
                goal=goal, source_document=document, source_start=result.start, defaults=fields
            )
            if created:
                # Handed in by the review service, as a recorder's figure is: its submission time
                # and history, and the goal's reviewers hear of it once committed.
                progress_update_submit_by_site(update=update)
            return update, created
    except IntegrityError:  # proposed by a concurrent run
        return ProgressUpdate.objects.get(
            goal=goal, source_document=document, source_start=result.start
        ), False
