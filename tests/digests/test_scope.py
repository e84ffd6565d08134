"""A digest lists figures still waiting for review, with their values: it covers only departments
whose unreviewed figures its reader may see in the admin (their own), never another's drafts."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from apps.digests import services
from apps.digests.models import DigestSubscription
from apps.digests.scope import ALL, digest_scope
from apps.goals.models import ProgressUpdate

from ..factories import GoalFactory, ProgressUpdateFactory, UserFactory
from .conftest import PERIOD, SENDING_DAY
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("chosen", "member_of", "is_superuser", "scope"),
    [
        ([1, 2], {1, 2, 3}, False, (1, 2)),
        ([1, 2], {2}, False, (2,)),  # a department left, or chosen by someone else: dropped
        ([], {3, 1}, False, (1, 3)),  # none chosen: all of the reader's own
        ([4], {1}, False, None),  # none of them the reader's: no digest
        ([], set(), False, None),
        ([], set(), True, ALL),  # only a superuser reads every department
        ([4], set(), True, (4,)),
    ],
)
def test_the_scope_is_what_was_chosen_within_what_the_reader_may_see(chosen, member_of, is_superuser, scope):
    assert digest_scope(chosen, member_of=frozenset(member_of), is_superuser=is_superuser) == scope


@pytest.fixture
def drafts(department, other_department):
    """A figure waiting for review in each department."""
    for owner, value in ((department, "1111"), (other_department, "9999")):
        ProgressUpdateFactory(
            goal=GoalFactory(lead_department=owner, deadline=datetime.date(2024, 12, 31)),
            as_of=datetime.date(2024, 6, 30),
            value=Decimal(value),
            review_state=ProgressUpdate.ReviewState.SUBMITTED,
        )


def test_a_subscription_to_another_department_sends_only_the_readers_own(manager, other_department, drafts):
    subscription = DigestSubscriptionFactory(user=manager)
    subscription.departments.set([other_department])  # set by an administrator, or a membership that ended

    assert services.digests_send_due(today=SENDING_DAY) == 0
    assert mail.outbox == []

    subscription.departments.set([])  # all: for a manager, all of their own
    assert services.digests_send_due(today=SENDING_DAY) == 1
    [email] = mail.outbox
    assert "1111" in email.body and "9999" not in email.body
    assert "9999" not in email.alternatives[0][0]


def test_a_staff_member_of_no_department_gets_no_digest(drafts):
    reader = UserFactory(username="nobody", is_staff=True)
    subscription = DigestSubscriptionFactory(user=reader)
    assert services.digest_build(subscription=subscription, period=PERIOD) is None
    assert services.digests_send_due(today=SENDING_DAY) == 0 and mail.outbox == []


def test_a_superuser_reads_every_department(admin_user, drafts):
    DigestSubscriptionFactory(user=admin_user)
    assert services.digests_send_due(today=SENDING_DAY) == 1
    assert "1111" in mail.outbox[0].body and "9999" in mail.outbox[0].body


def test_the_full_lists_of_another_department_or_of_all_are_not_shown(
    client, manager, department, other_department, drafts
):
    client.force_login(manager)
    base = "/admin/digests/digestsubscription/full/?period=2024-07-08&list=waiting"
    own = client.get(f"{base}&department={department.pk}")
    assert own.status_code == 200
    assert "1111" in own.content.decode() and "9999" not in own.content.decode()  # its own waiting figure
    assert client.get(f"{base}&department={other_department.pk}").status_code == 404
    assert client.get(base).status_code == 404  # all departments


def test_the_own_subscription_page_offers_only_the_readers_departments(client, manager, other_department):
    client.force_login(manager)
    page = client.get("/admin/digests/digestsubscription/mine/").content.decode()
    assert "济南市大数据局" in page and other_department.name not in page
    response = client.post(
        "/admin/digests/digestsubscription/mine/", {"is_active": "on", "departments": [other_department.pk]}
    )
    assert response.status_code == 200  # the form says the choice is not available
    assert not DigestSubscription.objects.filter(user=manager, departments=other_department).exists()


def test_a_malformed_department_in_a_full_list_address_is_not_found(client, manager):
    client.force_login(manager)
    page = client.get("/admin/digests/digestsubscription/full/?period=2024-07-08&department=abc")
    assert page.status_code == 404
