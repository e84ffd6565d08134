"""What a document is (title, publisher, date, plan, reference year, speakers), read from a
manifest.json lying beside it, as in fixtures/documents/. Plain Python, no Django."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST_NAME = "manifest.json"


class ManifestError(ValueError):
    pass


def document_metadata(path: Path) -> dict:
    """The manifest entry whose "file" is this file's name, or {} when there is no manifest or entry."""
    path = Path(path)
    manifest = path.parent / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{manifest}: not valid JSON ({error})") from error
    if not isinstance(entries, list):
        raise ManifestError(f"{manifest}: expected a list of documents")
    for entry in entries:
        if isinstance(entry, dict) and Path(str(entry.get("file", ""))).name == path.name:
            return entry
    return {}
