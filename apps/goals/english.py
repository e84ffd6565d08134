"""Targets and figures said in English: "≥ 1700 亿元" reads "170 billion yuan or more", "40 万辆" reads
"400,000 vehicles". Plain functions over plain values; the magnitudes come from units.py."""

from __future__ import annotations

from decimal import Decimal

from .units import amount_display, unit_after_number_en, unit_magnitude

PERCENT = {"%", "％"}
SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
COMPARATOR_PHRASES = {
    ">=": "{} or more",
    ">": "more than {}",
    "~": "about {}",
    "<=": "at most {}",
}


def number_en(value: Decimal) -> str:
    """A number as English writes it (units.amount_display, grouped): 7000 -> 7,000, 5.50 -> 5.5."""
    return amount_display(value, grouped=True)


def amount_en(value: Decimal | None, unit: str) -> str:
    """A figure in its unit, in English: (1700, 亿元) -> '170 billion yuan', (40, 万辆) ->
    '400,000 vehicles', (5.5, %) -> '5.5%', (7000, 个) -> '7,000'. Unknown units stay as written."""
    if value is None:
        return "—"
    unit = (unit or "").strip()
    if unit in PERCENT:
        return f"{number_en(value)}%"
    after = unit_after_number_en(unit)  # the one unit table, in units.py
    if after is None:
        return f"{number_en(value)} {unit}".strip()
    absolute = Decimal(value) * unit_magnitude(unit)
    text = number_en(absolute)
    for scale, word in SCALES:
        # Round scales read better than long numbers, once the figure is at least two of them.
        if abs(absolute) >= scale and unit_magnitude(unit) > 1:
            text = f"{number_en(absolute / scale)} {word}"
            break
    if after in ("P", "E") and " " in text:  # computing power: 10,000P, but 1.2 million P
        return f"{text} {after}"
    return f"{text}{after}"


def target_en(*, comparator: str, value: Decimal | None, value_max: Decimal | None, unit: str) -> str:
    """A target in words: '5% or more', 'about 10,000P', '3–5'."""
    if value is None:
        return "—"
    if value_max is not None:
        return f"{amount_en(value, unit)} to {amount_en(value_max, unit)}"
    phrase = COMPARATOR_PHRASES.get(comparator, "{}")
    return phrase.format(amount_en(value, unit))


def goal_title_en(
    *,
    metric_en: str,
    kind: str,
    comparator: str,
    value: Decimal | None,
    value_max: Decimal | None,
    unit: str,
    deadline_year: int,
) -> str:
    """An English title from the indicator's English name and the target:
    'GDP growth: 5% or more (2026)', 'Energy intensity down by 14% or more (2025)'."""
    if kind == "milestone" or value is None:
        return f"{metric_en} (by {deadline_year})"
    target = target_en(comparator=comparator, value=value, value_max=value_max, unit=unit)
    return f"{metric_en}: {target} ({deadline_year})"
