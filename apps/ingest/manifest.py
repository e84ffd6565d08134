"""What a document is (title, publisher, date, plan, reference year, speakers, place), read from a
manifest.json lying beside it, as in fixtures/documents/. Plain Python, no Django.

The manifest is checked whole against FIELDS before anything is stored; every problem is reported
with the manifest's path, the entry's file and the field. Keys not in FIELDS are kept and ignored."""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
from pathlib import Path

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 1024 * 1024
# A manifest is a list of objects holding lists and objects of text: a few levels. Deeper nesting is
# refused before parsing, which would otherwise end in a RecursionError (issue 22, item 9).
MAX_NESTING = 16
# The longest title and publisher a Document stores; a longer one is refused rather than cut.
MAX_TITLE = 300
MAX_PUBLISHER = 200
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


class ManifestError(ValueError):
    pass


def _text(value) -> str | None:
    return None if isinstance(value, str) else "must be text"


def _text_of_at_most(length: int):
    def check(value) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if len(value) > length:
            return f"must be at most {length} characters (it has {len(value)}); shorten it, nothing is cut"
        return None

    return check


def _nesting(text: str) -> int:
    """How deeply the JSON text's lists and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _optional_text(value) -> str | None:
    return None if value is None or isinstance(value, str) else "must be text or null"


def _date(value) -> str | None:
    if value is None:
        return None
    try:
        datetime.date.fromisoformat(value if isinstance(value, str) else "")
    except ValueError:
        return "must be a date written YYYY-MM-DD, or null"
    return None


def _boolean(value) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _year(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        return "must be a year as a number (e.g. 2024), or null"
    return None


def _web_address(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.lower().startswith(("http://", "https://")):
        return "must be an http:// or https:// address"
    if any(c.isspace() for c in value) or len(value) > 500:
        return "must be an address of at most 500 characters without spaces"
    return None


def _web_addresses(value) -> str | None:
    if not isinstance(value, list) or any(_web_address(v) or not v for v in value):
        return "must be a list of http:// or https:// addresses"
    return None


def _division_code(value) -> str | None:
    if value is None or (isinstance(value, str) and len(value) == 6 and value.isdigit()):
        return None
    return 'must be a 6-digit division code (区划代码, e.g. "370112"), or null'


def _speakers(value) -> str | None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return 'must map names to departments, e.g. {"张熙": "济南市大数据局"}'
    return None


# field -> (required, check returning a problem or None)
FIELDS = {
    "file": (
        True,
        lambda v: None if isinstance(v, str) and v.strip() else "must be the document's file name",
    ),
    "title": (False, _text_of_at_most(MAX_TITLE)),
    "publisher": (False, _text_of_at_most(MAX_PUBLISHER)),
    "published": (False, _date),
    "published_is_approximate": (False, _boolean),
    "plan": (False, _optional_text),
    "reference_year": (False, _year),
    "speakers": (False, _speakers),
    # The place whose document it is: its 6-digit 区划代码, else its name (function zones have no code);
    # neither given: the home place, Jinan.
    "jurisdiction": (False, _optional_text),
    "jurisdiction_code": (False, _division_code),
    "notes": (False, _optional_text),
    "url": (False, _web_address),
    "source_url": (False, _web_address),
    "source_urls": (False, _web_addresses),
}


def manifest_problems(entries) -> list[str]:
    """Every way `entries` (the parsed manifest) breaks the schema, one message each."""
    if not isinstance(entries, list):
        return ["must be a list of documents ([{...}, ...])"]
    problems = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"entry {number}: must be an object ({{...}})")
            continue
        name = entry.get("file") if isinstance(entry.get("file"), str) else f"entry {number}"
        for field, (required, check) in FIELDS.items():
            if field not in entry:
                if required:
                    problems.append(f'{name}: field "{field}" is missing')
                continue
            problem = check(entry[field])
            if problem:
                problems.append(
                    f'{name}: field "{field}" {problem} '
                    f"(found {json.dumps(entry[field], ensure_ascii=False)[:60]})"
                )
    return problems


def read_manifest(manifest: Path) -> list[dict]:
    """The entries of a manifest file, checked; ManifestError naming the file and every problem."""
    try:
        info = os.stat(manifest)
        if not stat.S_ISREG(info.st_mode):
            raise ManifestError(f"{manifest}: not a regular file")
        with open(manifest, "rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        raise ManifestError(f"{manifest}: cannot be read ({error.strerror})") from error
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{manifest}: larger than {MAX_MANIFEST_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
    except UnicodeDecodeError as error:
        raise ManifestError(f"{manifest}: not UTF-8 text (bad byte at position {error.start})") from error
    if _nesting(text) > MAX_NESTING:
        raise ManifestError(f"{manifest}: nested more than {MAX_NESTING} levels deep")
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"{manifest}: not valid JSON ({error})") from error
    except RecursionError as error:  # the count above missed it (a broken string); still an answer
        raise ManifestError(f"{manifest}: nested too deeply") from error
    problems = manifest_problems(entries)
    if problems:
        raise ManifestError(f"{manifest}: " + "; ".join(problems))
    return entries


def document_metadata(path: Path, manifest: Path | None = None) -> dict:
    """The manifest entry whose "file" is this file's name, or {} when there is no manifest or entry.
    The manifest is the manifest.json beside the file unless one is named."""
    path = Path(path)
    manifest = Path(manifest) if manifest is not None else path.parent / MANIFEST_NAME
    if not manifest.exists():
        return {}
    for entry in read_manifest(manifest):
        if Path(entry["file"]).name == path.name:
            return entry
    return {}
