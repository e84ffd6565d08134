"""Judging goals and reviewing progress (apps/goals/services/): history written only on change,
jobs safe to run twice and at once, review transitions with their permissions and messages."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.goals import selectors, tasks, verdicts
from apps.goals.models import Goal, ProgressUpdate, RecordedQuarter, StatusChange
from apps.goals.services import daily_evaluation, evaluation, progress_review
from apps.goals.status import Status

from ..concurrency import run_at_once
from ..factories import GoalFactory, ProgressUpdateFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=SHANGHAI)


def approved(goal, as_of, value, *, is_final=False):
    return ProgressUpdateFactory(
        goal=goal,
        as_of=as_of,
        value=Decimal(value),
        is_final=is_final,
        review_state=ProgressUpdate.ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )


def history(goal):
    return list(StatusChange.objects.filter(goal=goal).order_by("pk").values_list("from_status", "to_status"))


@pytest.fixture
def goal(department):
    """新建5G基站7000个 in 2024, led by the recorder's and reviewer's department."""
    return GoalFactory(lead_department=department)


# --- Judging ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_evaluation_stores_the_result_and_writes_history_only_when_the_status_changes(goal):
    approved(goal, datetime.date(2024, 6, 30), 3600)  # 51% of the way at the half year

    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 7, 15))
    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 7, 15))
    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 7, 20))

    goal.refresh_from_db()
    assert goal.status == Status.ON_TRACK
    assert (goal.latest_value, goal.latest_as_of) == (Decimal("3600"), datetime.date(2024, 6, 30))
    assert goal.expected_value == Decimal("3500")
    assert goal.progress_percent == Decimal("51.43")
    assert goal.status_evaluated_on == datetime.date(2024, 7, 20)
    assert "3500" in goal.status_explanation_zh and "3,600" in goal.status_explanation_en
    assert history(goal) == [("", Status.ON_TRACK)]

    approved(goal, datetime.date(2024, 9, 30), 3700)  # 53% when 75% was due
    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 10, 10))

    assert history(goal) == [("", Status.ON_TRACK), (Status.ON_TRACK, Status.OFF_TRACK)]
    change = StatusChange.objects.filter(goal=goal).latest("pk")
    assert change.evaluated_on == datetime.date(2024, 10, 10)
    assert (change.expected_value, change.actual_value) == (Decimal("5250"), Decimal("3700"))


@pytest.mark.django_db
def test_only_approved_figures_count(goal):
    approved(goal, datetime.date(2024, 6, 30), 3600)
    ProgressUpdateFactory(goal=goal, as_of=datetime.date(2024, 9, 30), value=Decimal("100"))  # a draft
    ProgressUpdateFactory(
        goal=goal,
        as_of=datetime.date(2024, 9, 29),
        value=Decimal("100"),
        review_state=ProgressUpdate.ReviewState.SUBMITTED,
    )

    result = evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 10, 10))

    assert result.actual_value == Decimal("3600")


@pytest.mark.django_db
def test_the_daily_job_run_twice_records_one_change_and_writes_nothing_the_second_time(goal):
    approved(goal, datetime.date(2024, 6, 30), 1000)
    other = GoalFactory(kind=Goal.Kind.GROWTH_RATE, target_value=Decimal("5.5"), unit="%")
    approved(other, datetime.date(2024, 6, 30), "5.3")

    first = daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 15))
    second = daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 15))

    assert (first.evaluated, first.changed, first.status_changes) == (2, 2, 2)
    assert (second.evaluated, second.changed, second.status_changes) == (2, 0, 0)
    assert second.counts == {Status.OFF_TRACK: 1, Status.AT_RISK: 1}
    assert history(goal) == [("", Status.OFF_TRACK)]
    assert history(other) == [("", Status.AT_RISK)]
    other.refresh_from_db()
    assert other.status == Status.AT_RISK and other.latest_value == Decimal("5.3")


@pytest.mark.django_db
def test_the_daily_job_and_the_single_evaluation_agree(goal):
    approved(goal, datetime.date(2024, 9, 30), 5000)
    daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 10, 8))
    goal.refresh_from_db()
    by_job = [getattr(goal, name) for name in verdicts.Computed._fields]
    Goal.objects.filter(pk=goal.pk).update(status_evaluated_on=None, status_explanation_en="")

    evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 10, 8))

    goal.refresh_from_db()
    assert [getattr(goal, name) for name in verdicts.Computed._fields] == by_job


@pytest.mark.django_db
def test_goals_that_cannot_be_judged_are_left_alone(goal):
    pending = GoalFactory(target_value=None, review_state=Goal.ReviewState.PENDING)
    rejected = GoalFactory(review_state=Goal.ReviewState.REJECTED)

    summary = daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 1))

    assert summary.evaluated == 1
    assert not StatusChange.objects.filter(goal__in=[pending, rejected]).exists()


@pytest.mark.django_db
def test_thresholds_come_from_the_goal_else_from_settings(settings):
    settings.GOAL_AT_RISK_BAND = Decimal("12")
    settings.GOAL_STALE_AFTER_DAYS = 90
    thresholds = verdicts.goal_thresholds(GoalFactory.build(tolerance=Decimal("0.2"), stale_after_days=400))
    assert (thresholds.at_risk_band, thresholds.growth_tolerance, thresholds.stale_after_days) == (
        Decimal("12"),
        Decimal("0.2"),
        400,
    )


@pytest.mark.django_db
def test_the_daily_job_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    def run_with(count):
        Goal.objects.all().delete()
        RecordedQuarter.objects.all().delete()
        for goal in GoalFactory.create_batch(count):
            approved(goal, datetime.date(2024, 3, 31), 1000)
            approved(goal, datetime.date(2024, 6, 30), 3000)
        # About eight judge and write; a past day's batch also takes the quarter ends' turn (four), and
        # the run records the quarter end before the new history (once).
        with django_assert_max_num_queries(22) as captured:
            summary = daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 15))
        assert summary.changed == count  # every goal was written, within the bound
        return len(captured)

    assert run_with(10) == run_with(200)


@pytest.mark.django_db
def test_a_goal_re_evaluated_while_the_daily_job_runs_keeps_the_newer_result(goal, monkeypatch):
    approved(goal, datetime.date(2024, 6, 30), 1000)
    daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 15))  # off track
    judge = daily_evaluation.judge

    def judge_while_a_figure_is_approved(row, observations, today):
        # The job has read the goal and its figures; now a better figure is approved and the goal
        # re-evaluated by its own task before the job writes.
        if row.pk == goal.pk and not ProgressUpdate.objects.filter(as_of=datetime.date(2024, 7, 10)).exists():
            approved(goal, datetime.date(2024, 7, 10), 4000)
            evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 7, 16))
        return judge(row, observations, today)

    monkeypatch.setattr(daily_evaluation, "judge", judge_while_a_figure_is_approved)
    summary = daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 7, 16))

    goal.refresh_from_db()
    assert goal.status == Status.ON_TRACK and goal.latest_value == Decimal("4000")
    assert summary.superseded == 1
    assert history(goal) == [("", Status.OFF_TRACK), (Status.OFF_TRACK, Status.ON_TRACK)]


@pytest.mark.django_db
@pytest.mark.parametrize(("final_figure", "outcome"), [("7100", Status.ACHIEVED), ("6500", Status.MISSED)])
def test_across_the_deadline_a_goal_awaits_its_final_figure_then_is_decided_by_it(
    goal, recorder, reviewer, django_capture_on_commit_callbacks, final_figure, outcome
):
    approved(goal, datetime.date(2024, 9, 30), 5400)
    with time_machine.travel(at_noon(datetime.date(2024, 10, 20)), tick=False):
        tasks.evaluate_all_goals()
        goal.refresh_from_db()
        assert goal.status == Status.ON_TRACK

    with time_machine.travel(at_noon(datetime.date(2025, 1, 20)), tick=False):
        tasks.evaluate_all_goals()
        goal.refresh_from_db()
        assert goal.status == Status.AWAITING_DATA

    with time_machine.travel(at_noon(datetime.date(2025, 3, 10)), tick=False):
        update = ProgressUpdateFactory(
            goal=goal,
            as_of=datetime.date(2024, 12, 31),
            value=Decimal(final_figure),
            is_final=True,
            recorded_by=recorder,
        )
        progress_review.progress_update_submit(update=update, user=recorder)
        with django_capture_on_commit_callbacks(execute=True):
            progress_review.progress_update_approve(update=update, reviewer=reviewer)
        goal.refresh_from_db()

    assert goal.status == outcome
    assert goal.status_evaluated_on == datetime.date(2025, 3, 10)
    assert history(goal) == [
        ("", Status.ON_TRACK),
        (Status.ON_TRACK, Status.AWAITING_DATA),
        (Status.AWAITING_DATA, outcome),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_of_one_goal_at_once_record_one_change(department):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers anyway")
    goal = GoalFactory(lead_department=department)
    approved(goal, datetime.date(2024, 6, 30), 3600)
    results, errors = run_at_once(
        lambda: evaluation.goal_evaluate(goal_id=goal.pk, today=datetime.date(2024, 7, 15)).status
    )

    assert not errors
    assert results == [Status.ON_TRACK, Status.ON_TRACK]
    assert history(goal) == [("", Status.ON_TRACK)]


# --- Reviewing progress -------------------------------------------------------------------------


@pytest.fixture
def draft(goal, recorder):
    return ProgressUpdateFactory(
        goal=goal, as_of=datetime.date(2024, 6, 30), value=Decimal("3600"), recorded_by=recorder
    )


@pytest.mark.django_db
@time_machine.travel(
    datetime.datetime(2025, 7, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False
)
def test_a_submitted_update_is_approved_once_and_the_goal_re_evaluated(
    draft, recorder, reviewer, django_capture_on_commit_callbacks
):
    # Mid-July 2025: the 2024 goal's grace period for its final figure has just ended, within the last
    # reporting period, so a miss is one to explain.
    draft.as_of = datetime.date(2024, 12, 31)  # a figure for the whole of 2024: it decides the goal
    draft.save()
    progress_review.progress_update_submit(update=draft, user=recorder)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        progress_review.progress_update_approve(update=draft, reviewer=reviewer)
    with pytest.raises(
        ValidationError, match="Only a submitted update can be approved \\(this one is approved\\)"
    ):
        progress_review.progress_update_approve(update=draft, reviewer=reviewer)  # the double click

    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.APPROVED
    assert draft.reviewed_by == reviewer and draft.reviewed_at is not None
    # After the commit: the goal's evaluation and the recorder's email; the evaluation found the goal
    # missed, so its department was asked for an explanation (one more email, after that commit).
    assert len(callbacks) == 3
    [change] = StatusChange.objects.filter(goal=draft.goal)
    assert change.to_status == "missed"
    assert draft.goal.explanations.count() == 1
    assert [h.review_state for h in draft.history.order_by("history_id")][-2:] == ["submitted", "approved"]


@pytest.mark.django_db
def test_a_returned_update_carries_the_reason_and_can_be_submitted_again(draft, recorder, reviewer):
    progress_review.progress_update_submit(update=draft, user=recorder)
    with pytest.raises(ValidationError, match="请写明退回原因"):
        progress_review.progress_update_reject(update=draft, reviewer=reviewer, comment="  ")

    progress_review.progress_update_reject(update=draft, reviewer=reviewer, comment="佐证链接打不开")
    draft.refresh_from_db()
    assert (draft.review_state, draft.review_comment, draft.reviewed_by) == (
        "rejected",
        "佐证链接打不开",
        reviewer,
    )
    with pytest.raises(
        ValidationError, match="Only a submitted update can be approved \\(this one is returned\\)"
    ):
        progress_review.progress_update_approve(update=draft, reviewer=reviewer)

    progress_review.progress_update_submit(update=draft, user=recorder)
    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.SUBMITTED and draft.reviewed_by is None


@pytest.mark.django_db
def test_only_a_submitted_update_can_be_returned(draft, reviewer):
    with pytest.raises(ValidationError, match="只有待审核的进展才能退回（这条是草稿）"):
        progress_review.progress_update_reject(update=draft, reviewer=reviewer, comment="不对")


@pytest.mark.django_db
def test_recorders_submit_only_for_their_own_departments_goals(draft, other_recorder, reviewer):
    with pytest.raises(PermissionDenied, match="Only a recorder of this goal's department"):
        progress_review.progress_update_submit(update=draft, user=other_recorder)
    with pytest.raises(PermissionDenied):
        progress_review.progress_update_submit(update=draft, user=reviewer)  # a reviewer does not record
    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.DRAFT


@pytest.mark.django_db
def test_a_supporting_department_may_record_too(recorder, department):
    goal = GoalFactory()
    goal.supporting_departments.add(department)
    update = ProgressUpdateFactory(goal=goal, recorded_by=recorder)
    progress_review.progress_update_submit(update=update, user=recorder)
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED


@pytest.mark.django_db
def test_reviewers_approve_only_for_their_department_and_never_their_own_update(
    draft, recorder, reviewer, admin_user
):
    progress_review.progress_update_submit(update=draft, user=recorder)
    with pytest.raises(PermissionDenied, match="Only a reviewer of this goal's department"):
        progress_review.progress_update_approve(update=draft, reviewer=recorder)

    own = ProgressUpdateFactory(
        goal=draft.goal,
        as_of=datetime.date(2024, 9, 30),
        recorded_by=reviewer,
        review_state=ProgressUpdate.ReviewState.SUBMITTED,
    )
    with pytest.raises(PermissionDenied, match="不能审核自己填报、修改或报送的进展"):
        progress_review.progress_update_approve(update=own, reviewer=reviewer)

    progress_review.progress_update_approve(update=own, reviewer=admin_user)  # a superuser may
    assert own.review_state == ProgressUpdate.ReviewState.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"value": None},
            "value",
            "请填写数值（只有节点类目标可以不填） · Enter a value (only a milestone may have none)",
        ),
        (
            {"evidence_url": ""},
            "evidence_url",
            "请提供佐证链接或上传佐证文件 · Give an evidence link or upload an evidence file",
        ),
        (
            {"as_of": datetime.date(2024, 7, 2)},
            "as_of",
            "数据截至日期不能晚于今天（2024-07-01） · The as-of date cannot be after today (2024-07-01)",
        ),
    ],
    ids=["no value", "no evidence", "as of the future"],
)
def test_an_incomplete_update_cannot_be_submitted(draft, recorder, changes, field, message):
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save()
    with time_machine.travel(at_noon(datetime.date(2024, 7, 1)), tick=False):
        with pytest.raises(ValidationError) as raised:
            progress_review.progress_update_submit(update=draft, user=recorder)
    assert raised.value.message_dict == {field: [message]}
    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.DRAFT


@pytest.mark.django_db
def test_a_milestone_report_needs_no_value_but_sample_data_still_needs_evidence(recorder, department):
    milestone = GoalFactory(lead_department=department, kind=Goal.Kind.MILESTONE, target_value=None)
    report = ProgressUpdateFactory(goal=milestone, value=None)
    progress_review.progress_update_submit(update=report, user=recorder)
    assert report.review_state == ProgressUpdate.ReviewState.SUBMITTED
    # "Sample data" is a label for demo figures, not a way around the evidence requirement.
    sample = ProgressUpdateFactory(
        goal=GoalFactory(lead_department=department), evidence_url="", is_sample=True
    )
    with pytest.raises(ValidationError) as raised:
        progress_review.progress_update_submit(update=sample, user=recorder)
    assert list(raised.value.message_dict) == ["evidence_url"]


@pytest.mark.django_db
def test_approving_a_final_milestone_report_marks_it_done(
    recorder, reviewer, department, django_capture_on_commit_callbacks
):
    milestone = GoalFactory(lead_department=department, kind=Goal.Kind.MILESTONE, target_value=None)
    report = ProgressUpdateFactory(
        goal=milestone, value=None, is_final=True, as_of=datetime.date(2024, 11, 5)
    )
    progress_review.progress_update_submit(update=report, user=recorder)
    with django_capture_on_commit_callbacks(execute=True):
        progress_review.progress_update_approve(update=report, reviewer=reviewer)
    milestone.refresh_from_db()
    assert milestone.milestone_done_on == datetime.date(2024, 11, 5)
    assert milestone.status == Status.DONE


@pytest.mark.django_db
def test_a_second_approved_figure_for_the_same_date_is_refused_with_a_message(draft, recorder, reviewer):
    approved(draft.goal, draft.as_of, 3000)
    progress_review.progress_update_submit(update=draft, user=recorder)
    with pytest.raises(ValidationError, match="already has an approved figure as of 2024-06-30"):
        progress_review.progress_update_approve(update=draft, reviewer=reviewer)
    draft.refresh_from_db()
    assert draft.review_state == ProgressUpdate.ReviewState.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("stated", [None, datetime.date(2024, 7, 15)])
def test_an_approved_figure_is_known_from_its_stated_publication_day_else_the_approval_day(
    draft, recorder, reviewer, time_machine, stated
):
    time_machine.move_to(datetime.datetime(2024, 8, 2, 10, tzinfo=datetime.UTC))
    ProgressUpdate.objects.filter(pk=draft.pk).update(published_on=stated)
    draft.refresh_from_db()
    progress_review.progress_update_submit(update=draft, user=recorder)
    progress_review.progress_update_approve(update=draft, reviewer=reviewer)
    draft.refresh_from_db()
    assert draft.published_on == (stated or datetime.date(2024, 8, 2))


@pytest.mark.django_db
def test_a_replay_of_a_past_day_counts_only_figures_published_by_then(goal):
    # The year's final figure (7,100) covers 31 Dec but was published on 20 Jan.
    approved(goal, datetime.date(2024, 9, 30), "5300")
    final = approved(goal, datetime.date(2024, 12, 31), "7100", is_final=True)
    ProgressUpdate.objects.filter(pk=final.pk).update(published_on=datetime.date(2025, 1, 20))
    daily_evaluation.goals_evaluate_all(today=datetime.date(2024, 12, 31))
    goal.refresh_from_db()
    assert (goal.status, goal.latest_value) == ("on_track", Decimal("5300"))
    daily_evaluation.goals_evaluate_all(today=datetime.date(2025, 1, 20))
    goal.refresh_from_db()
    assert (goal.status, goal.latest_value) == ("achieved", Decimal("7100"))
    # The history dates the change on the day it became knowable, not the day the figure covers.
    change = StatusChange.objects.filter(goal=goal, to_status="achieved").get()
    assert change.evaluated_on == datetime.date(2025, 1, 20)


@pytest.mark.django_db
def test_a_replay_of_a_past_day_writes_no_history_for_a_goal_not_yet_published():
    from ..factories import CitationFactory, DocumentFactory

    report = DocumentFactory(published_on=datetime.date(2026, 1, 20))  # the 2026 work report
    goal = GoalFactory(period_start=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 12, 31))
    CitationFactory(goal=goal, document=report)
    daily_evaluation.goals_evaluate_all(today=datetime.date(2025, 12, 31))
    assert not StatusChange.objects.filter(goal=goal).exists()
    daily_evaluation.goals_evaluate_all(today=datetime.date(2026, 3, 31))
    assert list(StatusChange.objects.filter(goal=goal).values_list("evaluated_on", flat=True)) == [
        datetime.date(2026, 3, 31)
    ]


@pytest.mark.django_db
def test_judging_a_past_day_reads_only_the_figures_known_then_and_judges_as_from_all(goal):
    from apps.goals.models import Indicator

    indicator = Indicator.objects.create(name="5G基站", slug="5g")
    Goal.objects.filter(pk=goal.pk).update(indicator=indicator)
    day = datetime.date(2024, 7, 20)
    approved(goal, datetime.date(2024, 3, 31), 1000)
    ProgressUpdateFactory(  # dated before the day, published after it: not known then
        goal=goal,
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("6000"),
        approved=True,
        published_on=datetime.date(2024, 7, 25),
    )
    ProgressUpdateFactory(  # reported for the indicator, known then
        goal=None,
        indicator=indicator,
        as_of=datetime.date(2024, 6, 30),
        value=Decimal("3600"),
        approved=True,
        published_on=datetime.date(2024, 7, 10),
        unit="个",
    )
    approved(goal, datetime.date(2024, 9, 30), 7000)  # after the day

    judged = selectors.goals_judged_on(goals=Goal.objects.filter(pk=goal.pk), day=day)[goal.pk]

    row = verdicts.GoalRow.from_values(
        Goal.objects.filter(pk=goal.pk).values_list(*verdicts.READ_FIELDS).get()
    )
    everything = selectors.observations_by_goal([goal.pk])[goal.pk]
    assert len(everything) == 4
    assert judged == verdicts.computed(verdicts.judge(row, everything, day), day)
    assert judged.latest_value == Decimal("3600")


@pytest.mark.django_db
@pytest.mark.parametrize("judged_by", ["goal_evaluate", "goals_evaluate_all", "goals_judged_on"])
@pytest.mark.parametrize(("stale_after_days", "expected"), [(0, Status.STALE), (None, Status.ON_TRACK)])
def test_a_cadence_of_0_days_is_0_days_to_every_judge(judged_by, stale_after_days, expected):
    """stale_after_days=0: a figure 15 days old is older than the cadence (status.cadence_days), for
    one goal's evaluation, the daily run and the ?as_of= pages alike; unset, the default 120 days."""
    goal = GoalFactory(stale_after_days=stale_after_days)
    approved(goal, datetime.date(2024, 6, 30), 3600)
    day = datetime.date(2024, 7, 15)

    if judged_by == "goals_judged_on":
        judged = selectors.goals_judged_on(goals=Goal.objects.filter(pk=goal.pk), day=day)[goal.pk].status
    else:
        if judged_by == "goal_evaluate":
            evaluation.goal_evaluate(goal_id=goal.pk, today=day)
        else:
            daily_evaluation.goals_evaluate_all(today=day)
        judged = Goal.objects.get(pk=goal.pk).status

    assert judged == expected
