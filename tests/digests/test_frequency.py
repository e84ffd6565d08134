"""A manager chooses weekly or monthly digests (in their own subscription page or, for anyone, in the
admin); the Monday job sends each subscriber the digest due to them, once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from apps.digests import tasks
from apps.digests.models import DigestDelivery, DigestSubscription
from apps.digests.periods import Frequency
from apps.goals.models import StatusChange

from ..factories import GoalFactory, UserFactory
from .conftest import beijing
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_MONDAY = D(2024, 8, 5)  # August's first Monday


def red_in_july(department):
    goal = GoalFactory(title="七月变红的目标", lead_department=department, latest_as_of=D(2024, 7, 1))
    StatusChange.objects.create(
        goal=goal,
        changed_at=beijing(D(2024, 7, 10)),
        evaluated_on=D(2024, 7, 10),
        from_status="on_track",
        to_status="off_track",
        actual_value=Decimal("3000"),
        rule_version="3",
    )


def test_on_a_first_monday_monthly_subscribers_get_the_month_and_weekly_ones_the_week(manager, department):
    weekly = DigestSubscriptionFactory(user=UserFactory(username="weekly"), departments=[department])
    monthly = DigestSubscriptionFactory(user=manager, departments=[department], frequency=Frequency.MONTHLY)
    red_in_july(department)

    with time_machine.travel(beijing(FIRST_MONDAY, 8), tick=False):
        assert tasks.send_weekly_digests() == 2
        assert tasks.send_weekly_digests() == 0

    by_address = {message.to[0]: message for message in mail.outbox}
    month = by_address["manager@example.com"]
    assert month.subject.startswith(
        "济南目标月报 2024-07-01–2024-08-04：1 项转红 — Jinan Targets monthly digest"
    )
    assert "Jinan Targets · monthly digest" in month.body
    assert "本月转为红灯 · Turned red this month (1)" in month.body and "七月变红的目标" in month.body
    assert "目标状态（截至 2024-08-04）" in month.body
    week = by_address["weekly@example.com"]
    assert week.subject.startswith("济南目标周报 2024-07-29–2024-08-04：本周无变化")
    assert set(DigestDelivery.objects.values_list("subscription", "week_start", "frequency")) == {
        (weekly.pk, D(2024, 7, 29), "weekly"),
        (monthly.pk, D(2024, 7, 1), "monthly"),
    }


def test_on_other_mondays_only_weekly_subscribers_get_a_digest(manager, department):
    DigestSubscriptionFactory(user=manager, frequency=Frequency.MONTHLY)
    DigestSubscriptionFactory(user=UserFactory(username="weekly", is_superuser=True))

    with time_machine.travel(beijing(D(2024, 8, 12), 8), tick=False):
        assert tasks.send_weekly_digests() == 1

    assert [message.to for message in mail.outbox] == [["weekly@example.com"]]


def test_a_monthly_digest_missed_on_its_monday_goes_out_later_that_week_not_after(manager):
    DigestSubscriptionFactory(user=manager, frequency=Frequency.MONTHLY)

    with time_machine.travel(beijing(D(2024, 8, 8), 8), tick=False):
        assert tasks.send_weekly_digests() == 1
    with time_machine.travel(beijing(D(2024, 8, 12), 8), tick=False):
        assert tasks.send_weekly_digests() == 0

    assert len(mail.outbox) == 1


def test_switching_from_weekly_to_monthly_still_sends_the_month(manager):
    subscription = DigestSubscriptionFactory(user=manager)
    # The week that began on July's first Monday was sent weekly.
    DigestDelivery.objects.create(subscription=subscription, week_start=D(2024, 7, 1))
    DigestSubscription.objects.filter(pk=subscription.pk).update(frequency=Frequency.MONTHLY)

    with time_machine.travel(beijing(FIRST_MONDAY, 8), tick=False):
        assert tasks.send_weekly_digests() == 1

    assert "2024-07-01–2024-08-04" in mail.outbox[0].subject


def test_a_manager_chooses_monthly_on_their_own_page(client, manager, department):
    client.force_login(manager)
    page = client.get("/admin/digests/digestsubscription/mine/").content.decode()
    assert "每月（每月第一个周一发送上个月）" in page and "monthly (the first Monday of the month" in page

    client.post(
        "/admin/digests/digestsubscription/mine/",
        {"is_active": "on", "frequency": "monthly", "departments": [department.pk]},
    )
    subscription = DigestSubscription.objects.get(user=manager)
    assert subscription.frequency == Frequency.MONTHLY

    client.post("/admin/digests/digestsubscription/mine/", {"is_active": "on"})  # frequency left out
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.MONTHLY and not subscription.departments.exists()
    assert client.post("/admin/digests/digestsubscription/mine/", {"frequency": "daily"}).status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.MONTHLY  # an unknown choice is refused


def test_an_administrator_sets_anyones_frequency_in_the_admin(client, admin_user, manager):
    subscription = DigestSubscriptionFactory(user=manager)
    client.force_login(admin_user)
    url = f"/admin/digests/digestsubscription/{subscription.pk}/change/"

    assert 'name="frequency"' in client.get(url).content.decode()
    client.post(url, {"user": manager.pk, "is_active": "on", "frequency": "monthly"})

    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.MONTHLY
    listing = client.get("/admin/digests/digestsubscription/?frequency__exact=monthly").content.decode()
    assert "manager" in listing


def test_the_admin_action_sends_a_monthly_subscriber_their_last_month(client, admin_user, manager):
    subscription = DigestSubscriptionFactory(user=manager, frequency=Frequency.MONTHLY)

    with time_machine.travel(beijing(D(2024, 8, 20), 10), tick=False):  # mid-month: still July's
        client.force_login(admin_user)
        response = client.post(
            "/admin/digests/digestsubscription/",
            {"action": "send_digest_now", "_selected_action": [subscription.pk]},
            follow=True,
        )

    assert "已发送 1 份" in str(list(response.context["messages"])[0])
    assert mail.outbox[0].subject.startswith("济南目标月报 2024-07-01–2024-08-04")
    assert DigestDelivery.objects.get().frequency == "monthly"
