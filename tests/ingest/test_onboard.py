"""`manage.py onboard FOLDER`: a place's documents in, its targets pending review, its results proposed
as figures, each new goal routed to a lead department; a dry run stores nothing, a second run changes
nothing."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from apps.goals.models import (
    Department,
    Document,
    Goal,
    Jurisdiction,
    LeadSource,
    MentionRule,
    ProgressUpdate,
)

from ..districts import TARGETS_2025, districts_copy, licheng_folder, place_folder, row_counts

pytestmark = pytest.mark.django_db


def onboard(*args) -> str:
    out = io.StringIO()
    call_command("onboard", *map(str, args), stdout=out)
    return out.getvalue()


def goals_proposed(output: str) -> int:
    return int(re.search(r"Goals proposed · 待审目标: (\d+)", output).group(1))


def test_a_dry_run_stores_nothing_and_says_what_a_run_stores(tmp_path):
    folder = districts_copy(tmp_path)
    before = row_counts()

    dry = onboard(folder, "--dry-run")

    assert row_counts() == before
    assert "nothing was stored" in dry
    real = onboard(folder)
    assert goals_proposed(dry) == goals_proposed(real) == Goal.objects.count() > 0
    assert row_counts() != before


def test_a_second_run_changes_nothing(tmp_path):
    folder = districts_copy(tmp_path)
    onboard(folder)
    counts = row_counts()
    routed = list(
        Goal.objects.values_list("pk", "lead_department_id", "lead_department_source", "review_state")
    )

    again = onboard(folder)

    assert row_counts() == counts
    assert (
        list(Goal.objects.values_list("pk", "lead_department_id", "lead_department_source", "review_state"))
        == routed
    )
    assert goals_proposed(again) == 0
    # Every document the copy holds (the repository's set leaves out 18_gaoxin_h1_garbled.txt, which
    # its manifest still lists: that entry is said to be unreadable, each run).
    stored = len(list((folder / "documents").glob("*.txt")))
    assert stored == 15
    assert "(new)" not in again and again.count("(already stored)") == stored
    assert "18_gaoxin_h1_garbled.txt" in again.split("(already stored)")[-1]


def test_districts_goals_wait_for_review_each_with_a_lead_department(tmp_path):
    output = onboard(districts_copy(tmp_path))

    goals = Goal.objects.all()
    assert goals.exists() and not goals.exclude(review_state=Goal.ReviewState.PENDING).exists()
    assert not goals.filter(lead_department=None).exists()
    # No city department from the city's own routing table answers for a district's goal.
    assert not goals.filter(lead_department__name__startswith="济南市").exists()
    # 钢城区 and 济阳区 state no figure: said, not passed over.
    assert "19_gangcheng_2026_fyp.txt: no target or result read" in output
    assert "Unmatched results" in output


def test_lead_departments_come_from_each_task_s_line_else_the_place_s_office(tmp_path):
    output = onboard(licheng_folder(tmp_path))

    def lead(words):
        goal = Goal.objects.get(title__contains=words)
        return goal.lead_department.name, goal.lead_department_source

    assert lead("地区生产总值") == ("历城区发展和改革局", LeadSource.DOCUMENT)
    # The reader gives this task the line before it (区发展和改革局); the line after it is its own.
    assert lead("5G基站") == ("历城区工业和信息化局", LeadSource.DOCUMENT)
    # No line after it: the line before belongs to the task before.
    assert lead("城镇新增就业") == ("历城区人民政府办公室", LeadSource.PLACE)
    assert "Created the place's office department · 新建地区办公室: 历城区人民政府办公室" in output
    assert Department.objects.filter(name="历城区人民政府办公室").count() == 1


def test_results_become_figures_submitted_for_review_matched_to_the_place_s_goals(tmp_path):
    output = onboard(licheng_folder(tmp_path))

    figures = ProgressUpdate.objects.order_by("source_start")
    assert [(f.goal.title, f.value, f.review_state) for f in figures] == [
        (
            Goal.objects.get(title__contains="地区生产总值").title,
            Decimal("6.3"),
            ProgressUpdate.ReviewState.SUBMITTED,
        ),
        (
            Goal.objects.get(title__contains="5G基站").title,
            Decimal(180),
            ProgressUpdate.ReviewState.SUBMITTED,
        ),
    ]
    # What read each one, for the rejection report.
    rules = MentionRule.objects.filter(document=figures[0].source_document)
    assert {(f.source_start, f.source_end) for f in figures} <= set(rules.values_list("start", "end"))
    assert all(rule.rule for rule in rules)
    assert "2 matched to a goal (2 figures proposed for review), 1 unmatched" in output
    assert "h1.txt: 全区粮食产量35万吨" in output


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no manifest.json"):
        onboard(tmp_path)


def test_a_document_that_cannot_be_read_is_reported_and_the_rest_stored(tmp_path):
    folder = place_folder(tmp_path, {"a.txt": ("新建5G基站300个。", {"jurisdiction": "历城区"})})
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text()[:-1] + ', {"file": "missing.txt", "jurisdiction": "历城区"}]')

    output = onboard(folder)

    assert "Could not read" in output and "missing.txt" in output
    assert Goal.objects.count() == 1


def test_the_place_is_created_under_the_one_its_code_names_and_holds_what_was_read(tmp_path):
    Jurisdiction.objects.filter(code="370112").delete()  # a place the site has not met yet
    output = onboard(licheng_folder(tmp_path))

    licheng = Jurisdiction.objects.get(code="370112")
    assert (licheng.name, licheng.short_name, licheng.level, licheng.parent.code) == (
        "历城区",
        "历城",
        Jurisdiction.Level.DISTRICT,
        "370100",
    )
    assert "Created the place · 新建地区: 历城区 (370112; under 济南市)" in output
    assert set(Document.objects.values_list("place", flat=True)) == {licheng.pk}
    assert set(Goal.objects.values_list("place", flat=True)) == {licheng.pk}
    assert set(Department.objects.filter(led_goals__isnull=False).values_list("place", flat=True)) == {
        licheng.pk
    }


def test_a_zone_without_a_code_is_made_under_the_home_place(tmp_path):
    folder = place_folder(tmp_path, {"a.txt": ("2025年新建5G基站300个。", {"jurisdiction": "济南南部山区"})})

    onboard(folder)

    zone = Jurisdiction.objects.get(name="济南南部山区")
    assert (zone.level, zone.code, zone.parent) == (Jurisdiction.Level.ZONE, "", Jurisdiction.objects.home())
    assert Goal.objects.get().place == zone


def test_a_place_s_results_report_only_on_its_own_goals(tmp_path):
    onboard(licheng_folder(tmp_path))
    # The same targets stated by another district: the same figures, another place.
    other = place_folder(
        tmp_path,
        {
            "t.txt": (
                TARGETS_2025.replace("历城区", "商河县"),
                {"jurisdiction": "商河县", "jurisdiction_code": "370126"},
            )
        },
        name="shanghe",
    )
    onboard(other)

    shanghe = Jurisdiction.objects.get(code="370126")
    assert Goal.objects.filter(place=shanghe).count() == 3  # not merged into 历城区's goals
    assert not ProgressUpdate.objects.filter(goal__place=shanghe).exists()
