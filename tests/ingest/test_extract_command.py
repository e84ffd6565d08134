"""`manage.py extract_targets`: a dry run that prints what the extractor finds (no database needed)."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .tables import JSON_KEYS

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"


def run(*args):
    out = StringIO()
    call_command("extract_targets", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_json_lines_with_exactly_the_documented_keys():
    path = DOCUMENTS / "001_56fd79eaf350ca15.txt"
    text = path.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in run(path, "--json").splitlines()]
    assert rows
    for row in rows:
        assert list(row) == JSON_KEYS
        assert row["document"] == "001_56fd79eaf350ca15.txt"
        assert text[row["start"] : row["end"]] == row["quote"]
    gdp = next(r for r in rows if r["quote"] == "地区生产总值增长5.5%以上")
    assert gdp["value"] == 5.5 and gdp["unit"] == "%" and gdp["kind"] == "growth_rate"
    assert gdp["deadline"] == "2024-12-31"  # reference year from the manifest beside the file
    assert gdp["department"] == "济南市人民政府"  # the speaker's department from the manifest


def test_reference_year_option_overrides_the_manifest():
    rows = [
        json.loads(line)
        for line in run(
            DOCUMENTS / "001_56fd79eaf350ca15.txt", "--json", "--reference-year", "2030"
        ).splitlines()
    ]
    assert {r["deadline"] for r in rows} == {"2030-12-31"}


def test_without_manifest_the_reference_year_is_inferred(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("2025年政府工作报告提出，今年新建5G基站5000个。", encoding="utf-8")
    (row,) = [json.loads(line) for line in run(path, "--json").splitlines()]
    assert row["value"] == 5000 and row["deadline"] == "2025-12-31" and row["document"] == "report.txt"


def test_readable_table_without_json():
    output = run(DOCUMENTS / "003_11b473e85fddfb7b.txt", "--include-incomplete")
    assert "003_11b473e85fddfb7b.txt" in output
    assert "5G基站数量" in output
    assert "figure missing in source" in output


def test_a_bad_file_stops_the_run_before_anything_is_printed(tmp_path):
    good = tmp_path / "good.txt"
    shutil.copy(DOCUMENTS / "001_56fd79eaf350ca15.txt", good)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = StringIO()
    with pytest.raises(CommandError, match="empty.txt is empty"):
        call_command("extract_targets", str(good), str(empty), "--json", stdout=out)
    assert out.getvalue() == ""


def test_binary_file_is_a_command_error(tmp_path):
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\x00\x00\x01\x02")
    with pytest.raises(CommandError, match="binary"):
        run(binary)


def test_explain_names_the_rule_that_rejected_each_figure(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "今年新建住房5000套，比上年多3000套。做好5项重点工作。去年新建住房4000套。", encoding="utf-8"
    )
    text = run(path, "--explain")
    assert "is_delta" in text and "3000套" in text
    assert "counts_text_parts" in text
    # every figure taken names its time frame and the rule that set it
    assert "去年新建住房4000套           result for" in text and "frame review (marker 去年)" in text
    assert "target, frame year (marker 今年)" in text


def test_explain_with_json_keeps_stdout_json_lines(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("今年新建住房5000套，比上年多3000套。", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("extract_targets", str(path), "--json", "--explain", stdout=out, stderr=err)
    assert [json.loads(line)["value"] for line in out.getvalue().splitlines()] == [5000]
    assert "is_delta" in err.getvalue()


def test_extract_results_json_gives_the_period_and_estimate():
    path = DOCUMENTS / "2026_01_gwr_opening.txt"
    text = path.read_text(encoding="utf-8")
    out = StringIO()
    call_command("extract_results", str(path), "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all(
        list(row) == [*JSON_KEYS, "period_start", "period_end", "is_estimate"] for row in rows
    )
    assert all(text[row["start"] : row["end"]] == row["quote"] for row in rows)
    gdp = next(r for r in rows if "1.4万亿元" in r["quote"])
    assert (gdp["period_start"], gdp["period_end"], gdp["is_estimate"]) == ("2025-01-01", "2025-12-31", True)


def test_extract_results_explain_prints_each_results_frame(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "一、2024年工作回顾\n\n全区新建口袋公园12处。\n\n二、2025年重点工作\n\n新建口袋公园15处。", "utf-8"
    )
    out = StringIO()
    call_command("extract_results", str(path), "--reference-year", "2025", "--explain", stdout=out)
    text = out.getvalue()
    assert "(1 results)" in text
    assert "frame review (heading: 回顾)" in text


def test_a_stated_year_is_kept_whatever_the_reference_year_option(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("到2027年，全市新建充电桩5000个。", encoding="utf-8")
    (row,) = [json.loads(line) for line in run(path, "--json", "--reference-year", "2030").splitlines()]
    assert row["deadline"] == "2027-12-31"
