"""The Jinan districts seed set (16 documents of districts, counties and function zones, with a manifest
naming each one's place), and small folders of a place's documents written for a test."""

import json
import shutil
from pathlib import Path

from django.apps import apps

# The repository's copy of the set: its manifest lies beside the documents and still lists
# 18_gaoxin_h1_garbled.txt, which the copy leaves out (a manifest entry whose file is missing).
DISTRICTS = Path(__file__).resolve().parent.parent / "fixtures" / "districts" / "documents"


def districts_copy(tmp_path: Path) -> Path:
    """A copy of the districts set's manifest and documents, as someone would hand them over."""
    folder = tmp_path / "districts"
    folder.mkdir()
    shutil.copy(DISTRICTS / "manifest.json", folder / "manifest.json")
    shutil.copytree(DISTRICTS, folder / "documents", ignore=shutil.ignore_patterns("manifest.json"))
    return folder


def place_folder(tmp_path: Path, documents: dict[str, tuple[str, dict]], name="place") -> Path:
    """A folder with a manifest and one text file per document: {file: (text, manifest fields)}."""
    folder = tmp_path / name
    folder.mkdir()
    entries = []
    for file, (text, fields) in documents.items():
        (folder / file).write_text(text, encoding="utf-8")
        entries.append({"file": file, **fields})
    (folder / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return folder


def row_counts() -> dict[str, int]:
    """How many rows every model of the project holds (their histories included)."""
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.name.startswith("apps.")
        for model in config.get_models()
    }


LICHENG = {"jurisdiction": "历城区", "jurisdiction_code": "370112", "reference_year": 2025}

# A district's targets with the 牵头单位/责任单位 line of each task after it, and one task with none.
TARGETS_2025 = """历城区2025年政府工作报告

2025年主要预期目标

全区地区生产总值增长6%以上。（牵头单位：区发展和改革局）
新建5G基站300个。（责任单位：区工业和信息化局）
城镇新增就业8000人。
"""

# The same district's first half of 2025: two results on those goals, one on none.
RESULTS_2025_H1 = """历城区2025年上半年经济运行情况

上半年，全区地区生产总值增长6.3%。新建5G基站180个。全区粮食产量35万吨。
"""


def licheng_folder(tmp_path: Path) -> Path:
    return place_folder(
        tmp_path,
        {
            "targets.txt": (
                TARGETS_2025,
                {**LICHENG, "title": "历城区2025年政府工作报告", "published": "2025-01-09"},
            ),
            "h1.txt": (
                RESULTS_2025_H1,
                {**LICHENG, "title": "历城区2025年上半年经济运行情况", "published": "2025-07-20"},
            ),
        },
        name="licheng",
    )
