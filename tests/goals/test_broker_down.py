"""Approvals with the broker really down (a closed port) or hung (a port that accepts and never
answers): every approval of a batch succeeds and the page answers; the goals are marked as owed an
evaluation and the sweep judges them, so the public status follows the new figure anyway."""

import datetime
import socket
import threading
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from celery import Celery, current_app
from django.urls import reverse

from apps.goals import tasks
from apps.goals.models import Goal, ProgressUpdate
from apps.goals.services import broker, memberships, progress_review
from apps.goals.status import Status

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_port():
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for client in held:
        client.close()


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Tasks are sent (not run in-process) to a Redis broker at the given port."""
    monkeypatch.setattr(broker, "_paused_until", 0.0)
    apps = []

    def use(port):
        sender = Celery("jinan_targets", set_as_current=False)
        sender.config_from_object("django.conf:settings", namespace="CELERY")
        sender.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False)
        apps.append((current_app._get_current_object(), sender))
        sender.set_current()

    yield use
    for previous, sender in apps:
        previous.set_current()
        sender.close()


@pytest.fixture
def batch(recorder, reviewer, department):
    for user in (recorder, reviewer):
        memberships.user_groups_sync(user=user)
    updates = []
    for _ in range(2):
        goal = GoalFactory(lead_department=department, deadline=datetime.date(2024, 12, 31))
        update = ProgressUpdateFactory(goal=goal, value=Decimal("7000"), recorded_by=recorder)
        progress_review.progress_update_submit(update=update, user=recorder)
        updates.append(update)
    return updates


@pytest.mark.parametrize("broker", ["down", "hung"])
def test_a_batch_of_approvals_succeeds_and_the_sweep_judges_the_goals(
    client, reviewer, batch, broker_at, hung_port, broker, django_capture_on_commit_callbacks
):
    broker_at(closed_port() if broker == "down" else hung_port)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:goals_progressupdate_changelist"),
            {"action": "approve_updates", "_selected_action": [u.pk for u in batch]},
            follow=True,
        )
    assert response.status_code == 200
    assert "2条进展已通过审核 · 2 updates approved" in [str(m) for m in response.context["messages"]]
    assert set(ProgressUpdate.objects.values_list("review_state", flat=True)) == {"approved"}
    goals = Goal.objects.filter(pk__in=[u.goal_id for u in batch])
    assert all(g.evaluation_requested_at is not None and g.status_evaluated_on is None for g in goals)

    assert tasks.evaluate_requested_goals() == 2  # the sweep, as beat runs it every minute

    assert {g.status for g in goals.all()} == {Status.ACHIEVED}
    assert not goals.filter(evaluation_requested_at__isnull=False).exists()
    assert tasks.evaluate_requested_goals() == 0


def test_with_the_broker_up_the_task_judges_the_goal_and_clears_the_mark(
    batch, reviewer, django_capture_on_commit_callbacks
):
    """(In-process tasks stand in for a working broker here; tests/goals/test_worker.py uses a real one.)"""
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_approve(update=batch[0], reviewer=reviewer)
    goal = Goal.objects.get(pk=batch[0].goal_id)
    assert goal.status == Status.ACHIEVED and goal.evaluation_requested_at is None


def test_a_review_email_the_broker_never_got_is_sent_by_the_sweep_once(
    recorder, reviewer, department, broker_at, smtp_server, django_capture_on_commit_callbacks
):
    from apps.goals.models import OwedNotice

    for user in (recorder, reviewer):
        memberships.user_groups_sync(user=user)
    goal = GoalFactory(lead_department=department, deadline=datetime.date(2024, 12, 31))
    update = ProgressUpdateFactory(goal=goal, value=Decimal("7000"), recorded_by=recorder)
    broker_at(closed_port())
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_submit(update=update, user=recorder)
    assert smtp_server.messages == [] and OwedNotice.objects.count() == 1

    assert tasks.send_owed_notices() == 0  # its task may still be on its way: wait a little
    later = datetime.datetime(2024, 7, 15, 10, 6, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(later, tick=False):
        assert tasks.send_owed_notices() == 1
        assert tasks.send_owed_notices() == 0
    [mail] = smtp_server.messages
    assert mail.envelope_to == [reviewer.email] and "提交了新进展，请审核" in mail["Subject"]
    assert not OwedNotice.objects.exists()


def test_with_the_broker_up_nothing_stays_owed_and_a_rolled_back_step_owes_nothing(
    batch, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from apps.goals.models import OwedNotice

    OwedNotice.objects.all().delete()  # the batch's submissions, made without a worker
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_approve(update=batch[0], reviewer=reviewer)
    assert not OwedNotice.objects.exists() and len(smtp_server.messages) == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        progress_review.progress_update_approve(update=batch[1], reviewer=reviewer)
        raise RuntimeError("the step fails after the approval")
    assert not OwedNotice.objects.exists()


def test_a_broken_owed_notice_does_not_hold_up_the_ones_behind_it(
    recorder, reviewer, department, broker_at, smtp_server, django_capture_on_commit_callbacks
):
    from apps.goals.models import OwedNotice

    for user in (recorder, reviewer):
        memberships.user_groups_sync(user=user)
    OwedNotice.objects.create(task="no_such_task", object_id=1, kind="update_submitted", stamp="broken")
    goal = GoalFactory(lead_department=department, deadline=datetime.date(2024, 12, 31))
    update = ProgressUpdateFactory(goal=goal, value=Decimal("7000"), recorded_by=recorder)
    broker_at(closed_port())
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_submit(update=update, user=recorder)

    later = datetime.datetime(2024, 7, 15, 10, 6, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(later, tick=False):
        assert tasks.send_owed_notices() == 1
    assert len(smtp_server.messages) == 1
