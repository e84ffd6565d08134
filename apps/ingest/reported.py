"""Figures the city reported for its indicators, stored once per indicator and period as approved
figures with the page as evidence: fixtures/reported_figures.json (2023–2025 results and part-years)
and fixtures/results/ (outcomes.json: 2022–2025 results; baselines.json: where indicators stood at a
year's end, the baselines of later targets). Each row has its exact quote, its period, whether final,
preliminary or an estimate, and the page it came from; a row naming its `file` (or whose quote a stored
document from its page holds) is linked to that document with the quote's offsets. A figure for an
indicator serves every goal on that indicator whose period covers it.

One statistic, one figure: for the same indicator and period a final figure supersedes a preliminary
one and a preliminary one an estimate, and a repeat (the same value from another page) gives way to the
first (`figure_rank`, applied by `reported_figures_supersede`). The superseded figure stays stored but
is no longer shown or judged by (ProgressUpdate.objects.approved()).

A row may name its place (`jurisdiction`, a name as in fixtures/districts/outcomes.json); without one it
is Jinan's. Jinan's figures are stored only for the indicators of the curation's table, by their exact
name; another place's figure is stored for that place's indicator of the same measure when the table
names it (历城区's 地区生产总值增速 is licheng-gdp-growth), else for that place's indicator of the measure
read from the row's goal_key (shanghe_gdp_growth_2024h1_result -> gdp-growth) whatever name the row
gives it, else for a new indicator of that place by the row's name and with that measure.

Safe to run twice: a figure already stored (same indicator, period, value and source page) is not
stored again.
"""

from __future__ import annotations

import calendar
import datetime
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.goals.models import Department, Document, Indicator, Jurisdiction, ProgressUpdate, unique_slug
from apps.goals.services.baselines import goals_baselines_fill

from .curation import Curation, curation_load, indicator_row
from .services import document_store, source_file_read

# The system user who approved the reported figures: they are published statistics, not staff input.
REPORTED_FIGURES_REVIEWER = "reported-figures"
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})\.\.(\d{4})$")
_MONTHS = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{2})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DAYS = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_YEAR_SPAN = re.compile(r"^(\d{4})-(\d{4})$")  # 2021-2024 in the districts set: 2021..2024
# A goal key without its place and year: licheng_gdp_growth_2025 -> gdp_growth.
_KEY_YEAR = re.compile(r"(_\d{4})*(h[12])?(_result)?$")


