"""A digest's subject says what waits for the reader (apps/digests/building.py, Digest.headline, and
templates/emails/weekly_digest_subject.txt): figures awaiting review, goals turned red, figures overdue;
what changed when nothing waits; "nothing changed" only when nothing waits and nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from apps.digests import services
from apps.goals.models import ProgressUpdate

from ..factories import GoalFactory, ProgressUpdateFactory
from .conftest import SENDING_DAY, beijing
from .factories import DigestSubscriptionFactory
from .test_digest_actionable import change, reported

pytestmark = pytest.mark.django_db

D = datetime.date
PREFIX = "济南目标周报 2024-07-08–2024-07-14："


@pytest.fixture
def subscribed(manager, department):
    return DigestSubscriptionFactory(user=manager, departments=[department])


def subject() -> str:
    services.digests_send_due(today=SENDING_DAY)
    [message] = mail.outbox
    return message.subject


def submitted(goal, count):
    for n in range(count):
        ProgressUpdateFactory(
            goal=goal,
            as_of=D(2024, 6, 1) + datetime.timedelta(days=n),
            value=Decimal(100 + n),
            review_state=ProgressUpdate.ReviewState.SUBMITTED,
        )


def test_figures_awaiting_review_and_goals_turned_red_lead_the_subject(subscribed, department):
    waiting = reported(title="待审核的目标", lead_department=department)
    submitted(waiting, 5)
    for n in range(2):
        change(
            reported(title=f"变红的目标{n}", lead_department=department),
            beijing(D(2024, 7, 10)),
            "at_risk",
            "off_track",
        )
    ProgressUpdateFactory(  # approved in the week: a change, but nothing waits on it
        goal=waiting, as_of=D(2024, 5, 31), review_state="approved", reviewed_at=beijing(D(2024, 7, 11))
    )

    assert (
        subject()
        == PREFIX + "5 项待审核 · 2 项转红 — Jinan Targets weekly digest: 5 awaiting review · 2 turned red"
    )


def test_a_week_where_figures_wait_but_nothing_changed_does_not_say_nothing_changed(subscribed, department):
    submitted(reported(title="待审核的目标", lead_department=department), 1)

    assert subject() == PREFIX + "1 项待审核 — Jinan Targets weekly digest: 1 awaiting review"


def test_when_nothing_waits_the_subject_says_what_changed(subscribed, department):
    goal = reported(title="通过审核的目标", lead_department=department)
    for day in (10, 11):
        ProgressUpdateFactory(
            goal=goal, as_of=D(2024, 6, day), review_state="approved", reviewed_at=beijing(D(2024, 7, day))
        )
    change(goal, beijing(D(2024, 7, 11)), "at_risk", "on_track")

    assert subject() == PREFIX + (
        "2 条进展通过审核 · 1 项状态变化 — Jinan Targets weekly digest: 2 figures approved · 1 status change"
    )


def test_nothing_changed_only_when_nothing_waits_and_nothing_changed(subscribed, department):
    goal = reported(title="平静的目标", lead_department=department)
    change(goal, beijing(D(2024, 7, 1)), "on_track", "at_risk")  # the week before

    assert subject() == PREFIX + "本周无变化 — Jinan Targets weekly digest: nothing changed"


def test_overdue_figures_wait_for_the_reader_too(subscribed, department):
    GoalFactory(
        title="该报未报的目标", lead_department=department, latest_as_of=D(2024, 1, 31), stale_after_days=90
    )

    assert subject() == PREFIX + "1 项逾期 — Jinan Targets weekly digest: 1 overdue"
