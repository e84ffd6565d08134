"""Staff notifications, through a real SMTP server: reviewers hear of a submitted figure, the
recorder of a return (with its reason) or an approval; each mail goes after the commit, once."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from apps.goals import tasks
from apps.goals.delivery import DeliveryFailed
from apps.goals.models import StaffNotice
from apps.goals.services import notifications, progress_review

from ..factories import GoalFactory, ProgressUpdateFactory, UserFactory
from ..smtp import html_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]


@pytest.fixture
def update(department, recorder):
    recorder.first_name, recorder.last_name = "伟", "王"
    recorder.save()
    goal = GoalFactory(lead_department=department, title="新建5G基站7000个")
    return ProgressUpdateFactory(goal=goal, value=Decimal("3600.0000"), recorded_by=recorder)


def test_a_submission_emails_the_department_reviewers_after_the_commit(
    update, recorder, reviewer, other_recorder, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        progress_review.progress_update_submit(update=update, user=recorder)
    assert smtp_server.messages == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    [mail] = smtp_server.messages
    assert mail.envelope_to == [reviewer.email]
    assert "王伟提交了新进展，请审核：新建5G基站7000个" in mail["Subject"]
    body = text_of(mail)
    assert "3600 个" in body and "3600.0000" not in body
    assert f"/admin/goals/progressupdate/{update.pk}/change/" in body
    assert f"/admin/goals/progressupdate/{update.pk}/change/" in html_of(mail)


def test_a_return_tells_the_recorder_why_and_an_approval_that_it_is_public(
    update, recorder, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_submit(update=update, user=recorder)
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_reject(update=update, reviewer=reviewer, comment="佐证链接打不开")
    [returned] = smtp_server.to(recorder.email)
    assert "退回原因 · Reason: 佐证链接打不开" in text_of(returned)

    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_submit(update=update, user=recorder)
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_approve(update=update, reviewer=reviewer)
    assert len(smtp_server.to(reviewer.email)) == 2  # submitted twice, told twice
    approved = smtp_server.to(recorder.email)[-1]
    assert "approved your figure" in approved["Subject"]
    assert update.goal.get_absolute_url() in text_of(approved)


def test_a_notice_task_run_twice_sends_once(update, recorder, reviewer, smtp_server):
    update.review_state = "submitted"
    update.save()
    for _ in range(2):
        tasks.notify_progress_review(update.pk, StaffNotice.Kind.UPDATE_SUBMITTED, "20240715T100000")
    assert len(smtp_server.messages) == 1
    assert StaffNotice.objects.get().sent_at is not None


def test_a_step_overtaken_before_its_mail_went_tells_nobody(update, reviewer, smtp_server):
    update.review_state = "approved"
    update.reviewed_at = datetime.datetime(2024, 7, 15, tzinfo=datetime.UTC)
    update.save()
    tasks.notify_progress_review(update.pk, StaffNotice.Kind.UPDATE_SUBMITTED, "x")
    assert smtp_server.messages == []


def test_mail_is_never_sent_inside_a_transaction(update, reviewer):
    with pytest.raises(notifications.SentInsideTransaction), transaction.atomic():
        notifications.notice_send(
            recipient=reviewer, kind="update_submitted", key="k", template="progress_review", context={}
        )


def test_a_failed_send_gives_the_claim_back_so_the_next_run_sends(update, reviewer, settings, smtp_server):
    update.review_state = "submitted"
    update.save()
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(DeliveryFailed):
        notifications.progress_update_notify(update_id=update.pk, kind="update_submitted", stamp="s")
    assert not StaffNotice.objects.exists()


def test_people_without_an_address_or_inactive_are_skipped(update, recorder, department, smtp_server):
    from apps.goals.models import DepartmentMembership

    for user in (UserFactory(email=""), UserFactory(is_active=False)):
        DepartmentMembership.objects.create(user=user, department=department, role="reviewer")
    update.review_state = "submitted"
    update.save()
    assert notifications.progress_update_notify(update_id=update.pk, kind="update_submitted", stamp="s") == 0
    assert smtp_server.messages == []
