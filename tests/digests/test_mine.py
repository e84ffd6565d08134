"""A manager sets their own digest subscription in the admin: on or off, and which departments."""

import pytest

from apps.digests.models import DigestSubscription

pytestmark = pytest.mark.django_db

MINE = "/admin/digests/digestsubscription/mine/"


def test_a_manager_subscribes_chooses_departments_and_stops(client, manager, department, other_department):
    client.force_login(manager)
    assert 'data-testid="my-digest"' in client.get("/admin/").content.decode()
    page = client.get(MINE)
    assert page.status_code == 200 and "济南市大数据局" in page.content.decode()

    client.post(MINE, {"is_active": "on", "departments": [department.pk]})
    subscription = DigestSubscription.objects.get(user=manager)
    assert subscription.is_active and list(subscription.departments.all()) == [department]
    token = subscription.unsubscribe_token

    client.post(MINE, {})  # unticked, no departments
    subscription.refresh_from_db()
    assert not subscription.is_active and not subscription.departments.exists()
    assert subscription.unsubscribe_token == token


def test_one_person_cannot_touch_another_subscription(client, manager, recorder):
    client.force_login(recorder)
    client.post(MINE, {"is_active": "on"})
    assert list(DigestSubscription.objects.values_list("user__username", flat=True)) == ["recorder"]


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={MINE}"
