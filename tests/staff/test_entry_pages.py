"""The recorder's and the reviewer's pages in the admin: the goal's facts beside the figure, a
magnitude check, validation at save, save-and-submit in one step, Approve and Return buttons."""

import datetime
import re
from decimal import Decimal

import pytest

from apps.goals.models import ProgressUpdate

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

ADD = "/admin/goals/progressupdate/add/"
EXPECTED = "/admin/goals/progressupdate/expected/"
LIST = "/admin/goals/progressupdate/"


@pytest.fixture
def goal(department):
    goal = GoalFactory(
        lead_department=department,
        title="数字经济核心产业增加值达到1700亿元",
        kind="level",
        unit="亿元",
        target_value=Decimal("1700"),
        baseline_value=Decimal("1200"),
        baseline_date=datetime.date(2023, 12, 31),
        expected_value=Decimal("1450"),
        status_evaluated_on=datetime.date(2024, 7, 1),
    )
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 3, 31),
        value=Decimal("1320"),
        review_state="approved",
        reviewed_at=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC),
    )
    return goal


def figure(goal, **changes):
    data = {
        "goal": goal.pk,
        "as_of": "2024-06-30",
        "value": "1405",
        "evidence_url": "https://example.com/q2",
        "note": "",
    }
    data.update(changes)
    return data


def test_the_recorder_sees_the_goal_facts_beside_the_entry(client, recorder, goal):
    client.force_login(recorder)
    page = client.get(ADD, {"goal": goal.pk}).content.decode()
    facts = page[page.index('data-testid="entry-facts"') :]
    assert 'data-testid="goal-unit">亿元<' in facts
    assert "≥ 1700 亿元" in facts
    assert "1200 亿元（2023-12-31）" in facts
    assert 'data-testid="previous-figure">1320 亿元<' in facts and "2024-03-31" in facts
    # 序时进度 for today until a date is entered: 6 months and 15 of July's 31 days of 500 亿元 more.
    assert expected_shown(facts) == ("1470 亿元", "2024-07-15")
    assert "按目标的单位填写" in page  # help in Chinese first
    assert 'name="_save_and_submit"' in page


def expected_shown(page):
    expected = re.search(r'data-testid="expected">([^<]*)<', page).group(1)
    on = re.search(r'data-testid="expected-on">([^<]*)<', page).group(1)
    return expected, on


def test_the_expected_value_is_for_the_date_entered_not_the_last_evaluation(client, recorder, goal):
    """The goal was last judged on 1 July (expected 1450 亿元 stored); a recorder entering the figure
    for the end of March or of September sees the expected progress of that date."""
    client.force_login(recorder)
    assert expected_shown(client.get(ADD, {"goal": goal.pk, "as_of": "2024-09-30"}).content.decode()) == (
        "1575 亿元",
        "2024-09-30",
    )
    refused = client.post(ADD, figure(goal, as_of="2024-03-31", evidence_url=""))  # shown again, with errors
    assert expected_shown(refused.content.decode()) == ("1325 亿元", "2024-03-31")

    draft = ProgressUpdateFactory(goal=goal, as_of=datetime.date(2024, 5, 31), recorded_by=recorder)
    page = client.get(f"/admin/goals/progressupdate/{draft.pk}/change/").content.decode()
    assert expected_shown(page) == ("1408 亿元", "2024-05-31")  # its own date (5/12 of the way)


def test_the_page_asks_again_when_the_date_changes(client, recorder, other_recorder, goal):
    client.force_login(recorder)
    answer = client.get(EXPECTED, {"goal": goal.pk, "as_of": "2024/09/30"})  # as the date picker writes it
    assert answer.json() == {"expected": "1575 亿元", "on": "2024-09-30"}
    assert client.get(EXPECTED, {"goal": goal.pk, "as_of": "2024-12-31"}).json()["expected"] == "1700 亿元"
    assert client.get(EXPECTED, {"goal": goal.pk, "as_of": "30 Sept"}).status_code == 400

    client.force_login(other_recorder)  # another department's goal: not theirs to ask about
    assert client.get(EXPECTED, {"goal": goal.pk, "as_of": "2024-09-30"}).status_code == 404


def test_a_rate_goal_is_held_to_its_target_and_a_milestone_to_none(client, recorder, department):
    client.force_login(recorder)
    rate = GoalFactory(lead_department=department, kind="growth_rate", unit="%", target_value=Decimal("5.5"))
    milestone = GoalFactory(lead_department=department, kind="milestone", target_value=None, unit="")
    assert (
        client.get(EXPECTED, {"goal": rate.pk, "as_of": "2024-03-31"}).json()["expected"] == "5.5%"
    )  # as the public pages write a percentage
    assert client.get(EXPECTED, {"goal": milestone.pk, "as_of": "2024-03-31"}).json()["expected"] == "—"


def test_a_value_a_hundred_times_off_must_be_confirmed(client, recorder, goal):
    client.force_login(recorder)
    refused = client.post(ADD, figure(goal, value="0.14"))  # 万亿元 typed into a 亿元 goal
    assert refused.status_code == 200
    assert "相差百倍以上" in refused.content.decode()
    assert not ProgressUpdate.objects.filter(as_of=datetime.date(2024, 6, 30)).exists()

    client.post(ADD, figure(goal, value="0.14", confirm_magnitude="on"))
    assert ProgressUpdate.objects.get(as_of=datetime.date(2024, 6, 30)).value == Decimal("0.14")


