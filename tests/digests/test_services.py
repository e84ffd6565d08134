"""The weekly digest (apps/digests/services.py): what a manager reads about their week, and sending it
once per subscriber and week however often, or however many at once, the job runs."""

import datetime
import smtplib
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.utils import timezone

from apps.digests import services, tasks
from apps.digests.models import DigestDelivery
from apps.digests.periods import Frequency, period_starting
from apps.goals.delivery import DeliveryFailed
from apps.goals.models import Goal, GoalKind, ProgressUpdate, StatusChange

from ..concurrency import run_at_once
from ..factories import DepartmentFactory, GoalFactory, ProgressUpdateFactory, UserFactory
from .conftest import PERIOD, SENDING_DAY, WEEK_START, beijing
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


def status_change(goal, when, from_status, to_status):
    return StatusChange.objects.create(
        goal=goal,
        changed_at=when,
        evaluated_on=timezone.localdate(when),
        from_status=from_status,
        to_status=to_status,
        rule_version="1",
        explanation_zh=f"{goal.title}：{to_status}",
        explanation_en=f"{goal.title_en}: {to_status}",
    )


def approved_update(goal, when, value, *, reviewer=None, as_of=datetime.date(2024, 6, 30)):
    return ProgressUpdateFactory(
        goal=goal,
        as_of=as_of,
        value=Decimal(value),
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=when,
        reviewed_by=reviewer,
    )


def sent_text():
    assert len(mail.outbox) == 1
    return mail.outbox[0].body


@pytest.fixture
def subscription(manager, department):
    """The manager's digest, for their own department."""
    return DigestSubscriptionFactory(user=manager, departments=[department])


# --- What the digest says -----------------------------------------------------------------------


def test_the_digest_shows_the_weeks_status_changes_and_approved_figures_of_published_goals(
    subscription, department, reviewer
):
    goal = GoalFactory(
        title="新建5G基站7000个",
        title_en="7,000 new 5G base stations",
        lead_department=department,
        status="at_risk",
    )
    status_change(goal, beijing(datetime.date(2024, 7, 10)), "on_track", "at_risk")
    approved_update(goal, beijing(datetime.date(2024, 7, 11)), "3500", reviewer=reviewer)
    pending = GoalFactory(
        title="未发布的目标",
        title_en="Unpublished goal",
        lead_department=department,
        review_state=Goal.ReviewState.PENDING,
    )
    status_change(pending, beijing(datetime.date(2024, 7, 10)), "on_track", "off_track")
    approved_update(pending, beijing(datetime.date(2024, 7, 11)), "9999")
    for state, value in [("draft", "1111"), ("submitted", "2222"), ("rejected", "3333")]:
        ProgressUpdateFactory(
            goal=goal,
            as_of=datetime.date(2024, 5, 31),
            value=Decimal(value),
            review_state=state,
            reviewed_at=beijing(datetime.date(2024, 7, 12)),
        )

    assert services.digest_send(subscription=subscription, today=SENDING_DAY) is True

    message = mail.outbox[0]
    assert message.to == ["manager@example.com"]
    assert "2024-07-08–2024-07-14" in message.subject
    assert message.subject.endswith(
        "：1 项待审核 · 1 项逾期 — Jinan Targets weekly digest: 1 awaiting review · 1 overdue"
    )
    text = message.body
    assert "新建5G基站7000个 · 7,000 new 5G base stations" in text
    assert "进度正常 → 有风险 · On track → At risk (2024-07-10)" in text
    assert "3500 个，数据截至 · as of 2024-06-30；审核人 · approved by reviewer" in text
    assert f"https://targets.jinan.example/goals/{goal.slug}/" in text
    assert "未发布的目标" not in text and "9999" not in text
    assert "滞后" not in text  # the unpublished goal's change
    # The approved figure is shown as approved; the submitted one as waiting, with its value and age
    # (the digest goes to staff); drafts and returned figures are nobody's business yet.
    assert "1111 个" not in text and "3333 个" not in text
    waiting_section = text.split("待审核的进展 · Waiting for review (1)")[1]
    assert "2222 个，数据截至 · as of 2024-05-31" in waiting_section
    assert "waiting" in waiting_section
    approved_section = text.split("通过审核的进展 · Approved progress updates (1)")[1].split("待审核的进展")[
        0
    ]
    assert "2024-05-31" not in approved_section
    assert "待审核的进展 · Waiting for review (1)" in text
    html = message.alternatives[0][0]
    assert "进度正常 → 有风险" in html and f'href="https://targets.jinan.example/goals/{goal.slug}/"' in html
    assert "未发布的目标" not in html


