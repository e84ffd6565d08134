"""Units as written in Chinese documents (万辆, 亿元, P) and the magnitude their prefix carries."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

# Longest prefix first: 万亿 before 万.
MAGNITUDE_PREFIXES = (
    ("万亿", Decimal("1000000000000")),
    ("亿", Decimal("100000000")),
    ("万", Decimal("10000")),
)


# Traditional characters met in units of reposted pages (萬輛), read as their simplified forms.
_SIMPLIFIED = str.maketrans("萬億輛個項臺條戶處場噸畝張間員聯網", "万亿辆个项台条户处场吨亩张间员联网")


def simplified_unit(unit: str) -> str:
    """A unit as written, trimmed, in simplified characters: 萬輛 -> 万辆."""
    return (unit or "").strip().translate(_SIMPLIFIED)


# Units are few and the daily job asks about each goal's: both lookups are cached.
@lru_cache(maxsize=1024)
def unit_magnitude(unit: str) -> Decimal:
    """The multiplier a unit's Chinese prefix carries: 万辆 -> 10000, 亿元 -> 1e8, 个 -> 1."""
    unit = simplified_unit(unit)
    for prefix, multiplier in MAGNITUDE_PREFIXES:
        if unit.startswith(prefix):
            return multiplier
    return Decimal(1)


def absolute_amount(value: Decimal | None, unit: str) -> tuple[Decimal | None, str]:
    """A value in the unit without its magnitude prefix:
    (40, 万辆) -> (400000, 辆), (3, 万) -> (30000, "")."""
    unit = simplified_unit(unit)
    for prefix, multiplier in MAGNITUDE_PREFIXES:
        if unit.startswith(prefix):
            return (None if value is None else Decimal(value) * multiplier), unit[len(prefix) :]
    return (None if value is None else Decimal(value)), unit


def plain_decimal(value: Decimal) -> str:
    """A decimal as a reader writes it, without trailing zeros or exponent: 7000.0000 -> 7000,
    5.5000 -> 5.5, 1E+1 -> 10."""
    return format(Decimal(value).normalize(), "f")


@lru_cache(maxsize=1024)
def base_unit(unit: str) -> str:
    """The unit without its magnitude prefix: 万辆 -> 辆, 亿元 -> 元, 万亿元 -> 元."""
    unit = simplified_unit(unit)
    for prefix, _ in MAGNITUDE_PREFIXES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix) :]
    return unit


def in_unit(value: Decimal | None, from_unit: str, to_unit: str) -> Decimal | None:
    """A value written in one magnitude of a unit, in another (13527.6 亿元 -> 1.35276 万亿元); None when
    the units count different things. Per cent stays per cent."""
    if value is None:
        return None
    from_unit, to_unit = _spelled_alike(from_unit), _spelled_alike(to_unit)
    if from_unit == to_unit or not from_unit or not to_unit:
        return Decimal(value)
    if base_unit(from_unit) != base_unit(to_unit) and not _bare_magnitude(from_unit, to_unit):
        return None
    return Decimal(value) * unit_magnitude(from_unit) / unit_magnitude(to_unit)


# Units written several ways for one thing: computing power in P (PFLOPS).
UNIT_SPELLINGS = {"Pflops": "P", "PFlops": "P", "PFLOPS": "P", "％": "%"}


def _spelled_alike(unit: str) -> str:
    unit = simplified_unit(unit)
    return UNIT_SPELLINGS.get(unit, unit)


def _bare_magnitude(from_unit: str, to_unit: str) -> bool:
    """A bare 万 or 亿 (300万 people) matches any count."""
    return any(unit in {p for p, _ in MAGNITUDE_PREFIXES} for unit in (from_unit, to_unit))


def far_off(value: Decimal, reference: Decimal, factor: Decimal = Decimal(100)) -> bool:
    """Whether `value` is `factor` times larger or smaller than `reference` (or has the other sign):
    the mark of a figure typed in the wrong magnitude (亿元 for 万亿元 is 10,000 times off)."""
    if reference == 0 or value == 0:
        return False
    if (value < 0) != (reference < 0):
        return True
    ratio = abs(value / reference)
    return ratio >= factor or ratio <= 1 / factor


# --- Amounts and units as a page shows them ----------------------------------------------------

# The one precision rule; every page, email, digest, explanation and admin screen shows a number
# through amount_display (downloads and the API keep the stored digits: they are data).
# - A figure as stated (a recorded value, a target, a difference of stated figures) keeps every digit
#   it was stated with: it is evidence.
# - An amount the site computed (序时进度 — expected progress to date, a forecast) shows three
#   significant digits, keeps all its whole digits and at most two decimals.
# - A percentage the site computed (the share done, points ahead or behind) shows one decimal.
# Digits are grouped only where the language groups them: English 7,000; Chinese 7000, 52500.
COMPUTED_DIGITS = 3
COMPUTED_MOST_PLACES = 2
PERCENT_PLACES = 1


