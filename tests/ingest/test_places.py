"""Ingest by place: the manifest's jurisdiction_code (else jurisdiction) decides the place of a document
and of every goal and figure read from it; goals are never merged across places; the districts' seed
set (fixtures/districts/) goes in as make seed puts it."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.goals.models import Document, Goal, GoalKind, Indicator, Jurisdiction, ProgressUpdate
from apps.goals.services.goal_review import goals_merge
from apps.ingest import matching
from apps.ingest.manifest import manifest_problems
from apps.ingest.reported import reported_figures_load, reported_rows_read, row_measure
from apps.ingest.results import results_ingest
from apps.ingest.services import source_file_read

from ..factories import GoalFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DISTRICTS = FIXTURES / "districts"


def ingest(*paths, publish=True):
    out = io.StringIO()
    call_command("ingest_documents", *map(str, paths), *(["--publish"] if publish else []), stdout=out)
    return out.getvalue()


def place(slug):
    return Jurisdiction.objects.get(slug=slug)


def write_set(folder: Path, entries: dict[str, tuple[str, dict]]) -> list[Path]:
    """Files with a manifest.json beside them: name -> (text, manifest fields)."""
    folder.mkdir(exist_ok=True)
    manifest = []
    for name, (text, fields) in entries.items():
        (folder / name).write_text(text, encoding="utf-8")
        manifest.append({"file": name, "reference_year": 2025, **fields})
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return [folder / name for name in entries]


def test_the_same_target_in_three_places_is_three_goals_each_of_its_place(tmp_path):
    sentence = "全年地区生产总值增长5.5%以上。"
    paths = write_set(
        tmp_path,
        {
            "city.txt": (sentence + "（市）", {}),
            "licheng.txt": (sentence + "（历城）", {"jurisdiction": "历城区", "jurisdiction_code": "370112"}),
            "licheng_again.txt": (sentence + "（历城区再述）", {"jurisdiction_code": "370112"}),
            "shanghe.txt": (sentence + "（商河）", {"jurisdiction": "商河县", "jurisdiction_code": None}),
        },
    )
    ingest(*paths)
    goals = Goal.objects.filter(title="地区生产总值增长5.5%以上").select_related("place")
    assert sorted(g.place.slug for g in goals) == ["jinan", "licheng", "shanghe"]
    # Within a place mentions still merge: 历城区's two documents cite one goal.
    licheng = goals.get(place__slug="licheng")
    assert licheng.citations.count() == 2
    assert {d.place.slug for d in Document.objects.select_related("place")} == {"jinan", "licheng", "shanghe"}
    assert all(g.plan is None or g.plan.place_id == g.place_id for g in goals)


def test_a_match_key_names_the_place_except_jinans():
    home = matching.match_key(value=Decimal("5.5"), unit="%", deadline_year=2025)
    assert home == matching.match_key(value=Decimal("5.5"), unit="%", deadline_year=2025, place="")
    licheng = matching.match_key(value=Decimal("5.5"), unit="%", deadline_year=2025, place="licheng")
    shanghe = matching.match_key(value=Decimal("5.5"), unit="%", deadline_year=2025, place="shanghe")
    assert len({home, licheng, shanghe}) == 3


def test_a_zone_without_a_code_is_found_by_name_and_an_unknown_place_stops_the_run(tmp_path):
    paths = write_set(tmp_path, {"zone.txt": ("全年新增高新技术企业50家。", {"jurisdiction": "起步区"})})
    ingest(*paths)
    assert Goal.objects.get().place == place("qibuqu")
    other = tmp_path / "other"
    paths = write_set(other, {"x.txt": ("全年新建公园8处。", {"jurisdiction": "南部山区"})})
    with pytest.raises(CommandError, match="南部山区"):
        ingest(*paths)
    assert Goal.objects.count() == 1
    assert manifest_problems([{"file": "x.txt", "jurisdiction_code": "37011"}])
    assert not manifest_problems([{"file": "x.txt", "jurisdiction_code": "370112", "jurisdiction": "历城区"}])


def test_a_plan_of_another_place_is_refused_before_anything_is_stored(tmp_path):
    paths = write_set(
        tmp_path,
        {
            "city.txt": ("全年新建公园8处。", {"plan": "2025年工作报告"}),
            "licheng.txt": ("全年新建公园9处。", {"plan": "2025年工作报告", "jurisdiction_code": "370112"}),
        },
    )
    ingest(paths[0])
    with pytest.raises(CommandError, match="2025年工作报告"):
        ingest(paths[1])
    assert Document.objects.count() == 1


def test_goals_of_two_places_are_never_merged_by_staff_either():
    city = GoalFactory()
    district = GoalFactory(place=place("licheng"))
    with pytest.raises(ValidationError):
        goals_merge(keep=city, absorb=district)
    assert Goal.objects.count() == 2


def test_the_measure_of_a_goal_key_is_read_without_its_place_and_years():
    assert row_measure("licheng_gdp_growth_2025", place("licheng")) == "gdp-growth"
    assert row_measure("laiwu_5g_new_sites_2024_result", place("laiwu")) == "5g-new-sites"
    assert row_measure("shanghe_gdp_growth_2024h1_result", place("shanghe")) == "gdp-growth"
    assert row_measure("qibuqu_x_2021_2024_result", place("qibuqu")) == "x"
    assert row_measure("jinan_x_2025_result", place("licheng")) == ""


def test_make_seed_puts_in_the_districts_targets_and_results(tmp_path):
    call_command("loaddata", str(FIXTURES / "reference.json"), stdout=io.StringIO())
    call_command("loaddata", str(FIXTURES / "places.json"), stdout=io.StringIO())
    ingest(*sorted((DISTRICTS / "documents").glob("*.txt")))
    # 历城区, 商河县 and 莱芜区's 2025 targets are published goals of their place, each with its sentence
    # and led by a department of its own place.
    for slug, title in [
        ("licheng", "地区生产总值增长5.6%以上"),
        ("shanghe", "地区生产总值增长5.2%以上"),
        ("laiwu", "完成投资188亿元"),
    ]:
        goal = Goal.objects.get(place__slug=slug, title=title)
        assert goal.review_state == Goal.ReviewState.PUBLISHED and goal.deadline.year == 2025
        assert goal.lead_department.place == goal.place and goal.plan.place == goal.place
        citations = list(goal.citations.select_related("document"))
        assert citations and title[-6:-2] in citations[0].quote
        for citation in citations:
            assert citation.document.place == goal.place
            assert citation.document.text[citation.start : citation.end] == citation.quote
    gdp = Goal.objects.get(place__slug="licheng", title="地区生产总值增长5.6%以上")
    assert (gdp.indicator.measure, gdp.indicator.place.slug) == ("gdp-growth", "licheng")
    assert not Goal.objects.in_place().exists()  # nothing of the districts is the city's

    rows = reported_rows_read(DISTRICTS / "outcomes.json")
    first = reported_figures_load(rows=rows)
    figures = ProgressUpdate.objects.filter(indicator__place__slug="laiwu")
    five_g = figures.get(quote="新建5G基站138处")
    assert five_g.value == 138 and five_g.source_document.place.slug == "laiwu"
    assert five_g.source_document.text[five_g.source_start : five_g.source_end] == "新建5G基站138处"
    assert five_g.review_state == ProgressUpdate.ReviewState.APPROVED and five_g.goal is None
    assert first.stored > 90
    assert not ProgressUpdate.objects.filter(indicator__place__slug="jinan", quote="新建5G基站138处").exists()
    # A result named otherwise than the place's indicator of its measure is that indicator's figure:
    # 商河县's 地区生产总值增长(可比价) and (上半年) are its GDP growth, compared with other places'.
    shanghe = Jurisdiction.objects.get(slug="shanghe")
    shanghe_growth = [r for r in rows if row_measure(r["goal_key"] or "", shanghe) == "gdp-growth"]
    assert len({r["indicator"] for r in shanghe_growth}) >= 2
    growth = Indicator.objects.get(place=shanghe, measure="gdp-growth")
    assert {r["quote"] for r in shanghe_growth} <= set(growth.figures.values_list("quote", flat=True))
    assert not Indicator.objects.filter(place=shanghe, measure="").exists()
    licheng_indicators = Indicator.objects.filter(place__slug="licheng")
    assert licheng_indicators.filter(name="新建绿道").exists()
    counts = (ProgressUpdate.objects.count(), Indicator.objects.count())
    again = reported_figures_load(rows=reported_rows_read(DISTRICTS / "outcomes.json"))
    assert again.stored == 0 and (ProgressUpdate.objects.count(), Indicator.objects.count()) == counts


def test_a_districts_results_are_proposed_for_its_own_goals_only(tmp_path, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
    name = "2025_04_review_of_2024.txt"
    entry = next(
        e for e in json.loads((FIXTURES / "documents" / "manifest.json").read_text()) if e["file"] == name
    )
    entry = {key: value for key, value in entry.items() if key != "file"}
    text = (FIXTURES / "documents" / name).read_text(encoding="utf-8")
    goal = {
        "metric": "地区生产总值增长",
        "kind": GoalKind.GROWTH_RATE,
        "target_value": Decimal("5.5"),
        "unit": "%",
        "period_start": datetime.date(2024, 1, 1),
        "deadline": datetime.date(2024, 12, 31),
    }
    city, district = GoalFactory(**goal), GoalFactory(**goal, place=place("licheng"))
    paths = write_set(
        tmp_path,
        {"licheng.txt": (text + "\n历城区转载", {**entry, "plan": None, "jurisdiction_code": "370112"})},
    )
    proposed = {p.goal for p in results_ingest(source=source_file_read(path=paths[0])).proposals}
    assert proposed == {district}
    paths = write_set(tmp_path / "city", {"city.txt": (text + "\n市转载", {**entry})})
    proposed = {p.goal for p in results_ingest(source=source_file_read(path=paths[0])).proposals}
    assert proposed == {city}
