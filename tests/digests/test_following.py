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
from apps.goals.models import StatusChange

from ..factories import GoalFactory, ProgressUpdateFactory
from ..smtp import html_of, text_of

pytestmark = pytest.mark.django_db

CITIZEN = "citizen@example.org"


@pytest.fixture
def goal():
    return GoalFactory(slug="5g-2024", title="新建5G基站7000个")


def follow(client, goal, email=CITIZEN):
    return client.post(f"/digests/follow/{goal.slug}/", {"email": email})


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
    assert follow(client, GoalFactory(review_state="pending")).status_code == 404
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
