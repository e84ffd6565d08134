"""Storing policy documents and turning their target mentions into goals with citations.

Each document is stored once (by the SHA-256 of its text) in one transaction with all its goals and
citations: a run that dies halfway leaves either the whole document or nothing. Mentions of one goal
are merged across documents by amount, unit, deadline year and a metric check, within one place; a goal
that already exists is never changed by ingest (staff edits stand), it only gains citations.

The manifest's `jurisdiction_code` (else `jurisdiction`, a name) decides the place of a document, of
its plan and of every goal read from it; a manifest that names no place means Jinan. A district's goal
is led by a department of the district: the one the document names if it is the district's, else the
district's government (reference data in fixtures/places.json). Staff curation (fixtures/curation.json)
describes Jinan's goals and applies only to them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.goals.models import (
    BaselineSource,
    Category,
    Citation,
    Department,
    Document,
    Goal,
    Jurisdiction,
    LeadSource,
    MentionRule,
    Plan,
    unique_slug,
)

from . import curation, extractor, matching
from .manifest import ManifestError, document_metadata
from .reading import read_document

DEPARTMENT_ENDINGS = ("局", "委员会", "办公室", "委", "办", "人民政府", "集团", "中心")


@dataclass
class SourceFile:
    """A file read and checked before anything is written."""

    path: Path
    text: str
    metadata: dict
    place: Jurisdiction

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class IngestResult:
    document: Document
    created: bool
    mentions: int = 0
    goals_created: int = 0
    citations_created: int = 0
    incomplete: int = 0


def source_file_read(*, path: Path, manifest: Path | None = None) -> SourceFile:
    """Read and decode one file; raises reading.DocumentError or manifest.ManifestError with a clear message.
    Its metadata come from the manifest named, else from a manifest.json beside it."""
    path = Path(path)
    metadata = document_metadata(path, manifest)
    place = place_of(path, metadata)
    _plan_place_check(path, metadata, place)
    return SourceFile(path=path, text=read_document(path), metadata=metadata, place=place)


def place_of(path: Path, metadata: dict) -> Jurisdiction:
    """The place a manifest entry names (by 区划代码, else by name), Jinan when it names none;
    ManifestError when it names one that is not known, rather than a guess."""
    code, name = metadata.get("jurisdiction_code"), metadata.get("jurisdiction")
    if not code and not name:
        return Jurisdiction.objects.home()
    place = Jurisdiction.objects.matching(code=code, name=name)
    if place is None:
        raise ManifestError(
            f"{path.name}: no known place with code {code!r} or name {name!r} (jurisdiction_code, "
            "jurisdiction) · 未知地区"
        )
    return place


def _plan_place_check(path: Path, metadata: dict, place: Jurisdiction) -> None:
    """A plan is one place's: a manifest naming another place's plan is refused before anything is
    written."""
    plan = Plan.objects.filter(name=metadata.get("plan") or "").select_related("place").first()
    if plan is not None and plan.place_id != place.pk:
        raise ManifestError(
            f"{path.name}: plan {plan.name!r} is {plan.place}'s, the document is {place}'s · 规划所属地区不符"
        )


def document_ingest(*, source: SourceFile, publish: bool = False) -> IngestResult:
    """Store one document and its goals and citations, or find it already stored and change nothing."""
    existing = Document.objects.filter(sha256=source.sha256).first()
    if existing is not None:
        return IngestResult(document=existing, created=False)
    try:
        with transaction.atomic():
            return _document_create(source=source, publish=publish)
    except IntegrityError:
        # Another run stored the same text between our check and our insert.
        existing = Document.objects.filter(sha256=source.sha256).first()
        if existing is None:
            raise
        return IngestResult(document=existing, created=False)


def document_new(*, source: SourceFile) -> Document:
    """A Document row for a file read (no goals): title, publisher, dates, plan and reference year from
    its manifest entry, the year inferred from the text where the manifest gives none."""
    meta = source.metadata
    title = meta.get("title") or source.path.stem
    reference_year = meta.get("reference_year") or extractor.infer_reference_year(source.text, title)
    return Document.objects.create(
        title=title[:300],
        publisher=meta.get("publisher", "")[:200],
        published_on=_parse_date(meta.get("published")),
        published_is_approximate=bool(meta.get("published_is_approximate")),
        url=(meta.get("source_url") or meta.get("url") or "")[:500],
        file_name=source.path.name,
        plan=_plan_for(meta.get("plan"), reference_year, source.place),
        reference_year=reference_year,
        place=source.place,
        text=source.text,
        sha256=source.sha256,
    )


def document_store(*, source: SourceFile) -> Document:
    """The stored Document for a file read, stored now (without reading its targets) if it is not yet."""
    existing = Document.objects.filter(sha256=source.sha256).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return document_new(source=source)
    except IntegrityError:  # stored by another run between the check and the insert
        return Document.objects.get(sha256=source.sha256)


def _document_create(*, source: SourceFile, publish: bool) -> IngestResult:
    meta = source.metadata
    document = document_new(source=source)
    title, reference_year, plan = document.title, document.reference_year, document.plan
    mentions = extractor.extract(
        source.text,
        reference_year=reference_year,
        title=title,
        speakers=meta.get("speakers") or {},
        include_incomplete=True,  # figures lost in the source go to review, never invented
        include_headlines=True,  # headlines add citations to goals the body states, never goals of their own
    )
    result = IngestResult(document=document, created=True, mentions=len(mentions))
    resolver = _GoalResolver(
        place=source.place,
        plan=plan,
        reference_year=reference_year or (document.published_on and document.published_on.year),
        publish=publish,
    )
    resolver.preload(mentions)
    citations = []
    # Headlines last: they only join goals that the body of a document states. A quote running over a
    # line break (a title line run into the dateline after it) comes after the body's too, so that the
    # goal is named from a clean sentence.
    for mention in sorted(mentions, key=lambda m: (getattr(m, "headline", False), "\n" in m.quote)):
        goal, created = resolver.goal_for(mention)
        if goal is None:
            continue
        result.goals_created += created
        result.incomplete += mention.incomplete
        citations.append(
            Citation(
                goal=goal,
                document=document,
                start=mention.start,
                end=mention.end,
                quote=mention.quote,
                metric=mention.metric[:200],
                value=mention.value,
                value_max=mention.value_max,
                unit=mention.unit[:30],
                deadline=mention.deadline,
                confidence=_confidence(mention.confidence),
                incomplete=mention.incomplete,
                match_key=_key(mention, source.place),
            )
        )
    Citation.objects.bulk_create(citations, ignore_conflicts=True)  # one mention found twice is cited once
    mention_rules_store(document=document, mentions=mentions)
    result.citations_created = document.citations.count()
    _confidence_refresh(resolver.touched)
    return result


def reader_rule(mention) -> str:
    """The time frame a mention was read in and the rule that set it ("year · heading: 主要预期目标"),
    stored with what it proposed so that rejections can be counted per rule."""
    parts = [part for part in (mention.frame, mention.frame_rule) if part]
    return " · ".join(parts)[:200]


def mention_rules_store(*, document: Document, mentions) -> None:
    """Keep the reader rule of each mention read from `document` (for the rejections report)."""
    MentionRule.objects.bulk_create(
        [
            MentionRule(document=document, start=m.start, end=m.end, rule=rule)
            for m in mentions
            if (rule := reader_rule(m))
        ],
        ignore_conflicts=True,
    )


def _key(mention, place: Jurisdiction) -> str:
    return matching.match_key(
        value=mention.value,
        unit=mention.unit,
        deadline_year=mention.deadline.year if mention.deadline else None,
        place="" if place.is_home else place.slug,
    )


def _confidence(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(round(min(max(float(value), 0.0), 1.0), 3)))


class _GoalResolver:
    """Finds the goal a mention belongs to (in the database or earlier in this run) or creates it."""

    def __init__(self, *, place: Jurisdiction, plan: Plan | None, reference_year: int | None, publish: bool):
        self.place = place
        self.plan = plan
        self.reference_year = reference_year
        self.publish = publish
        self.touched: set[int] = set()
        # Curation's goals are Jinan's (a district's 5.5% GDP growth is not the city's); its table of
        # indicators names the measures every place shares.
        table = curation.curation_load()
        self.curation = table if place.is_home else curation.Curation(indicators=table.indicators)
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.departments = {d.name: d for d in Department.objects.filter(place=place)}
        self.created: list[
            tuple[str, str, Goal]
        ] = []  # goals made in this run, found again by later mentions
        self.stored: dict[str, list[tuple[str, Goal]]] = {}  # match key -> (metric, goal) already cited

    def preload(self, mentions) -> None:
        """Read the goals already cited under these mentions' match keys, in one query."""
        keys = {_key(m, self.place) for m in mentions if m.value is not None}
        cited = Citation.objects.filter(match_key__in=keys, goal__place=self.place)
        for citation in cited.select_related("goal").order_by("pk"):
            self.stored.setdefault(citation.match_key, []).append((citation.metric, citation.goal))

    def goal_for(self, mention) -> tuple[Goal | None, bool]:
        key = _key(mention, self.place)
        if mention.value is not None:
            for seen_key, metric, goal in self.created:
                if seen_key == key and matching.same_metric(metric, mention.metric):
                    return goal, False
            for metric, goal in self.stored.get(key, []):
                if matching.same_metric(metric, mention.metric):
                    self.touched.add(goal.pk)
                    return goal, False
        if getattr(mention, "headline", False):
            return None, False  # a headline only adds a citation to a goal the body states too
        goal = self._goal_create(mention)
        self.touched.add(goal.pk)
        self.created.append((key, mention.metric, goal))
        return goal, True

    def _goal_create(self, mention) -> Goal:
        deadline = mention.deadline or self._default_deadline()
        period_start = self._period_start(deadline)
        title = matching.goal_title(
            metric=mention.metric,
            value=mention.value,
            value_max=mention.value_max,
            unit=mention.unit,
            kind=mention.kind,
            comparator=mention.comparator,
        )
        metric = (mention.metric or title)[:200]
        curated = self.curation.goal_entry(
            metric=mention.metric, value=mention.value, unit=mention.unit, deadline_year=deadline.year
        )
        kind = mention.kind
        target = mention.value
        if kind == "milestone":
            target = None
        complete = target is not None or kind == "milestone"
        lead_name, lead_source = curation.lead_department_name(
            curation=self.curation,
            entry=curated,
            stated=mention.department,
            plan_name=self.plan.name if self.plan else None,
            metric=metric,
        )
        lead = _department(lead_name, self.place)
        if lead is None and not self.place.is_home:
            lead, lead_source = _place_government(self.place), LeadSource.GOVERNMENT
        review_state = Goal.ReviewState.PUBLISHED if self.publish and complete else Goal.ReviewState.PENDING
        if curated.get("review") in (Goal.ReviewState.PENDING, Goal.ReviewState.REJECTED):
            review_state = curated["review"]  # staff decided: a reported result, a page's headline, a doubt
        goal = Goal(
            slug=unique_slug(Goal, curated["slug"]) if curated.get("slug") else "",  # else made on save
            title=title[:300],
            metric=metric,
            kind=kind,
            comparator=mention.comparator if mention.comparator in Goal.Comparator.values else ">=",
            target_value=target,
            target_max=mention.value_max if target is not None else None,
            unit=mention.unit[:30],
            period_start=period_start,
            deadline=deadline,
            plan=self.plan,
            place=self.place,
            category=self.categories.get(
                curated.get("category") or matching.guess_category(metric=mention.metric, kind=kind) or ""
            ),
            lead_department=lead,
            lead_department_source=lead_source if lead else "",
            is_headline=bool(curated.get("is_headline")),
            headline_order=curated.get("headline_order", 100),
            extraction_confidence=_confidence(mention.confidence),
            review_state=review_state,
        )
        if kind == Goal.Kind.LEVEL and getattr(mention, "baseline_value", None) is not None:
            # 从2020年的15%提高到56%: the document states where the indicator starts from.
            goal.baseline_value = mention.baseline_value
            year = mention.baseline_year
            goal.baseline_date = datetime.date(year, 12, 31) if year else None
            goal.baseline_source = BaselineSource.DOCUMENT
            goal.baseline_evidence = mention.quote
        goal.title_en = curation.english_title(curation=self.curation, goal=goal, entry=curated)
        goal.review_note = curated.get("review_note", "")
        indicator = self.curation.indicator_for(metric)
        if indicator is not None:
            goal.indicator = curation.indicator_row(indicator, self.departments, self.place)
        goal.save()
        return goal

    def _default_deadline(self) -> datetime.date:
        if self.plan is not None:
            return self.plan.period_end
        year = self.reference_year or timezone.localdate().year
        return datetime.date(year, 12, 31)

    def _period_start(self, deadline: datetime.date) -> datetime.date:
        if self.plan is not None and self.plan.period_start <= deadline <= self.plan.period_end:
            return self.plan.period_start
        return datetime.date(deadline.year, 1, 1)