def test_the_week_runs_from_monday_midnight_to_sunday_midnight_beijing_time(subscription, department):
    goal = GoalFactory(lead_department=department)
    before = GoalFactory(title="上周日的变化", lead_department=department)
    first = GoalFactory(title="周一零点的变化", lead_department=department)
    last = GoalFactory(title="周日深夜的变化", lead_department=department)
    after = GoalFactory(title="本周一的变化", lead_department=department)
    status_change(before, beijing(datetime.date(2024, 7, 7), 23, 59), "on_track", "at_risk")
    status_change(first, beijing(WEEK_START, 0, 0), "on_track", "at_risk")
    status_change(last, beijing(datetime.date(2024, 7, 14), 23, 59), "on_track", "at_risk")
    status_change(after, beijing(SENDING_DAY, 0, 0), "on_track", "at_risk")
    status_change(goal, beijing(datetime.date(2024, 7, 14), 23, 59), "on_track", "off_track")

    [section] = services.digest_build(subscription=subscription, period=PERIOD).sections

    assert [line.goal.title for line in section.other_changes.lines] == ["周一零点的变化", "周日深夜的变化"]
    assert [line.goal.title for line in section.turned_red.lines] == [goal.title]


def test_a_department_digest_covers_goals_the_department_leads_or_supports(subscription, department):
    led = GoalFactory(title="牵头的目标", lead_department=department)
    supported = GoalFactory(title="配合的目标")
    supported.supporting_departments.add(department, DepartmentFactory())
    elsewhere = GoalFactory(title="别的单位的目标")
    for goal in (led, supported, elsewhere):
        status_change(goal, beijing(datetime.date(2024, 7, 9)), "on_track", "at_risk")

    digest = services.digest_build(subscription=subscription, period=PERIOD)
    everything = services.digest_build(
        subscription=DigestSubscriptionFactory(user=UserFactory(username="city", is_superuser=True)),
        period=PERIOD,  # no departments: all of them (a superuser's)
    )

    assert [line.goal.title for line in digest.sections[0].other_changes.lines] == [
        "牵头的目标",
        "配合的目标",
    ]
    assert everything.sections[0].other_changes.total == 3
    assert everything.departments == [] and digest.departments == ["济南市大数据局（Big Data Bureau）"]


def test_deadlines_in_the_30_days_after_sending_are_listed_unless_already_met(subscription, department):
    GoalFactory(
        title="月底到期", lead_department=department, deadline=datetime.date(2024, 7, 31), status="at_risk"
    )
    GoalFactory(
        title="已完成的", lead_department=department, deadline=datetime.date(2024, 7, 20), status="achieved"
    )
    GoalFactory(title="九月到期", lead_department=department, deadline=datetime.date(2024, 9, 30))
    GoalFactory(
        title="已过期",
        lead_department=department,
        deadline=datetime.date(2024, 7, 14),
        period_start=datetime.date(2024, 1, 1),
    )

    services.digest_send(subscription=subscription, today=SENDING_DAY)

    text = sent_text()
    assert "30 天内到期 · Deadlines in the next 30 days (1)" in text
    deadlines = text.split("30 天内到期 · Deadlines in the next 30 days (1)")[1].split("目标状态")[0]
    assert "- 2024-07-31 月底到期" in deadlines and "有风险 · At risk；目标 · target ≥ 7000 个" in deadlines
    assert "已完成的" not in deadlines and "九月到期" not in deadlines and "已过期" not in deadlines
    assert "目标状态（截至 2024-07-14） · Goals by status at the end of 2024-07-14 (4)" in text
    assert "已达成 · Achieved: 1" in text


