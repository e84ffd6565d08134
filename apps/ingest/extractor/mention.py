"""What the reader finds: a Mention (a target, or a result of a past period) and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the text passed in: quote == text[start:end]
    end: int
    quote: str
    metric: str
    value: Decimal | None
    value_max: Decimal | None
    unit: str
    kind: str  # growth_rate | level | increment | cap | reduction | milestone
    comparator: str  # ">=", ">", "~", "<="
    deadline: date | None  # a target's due date; for a result, the end of the period it covers
    department: str | None
    confidence: float
    incomplete: bool
    headline: bool = False  # found in a standalone headline (打造400个智慧社区), which repeats the body
    baseline_value: Decimal | None = None  # 从2020年的15%提高到56%: 15, in the target's unit
    baseline_year: int | None = None
    year_source: str = "unknown"  # where the year came from: a year in the sentence, the manifest, the title…
    is_target: bool = True  # False: a result, a figure reported for a past or current period
    period_start: date | None = None  # results: the period the figure covers
    period_end: date | None = None
    is_estimate: bool = False  # results: 预计, a figure estimated before the period's statistics
    frame: str = ""  # the time frame it was read in: review, year, horizon, or the sentence's own tense
    frame_rule: str = ""  # the rule that set it (frames.py): "heading: 工作回顾", "marker 力争"…


@dataclass(frozen=True)
class Rejection:
    """A figure the reader did not take, and the rule that turned it down
    (for `extract_targets --explain`)."""

    start: int  # offsets into the original text
    end: int
    quote: str
    rule: str  # the rule's function name: is_ordinal, is_delta…
    reason: str


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_json(mention: Mention, document: str) -> dict[str, Any]:
    """The target as a JSON-ready object (numbers as JSON numbers, dates as YYYY-MM-DD)."""
    return {
        "document": document,
        "start": mention.start,
        "end": mention.end,
        "quote": mention.quote,
        "metric": mention.metric,
        "value": _number(mention.value),
        "value_max": _number(mention.value_max),
        "unit": mention.unit,
        "kind": mention.kind,
        "comparator": mention.comparator,
        "deadline": mention.deadline.isoformat() if mention.deadline else None,
        "department": mention.department,
        "confidence": mention.confidence,
        "incomplete": mention.incomplete,
        "baseline_value": _number(mention.baseline_value),
        "baseline_year": mention.baseline_year,
        "year_source": mention.year_source,
    }


def result_to_json(mention: Mention, document: str) -> dict[str, Any]:
    """A result as a JSON-ready object: the target fields plus the period it covers
    and whether it is an estimate."""
    return {
        **to_json(mention, document),
        "period_start": mention.period_start.isoformat() if mention.period_start else None,
        "period_end": mention.period_end.isoformat() if mention.period_end else None,
        "is_estimate": mention.is_estimate,
    }
