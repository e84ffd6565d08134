"""The extractor on documents written for these tests in the styles it will meet (none from the seeds).

tests/ingest/samples/ holds a 2025 government work report, a 15th five-year plan, a newspaper column with
hard line breaks and a statistical bulletin, each labelled by hand like the seed gold (`<name>.json`), and
scored with the gold test's matching rule.
"""

import json
from pathlib import Path

import pytest

from apps.ingest.extractor import extract, infer_reference_year, to_json
from tests.ingest.extractor.test_gold import score

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _manifest():
    return json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))


def _text(entry):
    return (SAMPLES / entry["file"]).read_text(encoding="utf-8")


def _gold(entry):
    return json.loads((SAMPLES / (Path(entry["file"]).stem + ".json")).read_text(encoding="utf-8"))


def _scores(**given):
    per_document = {}
    for entry in _manifest():
        options = {key: entry[key] for key in given}
        mentions = extract(_text(entry), **options)
        per_document[entry["file"]] = score([to_json(m, entry["file"]) for m in mentions], _gold(entry))
    return per_document


def _totals(scores):
    tp = sum(s["tp"] for s in scores.values())
    fp = sum(s["fp"] for s in scores.values())
    fn = sum(s["fn"] for s in scores.values())
    return tp, fp, fn


@pytest.fixture(scope="module")
def scores():
    return _scores(reference_year=True, title=True)


def test_labels_quote_the_text_at_their_span():
    for entry in _manifest():
        text = _text(entry)
        for label in _gold(entry):
            assert text[label["start"] : label["end"]] == label["quote"], label


def test_precision_and_recall_over_the_samples(scores):
    tp, fp, fn = _totals(scores)
    report = {doc: (s["false_positives"], s["misses"]) for doc, s in scores.items() if s["fp"] or s["fn"]}
    assert tp / (tp + fp) >= 0.9, report
    assert tp / (tp + fn) >= 0.9, report


def test_no_labelled_near_miss_is_extracted(scores):
    report = {doc: s["false_positives"] for doc, s in scores.items() if s["near_miss"]}
    assert sum(s["near_miss"] for s in scores.values()) == 0, report


def test_deadline_year_right_for_matches(scores):
    tp, _, _ = _totals(scores)
    assert sum(s["year_ok"] for s in scores.values()) >= 0.9 * tp


def test_nothing_is_extracted_from_a_statistical_bulletin():
    (entry,) = [e for e in _manifest() if "统计公报" in e["title"]]
    assert extract(_text(entry), reference_year=entry["reference_year"], title=entry["title"]) == []
    assert extract(_text(entry)) == []  # the bulletin's own first line says what it is
    body = _text(entry).split("\n", 1)[1]
    assert extract(body, reference_year=entry["reference_year"]) == []  # quoted without its title


def test_reference_year_inferred_from_title_and_text():
    for entry in _manifest():
        assert infer_reference_year(_text(entry), entry["title"]) == entry["reference_year"], entry["file"]


def test_scores_hold_with_only_the_title_given():
    tp, fp, fn = _totals(_scores(title=True))
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9
