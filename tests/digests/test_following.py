"""Citizens following a goal by email, through a real SMTP server: double opt-in from the goal page,
an email when its status changes or a figure is published (each once), one-click unsubscribe."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from apps.digests.following import followers_notify
from apps.digests.models import Follower
from apps.digests.views_following import follow_form_token
from apps.goals.models import StatusChange

from ..factories import GoalFactory, ProgressUpdateFactory
from ..smtp import html_of, text_of

pytestmark = pytest.mark.django_db

CITIZEN = "citizen@example.org"


@pytest.fixture
def goal():
    return GoalFactory(slug="5g-2024", title="新建5G基站7000个")


def follow(client, goal, email=CITIZEN):
    return client.post(
        f"/digests/follow/{goal.slug}/", {"email": email, "form_token": form_token(client, goal)}
    )


def form_token(client, followed):
    """The follow form's token, as the public page gives it."""
    page = client.get(followed.get_absolute_url()).content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the page's follow form has no token"
    return found.group(1)


def link(message, name):
    found = re.search(re.escape(settings.SITE_URL) + rf"/digests/follow/{name}/[\w-]+/", text_of(message))
    assert found, text_of(message)
    return found.group(0).removeprefix(settings.SITE_URL)


def test_the_goal_page_offers_to_follow_by_email(client, goal):
    page = client.get(goal.get_absolute_url()).content.decode()
    assert 'data-testid="follow-form"' in page and f'action="/digests/follow/{goal.slug}/"' in page