def test_a_week_without_changes_still_sends_a_short_digest_saying_so(subscription, department):
    goal = GoalFactory(lead_department=department)
    status_change(goal, beijing(datetime.date(2024, 7, 1)), "on_track", "at_risk")  # the week before

    assert services.digest_send(subscription=subscription, today=SENDING_DAY) is True

    message = mail.outbox[0]
    # Nothing changed, but a figure is overdue: the subject says what waits, not "nothing changed".
    assert message.subject.endswith("：1 项逾期 — Jinan Targets weekly digest: 1 overdue")
    assert (
        "Nothing changed this week: no goal changed status and no progress update was approved."
        in message.body
    )
    assert "状态变化 · " not in message.body and "转为红灯" not in message.body
    assert "Nothing changed this week" in message.alternatives[0][0]


def test_a_digest_period_starts_on_a_monday():
    with pytest.raises(ValueError, match="Monday"):
        period_starting(Frequency.WEEKLY, datetime.date(2024, 7, 9))


@pytest.mark.parametrize(
    ("today", "week_start"),
    [
        (datetime.date(2024, 7, 15), datetime.date(2024, 7, 8)),  # Monday: the week just ended
        (datetime.date(2024, 7, 21), datetime.date(2024, 7, 8)),  # Sunday: still the last full week
        (datetime.date(2024, 7, 22), datetime.date(2024, 7, 15)),
        (datetime.date(2025, 1, 1), datetime.date(2024, 12, 23)),
    ],
)
def test_the_weekly_digest_reports_the_last_full_week(today, week_start):
    assert services.digest_week_start(today) == week_start


# --- Sending once -------------------------------------------------------------------------------


def test_running_the_weekly_job_twice_sends_each_subscriber_one_email(subscription):
    other = DigestSubscriptionFactory(user=UserFactory(username="other_manager", is_superuser=True))
    DigestSubscriptionFactory(is_active=False)
    DigestSubscriptionFactory(user=UserFactory(username="left", is_active=False))
    DigestSubscriptionFactory(user=UserFactory(username="no_address", email=""))

    assert services.digests_send_due(today=SENDING_DAY) == 2
    assert services.digests_send_due(today=SENDING_DAY) == 0
    assert tasks.send_weekly_digests() == 0  # the task, on the same Monday (frozen time)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "manager@example.com",
        "other_manager@example.com",
    ]
    assert set(DigestDelivery.objects.values_list("subscription", "week_start")) == {
        (subscription.pk, WEEK_START),
        (other.pk, WEEK_START),
    }
    # Next Monday is another week.
    assert services.digests_send_due(today=SENDING_DAY + datetime.timedelta(days=7)) == 2


def test_a_failed_send_leaves_no_delivery_so_a_retry_sends(subscription, monkeypatch):
    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with pytest.raises(DeliveryFailed, match="connection lost"):
            services.digest_send(subscription=subscription, today=SENDING_DAY)
    assert not DigestDelivery.objects.exists()
    assert mail.outbox == []

    assert services.digest_send(subscription=subscription, today=SENDING_DAY) is True
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().week_start == WEEK_START


