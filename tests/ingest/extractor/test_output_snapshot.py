"""The reader's whole output on every document the repository holds, compared with a committed snapshot
(`snapshots/reader_output.jsonl`): work on the reader's speed or structure must change none of it.

Each document is read twice: as `extract_targets --explain` reads it (year, title and speakers from its
manifest) and bare (the year inferred, incomplete figures, milestones and headlines included). Every field
of every target, result and rejected figure is kept, but those that are None or False.

A change of rules changes the output on purpose: read the difference this test prints, then rewrite the
snapshot with `.venv/bin/python -m tests.ingest.extractor.test_output_snapshot`.
"""

import dataclasses
import difflib
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from apps.ingest.extractor import read
from apps.ingest.manifest import document_metadata
from apps.ingest.reading import read_document

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "reader_output.jsonl"
FOLDERS = ("fixtures/documents", "fixtures/results/documents", "tests/ingest/samples")


def documents() -> list[Path]:
    return sorted(path for folder in FOLDERS for path in (ROOT / folder).rglob("*.txt"))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _fields(item: Any) -> dict[str, Any]:
    """Every field, but those that are None or False (most of them, in most mentions)."""
    values = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    return {name: _plain(value) for name, value in values.items() if value is not None and value is not False}


def output(path: Path) -> list[str]:
    """The reader's output on one document, one JSON object a line."""
    text, entry = read_document(path), document_metadata(path)
    name = path.relative_to(ROOT).as_posix()
    readings = {
        "manifest": read(
            text,
            reference_year=entry.get("reference_year"),
            year_source="manifest" if entry.get("reference_year") else "unknown",
            title=entry.get("title", ""),
            speakers=entry.get("speakers"),
            explain=True,
        ),
        "bare": read(
            text, include_incomplete=True, include_milestones=True, include_headlines=True, explain=True
        ),
    }
    lines = []
    for variant, reading in readings.items():
        head = {"reference_year": reading.reference_year, "year_source": reading.year_source}
        lines.append({"document": name, "variant": variant, "reading": head})
        for kind, items in (
            ("target", reading.targets),
            ("result", reading.results),
            ("rejection", reading.rejections),
        ):
            lines.extend({"document": name, "variant": variant, kind: _fields(item)} for item in items)
    return [json.dumps(line, ensure_ascii=False, sort_keys=True) for line in lines]


@cache
def _snapshot() -> dict[str, list[str]]:
    by_document: dict[str, list[str]] = {}
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        by_document.setdefault(json.loads(line)["document"], []).append(line)
    return by_document


def test_the_snapshot_covers_every_document():
    assert sorted(_snapshot()) == [path.relative_to(ROOT).as_posix() for path in documents()]


@pytest.mark.parametrize("path", documents(), ids=lambda path: path.name)
def test_the_reader_output_is_unchanged(path):
    expected = _snapshot()[path.relative_to(ROOT).as_posix()]
    found = output(path)
    if found != expected:
        diff = list(difflib.unified_diff(expected, found, "snapshot", "now", lineterm="", n=0))
        pytest.fail(f"{len(diff)} lines differ; the first:\n" + "\n".join(diff[:30]))


if __name__ == "__main__":
    SNAPSHOT.parent.mkdir(exist_ok=True)
    lines = [line for path in documents() for line in output(path)]
    SNAPSHOT.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