def test_a_future_date_or_missing_evidence_is_refused_at_save(client, recorder, goal):
    client.force_login(recorder)
    page = client.post(ADD, figure(goal, as_of="2024-09-30", evidence_url="")).content.decode()
    assert "数据截至日期不能晚于今天（2024-07-15）" in page
    assert "请提供佐证链接或上传佐证文件" in page
    assert ProgressUpdate.objects.count() == 1


def test_save_and_submit_in_one_step_and_a_plain_save_says_draft(client, recorder, goal):
    client.force_login(recorder)
    done = client.post(ADD, figure(goal, _save_and_submit="1"), follow=True)
    assert "已保存并报送审核" in done.content.decode()
    assert ProgressUpdate.objects.get(as_of=datetime.date(2024, 6, 30)).review_state == "submitted"

    draft = client.post(ADD, figure(goal, as_of="2024-05-31", _save="1"), follow=True).content.decode()
    assert "已保存为草稿，尚未报送审核" in draft
    assert "成功" not in draft  # no "added successfully" for what is still a draft
    assert ProgressUpdate.objects.get(as_of=datetime.date(2024, 5, 31)).review_state == "draft"


@pytest.fixture
def submitted(goal, recorder):
    recorder.first_name, recorder.last_name = "伟", "王"
    recorder.save()
    return ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("1405"),
        recorded_by=recorder,
        review_state="submitted",
    )


def test_the_reviewer_sees_the_figure_beside_target_and_previous_and_approves(client, reviewer, submitted):
    client.force_login(reviewer)
    page = client.get(f"/admin/goals/progressupdate/{submitted.pk}/change/").content.decode()
    assert 'data-testid="review-buttons"' in page
    assert 'data-testid="change">+85 亿元<' in page
    assert 'data-testid="previous-figure">1320 亿元<' in page
    assert "82.6%" in page  # of the target
    assert "https://example.com/evidence" in page

    done = client.post(f"/admin/goals/progressupdate/{submitted.pk}/change/", {"_approve": "1"}, follow=True)
    assert "已通过审核" in done.content.decode()
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.reviewed_by) == ("approved", reviewer)


def test_a_return_needs_a_reason_which_the_list_then_shows(client, reviewer, recorder, submitted):
    client.force_login(reviewer)
    change = f"/admin/goals/progressupdate/{submitted.pk}/change/"
    refused = client.post(change, {"_return": "1", "return_reason": ""}, follow=True).content.decode()
    assert "请写明退回原因" in refused
    client.post(change, {"_return": "1", "return_reason": "佐证为去年数据"})
    submitted.refresh_from_db()
    assert submitted.review_state == "rejected"

    client.force_login(recorder)
    listing = client.get(LIST).content.decode()
    assert "佐证为去年数据" in listing and "已退回 · returned" in listing
    assert "王伟" in listing and "伟 王" not in listing
    assert "1405 亿元" in listing and "1405.0000" not in listing
    page = client.get(change).content.decode()
    assert "退回原因 · Returned because: 佐证为去年数据" in page


def test_a_recorder_cannot_approve_from_the_page(client, recorder, submitted):
    client.force_login(recorder)
    page = client.get(f"/admin/goals/progressupdate/{submitted.pk}/change/").content.decode()
    assert 'name="_approve"' not in page
    client.post(f"/admin/goals/progressupdate/{submitted.pk}/change/", {"_approve": "1"})
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"


def test_the_admin_index_lists_what_each_person_has_to_do(client, reviewer, recorder, submitted, goal):
    client.force_login(reviewer)
    page = client.get("/admin/").content.decode()
    assert 'data-testid="todo"' in page and "1 条进展待您审核" in page

    submitted.review_state, submitted.review_comment = "rejected", "单位写错了"
    submitted.reviewed_at = datetime.datetime(2024, 7, 14, tzinfo=datetime.UTC)
    submitted.save()
    client.force_login(recorder)
    page = client.get("/admin/").content.decode()
    assert "被退回 · Returned: 数字经济核心产业增加值达到1700亿元" in page and "单位写错了" in page
    assert f"/admin/goals/progressupdate/{submitted.pk}/change/" in page


def test_the_admin_index_lists_the_domain_before_the_framework(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert page.index("app-goals") < page.index("app-digests") < page.index("app-django_celery_beat")
    assert "济南目标追踪 · Jinan Targets" in page


def test_the_last_figure_is_compared_in_the_goal_unit(client, recorder, goal):
    # The last approved figure was reported as 0.135 万亿元 (1350 亿元): 1405 亿元 is no slip.
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 5, 31),
        value=Decimal("0.135"),
        unit="万亿元",
        review_state="approved",
        reviewed_at=datetime.datetime(2024, 6, 20, tzinfo=datetime.UTC),
    )
    client.force_login(recorder)
    client.post(ADD, figure(goal))
    assert ProgressUpdate.objects.get(as_of=datetime.date(2024, 6, 30)).value == Decimal("1405")
