"""Figures the city reported for its indicators (fixtures/reported_figures.json: 2023–2025 results
and part-years, each with its exact quote, its period, whether final, preliminary or an estimate, and
the page it came from), stored once per indicator and period as approved figures with the page as
evidence. A figure for an indicator serves every goal on that indicator whose period covers it.

Safe to run twice: a figure already stored (same indicator, period, value and source page) is not
stored again.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.goals.models import Department, ProgressUpdate

from .curation import Curation, curation_load, indicator_row

# The system user who approved the reported figures: they are published statistics, not staff input.
REPORTED_FIGURES_REVIEWER = "reported-figures"
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})\.\.(\d{4})$")
_MONTHS = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{2})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def figure_period(text: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a figure covers: '2025' is the year, '2021..2025' five years,
    '2025-01..09' January to September 2025, '2024-H1' the first half of 2024."""
    text = text.strip()
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


def reported_figures_load(*, rows: list[dict], curation: Curation | None = None) -> ReportedLoadSummary:
    """Store each reported figure once for its indicator, approved, with its quote and source page."""
    curation = curation or curation_load()
    departments = {d.name: d for d in Department.objects.all()}
    summary = ReportedLoadSummary()
    with transaction.atomic():
        user = reporter()
        new = []
        for row in rows:
            entry = curation.indicator_named(row["indicator"])
            if entry is None:
                summary.unmatched.append(f"{row['indicator']} {row['period']}")
                continue
            indicator = indicator_row(entry, departments)
            start, end = figure_period(row["period"])
            value = Decimal(str(row["value"]))
            url = row.get("url") or ""
            stored = ProgressUpdate.objects.filter(
                indicator=indicator,
                goal=None,
                period_start=start,
                as_of=end,
                value=value,
                evidence_url=url,
            )
            if stored.exists() or any(
                (u.indicator_id, u.period_start, u.as_of, u.value, u.evidence_url)
                == (indicator.pk, start, end, value, url)
                for u in new
            ):
                summary.already += 1
                continue
            published = published_day(row.get("published"))
            new.append(
                ProgressUpdate(
                    indicator=indicator,
                    period_start=start,
                    as_of=end,
                    value=value,
                    unit=row["unit"],
                    is_final=row["status"] == "final",
                    is_estimate=row["status"] == "estimate",
                    quote=row["quote"],
                    note=_note(row),
                    evidence_url=url,
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
    return summary


def _note(row: dict) -> str:
    parts = [row.get("note") or "", row.get("notes") or ""]
    if not published_day(row.get("published")) and row.get("published"):
        parts.append(f"发布日期不详 · publication date not shown: {row['published']}")
    if not row.get("url"):
        parts.append("来源网址未记录 · source page not recorded")
    return "；".join(p for p in parts if p)
