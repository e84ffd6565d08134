"""Scoring of the reader against hand-labelled gold, by the rules of ../shared/tools/score_extraction.py.

A prediction is a true positive when its span overlaps a labelled span and its value × unit is the same
magnitude (40 万辆 == 400000 辆); predictions overlapping only ambiguous spans (is_target null) are
ignored, and so is a second prediction of an already matched label. Targets are scored against the
`is_target: true` rows, results against the `is_target: false` rows (with the period year checked), in
the documents that label any (the tuned samples' bulletin labels none; the first seed set labels only
near-misses, so its result precision counts real results as false positives).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from apps.goals.units import absolute_amount
from apps.ingest.extractor import read, result_to_json, to_json

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = ROOT / "fixtures" / "documents"
GOLD = ROOT / "tests" / "ingest" / "gold"  # copies of the team's shared gold (../shared/seeds)


def same_amount(prediction, gold):
    if prediction.get("value") is None or gold.get("value") is None:
        return False
    a_value, a_unit = absolute_amount(Decimal(str(prediction["value"])), prediction["unit"])
    b_value, b_unit = absolute_amount(Decimal(str(gold["value"])), gold["unit"])
    return a_unit == b_unit and a_value == b_value


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    year_ok: int = 0
    near_miss: int = 0  # targets only: a prediction on a labelled result or near-miss
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def __iadd__(self, other: Score) -> Score:
        for name in ("tp", "fp", "fn", "year_ok", "near_miss"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_positives += other.false_positives
        self.misses += other.misses
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def year(self) -> float:
        return self.year_ok / self.tp if self.tp else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.3f} recall {self.recall:.3f} year {self.year:.3f} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


def score(predictions, gold, *, wanted=True) -> Score:
    """Predictions against the gold rows whose is_target is `wanted` (True: targets, False: results)."""
    positives = [g for g in gold if g["is_target"] is wanted]
    others = [g for g in gold if g["is_target"] is (not wanted)]
    ambiguous = [g for g in gold if g["is_target"] is None]
    result = Score()
    matched: set[int] = set()
    for p in predictions:
        hit = next(
            (i for i, g in enumerate(positives) if i not in matched and overlaps(p, g) and same_amount(p, g)),
            None,
        )
        if hit is not None:
            matched.add(hit)
            result.tp += 1
            year = int(p["deadline"][:4]) if p["deadline"] else None
            result.year_ok += year == positives[hit]["deadline_year"]
            continue
        if any(overlaps(p, g) for g in ambiguous):
            continue
        if any(overlaps(p, g) and same_amount(p, g) for g in positives):
            continue
        result.fp += 1
        result.false_positives.append(p["quote"])
        result.near_miss += any(overlaps(p, g) for g in others)
    result.misses = [g["quote"] for i, g in enumerate(positives) if i not in matched]
    result.fn = len(result.misses)
    return result


@dataclass
class GoldSet:
    """Documents, their manifest and their labels: `documents/` (or the folder itself),
    `gold/` (or beside)."""

    documents: Path
    gold: Path
    manifest: Path
    select: Callable[[dict], bool] = lambda entry: True

    def entries(self) -> list[dict]:
        return [e for e in json.loads(self.manifest.read_text(encoding="utf-8")) if self.select(e)]

    def scores(self, *, manifest: bool = True) -> tuple[Score, Score]:
        """(targets, results) summed over the set; without manifest the reader infers the year and title."""
        targets, results = Score(), Score()
        for entry in self.entries():
            name = Path(entry["file"]).name
            text = (self.documents / name).read_text(encoding="utf-8")
            options = (
                {"reference_year": entry.get("reference_year"), "title": entry.get("title", "")}
                if manifest
                else {}
            )
            reading = read(text, speakers=entry.get("speakers") or None, **options)
            gold = json.loads((self.gold / (Path(name).stem + ".json")).read_text(encoding="utf-8"))
            targets += score([to_json(m, name) for m in reading.targets], gold, wanted=True)
            if any(g["is_target"] is False for g in gold):  # results labelled (a bulletin may not be)
                results += score([result_to_json(m, name) for m in reading.results], gold, wanted=False)
        return targets, results


SAMPLES = ROOT / "tests" / "ingest" / "samples"
OWN_GOLD = ROOT / "tests" / "ingest" / "gold" / "own"
# the team's shared folder beside the project (../shared), or beside the worktrees' folder
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT / "shared"
)
DISTRICTS = SHARED / "seeds" / "jinan-districts"
SETS = {
    # the 2024 report and the plans due in 2025, on which the extractor was built
    "seed": GoldSet(DOCUMENTS, GOLD, DOCUMENTS / "manifest.json", lambda entry: "source_url" not in entry),
    # the 2025 and 2026 reports, department plans and the digital city opinion: targets and results
    "jinan-2025-2026": GoldSet(
        DOCUMENTS, GOLD, DOCUMENTS / "manifest.json", lambda entry: "source_url" in entry
    ),
    "samples (tuned)": GoldSet(SAMPLES, SAMPLES, SAMPLES / "manifest.json"),
    "samples (unseen)": GoldSet(SAMPLES / "unseen", SAMPLES / "unseen", SAMPLES / "unseen" / "manifest.json"),
    # other places' work reports, 民生实事 lists, bulletins and a progress report (tests/ingest/samples/own):
    # scored before any rule was written for them; the check set is never tuned on
    "own (tuning)": GoldSet(
        SAMPLES / "own" / "tuning", OWN_GOLD / "tuning", SAMPLES / "own" / "tuning" / "manifest.json"
    ),
    "own (check)": GoldSet(
        SAMPLES / "own" / "check", OWN_GOLD / "check", SAMPLES / "own" / "check" / "manifest.json"
    ),
    # Jinan's districts, in the team's shared seeds (not copied here)
    "jinan-districts": GoldSet(DISTRICTS / "documents", DISTRICTS / "gold", DISTRICTS / "manifest.json"),
}


def main() -> None:
    for name, gold_set in SETS.items():
        if not gold_set.manifest.is_file():
            print(f"{name}: not found at {gold_set.manifest}")
            continue
        for manifest in (True, False):
            targets, results = gold_set.scores(manifest=manifest)
            how = "with manifest   " if manifest else "inferred (none) "
            print(f"{name:18} {how} targets {targets}")
            print(f"{'':18} {'':16} results {results}")


def show(name: str, manifest: bool = True) -> None:
    """Print the false positives and misses of one set (targets, then results)."""
    gold_set = SETS[name]
    for entry in gold_set.entries():
        file = Path(entry["file"]).name
        text = (gold_set.documents / file).read_text(encoding="utf-8")
        options = (
            {"reference_year": entry.get("reference_year"), "title": entry.get("title", "")}
            if manifest
            else {}
        )
        reading = read(text, speakers=entry.get("speakers") or None, **options)
        gold = json.loads((gold_set.gold / (Path(file).stem + ".json")).read_text(encoding="utf-8"))
        t = score([to_json(m, file) for m in reading.targets], gold, wanted=True)
        r = score([result_to_json(m, file) for m in reading.results], gold, wanted=False)
        for label, s in (("target", t), ("result", r)):
            for q in s.false_positives:
                print(f"{file[:28]} {label} FP   {q[:50]!r}")
            for q in s.misses:
                print(f"{file[:28]} {label} MISS {q[:50]!r}")


if __name__ == "__main__":
    main()
