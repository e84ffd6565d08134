"""Every save button on the figure and explanation pages says what state the thing is in (a draft,
returned, submitted for review, approved), Chinese first with English beside it, and never Django's
“成功添加了…” / “was added successfully”, which reads as if a draft figure were done."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import messages

from apps.goals.models import GoalExplanation, ProgressUpdate, StatusChange
from apps.goals.services import explanations

from ..factories import GoalFactory, ProgressUpdateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july_2024")]

ADD = "/admin/goals/progressupdate/add/"


@pytest.fixture
def goal(department):
    return GoalFactory(lead_department=department, kind="level", unit="亿元", target_value=Decimal("1700"))


def figure(goal, **changes):
    return {
        "goal": goal.pk,
        "as_of": "2024-06-30",
        "value": "1405",
        "evidence_url": "https://example.com/q2",
        "note": "",
        **changes,
    }


def said(response) -> list[tuple[str, int]]:
    return [(m.message, m.level) for m in response.context["messages"]]


def assert_no_django_success(response):
    page = response.content.decode()
    assert "成功" not in page and "successfully" not in page


@pytest.mark.parametrize(
    "button, next_step",
    [
        ("_save", "报送请点“保存并报送”"),
        ("_continue", "可在下方继续编辑 · "),
        ("_addanother", "可在下方填报下一条 · "),
    ],
)
def test_every_save_of_a_new_figure_says_it_is_a_draft(client, recorder, goal, button, next_step):
    client.force_login(recorder)
    response = client.post(ADD, figure(goal, **{button: "1"}), follow=True)
    [(text, level)] = said(response)
    assert text.startswith("已保存为草稿，尚未报送审核")
    assert "Saved as a draft, not yet submitted for review" in text  # English beside the Chinese
    assert next_step in text
    assert level == messages.WARNING
    assert_no_django_success(response)
    assert ProgressUpdate.objects.get().review_state == "draft"


def test_saving_a_returned_figure_says_it_is_still_returned(client, recorder, goal):
    returned = ProgressUpdateFactory(
        goal=goal,
        recorded_by=recorder,
        review_state="rejected",
        review_comment="单位错误",
        reviewed_at=datetime.datetime(2024, 7, 10, tzinfo=datetime.UTC),
    )
    client.force_login(recorder)
    response = client.post(
        f"/admin/goals/progressupdate/{returned.pk}/change/", figure(goal, _continue="1"), follow=True
    )
    [(text, _)] = said(response)
    assert text.startswith("已保存；该数据已被退回，尚未重新报送审核")
    assert "the figure was returned and is not yet submitted again" in text
    assert_no_django_success(response)


def test_save_and_submit_says_submitted(client, recorder, goal):
    client.force_login(recorder)
    response = client.post(ADD, figure(goal, _save_and_submit="1"), follow=True)
    assert [text for text, _ in said(response)] == [
        "已保存并报送审核，审核员会收到通知 · Saved and submitted; the reviewers are notified"
    ]


def test_a_superuser_saving_an_approved_figure_is_told_it_is_public(admin_client, goal):
    approved = ProgressUpdateFactory(
        goal=goal, review_state="approved", reviewed_at=datetime.datetime(2024, 7, 10, tzinfo=datetime.UTC)
    )
    response = admin_client.post(
        f"/admin/goals/progressupdate/{approved.pk}/change/",
        figure(goal, value="3500", evidence_url="https://example.com/evidence", _continue="1"),
        follow=True,
    )
    [(text, _)] = said(response)
    assert text.startswith("已保存；该数据已通过审核并已公开；可在下方继续编辑")
    assert_no_django_success(response)


@pytest.fixture
def asked(department):
    goal = GoalFactory(lead_department=department, title="新建5G基站7000个", status="off_track")
    StatusChange.objects.create(
        goal=goal,
        evaluated_on=datetime.date(2024, 7, 15),
        from_status="on_track",
        to_status="off_track",
        rule_version="t",
    )
    [explanation] = explanations.explanations_request(today=datetime.date(2024, 7, 15))
    return explanation


@pytest.mark.parametrize("button", ["_save", "_continue"])
def test_saving_an_explanation_says_it_is_a_draft(client, recorder, asked, button):
    client.force_login(recorder)
    response = client.post(
        f"/admin/goals/goalexplanation/{asked.pk}/change/",
        {"reason": "审批慢", "corrective_actions": "专班推进", button: "1"},
        follow=True,
    )
    [(text, level)] = said(response)
    assert text.startswith("原因说明已保存为草稿，尚未报送审核")
    assert "not yet submitted for review" in text
    assert level == messages.WARNING
    assert_no_django_success(response)
    asked.refresh_from_db()
    assert (asked.review_state, asked.reason) == (GoalExplanation.ReviewState.REQUESTED, "审批慢")


def change_form_data(response) -> dict:
    """The admin change page's form and inline formsets as a browser would post them unchanged."""
    data = {}

    def put(form, prefix=""):
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if value is None or value is False:
                continue
            data[key] = "on" if value is True else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            put(form, f"{form.prefix}-")
    return data


def test_figures_added_on_the_goals_page_are_said_to_be_drafts(admin_client, goal):
    page = f"/admin/goals/goal/{goal.pk}/change/"
    data = change_form_data(admin_client.get(page))
    prefix = "progress_updates"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-as_of": "2024-06-30",
            f"{prefix}-0-value": "1405",
            f"{prefix}-0-evidence_url": "https://example.com/q2",
            "_save": "Save",
        }
    )
    response = admin_client.post(page, data, follow=True)
    assert response.status_code == 200
    [update] = ProgressUpdate.objects.filter(goal=goal)
    assert update.review_state == ProgressUpdate.ReviewState.DRAFT
    assert (
        "1 条数据已保存为草稿，尚未报送审核：请在数据页点“保存并报送” · 1 figure(s) saved as drafts, "
        "not yet submitted for review: open each and use “Save and submit”",
        messages.WARNING,
    ) in said(response)
