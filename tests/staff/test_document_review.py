"""The review screen of a document: each target and result the reader proposed, accepted, edited or
rejected through the review services (a target published, a result left for another reviewer), each
step timed and stored, rejections counted per reader rule; a person sees only her departments' items."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.goals.models import (
    Department,
    DepartmentMembership,
    Document,
    Goal,
    MembershipRole,
    MentionRule,
    ProgressUpdate,
    ReviewAction,
)
from apps.goals.services.progress_review import progress_update_approve

from ..districts import licheng_folder
from ..factories import CitationFactory, GoalFactory, UserFactory

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def onboarded(tmp_path):
    call_command("onboard", str(licheng_folder(tmp_path)), stdout=io.StringIO())
    return Document.objects.get(title="历城区2025年政府工作报告"), Document.objects.get(
        title__contains="上半年"
    )


def _staff(username, roles, *, publisher=False, departments=None):
    user = UserFactory(username=username, is_staff=True)
    for department in departments if departments is not None else Department.objects.all():
        for role in roles:
            DepartmentMembership.objects.create(user=user, department=department, role=role)
    if publisher:
        user.user_permissions.add(Permission.objects.get(codename="change_goal"))
    return user


@pytest.fixture
def editor(onboarded):
    """Publishes goals, and records and reviews figures for the district's departments."""
    return _staff("editor", [MembershipRole.RECORDER, MembershipRole.REVIEWER], publisher=True)


@pytest.fixture
def second_reviewer(onboarded):
    return _staff("second", [MembershipRole.REVIEWER])


def rule_of(citation):
    return MentionRule.objects.get(document=citation.document, start=citation.start, end=citation.end).rule


def page(document):
    return reverse("admin:goals_document_review", args=[document.pk])


def act(client, document, **data):
    return client.post(page(document), data, **FETCH)


def key_of(goal=None, figure=None):
    return f"figure-{figure.pk}" if figure else f"goal-{goal.pk}"


def test_the_page_shows_the_text_with_each_proposed_item_highlighted(client, onboarded, editor):
    targets, _ = onboarded
    client.force_login(editor)

    response = client.get(page(targets))

    html = response.content.decode()
    goals = Goal.objects.filter(citations__document=targets)
    assert goals.count() == 3
    for goal in goals:
        citation = goal.citations.get()
        assert f'id="item-goal-{goal.pk}"' in html
        assert f'<mark data-items="goal-{goal.pk}" class="state-proposed">{citation.quote}</mark>' in html
    assert "<kbd>a</kbd> 采纳 · accept" in html


def test_accepting_a_target_publishes_it_with_the_person_in_its_history(client, onboarded, editor):
    targets, _ = onboarded
    goal = Goal.objects.get(title__contains="地区生产总值")
    client.force_login(editor)
    client.get(page(targets))

    answer = act(client, targets, action="accept", item=key_of(goal)).json()

    goal.refresh_from_db()
    assert goal.review_state == Goal.ReviewState.PUBLISHED
    assert goal.history.first().history_user == editor
    assert answer["states"][key_of(goal)][0] == "accepted"
    action = ReviewAction.objects.get(action="accept")
    assert (action.user, action.goal, action.document) == (editor, goal, targets)
    assert action.reader_rule == rule_of(goal.citations.get()) != ""


def test_editing_a_target_corrects_it_then_publishes_it(client, onboarded, editor):
    targets, _ = onboarded
    goal = Goal.objects.get(title__contains="城镇新增就业")
    office = goal.lead_department
    bureau = Department.objects.get(name="历城区发展和改革局")
    client.force_login(editor)
    client.get(page(targets))

    answer = act(
        client,
        targets,
        action="edit",
        item=key_of(goal),
        value="8500",
        unit="万人",
        kind="level",
        year="2026",
        department=str(bureau.pk),
    )

    assert answer.status_code == 200, answer.content
    goal.refresh_from_db()
    assert (goal.target_value, goal.unit, goal.unit_magnitude, goal.kind) == (
        Decimal(8500),
        "万人",
        Decimal(10000),
        "level",
    )
    assert goal.deadline == datetime.date(2026, 12, 31) and goal.period_start == datetime.date(2026, 1, 1)
    assert goal.lead_department == bureau != office
    assert goal.review_state == Goal.ReviewState.PUBLISHED
    assert ReviewAction.objects.get(goal=goal).action == "edit"


def test_a_rejection_needs_a_reason_which_is_stored_with_the_reader_rule(client, onboarded, editor):
    targets, _ = onboarded
    goal = Goal.objects.get(title__contains="5G")
    client.force_login(editor)

    refused = act(client, targets, action="reject", item=key_of(goal))
    assert refused.status_code == 400 and "原因" in refused.json()["error"]
    assert act(client, targets, action="reject", item=key_of(goal), reason="other").status_code == 400
    act(client, targets, action="reject", item=key_of(goal), reason="result_as_target", note="去年的数")

    goal.refresh_from_db()
    assert goal.review_state == Goal.ReviewState.REJECTED
    action = ReviewAction.objects.get(action="reject")
    assert (action.reason, action.note, action.reader_rule) == (
        "result_as_target",
        "去年的数",
        rule_of(goal.citations.get()),
    )
    report = io.StringIO()
    call_command("rejection_report", stdout=report)
    line, reason = report.getvalue().splitlines()[1:3]
    assert line.split()[:3] == ["1", "0", "0"] and line.endswith(action.reader_rule)
    assert "1 × 把已完成的结果读成了目标 · a result read as a target" in reason


