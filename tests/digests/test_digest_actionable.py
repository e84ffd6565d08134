"""What a manager can act on in the digest (apps/digests/building.py): one section per department,
what turned red with its figure and target, figures overdue under the reporting cadence, counts as
the status history knew them at the week's end, and what comes due even in a quiet week."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.digests import building, services
from apps.digests.building import section_build
from apps.goals.models import Goal, StatusChange

from ..factories import DepartmentFactory, GoalFactory
from .conftest import PERIOD, SENDING_DAY, beijing
from .factories import DigestSubscriptionFactory
from .test_services import changed_goals

pytestmark = pytest.mark.django_db

D = datetime.date


def change(goal, when, from_status, to_status, *, actual=None, expected=None, is_sample=False):
    return StatusChange.objects.create(
        is_sample=is_sample,
        goal=goal,
        changed_at=when,
        evaluated_on=timezone.localdate(when),
        from_status=from_status,
        to_status=to_status,
        actual_value=actual,
        expected_value=expected,
        rule_version="3",
    )


def reported(**fields):
    """A goal whose last figure is recent: no figure is owed, so it stays out of those lists."""
    return GoalFactory(latest_as_of=D(2024, 7, 1), stale_after_days=90, **fields)


def between(text, start, end):
    return text.split(start, 1)[1].split(end, 1)[0]


def test_a_manager_of_two_departments_gets_a_section_for_each(manager, department, other_department):
    DigestSubscriptionFactory(user=manager, departments=[other_department, department])
    mine = reported(title="大数据局的目标", lead_department=department)
    theirs = reported(title="工信局的目标", lead_department=other_department)
    reported(title="第三个单位的目标")
    change(mine, beijing(D(2024, 7, 9)), "on_track", "at_risk")
    change(theirs, beijing(D(2024, 7, 9)), "on_track", "at_risk")

    services.digests_send_due(today=SENDING_DAY)

    text = mail.outbox[0].body
    assert (
        "范围 · Scope: 济南市大数据局（Big Data Bureau）、济南市工业和信息化局（Bureau of Industry and IT）"
        in text
    )
    big_data = between(text, "== 济南市大数据局（Big Data Bureau） ==", "== 济南市工业和信息化局")
    industry = text.split("== 济南市工业和信息化局（Bureau of Industry and IT） ==")[1]
    assert "大数据局的目标" in big_data and "工信局的目标" not in big_data
    assert "工信局的目标" in industry and "大数据局的目标" not in industry
    assert "第三个单位的目标" not in text
    html = mail.outbox[0].alternatives[0][0]
    assert html.index("济南市大数据局（Big Data Bureau）</h2>") < html.index(
        "济南市工业和信息化局（Bureau of Industry and IT）</h2>"
    )


def test_goals_that_turned_red_in_the_week_are_listed_with_their_figure_and_target(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    red = reported(
        title="新建5G基站7000个", title_en="7,000 new 5G base stations", lead_department=department
    )
    missed = reported(title="未达成的目标", lead_department=department, target_value=Decimal("50"))
    amber = reported(title="变黄的目标", lead_department=department)
    earlier = reported(title="上周变红的目标", lead_department=department)
    change(
        red, beijing(D(2024, 7, 10)), "at_risk", "off_track", actual=Decimal("3000"), expected=Decimal("4000")
    )
    change(missed, beijing(D(2024, 7, 12)), "on_track", "missed", actual=Decimal("42.5"))
    change(amber, beijing(D(2024, 7, 11)), "on_track", "at_risk")
    change(earlier, beijing(D(2024, 7, 5)), "at_risk", "off_track")

    services.digests_send_due(today=SENDING_DAY)

    message = mail.outbox[0]
    assert "：2 项转红 — Jinan Targets weekly digest: 2 turned red" in message.subject
    red_list = between(message.body, "本周转为红灯 · Turned red this week (2)", "其他状态变化")
    assert "- 新建5G基站7000个 · 7,000 new 5G base stations" in red_list
    assert "有风险 → 滞后 · At risk → Off track (2024-07-10)" in red_list
    assert "数据 · figure 3000 个；序时进度 · expected 4000 个；目标 · target ≥ 7000 个" in red_list
    assert "数据 · figure 42.5 个；目标 · target ≥ 50 个" in red_list
    assert "变黄的目标" not in red_list and "上周变红的目标" not in red_list
    assert "变黄的目标" in between(message.body, "其他状态变化 · Other status changes (1)", "30 天内")
    html = message.alternatives[0][0]
    assert "本周转为红灯" in html and "<strong>3000 个</strong>" in html


def test_a_turn_to_red_resting_on_a_sample_is_not_listed_as_one(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    invented = reported(title="示例数据变红的目标", lead_department=department)
    real = reported(title="实际数据变红的目标", lead_department=department)
    change(invented, beijing(D(2024, 7, 10)), "at_risk", "off_track", is_sample=True)
    change(real, beijing(D(2024, 7, 10)), "at_risk", "off_track")

    services.digests_send_due(today=SENDING_DAY)

    message = mail.outbox[0]
    assert "：1 项转红 — Jinan Targets weekly digest: 1 turned red" in message.subject
    red_list = between(message.body, "本周转为红灯 · Turned red this week (1)", "其他状态变化")
    assert "实际数据变红的目标" in red_list and "示例数据变红的目标" not in red_list


def test_a_milestone_gone_overdue_in_the_week_turned_red(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    milestone = reported(
        title="建成智慧社区平台",
        lead_department=department,
        kind=Goal.Kind.MILESTONE,
        target_value=None,
        unit="",
    )
    change(milestone, beijing(D(2024, 7, 10)), "due", "overdue")

    services.digests_send_due(today=SENDING_DAY)

    message = mail.outbox[0]
    assert "：1 项转红 — Jinan Targets weekly digest: 1 turned red" in message.subject
    red_list = between(message.body, "本周转为红灯 · Turned red this week (1)", "其他状态变化")
    assert "- 建成智慧社区平台" in red_list and "待完成 → 已逾期 · Due → Overdue (2024-07-10)" in red_list


def test_figures_overdue_under_the_reporting_cadence_are_listed_most_overdue_first(department):
    # Due 90 days after the latest figure (30 March + 90 = 28 June): 17 days overdue on Monday 15 July.
    late = GoalFactory(
        title="季度未报", lead_department=department, latest_as_of=D(2024, 3, 30), stale_after_days=90
    )
    # Never reported, started 1 January, the default cadence (120 days): due 30 April, 76 days overdue.
    never = GoalFactory(title="从未报送", lead_department=department)
    # Due 1 August: coming due, not overdue.
    soon = GoalFactory(
        title="即将应报", lead_department=department, latest_as_of=D(2024, 5, 3), stale_after_days=90
    )
    GoalFactory(
        title="里程碑", lead_department=department, kind=Goal.Kind.MILESTONE, target_value=None, unit=""
    )
    GoalFactory(title="已达成", lead_department=department, status="achieved")
    GoalFactory(title="尚未开始", lead_department=department, period_start=D(2024, 9, 1))
    reported(title="数据新鲜", lead_department=department)

    section = section_build(department=department, period=PERIOD)

    assert [(line.goal.title, line.days_late) for line in section.overdue_figures.lines] == [
        ("从未报送", 76),
        ("季度未报", 17),
    ]
    assert [(line.goal.title, line.due_on) for line in section.figures_due.lines] == [
        ("即将应报", D(2024, 8, 1))
    ]
    assert section.overdue_figures.lines[1].url.endswith(f"/admin/goals/progressupdate/add/?goal={late.pk}")
    text = services.digest_render(
        services.digest_build_for_scope(departments=[department], period=PERIOD)
    ).text
    assert (
        "应于 2024-06-28 报送，已逾期 17 天（上次数据截至 2024-03-30） · "
        "due 2024-06-28, 17 days overdue (last figure as of 2024-03-30)"
    ) in text
    assert "已逾期 76 天（尚无数据）" in text and never.title in text and soon.title in text


def test_counts_are_the_statuses_the_history_knew_at_the_end_of_the_week(department):
    # Turned off track on Monday morning, after the week ended: it was on track at the week's end.
    after = reported(lead_department=department, status="off_track")
    change(after, beijing(D(2024, 6, 3)), "", "on_track")
    change(after, beijing(SENDING_DAY, 2), "on_track", "off_track")
    # Turned at risk during the week, achieved since.
    during = reported(lead_department=department, status="achieved")
    change(during, beijing(D(2024, 7, 9)), "on_track", "at_risk")
    change(during, beijing(SENDING_DAY, 3), "at_risk", "achieved")
    # First judged after the week: not started then.
    first = reported(lead_department=department, status="on_track")
    change(first, beijing(SENDING_DAY, 1), "", "on_track")
    # Never changed: its status now is the one it had.
    reported(lead_department=department, status="stale")

    section = section_build(department=department, period=PERIOD)

    assert {line.en: line.count for line in section.status_counts} == {
        "Not started": 1,
        "On track": 1,
        "At risk": 1,
        "Stale": 1,
    }


def test_a_quiet_week_still_says_what_comes_due_in_the_next_30_days(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    reported(title="月底到期", lead_department=department, deadline=D(2024, 7, 31))
    GoalFactory(
        title="下周应报", lead_department=department, latest_as_of=D(2024, 4, 20), stale_after_days=90
    )

    services.digests_send_due(today=SENDING_DAY)

    text = mail.outbox[0].body
    assert "本周没有变化" in text
    assert "下周应报" in between(text, "30 天内应报数据 · Figures due in the next 30 days (1)", "30 天内到期")
    assert "- 2024-07-31 月底到期" in between(
        text, "30 天内到期 · Deadlines in the next 30 days (1)", "目标状态"
    )


def test_an_empty_horizon_says_none_rather_than_nothing(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])

    services.digests_send_due(today=SENDING_DAY)

    text = mail.outbox[0].body
    assert "30 天内应报数据 · Figures due in the next 30 days (0)\n  没有 · none" in text
    assert "30 天内到期 · Deadlines in the next 30 days (0)\n  没有 · none" in text


def test_the_more_link_opens_the_list_at_length_for_staff(client, admin_user, department, monkeypatch):
    for n in range(25):
        GoalFactory(title=f"逾期目标{n:02d}", lead_department=department, deadline=D(2024, 7, 31))
    section = section_build(department=department, period=PERIOD)
    assert len(section.overdue_figures.lines) == 20 and section.overdue_figures.more == 5

    client.force_login(admin_user)
    page = client.get(section.overdue_figures.url.removeprefix("https://targets.jinan.example"))

    assert page.status_code == 200
    body = page.content.decode()
    assert all(f"逾期目标{n:02d}" in body for n in range(25))
    assert body.count("5 more</span>") == 1  # the deadlines, still capped; the list followed is whole
    monkeypatch.setattr(building, "FULL_LIST_LIMIT", 22)
    body = client.get(section.overdue_figures.url).content.decode()
    assert "逾期目标21" in body and "逾期目标22" not in body.split("30 天内到期")[0]
    assert client.get("/admin/digests/digestsubscription/full/?period=2024-07-09").status_code == 404
    client.logout()
    assert client.get(section.overdue_figures.url).status_code == 302  # staff only


def test_an_all_departments_digest_tallies_what_each_lead_department_has_to_act_on(
    manager, department, other_department
):
    manager.is_superuser = True  # a city-wide reader: only they get every department (scope.py)
    manager.save()
    DigestSubscriptionFactory(user=manager)  # no departments chosen: all of them
    red = reported(title="变红的目标", lead_department=department)
    change(red, beijing(D(2024, 7, 10)), "at_risk", "off_track")
    GoalFactory(title="未报数据一", lead_department=department)
    GoalFactory(title="未报数据二", lead_department=other_department)
    GoalFactory(title="未报数据三", lead_department=other_department)
    reported(title="无事的目标", lead_department=DepartmentFactory(name="无事局", name_en=""))

    services.digests_send_due(today=SENDING_DAY)

    text = mail.outbox[0].body
    tally = between(text, "各牵头单位待办 · To act on, by lead department", "本周转为红灯")
    assert tally.splitlines()[2:4] == [
        "- 济南市大数据局（Big Data Bureau）: 1 / 1 / 0 / 0",
        "- 济南市工业和信息化局（Bureau of Industry and IT）: 0 / 2 / 0 / 0",
    ]
    assert "无事局" not in tally
    assert "各牵头单位待办" in mail.outbox[0].alternatives[0][0]
    # In a section of all departments, each line says whose it is.
    [line] = [line for line in text.splitlines() if line.startswith("- 未报数据二")]
    assert line.endswith("【济南市工业和信息化局】")
    [line] = [line for line in text.splitlines() if line.startswith("- 变红的目标")]
    assert line.endswith("【济南市大数据局】")


def test_a_department_digest_has_no_tally(manager, department):
    DigestSubscriptionFactory(user=manager, departments=[department])
    GoalFactory(lead_department=department)

    services.digests_send_due(today=SENDING_DAY)

    assert "各牵头单位待办" not in mail.outbox[0].body
    assert "【" not in mail.outbox[0].body  # every line is the department's own


@pytest.mark.parametrize("count", [3, 30])
def test_an_all_departments_section_takes_the_same_queries_for_3_or_30_goals(
    count, department, django_assert_max_num_queries
):
    changed_goals(count, department)

    # turned red, other changes, approved (and its count), waiting, explanations, deadlines, figure
    # schedule, goals listed, counts at the week's end; the tally: three grouped counts, names
    with django_assert_max_num_queries(15):
        section = section_build(department=None, period=PERIOD)

    assert section.other_changes.total == count and section.by_department[0].waiting == count
    assert all(line.goal.department == "济南市大数据局" for line in section.waiting.lines)


def test_a_cadence_of_0_days_owes_a_figure_at_once(department):
    """stale_after_days=0 means 0 days here as in the status rules (status.cadence_days), not the
    project-wide 120: a figure of 1 July is owed from 1 July, 14 days overdue on Monday 15 July."""
    GoalFactory(title="每日报送", lead_department=department, latest_as_of=D(2024, 7, 1), stale_after_days=0)

    section = section_build(department=department, period=PERIOD)

    assert [(line.goal.title, line.days_late) for line in section.overdue_figures.lines] == [("每日报送", 14)]