def _confidence_refresh(goal_ids: Iterable[int]) -> None:
    """A goal's extraction confidence is the best of its citations'."""
    best = dict(
        Citation.objects.filter(goal_id__in=goal_ids).values_list("goal_id").annotate(best=Max("confidence"))
    )
    for goal in Goal.objects.filter(pk__in=best, extraction_confidence__isnull=False):
        if best[goal.pk] is not None and best[goal.pk] > goal.extraction_confidence:
            Goal.objects.filter(pk=goal.pk).update(extraction_confidence=best[goal.pk])


def _plan_for(name: str | None, reference_year: int | None, place: Jurisdiction) -> Plan | None:
    if not name:
        return None
    plan = Plan.objects.filter(name=name).first()  # of this place: checked as the file was read
    if plan is None and reference_year:
        plan = Plan.objects.create(
            name=name[:200],
            period_start=datetime.date(reference_year, 1, 1),
            period_end=datetime.date(reference_year, 12, 31),
            place=place,
        )
    return plan


def department_named(name: str | None, place: Jurisdiction) -> Department | None:
    """The stored department of that name, made (of `place`) if the name reads as a department's (…局)."""
    return _department(name, place)


def _department(name: str | None, place: Jurisdiction) -> Department | None:
    """The department named, made for `place` the first time it is named; None when the name is not
    a department's, or names another place's (a district's goal is led by the district)."""
    if not name:
        return None
    name = name.strip()
    department = Department.objects.filter(name=name).first()
    if department is None and name.endswith(DEPARTMENT_ENDINGS):
        department = Department.objects.create(
            name=name[:100], slug=unique_slug(Department, f"dept-{_short_hash(name)}"), place=place
        )
    if department is not None and department.place_id != place.pk:
        return None
    return department


def place_government_slug(place: Jurisdiction) -> str:
    """The slug of a district's government in fixtures/places.json: licheng-government."""
    return f"{place.slug}-government"


def _place_government(place: Jurisdiction) -> Department | None:
    return Department.objects.filter(slug=place_government_slug(place), place=place).first()


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:8]


def _parse_date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
