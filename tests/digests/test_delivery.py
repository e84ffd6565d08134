"""Digest delivery against real SMTP servers (aiosmtpd, and a bare socket that never greets) failing
in each way a mail server can: at most once per subscriber and week, a failure before the server took
the message is retried, one after it is left for staff as "outcome unknown", a hung server cannot
hold the job (EMAIL_TIMEOUT), and no database transaction is open while the server is talked to."""

import asyncio
import socket
import threading
from email import message_from_bytes

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from django.urls import reverse

from apps.digests import services
from apps.digests.models import DigestDelivery
from apps.goals.delivery import DeliveryFailed

from ..factories import UserFactory
from .conftest import PERIOD, SENDING_DAY, WEEK_START, beijing
from .factories import DigestSubscriptionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """An aiosmtpd server that stores what it is given and then behaves as `mode` says:
    "ok", "refuse" (550 at RCPT), "drop" (stores the message, then hangs up without answering) or
    "silent" (stores it and never answers)."""

    def __init__(self, mode="ok"):
        self.mode = mode
        self.messages = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content))
        if self.mode == "drop":
            server.transport.close()
        elif self.mode == "silent":
            await asyncio.sleep(5)
        return "250 2.0.0 stored"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class SilentSocket:
    """A server that accepts connections and never says a word (not even the greeting). It notes
    whether the sending thread's database connection was inside a transaction when it connected."""

    def __init__(self, db_connection):
        self.db_connection = db_connection
        self.in_transaction = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.held = []

    def _serve(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.in_transaction.append(self.db_connection.in_atomic_block)
            self.held.append(client)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()
        for client in self.held:
            client.close()


@pytest.fixture
def smtp(settings):
    def use(port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
        settings.EMAIL_USE_TLS = False

    return use


@pytest.fixture
def subscriber(manager):
    return DigestSubscriptionFactory(user=manager)


def test_a_working_server_gets_each_digest_once(smtp, subscriber):
    with MailServer() as server:
        smtp(server.controller.port)
        assert services.digests_send_due(today=SENDING_DAY) == 1
        assert services.digests_send_due(today=SENDING_DAY) == 0
    assert [m["To"] for m in server.messages] == ["manager@example.com"]
    delivery = DigestDelivery.objects.get()
    assert (delivery.state, delivery.sent_at is not None) == (DigestDelivery.State.SENT, True)


@pytest.mark.parametrize("mode", ["drop", "silent"])
def test_a_server_that_stores_the_message_but_never_confirms_it_gets_it_once(smtp, subscriber, mode):
    with MailServer(mode) as server:
        smtp(server.controller.port)
        assert services.digests_send_due(today=SENDING_DAY) == 0
        assert services.digests_send_due(today=SENDING_DAY) == 0
    assert len(server.messages) == 1  # stored once; the second run did not send it blindly again
    unknown = DigestDelivery.objects.outcome_unknown().get()
    assert unknown.state == DigestDelivery.State.UNKNOWN and "no answer" in unknown.error


def test_a_refusal_before_the_message_is_taken_is_retried(smtp, subscriber):
    with MailServer("refuse") as server:
        smtp(server.controller.port)
        with pytest.raises(services.DigestsNotAllSent):
            services.digests_send_due(today=SENDING_DAY)
        assert not DigestDelivery.objects.exists()
        server.mode = "ok"
        assert services.digests_send_due(today=SENDING_DAY) == 1
    assert len(server.messages) == 1


def test_a_server_that_never_greets_neither_hangs_the_job_nor_holds_a_transaction(smtp, subscriber):
    with SilentSocket(connection) as server:
        smtp(server.port)
        with pytest.raises(services.DigestsNotAllSent):
            services.digests_send_due(today=SENDING_DAY)
    assert server.in_transaction == [False]
    assert not DigestDelivery.objects.exists()  # nothing was handed over: the next run sends


def test_a_run_killed_mid_send_leaves_a_claim_that_is_not_sent_again(smtp, subscriber):
    """A run that died between claiming and settling: the claim stays, and after a while staff see
    it as "outcome unknown"; the job never sends that week to that subscriber again."""
    DigestDelivery.objects.create(
        subscription=subscriber, week_start=WEEK_START, state=DigestDelivery.State.SENDING
    )
    with MailServer() as server:
        smtp(server.controller.port)
        assert services.digests_send_due(today=SENDING_DAY) == 0
    assert server.messages == []
    assert not DigestDelivery.objects.outcome_unknown().exists()
    with time_machine.travel(beijing(SENDING_DAY, 9), tick=False):
        assert DigestDelivery.objects.outcome_unknown().count() == 1


def test_the_admin_action_with_the_mail_server_down_says_so(client, smtp, subscriber):
    smtp(free_port())  # nothing listens there: connection refused
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:digests_digestsubscription_changelist"),
        {"action": "send_digest_now", "_selected_action": [subscriber.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert any("was not sent; try again later" in str(m) for m in response.context["messages"])
    assert not DigestDelivery.objects.exists()


def test_a_closed_port_is_a_failure_that_can_be_retried(smtp, subscriber):
    smtp(free_port())
    with pytest.raises(DeliveryFailed):
        services.digest_send(subscription=subscriber, today=SENDING_DAY)
    assert not DigestDelivery.objects.exists()


class CountingServer(MailServer):
    """Also counts SMTP sessions (one EHLO each)."""

    sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses


def test_a_chunk_of_digests_goes_over_one_smtp_session_and_a_dropped_one_is_reopened(smtp):
    subscriptions = [
        DigestSubscriptionFactory(user=UserFactory(username=f"m{n}", is_superuser=True)) for n in range(5)
    ]
    with CountingServer() as server:
        smtp(server.controller.port)
        sent = services.digests_send_chunk(subscription_ids=[s.pk for s in subscriptions[:3]], period=PERIOD)
        assert sent == 3 and len(server.messages) == 3 and server.sessions == 1
    with CountingServer(mode="drop") as server:  # stores each message, then hangs up unanswered
        smtp(server.controller.port)
        sent = services.digests_send_chunk(subscription_ids=[s.pk for s in subscriptions[3:]], period=PERIOD)
        assert sent == 0 and len(server.messages) == 2 and server.sessions == 2  # reopened for the second
    states = DigestDelivery.objects.filter(subscription__in=subscriptions[3:]).values_list("state", flat=True)
    assert list(states) == [DigestDelivery.State.UNKNOWN] * 2  # not sent again blindly
