"""Onboarding a place from its own documents (`manage.py onboard FOLDER`): read a folder's manifest and
documents, find or create each entry's place (a Jurisdiction; its parent from the 区划代码's prefix),
store each document with the targets it states as goals of that place pending review and its results as
figures proposed for review on that place's goals (the ingest services, document_ingest and
results_ingest, which decide the place from the manifest), then route each new goal to a lead
department: the one its task's 牵头单位/责任单位 line names, else the one its sentence names (the
speaker), else the place's government office.

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

from apps.goals.models import Department, Goal, Jurisdiction, LeadSource, unique_slug

from .manifest import MANIFEST_NAME, ManifestError, read_manifest
from .reading import DocumentError
from .results import results_ingest
from .services import SourceFile, department_named, document_ingest, place_of, source_file_read

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
    places_created: list[str] = field(default_factory=list)

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


def folder_sources(folder: Path, summary: OnboardSummary) -> list[tuple[SourceFile, dict]]:
    """Each document the folder's manifest lists, read, with its manifest entry, its place created first
    when no place is known by that code or name (then ingest's own rule, place_of, finds it); the entries
    that could not be read go to the summary's unreadable, each with why."""
    manifest = Path(folder) / MANIFEST_NAME
    if not manifest.is_file():
        raise OnboardError(f"{folder}: no {MANIFEST_NAME} · 文件夹中没有 {MANIFEST_NAME}")
    try:
        entries = read_manifest(manifest)
    except ManifestError as error:
        raise OnboardError(str(error)) from error
    sources = []
    for entry in entries:
        path = Path(folder) / entry["file"]
        if not entry.get("jurisdiction"):
            summary.unreadable.append(f"{entry['file']}: the manifest names no jurisdiction · 清单未写明地区")
            continue
        if not path.is_file():  # no place is made for a document that is not there
            summary.unreadable.append(f"{entry['file']}: no such file · 文件不存在")
            continue
        try:
            place_ensure(summary, path=path, entry=entry)
            sources.append((source_file_read(path=path, manifest=manifest), entry))
        except (DocumentError, ManifestError, OSError) as error:
            summary.unreadable.append(f"{entry['file']}: {error}")
    return sources


def place_onboard(*, folder: Path, dry_run: bool = False) -> OnboardSummary:
    """Store the folder's documents, their targets as pending goals and their results as proposed
    figures, and route the new goals; with dry_run, roll all of it back and only say what it would do."""
    summary = OnboardSummary(folder=Path(folder), dry_run=dry_run)
    with transaction.atomic():
        sources = folder_sources(folder, summary)
        last_goal = Goal.objects.aggregate(last=Max("pk"))["last"] or 0
        lines = {}
        for source, entry in sources:
            stored = document_ingest(source=source)  # the document's place is source.place (place_of)
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
        for source, _entry in sources:
            _line, document = lines[source.path]
            _route(summary, document=document, place=source.place, after_pk=last_goal)
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


def _route(summary: OnboardSummary, *, document, place: Jurisdiction, after_pk: int) -> None:
    """Give each goal this run created from `document` a lead department: the 牵头单位 (else 责任单位) line
    of its task; else the department the reader found in its sentence (the speaker, the subject); else
    — a city department routed by indicator, the city government, none — the place's government office."""
    goals = (
        Goal.objects.filter(pk__gt=after_pk, citations__document=document)
        .distinct()
        .select_related("lead_department")
        .prefetch_related("citations")
    )
    text, place_name = document.text, place.name
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
        department = department_named(place_department_name(line.lead, place_name), place) if line else None
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
        office = office or place_office(summary, place=place)
        Goal.objects.filter(pk=goal.pk).update(
            lead_department=office, lead_department_source=LeadSource.PLACE
        )
        summary.routed[(office.name, "place")] += 1


def place_office(summary: OnboardSummary, *, place: Jurisdiction) -> Department:
    """The place's government office (历城区人民政府办公室), else its government, among its departments
    (or named so, for one stored before it had a place); created when it has none, said in the summary."""
    names = [place.name, f"济南市{place.name}"]
    for suffix in GOVERNMENT_SUFFIXES:
        found = (
            Department.objects.filter(place=place, name__endswith=suffix).order_by("pk").first()
            or Department.objects.filter(name__in=[f"{name}{suffix}" for name in names])
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    name = f"{place.name}{OFFICE_SUFFIX}"
    office = Department.objects.create(
        place=place, name=name[:100], slug=unique_slug(Department, f"office-{_ascii(name)}")
    )
    summary.offices_created.append(office.name)
    return office


CODE = re.compile(r"^\d{6}$")
CONTAINERS = (Jurisdiction.Level.PROVINCE, Jurisdiction.Level.CITY)


def place_ensure(summary: OnboardSummary, *, path: Path, entry: dict) -> Jurisdiction:
    """The place a manifest entry names, as ingest decides it (services.place_of), created first when it
    is missing: no place has its 区划代码 or name, or the name only found the city or province it lies in
    (济南南部山区 is no name of 济南市). A new place goes under the one its code's prefix names
    (3701xx -> 370100 济南市; a city 3702 -> its province 370000), a function zone (no code) under the home
    place; said in the summary."""
    name, code = entry["jurisdiction"], entry.get("jurisdiction_code") or ""
    code = code if CODE.match(code) else ""
    try:
        found: Jurisdiction | None = place_of(path, entry)
    except ManifestError:
        found = None
    inside = (
        found is not None
        and not code
        and found.level in CONTAINERS
        and found.name != name
        and found.short_name != name
    )
    if found is not None and not inside:
        return found
    place = _place_create(name=name, code=code)
    summary.places_created.append(
        f"{place.name} ({code or 'no code'}; under {place.parent or 'no known place'})"
    )
    if place_of(path, entry) != place:
        raise ManifestError(f"{path.name}: {name!r} still names another place · 地区名称不唯一")
    return place


def _place_create(*, name: str, code: str) -> Jurisdiction:
    if code.endswith("0000"):
        level, parent_code = Jurisdiction.Level.PROVINCE, ""
    elif code.endswith("00"):
        level, parent_code = Jurisdiction.Level.CITY, code[:2] + "0000"
    elif code:
        level, parent_code = _level_of(name), code[:4] + "00"
    else:
        level, parent_code = Jurisdiction.Level.ZONE, ""
    home = Jurisdiction.objects.home()  # made again here where a test emptied the table
    parent = Jurisdiction.objects.filter(code=parent_code).first() if parent_code else None
    if parent is None and level == Jurisdiction.Level.ZONE:
        parent = home
    return Jurisdiction.objects.create(
        name=name[:100],
        short_name=_short_name(name, level),
        slug=unique_slug(Jurisdiction, f"place-{code or _ascii(name)}"),
        level=level,
        code=code,
        parent=parent,
    )


def _level_of(name: str) -> str:
    return Jurisdiction.Level.COUNTY if name.endswith("县") else Jurisdiction.Level.DISTRICT


def _short_name(name: str, level: str) -> str:
    """历城区 -> 历城, 商河县 -> 商河: the name documents often use."""
    if level in (Jurisdiction.Level.DISTRICT, Jurisdiction.Level.COUNTY) and len(name) > 2:
        return name[:-1]
    return ""


def _ascii(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
