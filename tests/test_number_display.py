"""One precision rule (apps/goals/units.py, amount_display): the code that writes numbers for people
-- the status sentences, English amounts, pages, the admin, emails and digests -- rounds and groups no
number itself. It reads the Python source (not its text, so comments and strings do not count) for
the ways a number gets rounded or formatted: Decimal.quantize, round(x, n), a format spec with
decimals or grouping (f"{x:.2f}", f"{x:,}", format(x, ".1f"), "%.2f" % x); and the templates for
Django's number filters (floatformat, intcomma, stringformat). Computing modules (the status rules,
the demo data, ingest) round numbers as part of what they compute, and the API and downloads keep the
stored digits; they are not display and are not read here."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DISPLAY_MODULES = sorted(
    {
        ROOT / "apps" / "goals" / "wording.py",
        ROOT / "apps" / "goals" / "english.py",
        ROOT / "apps" / "goals" / "services" / "notifications.py",
        ROOT / "apps" / "goals" / "services" / "reminders.py",
        *(ROOT / "apps" / "public").rglob("*.py"),
        *(ROOT / "apps" / "staff").rglob("*.py"),
        *(ROOT / "apps" / "digests").rglob("*.py"),
    }
    - set((ROOT / "apps").rglob("migrations/*.py"))
    # The map's boundaries: coordinates rounded and simplified for a file, not numbers shown to a reader.
    - {
        ROOT / "apps" / "public" / "boundaries.py",
        ROOT / "apps" / "public" / "management" / "commands" / "extract_boundaries.py",
    }
)
TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt"))

# A format spec that rounds or groups a number: ".2f", ",", ",.1f", "_", ".3g", ".1%"; not a date's
# "%Y-%m-%d" or an alignment such as ">5".
NUMBER_SPEC = re.compile(
    r"^(?:[^%][<>^=]|[<>^=])?[+\- ]?#?0?\d*(?P<group>[,_])?(?P<places>\.\d+)?(?P<type>[fFeEgG%n])?$"
)
OLD_STYLE = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[fFeEgG]")


def rounds_or_groups(spec: str) -> bool:
    found = NUMBER_SPEC.match(spec)
    return bool(found and (found["group"] or found["places"] or found["type"]))


def number_formatting(source: str) -> list[str]:
    """Every place in `source` that rounds or formats a number by itself, as 'line N: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "quantize":
                found.append(f"line {node.lineno}: .quantize()")
            if isinstance(func, ast.Name) and func.id == "round" and len(node.args) + len(node.keywords) > 1:
                found.append(f"line {node.lineno}: round(x, n)")
            if isinstance(func, ast.Name) and func.id == "format" and len(node.args) == 2:
                spec = node.args[1]
                if (
                    isinstance(spec, ast.Constant)
                    and isinstance(spec.value, str)
                    and rounds_or_groups(spec.value)
                ):
                    found.append(f"line {node.lineno}: format(x, {spec.value!r})")
        elif isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(part.value for part in node.format_spec.values if isinstance(part, ast.Constant))
            if rounds_or_groups(spec):
                found.append(f"line {node.lineno}: f-string spec {spec!r}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            left = node.left
            if (
                isinstance(left, ast.Constant)
                and isinstance(left.value, str)
                and OLD_STYLE.search(left.value)
            ):
                found.append(f"line {node.lineno}: {left.value!r} % …")
    return found


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("x = value.quantize(Decimal('0.01'))", True),
        ("x = round(value, 2)", True),
        ("x = f'{value:.2f}'", True),
        ("x = f'{value:,}'", True),
        ("x = f'{value:,f}'", True),
        ("x = format(value, '.1f')", True),
        ("x = '%.2f' % value", True),
        ("x = f'{day:%Y-%m-%d}'", False),  # a date
        ("x = round(em * size)", False),  # a whole pixel count
        ("x = f'{name:>5}'", False),
        ("x = amount_display(value, computed=True)", False),
    ],
)
def test_the_check_finds_what_it_looks_for(source, caught):
    """The check below would pass on anything if it found nothing: it finds each way, and no date."""
    assert bool(number_formatting(source)) is caught


@pytest.mark.parametrize("path", DISPLAY_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_display_code_formats_no_number_but_through_units(path):
    assert number_formatting(path.read_text(encoding="utf-8")) == [], (
        "show numbers through apps.goals.units.amount_display / amount_text, the one precision rule"
    )


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_use_no_number_filter_of_their_own(path):
    used = re.findall(r"\|\s*(floatformat|intcomma|intword|stringformat)\b", path.read_text(encoding="utf-8"))
    assert used == [], "show numbers through the `amount` and `plain` tags (units.amount_display)"


def test_the_check_reads_the_modules_that_show_numbers():
    names = {path.name for path in DISPLAY_MODULES}
    assert {"wording.py", "english.py", "public_tags.py", "entry_facts.py", "building.py"} <= names
    assert len(TEMPLATES) > 20