def computed_places(value: Decimal) -> int:
    """Decimals worth showing of a computed amount: 16.0273 -> 1 (shown 16), 9.5018 -> 1, 0.1449 -> 2,
    1450.1234 -> 0."""
    value = abs(Decimal(value))
    if value == 0:
        return 0
    whole_digits = value.adjusted() + 1  # 1450.1 -> 4, 9.5 -> 1, 0.14 -> 0, 0.014 -> -1
    return max(0, min(COMPUTED_MOST_PLACES, COMPUTED_DIGITS - whole_digits))


def amount_rounded(value: Decimal, *, computed: bool = False, percent: bool = False) -> Decimal:
    """A value rounded as it is shown (half up): stated as it is; computed=True 16.0273 -> 16,
    9.5018 -> 9.5; percent=True 50.25 -> 50.3."""
    value = Decimal(value)
    if percent:
        places = PERCENT_PLACES
    elif computed:
        places = computed_places(value)
    else:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def amount_display(
    value: Decimal | int | None,
    *,
    computed: bool = False,
    percent: bool = False,
    grouped: bool = False,
    missing: str = "—",
) -> str:
    """A number as staff and readers see it, without trailing zeros or exponent: stated 9800.0000 ->
    '9800', 1405.35 -> '1405.35'; computed=True 16.0273 -> '16', 9.5018 -> '9.5'; percent=True 50.25
    -> '50.3'; grouped=True (English) 52500 -> '52,500'; `missing` for no value."""
    if value is None:
        return missing
    text = plain_decimal(amount_rounded(Decimal(value), computed=computed, percent=percent))
    if text in ("-0", "-0.0"):
        text = "0"
    if grouped:
        whole, point, decimals = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        text = f"{sign}{int(whole.lstrip('-')):,}{point}{decimals}"
    return text


def amount_text(value: Decimal | None, unit: str, *, computed: bool = False, missing: str = "—") -> str:
    """A figure with its unit as Chinese text writes it: '1700 亿元', '5.5%' (a percentage sign joins
    its number); computed=True for an amount the site worked out; `missing` when there is no figure."""
    if value is None:
        return missing
    digits = amount_display(value, computed=computed)
    if unit in ("%", "％"):
        return f"{digits}%"
    return f"{digits} {unit}".strip()


# What a base unit counts, named in English. Measure words (个, 座, 家 …) name nothing: after a number
# the thing counted is in the indicator's name (7,000 new 5G base stations), alone they read "units".
UNIT_NAMES_EN = {
    "元": "yuan",
    "美元": "US dollars",
    "元/亩": "yuan per mu",
    "人": "people",
    "人次": "visits",
    "户": "households",
    "辆": "vehicles",
    "吨": "tonnes",
    "斤": "jin",
    "亩": "mu",
    "公顷": "ha",
    "千瓦": "kW",
    "兆瓦": "MW",
    "千瓦时": "kWh",
    "度": "kWh",
    "公里": "km",
    "千米": "km",
    "米": "m",
    "平方米": "m²",
    "平方公里": "km²",
    "次": "times",
    "天": "days",
    "列": "trains",
    "P": "P",
    "E": "E",
    "%": "%",
}
MEASURE_WORDS = frozenset("个座家所项处场组台套张件间条栋幢只路")


def is_measure_word(base: str) -> bool:
    """A measure word, or measure words given as alternatives: 个, 套(间) (flats or rooms)."""
    words = base.replace("（", "(").replace("）", ")")
    return bool(words.strip("()")) and all(ch in MEASURE_WORDS or ch in "()" for ch in words)


# A magnitude prefix said alone, as the multiplier it is.
MAGNITUDES_EN = {"万亿": "trillion", "亿": "100 million", "万": "10,000"}


def unit_en(unit: str) -> str:
    """A unit named alone in English (a column or a label 'Unit: …'): 万个 -> '10,000 units',
    亿元 -> '100 million yuan', 辆 -> 'vehicles', 个 -> 'units', % -> '%'; a unit the table does not
    know stays as written."""
    unit = _spelled_alike(unit)
    prefix = next((p for p, _ in MAGNITUDE_PREFIXES if unit.startswith(p)), "")
    base = unit[len(prefix) :]
    if base in UNIT_NAMES_EN:
        name = UNIT_NAMES_EN[base]
    elif is_measure_word(base) or (prefix and not base):
        name = "units"
    else:
        return unit
    return f"{MAGNITUDES_EN[prefix]} {name}" if prefix else name


def unit_after_number_en(unit: str) -> str | None:
    """What follows an English number of the unit's base (the magnitude already multiplied out):
    辆 -> ' vehicles', 个 -> '' (the indicator names the thing), % -> '%', P -> 'P'; None when the
    table does not know the unit, for the caller to keep it as written."""
    base = base_unit(_spelled_alike(unit))
    if base in ("%", "P", "E"):
        return base
    if is_measure_word(base) or base in MAGNITUDES_EN:
        return ""
    if base in UNIT_NAMES_EN:
        return f" {UNIT_NAMES_EN[base]}"
    return None
