"""Ingest: documents stored once, mentions merged into goals across documents, staff edits kept."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.goals.models import Citation, Document, Goal

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "documents"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def ingest(*paths, publish=False):
    out = io.StringIO()
    call_command(
        "ingest_documents", *[str(p) for p in paths], *(["--publish"] if publish else []), stdout=out
    )
    return out.getvalue()


def test_the_same_text_ingested_twice_changes_nothing(tmp_path):
    path = write(tmp_path, "a.txt", "2024年，全市新建5G基站7000个，累计建成智慧社区400个。")
    ingest(path)
    counts = (Document.objects.count(), Goal.objects.count(), Citation.objects.count())
    output = ingest(path)
    assert "unchanged" in output
    assert (Document.objects.count(), Goal.objects.count(), Citation.objects.count()) == counts
    assert counts[1] == 2


def test_one_goal_cited_in_two_documents_is_one_goal_with_two_citations(tmp_path):
    first = write(tmp_path, "a.txt", "2024年1月10日讯 今年全市新建5G基站7000个。")
    second = write(tmp_path, "b.txt", "2024年，我市计划新建5G基站7000个，推进数字济南建设。")
    ingest(first, second)
    goal = Goal.objects.get(metric__contains="5G")
    assert goal.citations.count() == 2
    assert {c.document.file_name for c in goal.citations.all()} == {"a.txt", "b.txt"}


def test_different_goals_with_the_same_figure_stay_apart(tmp_path):
    path = write(
        tmp_path,
        "a.txt",
        "2024年新建5G基站7000个。2024年实现7000个政务服务事项网上可办。",
    )
    ingest(path)
    assert Goal.objects.filter(target_value=Decimal("7000")).count() == 2


def test_same_metric_with_different_amounts_or_years_stays_apart(tmp_path):
    path = write(
        tmp_path,
        "a.txt",
        "2024年1月10日讯 今年新能源汽车产量达到40万辆以上。到2025年，新能源汽车保有量达到15万辆以上。",
    )
    ingest(path)
    assert Goal.objects.filter(unit="万辆").count() == 2


def test_new_goals_wait_for_review_unless_published(tmp_path):
    ingest(write(tmp_path, "a.txt", "2024年新建5G基站7000个。"))
    assert Goal.objects.get().review_state == Goal.ReviewState.PENDING
    ingest(write(tmp_path, "b.txt", "2024年累计建成智慧社区400个。"), publish=True)
    assert Goal.objects.get(target_value=400).review_state == Goal.ReviewState.PUBLISHED


def test_reingest_never_overwrites_what_staff_edited(tmp_path):
    ingest(write(tmp_path, "a.txt", "2024年新建5G基站7000个。"))
    goal = Goal.objects.get()
    Goal.objects.filter(pk=goal.pk).update(title="员工修改的标题", review_state=Goal.ReviewState.REJECTED)
    ingest(write(tmp_path, "b.txt", "2024年1月10日讯 今年，全市新建5G基站7000个。"), publish=True)
    goal.refresh_from_db()
    assert goal.title == "员工修改的标题"
    assert goal.review_state == Goal.ReviewState.REJECTED  # a rejected goal does not come back
    assert goal.citations.count() == 2
    assert Goal.objects.count() == 1


def test_curated_headline_goals_get_their_english_titles(tmp_path):
    ingest(write(tmp_path, "a.txt", "2024年全市地区生产总值增长5.5%以上，新建5G基站7000个。"), publish=True)
    gdp = Goal.objects.get(slug="gdp-growth-2024")
    assert gdp.title_en.startswith("GDP growth")
    assert gdp.is_headline
    assert gdp.kind == Goal.Kind.GROWTH_RATE


def test_a_gb18030_document_is_read(tmp_path):
    ingest(write(tmp_path, "gbk.txt", "2024年新建5G基站7000个。", encoding="gb18030"))
    assert Document.objects.get().text == "2024年新建5G基站7000个。"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_a_bad_file_stops_the_run_and_nothing_is_written(tmp_path, content, message):
    good = write(tmp_path, "good.txt", "2024年新建5G基站7000个。")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as error:
        ingest(good, bad)
    assert "bad.txt" in str(error.value)
    assert message in str(error.value).lower()
    assert Document.objects.count() == 0 and Goal.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Nothing was ingested"):
        ingest(tmp_path / "missing.txt")


def test_progress_is_shown_per_file(tmp_path):
    output = ingest(
        write(tmp_path, "a.txt", "2024年新建5G基站7000个。"),
        write(tmp_path, "b.txt", "2024年新建5G基站8000个。"),
    )
    assert "[1/2] a.txt" in output and "[2/2] b.txt" in output


def test_manifest_beside_the_file_gives_title_plan_and_year(tmp_path):
    write(tmp_path, "a.txt", "今年新建5G基站7000个。")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            [
                {
                    "file": "documents/a.txt",
                    "title": "测试报道",
                    "publisher": "测试报",
                    "published": "2024-01-11",
                    "plan": "测试规划",
                    "reference_year": 2024,
                },
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    ingest(tmp_path / "a.txt")
    document = Document.objects.get()
    assert (document.title, document.publisher, str(document.published_on)) == (
        "测试报道",
        "测试报",
        "2024-01-11",
    )
    assert document.plan.name == "测试规划"
    assert Goal.objects.get().deadline.isoformat() == "2024-12-31"


def test_seed_documents_give_about_99_goals_and_the_headline_goals_once_each():
    call_command("loaddata", str(Path(settings.BASE_DIR) / "fixtures" / "reference.json"), verbosity=0)
    ingest(*sorted(SEEDS.glob("00*.txt")), publish=True)  # the first set: 2024 report, plans due 2025
    assert 90 <= Goal.objects.count() <= 110
    # (documents it is cited in, at least this many citations)
    expected = {
        "gdp-growth-2024": (2, 3),
        "5g-base-stations-2024": (2, 2),
        "intelligent-computing-2024": (1, 2),
        "smart-communities-2024": (2, 2),
    }
    for slug, (documents, citations) in expected.items():
        goal = Goal.objects.get(slug=slug)
        assert goal.is_headline and goal.is_published and goal.title_en
        assert goal.citations.values("document").distinct().count() == documents, slug
        assert goal.citations.count() >= citations, slug
    assert Goal.objects.filter(is_headline=True).count() == 4
    for citation in Citation.objects.select_related("document"):
        assert citation.document.text[citation.start : citation.end] == citation.quote
