"""Ingest refuses what is not a document or not a valid manifest, before writing anything, with a
message naming the file and the field; and a run stores all its documents or none."""

import codecs
import io
import json
import os
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from apps.goals.models import Document, Goal
from apps.ingest.manifest import manifest_problems
from apps.ingest.reading import DocumentError, read_document

pytestmark = pytest.mark.django_db

GOOD = "2024年新建5G基站7000个。"


def ingest(*paths):
    call_command("ingest_documents", *[str(p) for p in paths], stdout=io.StringIO())


def manifest(tmp_path, *entries, prefix=b""):
    (tmp_path / "manifest.json").write_bytes(prefix + json.dumps(list(entries), ensure_ascii=False).encode())


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("publisher", None, 'b.txt: field "publisher" must be text'),
        ("reference_year", "2024", 'b.txt: field "reference_year" must be a year as a number'),
        ("title", 42, 'b.txt: field "title" must be text'),
        ("published", "11/01/2024", 'b.txt: field "published" must be a date written YYYY-MM-DD'),
        (
            "source_url",
            "javascript:alert(1)",
            'b.txt: field "source_url" must be an http:// or https:// address',
        ),
        ("speakers", ["张熙"], 'b.txt: field "speakers" must map names to departments'),
        ("title", "长" * 301, 'b.txt: field "title" must be at most 300 characters (it has 301)'),
        ("publisher", "局" * 201, 'b.txt: field "publisher" must be at most 200 characters (it has 201)'),
    ],
)
def test_a_bad_manifest_field_stops_the_run_naming_file_and_field(tmp_path, field, value, says):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("2024年新建5G基站8000个。")
    manifest(tmp_path, {"file": "a.txt", "title": "好的"}, {"file": "b.txt", field: value})
    with pytest.raises(CommandError) as raised:
        ingest(tmp_path / "a.txt", tmp_path / "b.txt")
    assert "manifest.json" in str(raised.value) and says in str(raised.value)
    assert Document.objects.count() == 0 and Goal.objects.count() == 0


def test_a_run_that_fails_in_its_second_document_stores_neither(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("2024年新建5G基站8000个。")
    from apps.ingest import services

    create = services._document_create

    def fail_on_b(*, source, publish):
        if source.path.name == "b.txt":
            raise IntegrityError("simulated failure in the second document")
        return create(source=source, publish=publish)

    monkeypatch.setattr(services, "_document_create", fail_on_b)
    with pytest.raises(IntegrityError):
        ingest(tmp_path / "a.txt", tmp_path / "b.txt")
    assert Document.objects.count() == 0 and Goal.objects.count() == 0


@pytest.mark.parametrize("nesting", ["[" * 100_000, "[" * 50_000 + "]" * 50_000, '[{"file": ' * 20 + "1"])
def test_a_deeply_nested_manifest_is_refused_with_a_clear_error(tmp_path, nesting):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "manifest.json").write_text(nesting)
    with pytest.raises(CommandError, match="manifest.json: nested more than 16 levels deep"):
        ingest(tmp_path / "a.txt")
    assert Document.objects.count() == 0


def test_brackets_inside_text_are_not_nesting(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    title = '[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{ \\" 标题'
    manifest(tmp_path, {"file": "a.txt", "title": title})
    ingest(tmp_path / "a.txt")
    assert Document.objects.get().title == title


def test_a_manifest_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    manifest(tmp_path, {"file": "a.txt", "title": "带BOM的清单"}, prefix=codecs.BOM_UTF8)
    ingest(tmp_path / "a.txt")
    assert Document.objects.get().title == "带BOM的清单"


def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(GOOD.encode("utf-16"))
    assert read_document(path) == GOOD


def test_utf16_without_a_byte_order_mark_is_refused_as_utf16_not_binary(tmp_path):
    path = tmp_path / "u16le.txt"
    path.write_bytes(("Jinan " + GOOD).encode("utf-16-le"))
    with pytest.raises(DocumentError, match="UTF-16"):
        read_document(path)


def test_a_device_is_refused_without_being_read():
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document("/dev/zero")


def test_a_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(_refusal(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
    assert outcome == ["not a regular file"]


def _refusal(path):
    try:
        read_document(path)
    except DocumentError as error:
        return "not a regular file" if "not a regular file" in str(error) else str(error)
    return "read"


def test_the_seed_manifest_passes_the_schema():
    from django.conf import settings

    entries = json.loads((settings.BASE_DIR / "fixtures" / "documents" / "manifest.json").read_text())
    assert manifest_problems(entries) == []
