"""The staff form for progress updates refuses what should not be stored, with a clear message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.staff.forms import ProgressUpdateForm

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def form_with(upload, goal=None):
    goal = goal or GoalFactory()
    data = {"goal": goal.pk, "as_of": "2024-06-30", "value": "3500", "evidence_url": ""}
    return ProgressUpdateForm(data=data, files={"evidence_file": upload})


def test_a_pdf_is_accepted():
    assert form_with(SimpleUploadedFile("统计报表.pdf", b"%PDF-1.4")).is_valid()


def test_a_program_is_refused_with_the_accepted_types_named():
    form = form_with(SimpleUploadedFile("setup.exe", b"MZ"))
    assert not form.is_valid()
    assert "pdf" in str(form.errors["evidence_file"]) and "must be one of" in str(
        form.errors["evidence_file"]
    )


def test_a_file_over_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 10
    form = form_with(SimpleUploadedFile("big.pdf", b"x" * 11))
    assert not form.is_valid()
    assert "at most" in str(form.errors["evidence_file"])


def test_an_approved_update_cannot_be_edited():
    update = ProgressUpdateFactory(review_state="approved", reviewed_at=timezone.now())
    data = {
        "goal": update.goal_id,
        "as_of": "2024-06-30",
        "value": "9999",
        "evidence_url": update.evidence_url,
    }
    form = ProgressUpdateForm(data=data, instance=update)
    assert not form.is_valid()
    assert "approved update cannot be changed" in str(form.errors)


@pytest.mark.parametrize(
    ("published_on", "error"),
    [
        ("2024-07-20", None),  # published three weeks after the half year it covers
        ("", None),  # left empty: the day it is approved
        ("2024-06-01", "cannot be published before the end of the period"),
        ("2999-01-01", "cannot be in the future"),
    ],
)
def test_the_publication_day_of_a_figure_is_checked(published_on, error):
    data = {"goal": GoalFactory().pk, "as_of": "2024-06-30", "value": "3500", "published_on": published_on}
    form = ProgressUpdateForm(data=data, files={"evidence_file": SimpleUploadedFile("a.pdf", b"%PDF")})
    if error is None:
        assert form.is_valid(), form.errors
    else:
        assert error in str(form.errors["published_on"])


@pytest.mark.parametrize(
    ("as_of", "error"),
    [
        ("2000-01-01", None),  # the earliest as-of date the spreadsheet import takes too
        ("2024-07-15", None),  # today
        ("1999-12-31", "cannot be before 2000-01-01"),
        ("0001-01-01", "cannot be before 2000-01-01"),
        ("2024-07-16", "cannot be after today (2024-07-15)"),
    ],
)
def test_the_form_takes_the_as_of_dates_the_import_takes(mid_july_2024, as_of, error):
    data = {"goal": GoalFactory().pk, "as_of": as_of, "value": "3500"}
    form = ProgressUpdateForm(data=data, files={"evidence_file": SimpleUploadedFile("a.pdf", b"%PDF")})
    if error is None:
        assert form.is_valid(), form.errors
    else:
        assert error in str(form.errors["as_of"])
