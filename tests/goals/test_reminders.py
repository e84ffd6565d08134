"""The weekly reminder to recorders: the rule as a table, and the job through a real SMTP server:
each recorder hears once a week of exactly their goals that need something, with a link to do it."""

import datetime
import zoneinfo
from datetime import date

import pytest
import time_machine

from apps.goals import tasks
from apps.goals.models import DepartmentMembership, Jurisdiction, MembershipRole
from apps.goals.services.reminders import (
    Reason,
    recorder_reminder_lines,
    reminder_reasons,
    reminders_send,
    reporting_period_start,
)

from ..factories import DepartmentFactory, GoalFactory, ProgressUpdateFactory, UserFactory
from ..smtp import html_of, text_of

STALE, DUE, NEAR = Reason.STALE, Reason.FIGURE_DUE, Reason.DEADLINE_NEAR
TODAY = date(2024, 7, 15)


@pytest.mark.parametrize(
    "status, last_as_of, deadline, expected",
    [
        ("on_track", date(2024, 6, 30), date(2024, 12, 31), []),  # a figure two weeks old
        ("on_track", date(2024, 4, 7), date(2024, 12, 31), [DUE]),  # 99 days: cadence 120 less 21
        ("on_track", date(2024, 4, 8), date(2024, 12, 31), []),  # 98 days
        ("stale", date(2024, 3, 1), date(2024, 12, 31), [STALE]),  # stale is not also "due"
        ("not_started", None, date(2024, 12, 31), [DUE]),  # nothing since the period began
        ("on_track", date(2024, 6, 30), date(2024, 8, 14), [NEAR]),  # deadline in 30 days
        ("on_track", date(2024, 6, 30), date(2024, 8, 15), []),  # in 31 days
        ("stale", date(2024, 3, 1), date(2024, 7, 20), [STALE, NEAR]),
        ("achieved", date(2024, 3, 1), date(2024, 7, 20), []),  # finished goals need nothing
        ("missed", None, date(2024, 6, 30), []),
    ],
)
def test_reminder_reasons(status, last_as_of, deadline, expected):
    assert (
        reminder_reasons(
            status=status,
            last_as_of=last_as_of,
            period_start=date(2024, 1, 1),
            deadline=deadline,
            cadence_days=120,
            today=TODAY,
            due_before_days=21,
            deadline_within_days=30,
        )
        == expected
    )


def test_no_reminder_before_the_period_starts():
    assert (
        reminder_reasons(
            status="not_started",
            last_as_of=None,
            period_start=date(2025, 1, 1),
            deadline=date(2025, 12, 31),
            cadence_days=120,
            today=TODAY,
            due_before_days=21,
            deadline_within_days=30,
        )
        == []
    )


