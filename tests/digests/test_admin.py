"""Staff tools for the weekly digest (apps/digests/admin.py and the send_digests command): both call the
same service as the Monday job, so neither sends a week twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from apps.digests.models import DigestDelivery, DigestSubscription
from apps.goals.models import Jurisdiction

from ..factories import UserFactory
from .conftest import WEEK_START
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/digests/digestsubscription/"


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_send_this_weeks_digest_now_sends_last_weeks_digest_once(staff_client, manager):
    subscription = DigestSubscriptionFactory(user=manager)
    stopped = DigestSubscriptionFactory(user=UserFactory(username="stopped"), is_active=False)
    action = {"action": "send_digest_now", "_selected_action": [subscription.pk, stopped.pk]}

    first = staff_client.post(CHANGELIST, action, follow=True)
    second = staff_client.post(CHANGELIST, action, follow=True)

    assert [message.to for message in mail.outbox] == [["manager@example.com"]]
    assert DigestDelivery.objects.get().week_start == WEEK_START
    first_messages = [str(message) for message in first.context["messages"]]
    assert (
        "已发送 1 份（周报为 2024-07-08 起的一周） · Sent 1 digests (weekly ones for the week of 2024-07-08)."
        in first_messages
    )
    assert any("1 skipped" in message for message in first_messages)
    assert any("1 had already been sent" in str(message) for message in second.context["messages"])


def test_the_subscription_list_shows_scope_and_last_week_sent(staff_client, manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    DigestSubscriptionFactory(user=UserFactory(username="never_sent"), is_active=False)
    call_command("send_digests", "--date", "2024-07-15", stdout=StringIO())

    page = staff_client.get(CHANGELIST).content.decode()

    assert '<td class="field-scope">济南市大数据局</td>' in page
    assert '<td class="field-scope">全部单位 · all departments</td>' in page
    assert '<td class="field-last_week_sent nowrap">2024年7月8日</td>' in page
    assert '<td class="field-last_week_sent">—</td>' in page


def test_deliveries_are_read_only(staff_client, manager):
    delivery = DigestDelivery.objects.create(
        subscription=DigestSubscriptionFactory(user=manager), week_start=WEEK_START
    )

    assert staff_client.get("/admin/digests/digestdelivery/").status_code == 200
    assert staff_client.get("/admin/digests/digestdelivery/add/").status_code == 403
    assert (
        staff_client.post(f"/admin/digests/digestdelivery/{delivery.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert DigestDelivery.objects.filter(pk=delivery.pk).exists()


def test_the_command_sends_the_week_before_the_given_date_and_not_again(manager):
    DigestSubscriptionFactory(user=manager)
    out = StringIO()

    call_command("send_digests", "--date", "2024-07-17", stdout=out)
    call_command("send_digests", "--date", "2024-07-17", stdout=out)

    assert out.getvalue().splitlines() == [
        "Sent 1 digests (weekly 2024-07-08 to 2024-07-14).",
        "Sent 0 digests (weekly 2024-07-08 to 2024-07-14).",
    ]
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().week_start == datetime.date(2024, 7, 8)


def test_the_command_rejects_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "15/07/2024")


def test_only_superusers_see_the_citizens_following_and_can_stop_their_emails(client, admin_user, manager):
    from django.utils import timezone

    from apps.digests.models import Follower

    from ..factories import GoalFactory

    goal = GoalFactory()
    following = Follower.objects.create(goal=goal, email="citizen@example.com", confirmed_at=timezone.now())
    Follower.objects.create(goal=goal, email="asked@example.com")
    page = "/admin/digests/follower/"

    client.force_login(manager)  # staff, a manager of a department
    assert client.get(page).status_code == 403
    assert "citizen@example.com" not in client.get("/admin/").content.decode()

    client.force_login(admin_user)
    listed = client.get(page + "?state=following").content.decode()
    assert "citizen@example.com" in listed and "asked@example.com" not in listed
    response = client.post(page, {"action": "stop_emails", "_selected_action": [following.pk]}, follow=True)
    assert "已退订 1 个 · 1 stopped" in response.content.decode()
    following.refresh_from_db()
    assert following.unsubscribed_at is not None
    assert not Follower.objects.following().exists()


def test_an_administrator_sets_a_digest_by_place_in_the_admin(staff_client, manager):
    subscription = DigestSubscription.objects.create(user=manager)
    url = f"/admin/digests/digestsubscription/{subscription.pk}/change/"
    assert 'name="places_of"' in staff_client.get(url).content.decode()
    jinan = Jurisdiction.objects.home()
    response = staff_client.post(
        url, {"user": manager.pk, "is_active": "on", "frequency": "weekly", "places_of": jinan.pk}
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.places_of == jinan
