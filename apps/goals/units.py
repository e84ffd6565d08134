"""Units as written in Chinese documents (万辆, 亿元, P) and the magnitude their prefix carries."""

from decimal import Decimal
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


def amount_text(value: Decimal | None, unit: str, *, missing: str = "—") -> str:
    """A figure with its unit as Chinese text writes it: '1700 亿元', '5.5%' (a percentage sign joins
    its number); `missing` when there is no figure."""
    if value is None:
        return missing
    if unit in ("%", "％"):
        return f"{plain_decimal(value)}%"
    return f"{plain_decimal(value)} {unit}".strip()


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
