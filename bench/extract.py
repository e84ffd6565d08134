"""Throughput of the extractor on a large text: `python -m bench.extract`
(target ≥ 3 MB/s on one core of a quiet machine).

Wall time is what counts on a quiet machine; the processor time and the load average are printed beside it,
so that a run on a busy machine can still be read."""

import json
import os
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
    timings, cpu_timings, found = [], [], 0
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = len(extract(text, reference_year=reference_year))
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    best, best_cpu = min(timings), min(cpu_timings)
    print(f"text: {len(text):,} characters, {size / 1e6:.2f} MB UTF-8; {found:,} targets found")
    print(f"best of 3: {best:.2f} s = {len(text) / best:,.0f} characters/s, {size / 1e6 / best:.2f} MB/s")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"processor time, best of 3: {size / 1e6 / best_cpu:.2f} MB/s; load average {load}")


if __name__ == "__main__":
    main()