@pytest.fixture
def _monday_morning():
    with time_machine.travel(
        datetime.datetime(2024, 7, 15, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_monday_morning")
def test_each_recorder_is_reminded_once_a_week_of_their_goals(
    department, other_department, recorder, other_recorder, reviewer, smtp_server
):
    stale = GoalFactory(title="数据过期的目标", lead_department=department, status="stale")
    due = GoalFactory(title="该报数据的目标", lead_department=department, status="on_track")
    ProgressUpdateFactory(
        goal=due,
        as_of=date(2024, 3, 31),
        review_state="approved",
        reviewed_at=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC),
    )
    fine = GoalFactory(title="刚报过数据的目标", lead_department=department, status="on_track")
    ProgressUpdateFactory(
        goal=fine,
        as_of=date(2024, 6, 30),
        review_state="approved",
        reviewed_at=datetime.datetime(2024, 7, 10, tzinfo=datetime.UTC),
    )
    GoalFactory(title="别的单位的目标", lead_department=other_department, status="stale")

    assert tasks.send_weekly_reminders() == 2

    [mine] = smtp_server.to(recorder.email)
    body = text_of(mine)
    assert "数据过期的目标" in body and "该报数据的目标" in body
    assert "刚报过数据的目标" not in body and "别的单位的目标" not in body
    assert "2 things to report" in mine["Subject"]
    assert f"/admin/goals/progressupdate/add/?goal={stale.pk}" in body
    assert f"/admin/goals/progressupdate/add/?goal={due.pk}" in html_of(mine)
    assert "/admin/goals/progressupdate/import/" in body
    [theirs] = smtp_server.to(other_recorder.email)
    assert "别的单位的目标" in text_of(theirs) and "数据过期的目标" not in text_of(theirs)
    assert smtp_server.to(reviewer.email) == []  # reminders are for recorders

    assert reminders_send(today=date(2024, 7, 17)) == 0  # the same ISO week: nothing again
    assert len(smtp_server.messages) == 2
    assert reminders_send(today=date(2024, 7, 22)) == 2  # next week: again


@pytest.mark.django_db
@pytest.mark.usefixtures("_monday_morning")
@pytest.mark.parametrize(("stale_after_days", "reminded"), [(0, True), (None, False), (60, False)])
def test_a_goals_own_cadence_decides_its_reminder_and_0_days_is_its_own(
    department, recorder, stale_after_days, reminded
):
    """A figure of 30 June: under a cadence of 0 days (status.cadence_days, as the status rules read
    it) the next is due at once; under the default 120 days or 60 days, not within 21 days of 15 July."""
    goal = GoalFactory(
        title="自定周期的目标",
        lead_department=department,
        status="on_track",
        stale_after_days=stale_after_days,
    )
    ProgressUpdateFactory(
        goal=goal,
        as_of=date(2024, 6, 30),
        review_state="approved",
        reviewed_at=datetime.datetime(2024, 7, 10, tzinfo=datetime.UTC),
    )

    lines = recorder_reminder_lines(user=recorder, today=TODAY)

    assert [line.title for line in lines] == (["自定周期的目标"] if reminded else [])


@pytest.mark.parametrize(
    ("cadence", "today", "start"),
    [
        (120, date(2024, 7, 15), date(2024, 4, 30)),  # the second 120 days of a year from 1 January
        (120, date(2024, 4, 29), date(2024, 1, 1)),
        (120, date(2024, 4, 30), date(2024, 4, 30)),
        (90, date(2024, 7, 15), date(2024, 6, 29)),
        (0, date(2024, 7, 15), date(2024, 7, 15)),  # a figure due at once: every day its own period
    ],
)
def test_the_current_reporting_period_is_cut_from_the_start_by_the_cadence(cadence, today, start):
    assert reporting_period_start(period_start=date(2024, 1, 1), cadence_days=cadence, today=today) == start


@pytest.mark.parametrize(
    "status, last_as_of, handed_in_on, expected",
    [
        ("on_track", date(2024, 3, 31), None, [DUE]),
        ("on_track", date(2024, 3, 31), date(2024, 7, 15), []),  # approved today: reported
        ("on_track", date(2024, 3, 31), date(2024, 4, 30), []),  # the first day of this period
        ("on_track", date(2024, 3, 31), date(2024, 4, 29), [DUE]),  # the period before
        ("stale", date(2024, 3, 1), date(2024, 7, 10), []),  # a figure waits for review
        ("not_started", None, date(2024, 5, 2), []),  # the first figure handed in, not yet approved
        ("on_track", date(2024, 6, 30), date(2024, 7, 1), []),  # deadline near, but reported
    ],
)
def test_a_goal_reported_in_the_current_period_needs_nothing(status, last_as_of, handed_in_on, expected):
    assert (
        reminder_reasons(
            status=status,
            last_as_of=last_as_of,
            period_start=date(2024, 1, 1),
            deadline=date(2024, 8, 1) if last_as_of == date(2024, 6, 30) else date(2024, 12, 31),
            cadence_days=120,
            today=TODAY,
            due_before_days=21,
            deadline_within_days=30,
            handed_in_on=handed_in_on,
        )
        == expected
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("_monday_morning")
def test_goals_whose_figure_was_approved_or_submitted_this_period_are_not_listed(department, recorder):
    this_morning = datetime.datetime(2024, 7, 15, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    april = datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC)
    approved_today = GoalFactory(title="今天审核通过的目标", lead_department=department, status="on_track")
    ProgressUpdateFactory(
        goal=approved_today, as_of=date(2024, 3, 31), review_state="approved", reviewed_at=this_morning
    )
    waiting = GoalFactory(title="待审核的目标", lead_department=department, status="stale")
    ProgressUpdateFactory(
        goal=waiting, as_of=date(2024, 6, 30), review_state="submitted", submitted_at=this_morning
    )
    sample_today = GoalFactory(title="示例数据的目标", lead_department=department, status="on_track")
    ProgressUpdateFactory(
        goal=sample_today,
        as_of=date(2024, 3, 31),
        review_state="approved",
        reviewed_at=this_morning,
        is_sample=True,
    )
    april_only = GoalFactory(title="四月报过数据的目标", lead_department=department, status="on_track")
    ProgressUpdateFactory(
        goal=april_only,
        as_of=date(2024, 3, 31),
        review_state="approved",
        submitted_at=april,
        reviewed_at=april,
    )

    titles = [line.title for line in recorder_reminder_lines(user=recorder, today=date(2024, 7, 15))]

    assert titles == ["示例数据的目标", "四月报过数据的目标"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_monday_morning")
def test_a_district_recorder_is_reminded_of_her_districts_goal_not_the_citys(department, smtp_server):
    licheng = Jurisdiction.objects.get(slug="licheng")
    district = DepartmentFactory(name="历城区大数据局", slug="licheng-big-data", place=licheng)
    recorder = UserFactory(username="licheng_recorder", email="licheng@example.com", is_staff=True)
    DepartmentMembership.objects.create(user=recorder, department=district, role=MembershipRole.RECORDER)
    GoalFactory(title="历城区该报数据的目标", place=licheng, lead_department=district, status="stale")
    GoalFactory(title="市级该报数据的目标", lead_department=department, status="stale")

    assert [line.title for line in recorder_reminder_lines(user=recorder, today=TODAY)] == [
        "历城区该报数据的目标"
    ]
    reminders_send(today=TODAY)
    [message] = smtp_server.to("licheng@example.com")
    assert "历城区该报数据的目标" in text_of(message) and "市级该报数据的目标" not in text_of(message)