def test_one_failing_subscriber_does_not_stop_the_others_and_the_rerun_sends_only_theirs(
    subscription, monkeypatch
):
    DigestSubscriptionFactory(user=UserFactory(username="bounces", is_superuser=True))
    DigestSubscriptionFactory(user=UserFactory(username="zhang", is_superuser=True))
    original = locmem.EmailBackend.send_messages

    def refuse_one(backend, messages):
        if messages[0].to == ["bounces@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"bounces@example.com": (550, b"mailbox unavailable")})
        return original(backend, messages)

    with monkeypatch.context() as patched:
        patched.setattr(locmem.EmailBackend, "send_messages", refuse_one)
        with pytest.raises(services.DigestsNotAllSent, match="1 weekly digests .* were not sent"):
            services.digests_send_due(today=SENDING_DAY)
    assert sorted(message.to[0] for message in mail.outbox) == ["manager@example.com", "zhang@example.com"]

    assert services.digests_send_due(today=SENDING_DAY) == 1
    assert mail.outbox[-1].to == ["bounces@example.com"]
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_email(manager, department, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers anyway")
    subscription = DigestSubscriptionFactory(user=manager, departments=[department])
    # Both runs get past the "already sent?" check before either claims the week.
    both_checked = threading.Barrier(2)
    build = services.digest_build

    def build_after_both_checked(**kwargs):
        both_checked.wait(timeout=10)
        return build(**kwargs)

    monkeypatch.setattr(services, "digest_build", build_after_both_checked)
    results, errors = run_at_once(lambda: services.digest_send(subscription=subscription, today=SENDING_DAY))

    assert not errors
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.count() == 1


# --- Query count --------------------------------------------------------------------------------


def changed_goals(count, department):
    """`count` published goals of the department, each with a status change, an approved figure and a
    submitted one in the week, and a deadline within 30 days; in a handful of bulk inserts."""
    goals = Goal.objects.bulk_create(
        [
            Goal(
                slug=f"bulk-{i}",
                title=f"新建设施{i}个",
                title_en=f"{i} new facilities",
                metric="新建设施",
                kind=GoalKind.INCREMENT,
                target_value=Decimal(100 + i),
                unit="个",
                unit_magnitude=Decimal(1),
                period_start=datetime.date(2024, 1, 1),
                deadline=datetime.date(2024, 8, 1),
                review_state=Goal.ReviewState.PUBLISHED,
                status="at_risk",
                lead_department=department,
            )
            for i in range(count)
        ]
    )
    when = beijing(datetime.date(2024, 7, 10))
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                goal=goal,
                changed_at=when,
                evaluated_on=when.date(),
                from_status="on_track",
                to_status="at_risk",
                rule_version="1",
            )
            for goal in goals
        ]
    )
    reviewer = UserFactory(username="bulk_reviewer")
    ProgressUpdate.objects.bulk_create(
        [
            update
            for goal in goals
            for update in (
                ProgressUpdate(
                    goal=goal,
                    as_of=datetime.date(2024, 6, 30),
                    value=Decimal(50),
                    reviewed_at=when,
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                    reviewed_by=reviewer,
                ),
                ProgressUpdate(
                    goal=goal,
                    as_of=datetime.date(2024, 7, 7),
                    value=Decimal(60),
                    recorded_by=reviewer,
                    review_state=ProgressUpdate.ReviewState.SUBMITTED,
                ),
            )
        ]
    )


@pytest.mark.parametrize("count", [5, 50])
def test_building_and_sending_a_digest_takes_the_same_few_queries_for_5_or_50_goals(
    count, subscription, department, django_assert_max_num_queries
):
    changed_goals(count, department)

    # exists?, departments, the reader's memberships; turned red, other changes, approved, waiting,
    # overdue explanations, deadlines, figure schedule, goals listed, counts at the week's end;
    # savepoint, claim, release; settle
    with django_assert_max_num_queries(16):
        assert services.digest_send(subscription=subscription, today=SENDING_DAY) is True

    text = sent_text()
    assert f"其他状态变化 · Other status changes ({count})" in text
    assert f"通过审核的进展 · Approved progress updates ({count})" in text
    assert f"待审核的进展 · Waiting for review ({count})" in text
    assert f"30 天内到期 · Deadlines in the next 30 days ({count})" in text
