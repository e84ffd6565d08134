"""Rows that must never be stored are refused by the database itself, not only by forms."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.goals.models import Department, Goal, ProgressUpdate, StatusChange, unique_slug

from ..factories import (
    CitationFactory,
    DepartmentFactory,
    DocumentFactory,
    GoalFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def refused(**changes):
    """Apply `changes` to a fresh valid goal with a queryset update, which skips all Python validation."""
    goal = GoalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"target_value": Decimal("3"), "target_max": Decimal("2")},  # a range's upper value below its target
        {"target_value": None, "target_max": Decimal("2")},
        {"period_start": datetime.date(2025, 1, 1), "deadline": datetime.date(2024, 12, 31)},
        {"unit_magnitude": Decimal("-10000")},
        {"unit_magnitude": Decimal("0")},
        {"kind": "wish"},
        {"comparator": "!="},
        {"review_state": "maybe"},
        {"status": "fine"},
        {"tolerance": Decimal("-0.5")},
        {"at_risk_band": Decimal("150")},
        {"target_value": None},  # a published numeric goal with no number
    ],
    ids=lambda c: ",".join(c),
)
def test_goal_rows_that_make_no_sense_are_refused(changes):
    refused(**changes)


def test_a_goal_cannot_be_its_own_parent():
    goal = GoalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(parent=goal)


def test_an_incomplete_goal_may_wait_for_review_without_a_number():
    goal = GoalFactory(target_value=None, review_state=Goal.ReviewState.PENDING)
    assert goal.pk


def test_a_milestone_carries_no_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(kind=Goal.Kind.MILESTONE, target_value=Decimal("1"))
    assert GoalFactory(kind=Goal.Kind.MILESTONE, target_value=None).pk


def test_unit_magnitude_follows_the_unit():
    assert GoalFactory(unit="万辆").unit_magnitude == Decimal(10000)
    assert GoalFactory(unit="万亿元").unit_magnitude == Decimal(10**12)
    assert GoalFactory(unit="P").unit_magnitude == Decimal(1)


def test_document_hash_is_unique_and_well_formed():
    document = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(text="另一篇", sha256=document.sha256)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(text="短哈希", sha256="abc")


def test_citation_offsets_must_fall_inside_the_document():
    document = DocumentFactory(text="新建5G基站7000个。")
    CitationFactory(document=document, start=0, end=len(document.text))
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(document=document, start=5, end=5 + 30, quote="x" * 30)


def test_citation_quote_must_match_its_offsets():
    document = DocumentFactory(text="新建5G基站7000个。")
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(document=document, start=0, end=4, quote="新建5G基站")
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(document=document, start=4, end=2, quote="")


def test_moving_a_citation_past_the_end_of_its_document_is_refused():
    citation = CitationFactory()
    length = len(citation.document.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(citation).objects.filter(pk=citation.pk).update(start=length, end=length + 2, quote="xx")


def test_only_one_approved_figure_per_goal_and_date():
    goal = GoalFactory()
    now = timezone.now()
    ProgressUpdateFactory(goal=goal, review_state="approved", reviewed_at=now)
    ProgressUpdateFactory(goal=goal, review_state="submitted")  # a correction waiting for review is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(goal=goal, review_state="approved", reviewed_at=now)


def test_an_approved_update_records_when_it_was_reviewed():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(review_state=ProgressUpdate.ReviewState.APPROVED, reviewed_at=None)


def test_a_status_change_must_change_something_and_is_written_once_a_day():
    goal = GoalFactory()
    day = datetime.date(2024, 6, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            goal=goal, evaluated_on=day, from_status="on_track", to_status="on_track", rule_version="1"
        )
    StatusChange.objects.create(
        goal=goal, evaluated_on=day, from_status="on_track", to_status="at_risk", rule_version="1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            goal=goal, evaluated_on=day, from_status="on_track", to_status="at_risk", rule_version="1"
        )


def test_target_display_reads_like_the_source():
    assert GoalFactory(target_value=Decimal("7000"), unit="个").target_display() == "≥ 7000 个"
    assert (
        GoalFactory(target_value=Decimal("2"), target_max=Decimal("3"), unit="个").target_display()
        == "2～3 个"
    )
    assert GoalFactory(target_value=Decimal("5.5"), comparator="~", unit="%").target_display() == "≈ 5.5 %"


def test_citation_sentence_gives_the_words_around_the_quote():
    document = DocumentFactory(text="前一句。\n今年，全市将新建5G基站\n7000个，加快数字济南建设。下一句。")
    start = document.text.index("新建")
    end = document.text.index("个，") + 1
    citation = CitationFactory(document=document, start=start, end=end, quote=document.text[start:end])
    assert citation.sentence() == ("今年，全市将", "新建5G基站\n7000个", "，加快数字济南建设。")


def test_citation_sentence_marks_what_it_cut():
    document = DocumentFactory(text="甲" * 100 + "新建5G基站7000个" + "乙" * 100)
    citation = CitationFactory(document=document, start=100, end=111, quote=document.text[100:111])
    before, _, after = citation.sentence(limit=10)
    assert before == "…" + "甲" * 10 and after == "乙" * 10 + "…"


def test_a_goal_saved_without_a_slug_gets_one_from_its_year():
    first = GoalFactory(slug="", title="新建5G基站7000个", deadline=datetime.date(2024, 12, 31))
    second = GoalFactory(slug="", title="新建5G基站7000个", deadline=datetime.date(2024, 12, 31))
    assert first.slug.startswith("2024-") and second.slug == f"{first.slug}-2"


@pytest.mark.django_db
def test_one_slug_maker_adds_a_count_until_the_slug_is_free():
    DepartmentFactory(slug="dept-1a2b3c4d")
    DepartmentFactory(slug="dept-1a2b3c4d-2")

    assert unique_slug(Department, "dept-1a2b3c4d") == "dept-1a2b3c4d-3"
    assert unique_slug(Department, "新部门") == "department"  # nothing sluggable: the model's name
    assert unique_slug(Goal, "2026 GDP growth") == "2026-gdp-growth"


def test_every_field_staff_fill_in_is_labelled_in_chinese_first():
    """Issue 13: labels and help on the staff forms read Chinese first, with English beside it."""
    import re

    from django.apps import apps

    chinese = re.compile(r"[\u4e00-\u9fff]")
    unlabelled = []
    models = [*apps.get_app_config("goals").get_models(), *apps.get_app_config("digests").get_models()]
    for model in models:
        if model.__name__.startswith("Historical"):
            continue  # django-simple-history's copies carry the same labels
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            label, help_text = str(field.verbose_name), str(field.help_text)
            if not chinese.match(label) or (help_text and not chinese.search(help_text)):
                unlabelled.append(f"{model.__name__}.{field.name}: {label!r} {help_text[:30]!r}")
    assert unlabelled == []


def test_the_computed_fields_are_listed_once_and_drive_the_history_and_the_status_changes():
    """verdicts.COMPUTED_FIELDS is the one list: the goal's own history leaves every one of them out (they
    change daily and live in StatusChange), and a status change copies only fields from it."""
    from apps.goals.verdicts import COMPUTED_FIELDS

    goal_fields = {field.name for field in Goal._meta.get_fields()}
    assert set(COMPUTED_FIELDS) <= goal_fields
    history_fields = {field.name for field in Goal.history.model._meta.get_fields()}
    assert not set(COMPUTED_FIELDS) & history_fields
    assert "title" in history_fields
    assert set(StatusChange.FROM_VERDICT.values()) <= set(COMPUTED_FIELDS)


def test_a_goal_is_judged_by_its_own_thresholds_where_set(settings):
    settings.GOAL_AT_RISK_BAND, settings.GOAL_STALE_AFTER_DAYS = 10, 120
    goal = GoalFactory.build(at_risk_band=None, stale_after_days=None)
    assert (goal.thresholds().at_risk_band, goal.thresholds().stale_after_days) == (Decimal(10), 120)
    goal.at_risk_band, goal.stale_after_days = Decimal("2.5"), 0
    assert (goal.thresholds().at_risk_band, goal.thresholds().stale_after_days) == (Decimal("2.5"), 0)
