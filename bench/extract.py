"""Throughput of the extractor on a large text: `python -m bench.extract`
(target ≥ 1 MB/s on one core)."""

import json
import time
from pathlib import Path

from apps.ingest.extractor import extract

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
TARGET_BYTES = 5 * 1024 * 1024


def build_text(target_bytes: int = TARGET_BYTES) -> str:
    """The seed documents repeated until the text is at least target_bytes of UTF-8."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS.glob("*.txt"))]
    block = "\n\n".join(seeds) + "\n\n"
    block_bytes = len(block.encode("utf-8"))
    return block * (target_bytes // block_bytes + 1)


def main() -> None:
    text = build_text()
    size = len(text.encode("utf-8"))
    manifest = json.loads((DOCUMENTS / "manifest.json").read_text(encoding="utf-8"))
    reference_year = manifest[0]["reference_year"]
    timings, found = [], 0
    for _ in range(3):
        started = time.perf_counter()
        found = len(extract(text, reference_year=reference_year))
        timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"text: {len(text):,} characters, {size / 1e6:.2f} MB UTF-8; {found:,} targets found")
    print(f"best of 3: {best:.2f} s = {len(text) / best:,.0f} characters/s, {size / 1e6 / best:.2f} MB/s")


if __name__ == "__main__":
    main()