def test_an_accepted_result_stays_submitted_for_another_reviewer(client, onboarded, editor, second_reviewer):
    _, results = onboarded
    figure = ProgressUpdate.objects.get(quote__contains="地区生产总值")
    client.force_login(editor)

    act(client, results, action="accept", item=key_of(figure=figure))

    figure.refresh_from_db()
    assert figure.review_state == ProgressUpdate.ReviewState.SUBMITTED
    with pytest.raises(PermissionDenied):  # four eyes: she checked it, someone else approves it
        progress_update_approve(update=figure, reviewer=editor)
    progress_update_approve(update=figure, reviewer=second_reviewer)
    figure.refresh_from_db()
    assert figure.review_state == ProgressUpdate.ReviewState.APPROVED


def test_an_edited_result_is_corrected_and_still_submitted(client, onboarded, editor):
    _, results = onboarded
    figure = ProgressUpdate.objects.get(quote__contains="5G")
    client.force_login(editor)

    act(client, results, action="edit", item=key_of(figure=figure), value="181", unit="个", year="2025")

    figure.refresh_from_db()
    assert (figure.value, figure.review_state) == (Decimal(181), ProgressUpdate.ReviewState.SUBMITTED)
    assert figure.history.first().history_user == editor


def test_a_rejected_result_is_returned_with_the_reason(client, onboarded, editor):
    _, results = onboarded
    figure = ProgressUpdate.objects.get(quote__contains="5G")
    client.force_login(editor)

    act(client, results, action="reject", item=key_of(figure=figure), reason="wrong_value")

    figure.refresh_from_db()
    assert figure.review_state == ProgressUpdate.ReviewState.REJECTED
    assert figure.review_comment == "数值有误 · wrong value"
    assert figure.reviewed_by == editor


def test_accept_all_unchanged_accepts_only_the_items_listed(client, onboarded, editor):
    targets, _ = onboarded
    gdp, five_g, jobs = (Goal.objects.get(title__contains=words) for words in ("地区生产总值", "5G", "就业"))
    client.force_login(editor)
    act(client, targets, action="reject", item=key_of(five_g), reason="duplicate")

    act(client, targets, action="accept_all", items=f"{key_of(gdp)} {key_of(five_g)}")

    states = dict(Goal.objects.values_list("pk", "review_state"))
    assert (states[gdp.pk], states[five_g.pk], states[jobs.pk]) == ("published", "rejected", "pending")
    bulk = ReviewAction.objects.get(goal=gdp)
    assert bulk.action == "accept"


def test_each_step_is_timed_from_the_previous_one_and_the_page_shows_the_total(client, onboarded, editor):
    targets, _ = onboarded
    gdp, jobs = Goal.objects.get(title__contains="地区生产总值"), Goal.objects.get(title__contains="就业")
    client.force_login(editor)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.get(page(targets))
        clock.shift(42)
        act(client, targets, action="accept", item=key_of(gdp))
        clock.shift(30)
        answer = act(client, targets, action="reject", item=key_of(jobs), reason="not_target").json()

    seconds = list(
        ReviewAction.objects.exclude(action="open").order_by("pk").values_list("seconds", flat=True)
    )
    assert seconds == [Decimal(42), Decimal(30)]
    assert answer["time_total"] == "1 分 12 秒 · 1 min 12 s"
    assert "1 分 12 秒 · 1 min 12 s" in client.get(page(targets) + "?continue=1").content.decode()


def test_a_person_sees_only_her_departments_items(client, onboarded, editor):
    targets, results = onboarded
    bureau = Department.objects.get(name="历城区发展和改革局")
    recorder = _staff("bureau_recorder", [MembershipRole.RECORDER], departments=[bureau])
    outsider = _staff(
        "outsider", [MembershipRole.REVIEWER], departments=[Department.objects.create(name="某局", slug="x")]
    )

    client.force_login(outsider)
    assert client.get(page(targets)).status_code == 404
    assert "历城区" not in client.get(reverse("admin:goals_document_review_list")).content.decode()

    client.force_login(recorder)
    html = client.get(page(targets)).content.decode()
    gdp = Goal.objects.get(title__contains="地区生产总值")
    assert f"item-goal-{gdp.pk}" in html
    assert html.count('class="review-item state-') == 1
    listed = client.get(reverse("admin:goals_document_review_list")).content.decode()
    assert targets.title in listed and results.title in listed


def test_a_recorder_checks_results_but_may_not_publish_a_target(client, onboarded, editor):
    targets, results = onboarded
    bureau = Department.objects.get(name="历城区发展和改革局")
    recorder = _staff("bureau_recorder", [MembershipRole.RECORDER], departments=[bureau])
    gdp = Goal.objects.get(title__contains="地区生产总值")
    figure = ProgressUpdate.objects.get(goal=gdp)
    client.force_login(recorder)

    refused = act(client, targets, action="accept", item=key_of(gdp))
    assert refused.status_code == 403
    assert Goal.objects.get(pk=gdp.pk).review_state == Goal.ReviewState.PENDING
    assert act(client, results, action="accept", item=key_of(figure=figure)).status_code == 200
    assert ReviewAction.objects.get(figure=figure).user == recorder


def test_the_page_reads_in_a_fixed_number_of_queries(client, onboarded, editor, django_assert_num_queries):
    targets, _ = onboarded
    client.force_login(editor)
    client.get(page(targets))
    with CaptureQueriesContext(connection) as few:
        client.get(page(targets) + "?continue=1")
    for number in range(5):  # five more goals stated in the document
        goal = GoalFactory(lead_department=Department.objects.first(), review_state="pending")
        CitationFactory(goal=goal, document=targets, start=number, end=number + 1, quote=targets.text[number])

    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(page(targets) + "?continue=1").content.decode()
    assert html.count('class="review-item state-') == 8
