"""The JSON forms of a target and of a result."""

from datetime import date
from decimal import Decimal

from apps.ingest.extractor import Mention, result_to_json, to_json
from tests.ingest.tables import JSON_KEYS

MENTION = Mention(
    start=0,
    end=8,
    quote="完成投资1477亿元",
    metric="完成投资",
    value=Decimal("1477"),
    value_max=None,
    unit="亿元",
    kind="level",
    comparator="~",
    deadline=date(2024, 12, 31),
    department=None,
    confidence=0.9,
    incomplete=False,
    is_target=False,
    period_start=date(2024, 1, 1),
    period_end=date(2024, 12, 31),
    year_source="sentence",
)


def test_target_json_keys():
    assert list(to_json(MENTION, "a.txt")) == JSON_KEYS


def test_result_json_adds_the_period_and_estimate():
    row = result_to_json(MENTION, "a.txt")
    assert list(row) == [*JSON_KEYS, "period_start", "period_end", "is_estimate"]
    assert (row["value"], row["period_start"], row["period_end"], row["is_estimate"]) == (
        1477,
        "2024-01-01",
        "2024-12-31",
        False,
    )
