"""Unsubscribing from the weekly digest (apps/digests/views.py): from the link in the email, and with a
mail client's one-click button (the List-Unsubscribe header)."""

import email

import pytest
from django.core import mail
from django.test import Client

from apps.digests import services
from apps.digests.models import DigestSubscription

from .conftest import SENDING_DAY
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(manager):
    return DigestSubscriptionFactory(user=manager)


@pytest.fixture
def mail_client():
    """A mail client or browser with no session and no CSRF cookie, which Django would otherwise demand."""
    return Client(enforce_csrf_checks=True)


def unsubscribe_path(subscription):
    return f"/digests/unsubscribe/{subscription.unsubscribe_token}/"


def test_the_digest_carries_a_one_click_unsubscribe_header_and_link(subscription):
    services.digest_send(subscription=subscription, today=SENDING_DAY)

    message = mail.outbox[0]
    url = f"https://targets.jinan.example{unsubscribe_path(subscription)}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = email.message_from_bytes(message.message().as_bytes())  # as it goes over the wire
    assert sent["List-Unsubscribe"].strip() == f"<{url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and f'href="{url}"' in message.alternatives[0][0]


def test_opening_the_link_asks_before_unsubscribing(subscription, mail_client):
    response = mail_client.get(unsubscribe_path(subscription))

    assert response.status_code == 200
    assert "确认退订 · Unsubscribe" in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active


def test_confirming_unsubscribes_and_no_more_digests_are_sent(subscription, mail_client):
    response = mail_client.post(unsubscribe_path(subscription), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "已退订" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert services.digests_send_due(today=SENDING_DAY) == 0
    assert mail.outbox == []


def test_a_mail_clients_one_click_post_unsubscribes_and_repeating_it_is_harmless(subscription, mail_client):
    for _ in range(2):
        response = mail_client.post(
            unsubscribe_path(subscription),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200

    assert not DigestSubscription.objects.get(pk=subscription.pk).is_active
    assert "已退订" in mail_client.get(unsubscribe_path(subscription)).content.decode()


def test_an_unknown_token_is_not_found(subscription, mail_client):
    assert mail_client.get("/digests/unsubscribe/not-a-token/").status_code == 404
    assert mail_client.post("/digests/unsubscribe/not-a-token/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active


def test_other_methods_are_refused(subscription, mail_client):
    assert mail_client.put(unsubscribe_path(subscription)).status_code == 405
    subscription.refresh_from_db()
    assert subscription.is_active
