"""The extractor against the hand-labelled seed documents (tests/ingest/gold, copied from the team's
shared seeds), scored as the team's scorer scores it:

A prediction is a true positive when its span overlaps a gold target's span and its value × unit is the
same magnitude (40 万辆 == 400000 辆); predictions overlapping only ambiguous spans are ignored, and so
is a second prediction of an already matched target.
"""

import json
from pathlib import Path

import pytest

from apps.ingest.extractor import extract, to_json

from .scoring import DOCUMENTS, GOLD, SETS, overlaps, same_amount


def score(predictions, gold):
    targets = [g for g in gold if g["is_target"] is True]
    negatives = [g for g in gold if g["is_target"] is False]
    ambiguous = [g for g in gold if g["is_target"] is None]
    result = {"tp": 0, "fp": 0, "fn": 0, "near_miss": 0, "year_ok": 0, "false_positives": [], "misses": []}
    matched = set()
    for p in predictions:
        hit = next(
            (i for i, g in enumerate(targets) if i not in matched and overlaps(p, g) and same_amount(p, g)),
            None,
        )
        if hit is not None:
            matched.add(hit)
            result["tp"] += 1
            deadline_year = int(p["deadline"][:4]) if p["deadline"] else None
            result["year_ok"] += deadline_year == targets[hit]["deadline_year"]
            continue
        if any(overlaps(p, g) for g in ambiguous):
            continue
        if any(overlaps(p, g) and same_amount(p, g) for g in targets):
            continue
        result["fp"] += 1
        result["false_positives"].append(p["quote"])
        result["near_miss"] += any(overlaps(p, g) for g in negatives)
    result["misses"] = [g["quote"] for i, g in enumerate(targets) if i not in matched]
    result["fn"] = len(result["misses"])
    return result


def _manifest():
    return json.loads((DOCUMENTS / "manifest.json").read_text(encoding="utf-8"))


def _first_set():
    """The 2024 report and the plans due in 2025, on which the extractor was built. The 2025–2026 set
    (entries with a source_url) is scored apart, below, until the extractor has learnt its genres."""
    return [entry for entry in _manifest() if "source_url" not in entry]


def _scores(entries):
    per_document = {}
    for entry in entries:
        text = (DOCUMENTS / entry["file"]).read_text(encoding="utf-8")
        mentions = extract(
            text, reference_year=entry["reference_year"], title=entry["title"], speakers=entry.get("speakers")
        )
        predictions = [to_json(m, entry["file"]) for m in mentions]
        gold = json.loads((GOLD / (Path(entry["file"]).stem + ".json")).read_text(encoding="utf-8"))
        per_document[entry["file"]] = score(predictions, gold)
    return per_document


@pytest.fixture(scope="module")
def scores():
    return _scores(_first_set())


def test_every_seed_document_has_gold():
    assert sorted(Path(e["file"]).stem for e in _manifest()) == sorted(p.stem for p in GOLD.glob("*.json"))


def test_precision_and_recall_over_all_seed_documents(scores):
    tp = sum(s["tp"] for s in scores.values())
    fp = sum(s["fp"] for s in scores.values())
    fn = sum(s["fn"] for s in scores.values())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    report = {doc: (s["false_positives"], s["misses"]) for doc, s in scores.items() if s["fp"] or s["fn"]}
    assert precision >= 0.95, report
    assert recall >= 0.95, report


def test_no_labelled_near_miss_is_extracted(scores):
    assert sum(s["near_miss"] for s in scores.values()) == 0


def test_deadline_year_right_for_matches(scores):
    tp = sum(s["tp"] for s in scores.values())
    assert sum(s["year_ok"] for s in scores.values()) >= 0.95 * tp


def test_every_quote_is_the_text_at_its_span():
    quotes = 0
    for entry in _manifest():
        text = (DOCUMENTS / entry["file"]).read_text(encoding="utf-8")
        for m in extract(
            text, reference_year=entry["reference_year"], include_incomplete=True, include_milestones=True
        ):
            assert m.quote and text[m.start : m.end] == m.quote
            quotes += 1
    assert quotes >= len(_manifest())  # the documents hold targets: a silent extractor fails here


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("，", ",").replace("。", ".").replace("；", ";").replace("：", ":"),
        lambda t: t.replace(",", "，").replace(":", "："),
    ],
    ids=["crlf", "half-width-punctuation", "full-width-punctuation"],
)
def test_same_targets_whatever_the_line_endings_and_punctuation(variant):
    for entry in _first_set():
        text = (DOCUMENTS / entry["file"]).read_text(encoding="utf-8")
        options = {"reference_year": entry["reference_year"], "title": entry["title"]}
        expected = [(m.value, m.unit, m.kind, m.deadline) for m in extract(text, **options)]
        changed = variant(text)
        found = extract(changed, **options)
        assert [(m.value, m.unit, m.kind, m.deadline) for m in found] == expected, entry["file"]
        assert all(changed[m.start : m.end] == m.quote for m in found)


# The Jinan 2025-2026 set (targets and, as is_target false, the results reported for 2023-2025), read
# with the manifest's year and without it (inferred from the text, as the before-stop hook runs it).
@pytest.fixture(scope="module", params=[True, False], ids=["manifest", "inferred"])
def jinan(request):
    return SETS["jinan-2025-2026"].scores(manifest=request.param)


def test_jinan_targets(jinan):
    targets, _ = jinan
    assert targets.precision >= 0.95, targets.false_positives
    assert targets.recall >= 0.95, targets.misses
    assert targets.year >= 0.95


def test_jinan_results_with_their_period_year(jinan):
    _, results = jinan
    assert results.precision >= 0.90, results.false_positives
    assert results.recall >= 0.85, results.misses
    assert results.year >= 0.95


def test_samples_labelled_before_the_rules_saw_them():
    """tests/ingest/samples/unseen: four genres written and labelled before any rule was tuned to them."""
    targets, results = SETS["samples (unseen)"].scores(manifest=False)
    assert targets.precision >= 0.9 and targets.recall >= 0.9, (targets.false_positives, targets.misses)
    assert results.precision >= 0.9 and results.recall >= 0.85, (results.false_positives, results.misses)
