"""Sending many digests cheaply without giving up at-most-once: claims and settlements a batch at a
time, each scope's email serialized once (apps/digests/wire.py) and shared by the chunk tasks of a
run, chunks grouped by scope."""

from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from apps.digests import services
from apps.digests.models import DigestDelivery, DigestSubscription
from apps.digests.wire import WiredEmail, wire_template

from ..factories import DepartmentFactory, UserFactory
from .conftest import PERIOD, SENDING_DAY
from .factories import DigestSubscriptionFactory
from .test_services import changed_goals

pytestmark = pytest.mark.django_db


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def parts(message):
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


def test_a_wired_email_is_the_message_django_would_have_built(department):
    changed_goals(3, department)
    subscription = DigestSubscriptionFactory(
        user=UserFactory(username="wang", first_name="伟", last_name="王"), departments=[department]
    )
    digest = services.digest_build(subscription=subscription, period=PERIOD)
    rendered = services.digest_render(digest)
    assert rendered.wire is not None

    wired = services._digest_message(subscription, rendered)
    assert isinstance(wired, WiredEmail)
    plain = EmailMultiAlternatives(wired.subject, wired.body, to=wired.to, headers=wired.extra_headers)
    plain.attach_alternative(*wired.alternatives[0])

    ours, django = (
        parsed(wired.message().as_bytes(linesep="\r\n")),
        parsed(plain.message().as_bytes(linesep="\r\n")),
    )
    for header in ("Subject", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version"):
        assert ours[header].strip() == django[header].strip(), header  # Django folds long ones
    assert ours["Message-ID"] and ours["Date"] and ours["Message-ID"] != django["Message-ID"]
    assert parts(ours) == parts(django)
    link = subscription.get_unsubscribe_url()
    assert link in parts(ours)["text/plain"] and link in parts(ours)["text/html"]
    assert services.UNSUBSCRIBE_MARK.encode() not in wired.message().as_bytes()


def test_a_line_too_long_for_8bit_falls_back_to_building_each_message():
    text = "前" * 400 + services.UNSUBSCRIBE_MARK  # 1,200 bytes on one line: quoted-printable
    template = EmailMultiAlternatives("s", text, to=["a@example.com"])
    template.attach_alternative(f"<p>{services.UNSUBSCRIBE_MARK}</p>", "text/html")

    assert wire_template(template, services.UNSUBSCRIBE_MARK) is None


def test_a_long_digest_line_still_reaches_the_subscriber_with_their_link(department, monkeypatch):
    subscription = DigestSubscriptionFactory(user=UserFactory(username="li"), departments=[department])
    render = services.digest_render

    def long_render(digest):
        rendered = render(digest)
        text = "长" * 400 + "\n" + rendered.text
        template = EmailMultiAlternatives(rendered.subject, text, to=["x@invalid"])
        template.attach_alternative(rendered.html, "text/html")
        return services.RenderedDigest(
            rendered.subject, text, rendered.html, wire_template(template, services.UNSUBSCRIBE_MARK)
        )

    monkeypatch.setattr(services, "digest_render", long_render)

    assert services.digests_send_due(today=SENDING_DAY) == 1

    [message] = mail.outbox
    assert not isinstance(message, WiredEmail)
    assert subscription.get_unsubscribe_url() in message.message().as_string()


def test_claims_and_settlements_take_one_statement_per_batch(department, django_assert_max_num_queries):
    changed_goals(2, department)
    for n in range(2 * services.BATCH_SIZE + 10):  # three batches
        DigestSubscriptionFactory(user=UserFactory(username=f"m{n}"), departments=[department])
    [(period, [chunk])] = services.digest_chunks(today=SENDING_DAY)

    # subscriptions, their departments; one section (11 queries); per batch: claim, settle
    with django_assert_max_num_queries(2 + 11 + 3 * 2):
        assert services.digests_send_chunk(subscription_ids=chunk, period=period) == len(chunk)

    assert DigestDelivery.objects.filter(state=DigestDelivery.State.SENT).count() == len(chunk)
    assert len(mail.outbox) == len(chunk)


def test_a_run_killed_mid_batch_leaves_the_message_in_flight_unknown_and_releases_the_rest(monkeypatch):
    subscriptions = [
        DigestSubscriptionFactory(user=UserFactory(username=f"k{n}", is_superuser=True)) for n in range(5)
    ]
    delivered = []

    def deliver_then_die(message, connection=None):
        if len(delivered) == 2:
            raise SystemExit("killed while talking to the mail server")
        delivered.append(message.to[0])
        mail.outbox.append(message)

    monkeypatch.setattr(services, "email_deliver", deliver_then_die)
    with pytest.raises(SystemExit):
        services.digests_send_chunk(subscription_ids=[s.pk for s in subscriptions], period=PERIOD)

    states = dict(DigestDelivery.objects.values_list("subscription__user__username", "state"))
    # Two sent; the third was being handed over (maybe delivered: never sent again blindly); the last
    # two were never tried, so their claims are released and a later run sends them.
    assert states == {"k0": "sent", "k1": "sent", "k2": "sending"}
    monkeypatch.undo()
    assert services.digests_send_due(today=SENDING_DAY) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [f"k{n}@example.com" for n in (0, 1, 3, 4)]


def test_the_chunk_tasks_of_a_run_build_each_scope_once(department, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    other = DepartmentFactory()
    for n in range(3):
        DigestSubscriptionFactory(user=UserFactory(username=f"a{n}"), departments=[department])
        DigestSubscriptionFactory(user=UserFactory(username=f"b{n}"), departments=[other])
        DigestSubscriptionFactory(user=UserFactory(username=f"c{n}", is_superuser=True))
    builds = []
    build = services.digest_build_for_scope
    monkeypatch.setattr(services, "digest_build_for_scope", lambda **kw: builds.append(kw) or build(**kw))

    [(period, chunks)] = services.digest_chunks(today=SENDING_DAY)
    scopes = [
        {
            tuple(s.departments.values_list("pk", flat=True))
            for s in DigestSubscription.objects.filter(pk__in=c)
        }
        for c in chunks
    ]
    for chunk in chunks:  # as the separate chunk tasks do, each with nothing in memory
        services.digests_send_chunk(subscription_ids=chunk, period=period)

    assert [len(chunk) for chunk in chunks] == [2, 2, 2, 2, 1]
    assert sum(len(s) for s in scopes) <= len(chunks) + 2  # one scope per chunk, or two at a seam
    assert len(builds) == 3 and len(mail.outbox) == 9
