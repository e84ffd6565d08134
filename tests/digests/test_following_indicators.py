"""Citizens following an indicator (every published goal on it) by email, through a real SMTP server:
the form on the indicator page (which sets no cookie), double opt-in, an email for each status change
of a goal on it and each figure published for it or one of its goals (once each), one-click stop; and
the database's guard that a follower follows exactly one goal or one indicator."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from apps.digests.following import followers_notify
from apps.digests.models import Follower, FollowerNotice
from apps.digests.views_following import follow_form_token
from apps.goals.models import Goal, Indicator, ProgressUpdate, StatusChange

from ..factories import GoalFactory, ProgressUpdateFactory
from ..smtp import html_of, text_of

pytestmark = pytest.mark.django_db

CITIZEN = "citizen@example.org"


@pytest.fixture
def indicator():
    return Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速", name_en="GDP growth")


@pytest.fixture
def goals(indicator):
    """The 2024 and 2025 targets on the indicator, published, and a 2026 one still pending review."""
    made = {
        year: GoalFactory(
            slug=f"gdp-growth-{year}",
            title=f"地区生产总值增长5.5%（{year}）",
            indicator=indicator,
            kind=Goal.Kind.GROWTH_RATE,
            target_value=Decimal("5.5"),
            unit="%",
            period_start=datetime.date(year, 1, 1),
            deadline=datetime.date(year, 12, 31),
        )
        for year in (2024, 2025)
    }
    made[2026] = GoalFactory(
        slug="gdp-growth-2026", indicator=indicator, review_state=Goal.ReviewState.PENDING
    )
    return made


def follow(client, indicator, email=CITIZEN):
    return client.post(
        f"/digests/follow/indicator/{indicator.slug}/",
        {"email": email, "form_token": form_token(client, indicator)},
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


def test_the_indicator_page_offers_to_follow_by_email_and_sets_no_cookie(client, indicator, goals):
    for url, label in (
        ("/indicators/gdp-growth/", "此指标下任一目标状态变化或发布新数据时邮件通知我"),
        (
            "/en/indicators/gdp-growth/",
            "Email me when any of its goals changes status or a figure is published",
        ),
    ):
        response = client.get(url)
        page = response.content.decode()
        assert 'data-testid="follow-form"' in page
        assert 'action="/digests/follow/indicator/gdp-growth/"' in page
        assert label in page
        assert "csrfmiddlewaretoken" not in page
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "Cookie" not in response.get("Vary", "")


@pytest.fixture
def citizen():
    """A browser that enforces CSRF as a real one does: the pages work with no token and no cookie."""
    return Client(enforce_csrf_checks=True)


def test_double_opt_in(citizen, indicator, goals, smtp_server, django_capture_on_commit_callbacks):
    client = citizen
    with django_capture_on_commit_callbacks(execute=True):
        asked = follow(client, indicator)
    assert asked.status_code == 200
    assert not asked.cookies  # posting the form sets none either
    assert 'data-testid="follow-requested"' in asked.content.decode()
    assert "地区生产总值增速" in asked.content.decode()
    [confirmation] = smtp_server.to(CITIZEN)
    assert "请确认订阅指标：地区生产总值增速" in confirmation["Subject"]
    assert f"{settings.SITE_URL}/indicators/gdp-growth/" in text_of(confirmation)
    confirm = link(confirmation, "confirm")
    assert confirm in html_of(confirmation)

    opened = client.get(confirm)
    assert "确认订阅" in opened.content.decode()  # a mail scanner opening it confirms nothing
    assert Follower.objects.following().count() == 0
    confirmed = client.post(confirm)
    assert not opened.cookies and not confirmed.cookies  # no cookie at any step
    assert 'data-testid="follow-confirmed"' in confirmed.content.decode()
    assert "You follow this indicator" in confirmed.content.decode()
    [follower] = Follower.objects.following()
    assert (follower.indicator, follower.goal) == (indicator, None)

    with django_capture_on_commit_callbacks(execute=True):
        again = follow(client, indicator, email=" Citizen@Example.org ")
    assert 'data-testid="follow-requested"' in again.content.decode()  # the same answer: no leak
    assert len(smtp_server.messages) == 1  # but no second email


def test_a_bad_address_or_an_indicator_with_no_published_goal_is_refused(client, indicator, goals):
    assert follow(client, indicator, email="not-an-address").status_code == 400
    hidden = Indicator.objects.create(slug="hidden", name="待审核指标")
    GoalFactory(indicator=hidden, review_state=Goal.ReviewState.PENDING)
    token = follow_form_token(hidden)  # no page, so a token made here
    assert (
        client.post(
            f"/digests/follow/indicator/{hidden.slug}/", {"email": CITIZEN, "form_token": token}
        ).status_code
        == 404
    )
    assert client.post("/digests/follow/indicator/no-such-thing/", {"email": CITIZEN}).status_code == 404
    assert not Follower.objects.exists()


@pytest.fixture
def follower(indicator):
    return Follower.objects.create(
        indicator=indicator, email=CITIZEN, confirmed_at=timezone.now() - datetime.timedelta(hours=2)
    )


def status_change(goal, hours_ago, from_status, to_status, **extra):
    return StatusChange.objects.create(
        goal=goal,
        evaluated_on=datetime.date(2024, 7, 1),
        changed_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        from_status=from_status,
        to_status=to_status,
        rule_version="t",
        **extra,
    )


def test_followers_hear_of_every_goal_on_the_indicator_once(indicator, goals, follower, smtp_server):
    now = timezone.now()
    status_change(goals[2024], 5, "", "on_track")  # before they followed: not news to them
    status_change(
        goals[2024], 1, "on_track", "off_track", explanation_zh="落后于序时进度", explanation_en="Behind"
    )
    status_change(goals[2026], 1, "", "on_track")  # a goal not yet published: no news
    status_change(GoalFactory(), 1, "", "off_track")  # a goal on no indicator: no news to them
    ProgressUpdateFactory(  # a figure of the 2025 goal
        goal=goals[2025],
        as_of=datetime.date(2025, 6, 30),
        value=Decimal("5.6"),
        review_state="approved",
        reviewed_at=now,
    )
    ProgressUpdate.objects.create(  # a figure reported for the indicator itself, in its own unit
        indicator=indicator,
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("5.8"),
        unit="%",
        evidence_url="https://example.com/bulletin",
        review_state="approved",
        reviewed_at=now,
    )
    ProgressUpdateFactory(goal=goals[2024], review_state="submitted")  # not public
    ProgressUpdateFactory(goal=goals[2026], review_state="approved", reviewed_at=now)  # goal not public

    assert followers_notify(now=now) == 3
    status, goal_figure, own_figure = smtp_server.to(CITIZEN)
    assert (
        status["Subject"]
        .strip()
        .startswith("地区生产总值增速 · 地区生产总值增长5.5%（2024）：进度正常 → 滞后")
    )
    assert "落后于序时进度" in text_of(status)
    assert f"{settings.SITE_URL}/goals/gdp-growth-2024/" in text_of(status)
    assert (
        goal_figure["Subject"]
        .strip()
        .startswith("地区生产总值增速 · 地区生产总值增长5.5%（2025）：新数据 5.6%")
    )
    assert "/goals/gdp-growth-2025/#update-" in text_of(goal_figure)
    assert own_figure["Subject"].strip().startswith("地区生产总值增速：新数据 5.8%")
    assert f"{settings.SITE_URL}/indicators/gdp-growth/#year-2024" in text_of(own_figure)
    assert status["List-Unsubscribe"].strip() == f"<{follower.get_stop_url()}>"
    assert status["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert followers_notify(now=now) == 0  # run twice: nothing twice
    assert len(smtp_server.messages) == 3
    assert FollowerNotice.objects.filter(follower=follower, sent_at__isnull=False).count() == 3


def test_goal_and_indicator_followers_each_hear_their_own_news(indicator, goals, follower, smtp_server):
    goal_follower = Follower.objects.create(
        goal=goals[2025],
        email="neighbour@example.org",
        confirmed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    status_change(goals[2024], 1, "on_track", "off_track")
    status_change(goals[2025], 1, "", "on_track")

    assert followers_notify(now=timezone.now()) == 3
    assert len(smtp_server.to(CITIZEN)) == 2  # both goals on the indicator
    [only_theirs] = smtp_server.to(goal_follower.email)
    assert only_theirs["Subject"].strip().startswith("地区生产总值增长5.5%（2025）：— → 进度正常")


def test_one_click_unsubscribe_stops_the_news(client, indicator, goals, follower, smtp_server):
    stop = follower.get_stop_url().removeprefix(settings.SITE_URL)
    assert "指标“地区生产总值增速”" in client.get(stop).content.decode()
    assert client.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200  # no CSRF token needed
    assert Follower.objects.following().count() == 0
    ProgressUpdateFactory(goal=goals[2024], review_state="approved", reviewed_at=timezone.now())
    assert followers_notify(now=timezone.now()) == 0
    assert smtp_server.messages == []


def test_the_database_lets_a_follower_follow_exactly_one_goal_or_one_indicator(indicator, goals, follower):
    for both_or_neither in ({"goal": goals[2024]}, {"indicator": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follower.objects.filter(pk=follower.pk).update(**both_or_neither)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follower.objects.create(indicator=indicator, email=CITIZEN)  # once per indicator and address


def test_a_goal_follower_hears_of_figures_reported_for_its_indicator(indicator, goals, smtp_server):
    """The 2024 GDP growth published once for the indicator is the 2024 goal's figure (its page shows
    it): its followers hear of it; the 2025 goal's followers do not."""
    confirmed = timezone.now() - datetime.timedelta(hours=2)
    of_2024 = Follower.objects.create(goal=goals[2024], email="a@example.org", confirmed_at=confirmed)
    of_2025 = Follower.objects.create(goal=goals[2025], email="b@example.org", confirmed_at=confirmed)
    ProgressUpdate.objects.create(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("5.8"),
        evidence_url="https://example.com/bulletin",
        review_state="approved",
        reviewed_at=timezone.now(),
    )

    assert followers_notify(now=timezone.now()) == 1
    [news] = smtp_server.to(of_2024.email)
    assert news["Subject"].strip().startswith("地区生产总值增长5.5%（2024）：新数据 5.8%")
    assert "/goals/gdp-growth-2024/#update-" in text_of(news)
    assert smtp_server.to(of_2025.email) == []
    assert followers_notify(now=timezone.now()) == 0


def test_following_again_after_stopping_sends_a_new_confirmation(
    citizen, indicator, goals, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow(citizen, indicator)
    first_confirm = link(smtp_server.messages[-1], "confirm")
    citizen.post(first_confirm)
    follower = Follower.objects.get()
    citizen.post(follower.get_stop_url().removeprefix(settings.SITE_URL))
    assert Follower.objects.following().count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        follow(citizen, indicator)
    assert len(smtp_server.to(CITIZEN)) == 2  # a second confirmation, not silence
    second_confirm = link(smtp_server.messages[-1], "confirm")
    assert second_confirm != first_confirm
    assert citizen.post(first_confirm).status_code == 404  # the old links are dead
    citizen.post(second_confirm)
    assert Follower.objects.following().count() == 1
