"""Onboarding a place from its own documents (`manage.py onboard FOLDER`): read a folder's manifest and
documents, store each document with the targets it states as goals pending review and its results as
figures proposed for review (the ingest services, document_ingest and results_ingest, as ever), then
route each new goal to a lead department: the one its document names (牵头单位/责任单位, the speaker), else
the place's government office.

One transaction: a dry run reads and stores everything, prints what it would do, and rolls it all back.
Running it twice changes nothing: documents are stored once (by their text), figures once per goal and
quote, and only the goals this run created are routed."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from apps.goals.models import Department, Goal, LeadSource, unique_slug

from .manifest import MANIFEST_NAME, ManifestError, read_manifest
from .reading import DocumentError
from .results import results_ingest
from .services import SourceFile, department_named, document_ingest, source_file_read

# A place's government office, the lead department of its goals no document line routes.
OFFICE_SUFFIX = "人民政府办公室"
GOVERNMENT_SUFFIXES = (OFFICE_SUFFIX, "人民政府", "管理委员会", "管委会")
# Lead departments a place's goal keeps: read from its own document, or chosen by staff (the city's
# curation and indicator routing name city departments).
KEPT_SOURCES = (LeadSource.DOCUMENT, LeadSource.STAFF)


class OnboardError(ValueError):
    """A folder that cannot be onboarded at all (no manifest, or a manifest that is not valid)."""


@dataclass
class DocumentLine:
    file: str
    place: str
    created: bool
    targets: int = 0
    goals_created: int = 0
    results: int = 0
    figures_created: int = 0
    matched: int = 0
    unmatched: int = 0


@dataclass
class OnboardSummary:
    folder: Path
    dry_run: bool
    documents: list[DocumentLine] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    # Results that matched no goal: (file, quote) each, for a person to attach or leave.
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    routed: Counter = field(default_factory=Counter)  # (department, source) -> goals
    offices_created: list[str] = field(default_factory=list)

    @property
    def goals_proposed(self) -> int:
        return sum(line.goals_created for line in self.documents)

    @property
    def figures_proposed(self) -> int:
        return sum(line.figures_created for line in self.documents)

    @property
    def results_matched(self) -> int:
        return sum(line.matched for line in self.documents)

    @property
    def results_unmatched(self) -> int:
        return sum(line.unmatched for line in self.documents)

    @property
    def documents_stored(self) -> int:
        return sum(line.created for line in self.documents)


def folder_sources(folder: Path) -> tuple[list[tuple[SourceFile, dict]], list[str]]:
    """Each document the folder's manifest lists, read, with its manifest entry; and the entries that
    could not be read, each with why."""
    manifest = Path(folder) / MANIFEST_NAME
    if not manifest.is_file():
        raise OnboardError(f"{folder}: no {MANIFEST_NAME} · 文件夹中没有 {MANIFEST_NAME}")
    try:
        entries = read_manifest(manifest)
    except ManifestError as error:
        raise OnboardError(str(error)) from error
    sources, unreadable = [], []
    for entry in entries:
        path = Path(folder) / entry["file"]
        if not entry.get("jurisdiction"):
            unreadable.append(f"{entry['file']}: the manifest names no jurisdiction · 清单未写明地区")
            continue
        try:
            sources.append((source_file_read(path=path, manifest=manifest), entry))
        except (DocumentError, ManifestError, OSError) as error:
            unreadable.append(f"{entry['file']}: {error}")
    return sources, unreadable


def place_onboard(*, folder: Path, dry_run: bool = False) -> OnboardSummary:
    """Store the folder's documents, their targets as pending goals and their results as proposed
    figures, and route the new goals; with dry_run, roll all of it back and only say what it would do."""
    sources, unreadable = folder_sources(folder)
    summary = OnboardSummary(folder=Path(folder), dry_run=dry_run, unreadable=unreadable)
    with transaction.atomic():
        # TODO(places): create the entry's Jurisdiction (parent from the code's prefix) once the places
        # foundation lands, and store documents and goals with their place.
        last_goal = Goal.objects.aggregate(last=Max("pk"))["last"] or 0
        lines = {}
        for source, entry in sources:
            stored = document_ingest(source=source)
            line = DocumentLine(
                file=entry["file"],
                place=entry["jurisdiction"],
                created=stored.created,
                targets=stored.mentions,
                goals_created=stored.goals_created,
            )
            lines[source.path] = (line, stored.document)
            summary.documents.append(line)
        # Results after every document's targets: a review in one file reports on a goal of another.
        for source, entry in sources:
            line, _document = lines[source.path]
            outcome = results_ingest(source=source)
            line.results = outcome.results
            line.figures_created = outcome.created
            line.matched = len({p.result.start for p in outcome.proposals})
            line.unmatched = len(outcome.unmatched)
            summary.unmatched.extend((entry["file"], r.quote) for r in outcome.unmatched)
            if outcome.results == 0 and line.targets == 0:
                summary.unreadable.append(f"{entry['file']}: no target or result read · 未读出目标或数据")
        for source, entry in sources:
            _line, document = lines[source.path]
            _route(summary, document=document, place_name=entry["jurisdiction"], after_pk=last_goal)
        if dry_run:
            transaction.set_rollback(True)
    return summary


# A task's 牵头单位 (lead) or 责任单位 (responsible) line: （牵头单位：区发展和改革局；配合单位：…）
_DUTY_LINE = re.compile(r"(牵头单位|责任单位)\s*[:：]\s*([^；;）)\n]+)")
_NAME_SEPARATORS = re.compile(r"[、，,\s]+")


@dataclass(frozen=True)
class DutyLine:
    start: int
    end: int
    lead: str  # the first unit named: with several, the first leads


def duty_lines(text: str) -> list[DutyLine]:
    """The 牵头单位/责任单位 lines of a text, in order; a 牵头单位 line comes before the 责任单位 one at
    the same task."""
    lines = []
    for found in _DUTY_LINE.finditer(text):
        names = [name for name in _NAME_SEPARATORS.split(found.group(2).strip()) if name]
        if names:
            lines.append(DutyLine(found.start(), found.end(), names[0]))
    return lines


def line_for(text: str, lines: list[DutyLine], *, start: int, end: int) -> DutyLine | None:
    """The 牵头单位/责任单位 line of the task quoted at start–end: the first one after it in its
    paragraph, before the next sentence of another task. A line before the quote belongs to the task
    before it."""
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    following = [line for line in lines if end <= line.start < paragraph_end]
    if not following:
        return None
    leads = [line for line in following if text.startswith("牵头", line.start)]
    return (leads or following)[0]


def place_department_name(name: str, place_name: str) -> str:
    """区发展和改革局 in 历城区's document is 历城区发展和改革局: a unit named by level is the place's."""
    level = place_name[-1:]
    if level in ("区", "县") and name.startswith(level) and not name.startswith(place_name):
        return place_name + name[1:]
    return name


def _route(summary: OnboardSummary, *, document, place_name: str, after_pk: int) -> None:
    """Give each goal this run created from `document` a lead department: the 牵头单位 (else 责任单位) line
    of its task; else the department the reader found in its sentence (the speaker, the subject); else
    — a city department routed by indicator, the city government, none — the place's government office."""
    goals = (
        Goal.objects.filter(pk__gt=after_pk, citations__document=document)
        .distinct()
        .select_related("lead_department")
        .prefetch_related("citations")
    )
    text = document.text
    lines = duty_lines(text)
    named_in_lines = {line.lead for line in lines} | {
        place_department_name(line.lead, place_name) for line in lines
    }
    office = None
    for goal in goals:
        citations = [c for c in goal.citations.all() if c.document_id == document.pk]
        line = next(
            (found for c in citations if (found := line_for(text, lines, start=c.start, end=c.end))), None
        )
        department = department_named(place_department_name(line.lead, place_name)) if line else None
        if department is not None:
            Goal.objects.filter(pk=goal.pk).update(
                lead_department=department, lead_department_source=LeadSource.DOCUMENT
            )
            summary.routed[(department.name, "line")] += 1
            continue
        kept = goal.lead_department_id and goal.lead_department_source in KEPT_SOURCES
        # A department the reader took from another task's line is not this task's.
        if kept and goal.lead_department.name not in named_in_lines:
            summary.routed[(goal.lead_department.name, "document")] += 1
            continue
        office = office or place_office(summary, place_name=place_name)
        Goal.objects.filter(pk=goal.pk).update(
            lead_department=office, lead_department_source=LeadSource.PLACE
        )
        summary.routed[(office.name, "place")] += 1


def place_office(summary: OnboardSummary, *, place_name: str) -> Department:
    """The place's government office (济南市历城区人民政府办公室), or its government, among the stored
    departments; created when the place has none, and said so in the summary."""
    names = [place_name, f"济南市{place_name}"]
    for suffix in GOVERNMENT_SUFFIXES:
        for name in names:
            found = Department.objects.filter(name=f"{name}{suffix}").first()
            if found is not None:
                return found
    name = f"{place_name}{OFFICE_SUFFIX}"
    office = Department.objects.create(
        name=name[:100], slug=unique_slug(Department, f"office-{_ascii(name)}")
    )
    summary.offices_created.append(office.name)
    return office


def _ascii(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