def figure_period(text: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a figure covers: '2025' is the year, '2021..2025' five years,
    '2025-01..09' January to September 2025, '2024-H1' the first half of 2024, '2024-01-01..2024-12-31'
    the days named."""
    text = text.strip()
    if found := _DAYS.match(text):
        return datetime.date.fromisoformat(found[1]), datetime.date.fromisoformat(found[2])
    if found := _YEAR.match(text):
        year = int(found[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if found := _YEARS.match(text):
        return datetime.date(int(found[1]), 1, 1), datetime.date(int(found[2]), 12, 31)
    if found := _MONTHS.match(text):
        year, first, last = int(found[1]), int(found[2]), int(found[3])
        return datetime.date(year, first, 1), _month_end(year, last)
    if found := _HALF.match(text):
        year, half = int(found[1]), int(found[2])
        return (
            (datetime.date(year, 1, 1), datetime.date(year, 6, 30))
            if half == 1
            else (
                datetime.date(year, 7, 1),
                datetime.date(year, 12, 31),
            )
        )
    raise ValueError(f"not a period: {text!r}")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def published_day(text: str | None) -> datetime.date | None:
    """The day a figure was published, or None when the source does not show it ('unknown (…)')."""
    if text and _DATE.match(text):
        return datetime.date.fromisoformat(text[:10])
    return None


@dataclass
class ReportedLoadSummary:
    stored: int = 0
    already: int = 0
    superseded: int = 0
    baselines: int = 0  # goals whose baseline the figures gave or changed
    unmatched: list[str] = field(default_factory=list)


def reporter():
    user, created = get_user_model().objects.get_or_create(
        username=REPORTED_FIGURES_REVIEWER,
        defaults={"is_active": False, "first_name": "公开报道 · reported figures"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _reviewed_at(published: datetime.date | None, as_of: datetime.date) -> datetime.datetime:
    day = published or as_of
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


def reported_rows_read(path: Path) -> list[dict]:
    """The rows of a reported-figures file. A baseline row (`as_of`, no `period`) becomes the figure of
    that one day; a row's `file` is read relative to the file's folder."""
    path = Path(path)
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        if isinstance(row.get("period"), str) and (found := _YEAR_SPAN.match(row["period"])):
            row["period"] = f"{found[1]}..{found[2]}"
        if "period" not in row and row.get("as_of"):
            row["period"] = f"{row['as_of']}..{row['as_of']}"
            row["is_baseline"] = True
        if row.get("file"):
            row["source_path"] = str(path.parent / row["file"])
    return rows


@dataclass(frozen=True)
class _Figure:
    """What makes two stored figures the same statistic."""

    indicator_id: int
    period_start: datetime.date | None
    as_of: datetime.date
    value: Decimal
    evidence_url: str


def _already(figure: _Figure, seen: list[_Figure], *, is_baseline: bool) -> bool:
    """Stored before, from the same page; a baseline row is the figure of its indicator on its day
    whatever page or period it came with (a year's bulletin figure restated as next year's base)."""
    if is_baseline:
        same_day = (figure.indicator_id, figure.as_of, figure.value)
        return any((s.indicator_id, s.as_of, s.value) == same_day for s in seen)
    return figure in seen


class _Sources:
    """The stored document a row's quote comes from, and where the quote starts in it."""

    def __init__(self):
        self.by_path: dict[str, Document] = {}
        self.by_url: dict[str, list[Document]] = {}

    def find(self, row: dict) -> tuple[Document | None, int | None]:
        if row.get("source_path"):
            documents = [self._stored(row["source_path"])]
        elif row.get("url"):
            if row["url"] not in self.by_url:
                self.by_url[row["url"]] = list(Document.objects.filter(url=row["url"]).order_by("pk"))
            documents = self.by_url[row["url"]]
        else:
            documents = []
        for document in documents:
            start = document.text.find(row["quote"])
            if start >= 0:
                return document, start
        return None, None

    def _stored(self, path: str) -> Document:
        if path not in self.by_path:
            self.by_path[path] = document_store(source=source_file_read(path=Path(path)))
        return self.by_path[path]


def reported_figures_load(*, rows: list[dict], curation: Curation | None = None) -> ReportedLoadSummary:
    """Store each reported figure once for its indicator, approved, with its quote, source document and
    page; then let firmer figures supersede weaker ones of the same statistic."""
    curation = curation or curation_load()
    departments = {d.name: d for d in Department.objects.all()}
    summary = ReportedLoadSummary()
    sources = _Sources()
    places: dict[str, Jurisdiction | None] = {}
    with transaction.atomic():
        user = reporter()
        new: list[ProgressUpdate] = []
        for row in rows:
            name = row.get("jurisdiction") or ""
            if name not in places:
                places[name] = (
                    Jurisdiction.objects.matching(name=name) if name else Jurisdiction.objects.home()
                )
            place = places[name]
            try:
                start, end = figure_period(str(row.get("period")))
            except ValueError:  # a year not known (None-H1 in the districts set)
                start = end = None
            indicator = None
            if place is not None and end is not None:
                indicator = _indicator_for(row, place, curation, departments)
            if indicator is None or start is None or end is None:
                summary.unmatched.append(f"{name} {row['indicator']} {row.get('period')}".strip())
                continue
            figure = _Figure(indicator.pk, start, end, Decimal(str(row["value"])), row.get("url") or "")
            is_baseline = bool(row.get("is_baseline"))
            stored = ProgressUpdate.objects.filter(
                indicator=indicator, goal=None, as_of=end, value=figure.value, is_sample=False
            )
            seen = [
                _Figure(indicator.pk, u.period_start, u.as_of, u.value, u.evidence_url)
                for u in [*stored, *(u for u in new if u.indicator_id == indicator.pk)]
            ]
            if _already(figure, seen, is_baseline=is_baseline):
                summary.already += 1
                continue
            document, quote_start = sources.find(row)
            published = published_day(row.get("published"))
            new.append(
                ProgressUpdate(
                    indicator=indicator,
                    period_start=start,
                    as_of=end,
                    value=figure.value,
                    unit=row["unit"],
                    is_final=row["status"] == "final",
                    is_estimate=row["status"] == "estimate",
                    quote=row["quote"],
                    source_document=document,
                    source_start=quote_start,
                    source_end=None if quote_start is None else quote_start + len(row["quote"]),
                    note=_note(row),
                    evidence_url=figure.evidence_url,
                    published_on=published,
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                    reviewed_by=user,
                    reviewed_at=_reviewed_at(published, end),
                )
            )
        bulk_create_with_history(
            new, ProgressUpdate, default_user=user, default_change_reason="公开报道 · reported figure"
        )
        summary.stored = len(new)
        summary.superseded = reported_figures_supersede()
        summary.baselines = goals_baselines_fill()
    return summary


def _indicator_for(
    row: dict, place: Jurisdiction, curation: Curation, departments: dict[str, Department]
) -> Indicator | None:
    """The indicator a row reports on in its place, made the first time (see the module's docstring)."""
    entry = curation.indicator_named(row["indicator"])
    if place.is_home:
        return None if entry is None else indicator_row(entry, departments)
    if entry is not None:
        return indicator_row(entry, departments, place)
    name = row["indicator"][:200]
    measure = row_measure(row.get("goal_key") or "", place)
    found = Indicator.objects.filter(place=place, name=name).first()
    if found is not None:
        return found
    if measure:
        # The place's indicator of that measure under another name: 商河县's 地区生产总值增长(可比价) and
        # 地区生产总值增长(上半年) are its gdp-growth (地区生产总值增速), one measure, one indicator a place.
        same = Indicator.objects.filter(place=place, measure=measure).first()
        if same is not None:
            return same
    return Indicator.objects.create(
        place=place,
        name=name,
        measure=measure,
        slug=unique_slug(Indicator, f"{place.slug}-{measure or 'indicator'}"),
    )


def row_measure(goal_key: str, place: Jurisdiction) -> str:
    """The measure a goal key names, without its place and years: laiwu_5g_new_sites_2024_result ->
    5g-new-sites; '' when the key is not the place's."""
    prefix = f"{place.slug}_"
    if not goal_key.startswith(prefix):
        return ""
    return _KEY_YEAR.sub("", goal_key[len(prefix) :]).strip("_").replace("_", "-")[:100]


def figure_rank(
    *, is_final: bool, is_estimate: bool, value: Decimal, published_on: datetime.date | None, pk: int
) -> tuple:
    """How firmly a figure states its statistic; of the figures of one indicator and period the highest
    is the one in force. Final (a statistical bulletin) over preliminary over estimate (预计); then the
    exact over the rounded restatement (14210.09 亿元 over 1.42 万亿元); then the later published; then
    the one stored first, so that a repeat from another page gives way."""
    basis = 2 if is_final else 0 if is_estimate else 1  # final, estimate, else preliminary
    digits = len(value.normalize().as_tuple().digits)
    return (basis, digits, published_on or datetime.date.min, -pk)


def reported_figures_supersede() -> int:
    """Mark, for each indicator and period, every real figure but the firmest as superseded by it (and
    the firmest as in force); returns how many marks changed. Safe to run twice."""
    groups: dict[tuple, list[ProgressUpdate]] = defaultdict(list)
    figures = ProgressUpdate.objects.filter(
        goal__isnull=True,
        review_state=ProgressUpdate.ReviewState.APPROVED,
        is_sample=False,
        value__isnull=False,
    ).only("pk", "indicator_id", "period_start", "as_of", "value", "is_final", "is_estimate", "published_on")
    for figure in figures.order_by("pk"):
        groups[(figure.indicator_id, figure.period_start, figure.as_of)].append(figure)
    changed = 0
    for group in groups.values():
        best = max(
            group,
            key=lambda f: figure_rank(
                is_final=f.is_final,
                is_estimate=f.is_estimate,
                value=f.value,
                published_on=f.published_on,
                pk=f.pk,
            ),
        )
        for figure in group:
            wanted = None if figure.pk == best.pk else best.pk
            if figure.superseded_by_id != wanted:
                changed += ProgressUpdate.objects.filter(pk=figure.pk).update(superseded_by_id=wanted)
    return changed


def _note(row: dict) -> str:
    parts = [row.get("note") or "", row.get("notes") or ""]
    if not published_day(row.get("published")) and row.get("published"):
        parts.append(f"发布日期不详 · publication date not shown: {row['published']}")
    if not row.get("url"):
        parts.append("来源网址未记录 · source page not recorded")
    return "；".join(p for p in parts if p)
