"""What the sentence-table tests compare: each mention as (value, value_max, unit, kind, comparator,
deadline year), and the documented JSON keys of `extract_targets --json`."""

from decimal import Decimal

JSON_KEYS = [
    "document",
    "start",
    "end",
    "quote",
    "metric",
    "value",
    "value_max",
    "unit",
    "kind",
    "comparator",
    "deadline",
    "department",
    "confidence",
    "incomplete",
    "baseline_value",
    "baseline_year",
    "year_source",
]


def observed(mentions):
    return [
        (m.value, m.value_max, m.unit, m.kind, m.comparator, m.deadline.year if m.deadline else None)
        for m in mentions
    ]


def expected(rows):
    """Rows written with plain numbers: (5.5, None, "%", "growth_rate", ">=", 2024)."""
    return [
        (Decimal(str(v)), None if vmax is None else Decimal(str(vmax)), unit, kind, cmp, year)
        for v, vmax, unit, kind, cmp, year in rows
    ]
