"""The accountability loop in a real Chromium: a recorder fills the figure form and submits, the
reviewer is emailed (through a real SMTP server), follows the link and approves with the page's
button, and the public goal page shows the figure; a goal gone off track asks its department for an
explanation, which a recorder writes, a reviewer approves, and the public page shows. Beside the
entry, 序时进度 follows the date typed; a citizen follows an indicator by email without a cookie."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from apps.digests.models import Follower
from apps.goals.models import GoalExplanation, Indicator, ProgressUpdate, StatusChange
from apps.goals.services.explanations import explanations_request

from ..factories import GoalFactory, ProgressUpdateFactory
from ..smtp import text_of
from .test_browser import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("review_groups"),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def review_groups(db):
    """The review groups with their permissions, as the data migrations make them: a transactional
    test before this one flushed them away."""
    groups = importlib.import_module("apps.goals.migrations.0003_review_groups").GROUPS
    grants = importlib.import_module("apps.goals.migrations.0010_explanation_permissions").GRANTS
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        codenames = groups[name] + grants.get(name, [])
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="goals", codename__in=codenames)
        )


def log_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**{next_path.split('?')[0]}**")


def link_in(message, path_pattern, live_server):
    """The link of `path_pattern` in an email, moved from SITE_URL to the test server."""
    found = re.search(re.escape(settings.SITE_URL) + path_pattern, text_of(message))
    assert found, text_of(message)
    return found.group(0).replace(settings.SITE_URL, live_server.url)


@pytest.fixture
def this_year_goal(department):
    today = timezone.localdate()
    goal = GoalFactory(
        lead_department=department,
        title="数字经济核心产业增加值达到1700亿元",
        slug="digital-economy-1700",
        kind="level",
        unit="亿元",
        target_value=Decimal("1700"),
        period_start=datetime.date(today.year, 1, 1),
        deadline=datetime.date(today.year, 12, 31),
    )
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(today.year, 1, 1),
        value=Decimal("1320"),
        review_state="approved",
        reviewed_at=timezone.now(),
    )
    return goal


def test_recorder_submits_reviewer_approves_from_the_email_public_page_shows_it(
    page_at,
    live_server,
    smtp_server,
    this_year_goal,
    recorder,
    reviewer,  # noqa: F811
):
    as_of = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    page = page_at()
    log_in(page, live_server, recorder, f"/admin/goals/progressupdate/add/?goal={this_year_goal.pk}")
    assert page.get_by_test_id("goal-unit").inner_text() == "亿元"
    assert page.get_by_test_id("previous-figure").inner_text() == "1320 亿元"
    page.fill("#id_as_of", as_of)
    page.fill("#id_value", "1405")
    page.fill("#id_evidence_url", "https://example.com/bulletin")
    screenshot(page, "recorder-entry")
    page.get_by_role("button", name="保存并报送 · Save and submit").click()
    page.wait_for_selector("text=已保存并报送审核")
    assert ProgressUpdate.objects.get(value=Decimal("1405")).review_state == "submitted"

    [mail] = smtp_server.to(reviewer.email)
    review_link = link_in(mail, r"/admin/goals/progressupdate/\d+/change/", live_server)
    reviewer_page = page_at()
    log_in(reviewer_page, live_server, reviewer, review_link.replace(live_server.url, ""))
    assert reviewer_page.get_by_test_id("change").inner_text() == "+85 亿元"
    screenshot(reviewer_page, "reviewer-page")
    reviewer_page.get_by_role("button", name="通过 · Approve").click()
    reviewer_page.wait_for_selector("text=已通过审核")

    public = page_at()
    public.goto(f"{live_server.url}/goals/{this_year_goal.slug}/")
    assert "1405 亿元" in public.locator("table.updates").inner_text()
    [approved] = [m for m in smtp_server.to(recorder.email) if "approved your figure" in m["Subject"]]
    assert f"/goals/{this_year_goal.slug}/" in text_of(approved)


def test_the_expected_value_follows_the_date_the_recorder_enters(
    page_at, live_server, this_year_goal, recorder
):
    """序时进度 beside the entry is that of the as-of date, asked again as the date is typed or picked:
    the line runs from the figure at the year's start (1320 亿元) to the target (1700 亿元)."""
    year, today = timezone.localdate().year, timezone.localdate().isoformat()
    page = page_at()
    log_in(page, live_server, recorder, f"/admin/goals/progressupdate/add/?goal={this_year_goal.pk}")
    expected = page.get_by_test_id("expected")

    def shown_for(day):
        page.wait_for_function(f"document.querySelector('[data-testid=expected-on]').textContent === '{day}'")

    shown_for(today)  # today, until a date is entered
    page.fill("#id_as_of", f"{year}-03-31")
    page.locator("#id_value").focus()
    shown_for(f"{year}-03-31")
    assert expected.inner_text() == "1415 亿元"  # a quarter of the way

    page.fill("#id_as_of", f"{year}/09/30")  # as the date picker writes it in Chinese
    page.locator("#id_value").focus()
    shown_for(f"{year}-09-30")
    assert expected.inner_text() == "1605 亿元"

    page.get_by_role("link", name="今天").first.click()  # the picker's “today”
    shown_for(today)
    screenshot(page, "recorder-expected-by-date")