def test_double_opt_in(client, goal, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = follow(client, goal)
    assert 'data-testid="follow-requested"' in asked.content.decode()
    [confirmation] = smtp_server.to(CITIZEN)
    assert "请确认订阅：新建5G基站7000个" in confirmation["Subject"]
    confirm = link(confirmation, "confirm")
    assert confirm in html_of(confirmation)

    client.get(confirm)  # a mail scanner opening the link confirms nothing
    assert Follower.objects.following().count() == 0
    assert 'data-testid="follow-confirmed"' in client.post(confirm).content.decode()
    assert Follower.objects.following().count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = follow(client, goal, email=" Citizen@Example.org ")
    assert 'data-testid="follow-requested"' in again.content.decode()  # the same answer: no leak
    assert len(smtp_server.messages) == 1  # but no second email


def test_a_bad_address_or_an_unpublished_goal_is_refused(client, goal, smtp_server):
    assert follow(client, goal, email="not-an-address").status_code == 400
    pending = GoalFactory(review_state="pending")  # no page, so a token made here
    token = follow_form_token(pending)
    assert (
        client.post(f"/digests/follow/{pending.slug}/", {"email": CITIZEN, "form_token": token}).status_code
        == 404
    )
    assert not Follower.objects.exists()


@pytest.fixture
def follower(goal):
    return Follower.objects.create(
        goal=goal, email=CITIZEN, confirmed_at=timezone.now() - datetime.timedelta(hours=2)
    )


def test_followers_hear_of_status_changes_and_published_figures_once(goal, follower, smtp_server):
    now = timezone.now()
    StatusChange.objects.create(  # before they followed: not news to them
        goal=goal,
        evaluated_on=datetime.date(2024, 3, 1),
        changed_at=now - datetime.timedelta(hours=5),
        from_status="",
        to_status="on_track",
        rule_version="t",
    )
    StatusChange.objects.create(
        goal=goal,
        evaluated_on=datetime.date(2024, 7, 1),
        changed_at=now - datetime.timedelta(hours=1),
        from_status="on_track",
        to_status="off_track",
        rule_version="t",
        explanation_zh="落后于序时进度",
        explanation_en="Behind the expected progress",
    )
    ProgressUpdateFactory(goal=goal, value=Decimal("3600"), review_state="approved", reviewed_at=now)
    ProgressUpdateFactory(goal=goal, as_of=datetime.date(2024, 9, 30), review_state="submitted")  # not public

    assert followers_notify(now=now) == 2
    status, figure = smtp_server.to(CITIZEN)
    assert "进度正常 → 滞后" in status["Subject"]
    assert "落后于序时进度" in text_of(status)
    assert "新数据 3600 个" in figure["Subject"]
    assert f"/goals/{goal.slug}/#update-" in text_of(figure)
    assert status["List-Unsubscribe"].strip() == f"<{follower.get_stop_url()}>"
    assert status["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert followers_notify(now=now) == 0  # run twice: nothing twice
    assert len(smtp_server.messages) == 2


def test_one_click_unsubscribe_stops_the_news(client, goal, follower, smtp_server):
    stop = follower.get_stop_url().removeprefix(settings.SITE_URL)
    assert client.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200  # no CSRF token needed
    assert Follower.objects.following().count() == 0
    ProgressUpdateFactory(goal=goal, review_state="approved", reviewed_at=timezone.now())
    assert followers_notify(now=timezone.now()) == 0
    assert smtp_server.messages == []


# --- A mailbox that strangers try to flood (issue 22, item 11) --------------------------------------


@pytest.fixture
def many_goals():
    return [GoalFactory(slug=f"goal-{n}", title=f"目标{n}") for n in range(5)]


def test_two_hundred_requests_for_one_address_send_a_handful_of_emails(
    client, many_goals, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR = 1000  # many clients: only the address limit applies
    tokens = {goal.slug: form_token(client, goal) for goal in many_goals}
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(200):
            goal = many_goals[n % len(many_goals)]
            answers.append(
                client.post(
                    f"/digests/follow/{goal.slug}/",
                    {"email": CITIZEN, "form_token": tokens[goal.slug]},
                    REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}",
                ).status_code
            )
    assert answers == [200] * 200  # each asker is told the same
    sent = smtp_server.to(CITIZEN)
    assert 1 <= len(sent) <= settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY == 3
    assert Follower.objects.filter(email=CITIZEN).count() == 5  # one per goal asked for


def test_one_client_is_limited_per_hour(client, goal, smtp_server, settings):
    token = form_token(client, goal)
    answers = [
        client.post(f"/digests/follow/{goal.slug}/", {"email": f"a{n}@example.org", "form_token": token})
        for n in range(settings.FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR + 1)
    ]
    assert [a.status_code for a in answers[:-1]] == [200] * settings.FOLLOW_REQUESTS_PER_CLIENT_PER_HOUR
    assert answers[-1].status_code == 429
    assert 'data-testid="follow-limited"' in answers[-1].content.decode()
    other = client.post(
        f"/digests/follow/{goal.slug}/",
        {"email": "b@example.org", "form_token": token},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 200  # another client is not held up


def test_the_confirmation_lists_every_goal_asked_for_and_confirms_them_together(
    client, many_goals, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 1
    with django_capture_on_commit_callbacks(execute=True):
        for goal in many_goals[:3]:
            follow(client, goal)
    [confirmation] = smtp_server.to(CITIZEN)  # only the first request sent one
    confirm = link(confirmation, "confirm")
    page = client.get(confirm).content.decode()
    for goal in many_goals[:3]:
        assert goal.title in page  # the link lists all three, the later two too
    assert many_goals[0].title in text_of(confirmation)

    client.post(
        confirm,
        {"also": [f.pk for f in Follower.objects.filter(goal__in=many_goals[1:3])]},
    )
    assert set(Follower.objects.following().values_list("goal__slug", flat=True)) == {
        g.slug for g in many_goals[:3]
    }


def test_a_confirmation_page_confirms_only_its_own_address(client, many_goals, smtp_server):
    mine = Follower.objects.create(goal=many_goals[0], email=CITIZEN)
    theirs = Follower.objects.create(goal=many_goals[1], email="other@example.org")
    client.post(mine.get_confirm_url().removeprefix(settings.SITE_URL), {"also": [theirs.pk]})
    assert list(Follower.objects.following()) == [mine]


def test_a_request_without_the_page_token_or_from_another_site_is_refused(client, goal, smtp_server):
    url = f"/digests/follow/{goal.slug}/"
    assert client.post(url, {"email": CITIZEN}).status_code == 400
    assert client.post(url, {"email": CITIZEN, "form_token": "forged"}).status_code == 400
    other_goal = GoalFactory(slug="other-goal")
    assert (
        client.post(url, {"email": CITIZEN, "form_token": follow_form_token(other_goal)}).status_code == 400
    )
    token = form_token(client, goal)
    assert (
        client.post(
            url, {"email": CITIZEN, "form_token": token}, HTTP_ORIGIN="https://evil.example"
        ).status_code
        == 400
    )
    assert not Follower.objects.exists()
    answer = client.post(url, {"email": CITIZEN, "form_token": token}, HTTP_ORIGIN="http://testserver")
    assert answer.status_code == 200 and not answer.cookies
    assert Follower.objects.count() == 1


def test_a_verdict_or_figure_resting_on_a_sample_is_no_news(goal, follower, smtp_server):
    now = timezone.now()
    for is_sample, to_status in ((True, "off_track"), (False, "at_risk")):
        StatusChange.objects.create(
            goal=goal,
            evaluated_on=datetime.date(2024, 7, 1),
            changed_at=now - datetime.timedelta(hours=1),
            from_status="on_track",
            to_status=to_status,
            rule_version="4",
            is_sample=is_sample,
        )
    ProgressUpdateFactory(
        goal=goal, value=Decimal("3600"), review_state="approved", reviewed_at=now, is_sample=True
    )

    assert followers_notify(now=now) == 1
    [news] = smtp_server.to(CITIZEN)
    assert "进度正常 → 有风险" in news["Subject"]
