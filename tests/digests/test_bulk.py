"""Sending the weekly digest to many subscribers: each scope's digest is built once, every list is
capped with a link to the rest, one SMTP connection serves many messages, and the weekly task spreads
the subscribers over chunk tasks."""

import pytest
from django.core import mail

from apps.digests import building, services, tasks
from apps.digests.models import DigestDelivery

from ..factories import DepartmentFactory, UserFactory
from .conftest import SENDING_DAY, WEEK_START
from .factories import DigestSubscriptionFactory
from .test_services import changed_goals

pytestmark = pytest.mark.django_db


def subscribers(count, departments=()):
    return [
        DigestSubscriptionFactory(
            # all departments: a city-wide reader (scope.py)
            user=UserFactory(username=f"{prefix}{n}", is_superuser=not departments),
            departments=list(departments),
        )
        for n in range(count)
        for prefix in [f"scope{len(departments)}-"]
    ]


def test_each_list_shows_its_first_lines_its_total_and_a_link_to_the_rest(department):
    changed_goals(building.LIST_LIMIT + 5, department)
    subscribers(1, [department])

    assert services.digests_send_due(today=SENDING_DAY) == 1

    text = mail.outbox[0].body
    total = building.LIST_LIMIT + 5
    assert f"其他状态变化 · Other status changes ({total})" in text
    assert f"通过审核的进展 · Approved progress updates ({total})" in text
    # other changes, approved, waiting, deadlines, figures overdue (never reported since January)
    assert text.count("…另有 5 条 · 5 more:") == 5
    full = (
        "/admin/digests/digestsubscription/full/?period=2024-07-08&frequency=weekly&list=approved"
        f"&department={department.pk}"
    )
    assert full in text
    html = mail.outbox[0].alternatives[0][0]
    assert html.count("5 more") == 5
    assert len(text) < 30_000  # an email a manager reads, whatever the week held


def test_a_scope_is_built_once_for_all_its_subscribers_who_each_get_their_own_links(department, monkeypatch):
    other = DepartmentFactory()
    changed_goals(3, department)
    everyone = subscribers(3) + subscribers(2, [department]) + subscribers(2, [department, other])
    builds, connections = [], []
    build, connect = services.digest_build_for_scope, services.get_connection
    monkeypatch.setattr(services, "digest_build_for_scope", lambda **kw: builds.append(kw) or build(**kw))
    monkeypatch.setattr(services, "get_connection", lambda **kw: connections.append(1) or connect(**kw))

    assert services.digests_send_due(today=SENDING_DAY) == 7

    assert len(builds) == 3  # all departments; one department; two departments
    assert len(connections) == 1  # one chunk, one SMTP connection
    by_address = {message.to[0]: message for message in mail.outbox}
    for subscription in everyone:
        message = by_address[subscription.user.email]
        link = subscription.get_unsubscribe_url()
        assert link in message.body and link in message.alternatives[0][0]
        assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert services.UNSUBSCRIBE_MARK not in message.body + message.alternatives[0][0]


def test_the_weekly_task_sends_in_chunks_and_a_rerun_sends_nothing(department, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    subscribers(5, [department])
    connections = []
    connect = services.get_connection
    monkeypatch.setattr(services, "get_connection", lambda **kw: connections.append(1) or connect(**kw))

    assert tasks.send_weekly_digests() == 5  # queued in chunks; eager here, so sent at once

    assert len(mail.outbox) == 5 and len(connections) == 3
    assert DigestDelivery.objects.filter(week_start=WEEK_START).count() == 5
    assert tasks.send_weekly_digests() == 0
    assert len(mail.outbox) == 5