def test_a_goal_gone_off_track_is_explained_approved_and_shown(
    page_at,
    live_server,
    smtp_server,
    this_year_goal,
    recorder,
    reviewer,  # noqa: F811
):
    this_year_goal.status = "off_track"
    this_year_goal.save()
    StatusChange.objects.create(
        goal=this_year_goal,
        evaluated_on=timezone.localdate(),
        from_status="on_track",
        to_status="off_track",
        rule_version="test",
    )
    [asked] = explanations_request(today=timezone.localdate())

    [request] = smtp_server.to(recorder.email)
    write_link = link_in(request, r"/admin/goals/goalexplanation/\d+/change/", live_server)
    page = page_at()
    log_in(page, live_server, recorder, write_link.replace(live_server.url, ""))
    page.fill("#id_reason", "重点项目投产推迟到四季度")
    page.fill("#id_corrective_actions", "成立专班，每周调度，四季度新增产值120亿元")
    page.get_by_role("button", name="保存并报送 · Save and submit").click()
    page.wait_for_selector("text=原因说明已报送审核")

    [submitted] = smtp_server.to(reviewer.email)
    review_link = link_in(submitted, r"/admin/goals/goalexplanation/\d+/change/", live_server)
    reviewer_page = page_at()
    log_in(reviewer_page, live_server, reviewer, review_link.replace(live_server.url, ""))
    reviewer_page.get_by_role("button", name="通过 · Approve").click()
    reviewer_page.wait_for_selector("text=原因说明已通过")
    asked.refresh_from_db()
    assert asked.review_state == GoalExplanation.ReviewState.APPROVED

    public = page_at()
    public.goto(f"{live_server.url}/goals/{this_year_goal.slug}/")
    section = public.get_by_test_id("explanations").inner_text()
    assert "重点项目投产推迟到四季度" in section and "成立专班" in section
    screenshot(public, "explanation-public")


def test_a_citizen_follows_an_indicator_and_confirms_without_any_cookie(page_at, live_server, smtp_server):
    indicator = Indicator.objects.create(slug="gdp-growth", name="地区生产总值增速", name_en="GDP growth")
    GoalFactory(indicator=indicator, slug="gdp-growth-2024", title="地区生产总值增长5.5%", unit="%")
    page = page_at()
    page.goto(f"{live_server.url}/indicators/gdp-growth/")
    form = page.get_by_test_id("follow-form")
    form.locator("input[type=email]").fill("citizen@example.org")
    form.get_by_role("button", name="邮件订阅").click()
    page.wait_for_selector("[data-testid=follow-requested]")

    [confirmation] = smtp_server.to("citizen@example.org")
    page.goto(link_in(confirmation, r"/digests/follow/confirm/[\w-]+/", live_server))
    page.get_by_test_id("confirm-follow").click()
    page.wait_for_selector("[data-testid=follow-confirmed]")
    assert Follower.objects.following().get().indicator == indicator
    assert page.context.cookies() == []  # not one cookie from the page, the form or the confirmation
