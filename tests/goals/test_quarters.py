"""Each goal's status at each past quarter end is recorded beside the history, so the dashboard reads
one row per goal and quarter; the counts are those of the history itself, whichever way they are read,
and stay so when the history is written later for a recorded day."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from apps.goals.models import Goal, QuarterSpan, RecordedQuarter, StatusChange
from apps.goals.selectors import status_counts_on
from apps.goals.services import daily_evaluation, evaluation
from apps.goals.services.goal_review import goals_merge
from apps.goals.services.quarters import (
    quarter_ends,
    quarters_history_written,
    quarters_record,
    quarters_rerecord,
)

from ..concurrency import run_at_once
from ..factories import GoalFactory, ProgressUpdateFactory

D = datetime.date
STATUSES = ["not_started", "on_track", "at_risk", "off_track", "achieved", "missed"]
DAYS = [*quarter_ends(D(2024, 1, 1), D(2025, 12, 31)), D(2026, 2, 10)]
TODAY = D(2026, 2, 10)


def change(goal, day, to_status, at=None, from_status=""):
    return StatusChange.objects.create(
        goal=goal,
        evaluated_on=day,
        from_status=from_status,
        to_status=to_status,
        changed_at=at or timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59))),
        rule_version="1",
    )


def replayed(days, goals):
    """What the history says, worked out here from its rows: each goal's last change on or before
    each day (of one day's changes the later, then the higher id)."""
    changes = sorted(
        StatusChange.objects.filter(goal__in=goals).values_list(
            "goal_id", "evaluated_on", "changed_at", "id", "to_status"
        ),
        key=lambda c: c[1:4],
    )
    counts = {day: {} for day in days}
    for day in days:
        latest = {}
        for goal_id, evaluated_on, _, _, to_status in changes:
            if evaluated_on <= day:
                latest[goal_id] = to_status
        for status in latest.values():
            counts[day][status] = counts[day].get(status, 0) + 1
    return counts


def random_history(goals, seed=7):
    rng = random.Random(seed)
    for goal in goals:
        day = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(400))
        status = ""
        while day < TODAY:
            for second in (0, 30):  # sometimes a second change the same day, later: it holds
                new = rng.choice([s for s in STATUSES if s != status])
                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, second)))
                change(goal, day, new, at=at, from_status=status)
                status = new
                if rng.random() < 0.8:
                    break
            day += datetime.timedelta(days=rng.choice([1, 30, 91, 92, 200]))


@pytest.mark.django_db
def test_recorded_quarters_give_the_counts_the_history_gives():
    goals = GoalFactory.create_batch(30)
    random_history(goals)
    scope = Goal.objects.filter(pk__in=[g.pk for g in goals[:25]])
    expected = replayed(DAYS, scope)
    assert status_counts_on(DAYS, scope) == expected  # nothing recorded yet: read from the history

    recorded = quarters_record(today=TODAY)

    assert recorded == quarter_ends(D(2023, 12, 31), D(2025, 12, 31))  # from before the first change
    assert status_counts_on(DAYS, scope) == expected
    assert QuarterSpan.objects.filter(goal__in=goals[25:]).exists()  # outside the scope, not counted


@pytest.mark.django_db
def test_a_recorded_quarter_is_read_from_its_rows_not_from_the_history():
    goal = GoalFactory()
    change(goal, D(2024, 2, 1), "on_track")
    quarters_record(today=D(2024, 4, 10))
    StatusChange.objects.filter(goal=goal).update(to_status="missed")  # behind the record's back

    counts = status_counts_on([D(2024, 3, 31), D(2024, 4, 10)], Goal.objects.all())

    assert counts == {D(2024, 3, 31): {"on_track": 1}, D(2024, 4, 10): {"missed": 1}}
    quarters_rerecord(today=D(2024, 4, 10))  # what staff run after changing the history by hand
    assert status_counts_on([D(2024, 3, 31)], Goal.objects.all()) == {D(2024, 3, 31): {"missed": 1}}


@pytest.mark.django_db
def test_a_goal_has_a_span_per_change_between_quarter_ends_not_per_change():
    goal = GoalFactory()
    change(goal, D(2024, 2, 1), "on_track")
    change(goal, D(2024, 5, 1), "at_risk", from_status="on_track")
    change(goal, D(2024, 5, 20), "on_track", from_status="at_risk")  # back before the quarter ended
    change(goal, D(2024, 11, 1), "off_track", from_status="on_track")

    quarters_record(today=D(2025, 2, 1))

    assert list(QuarterSpan.objects.order_by("since").values_list("status", "since", "until")) == [
        ("on_track", D(2024, 3, 31), D(2024, 12, 31)),
        ("off_track", D(2024, 12, 31), None),
    ]


@pytest.mark.django_db
def test_a_history_reaching_further_back_than_recorded_is_recorded_afresh():
    goal, older = GoalFactory(), GoalFactory()
    change(goal, D(2024, 5, 1), "on_track")
    quarters_record(today=D(2024, 10, 15))
    change(older, D(2024, 1, 15), "at_risk")  # written behind the application's back

    assert quarters_record(today=D(2024, 10, 15)) == [D(2023, 12, 31)]

    days = quarter_ends(D(2024, 1, 1), D(2024, 9, 30))
    assert status_counts_on(days, Goal.objects.all()) == replayed(days, Goal.objects.all())
    assert QuarterSpan.objects.count() == 2


@pytest.mark.django_db
def test_a_quarter_end_is_recorded_two_days_after_and_only_once():
    goal = GoalFactory()
    change(goal, D(2024, 2, 1), "on_track")
    # Only the quarter end before the first change, on April 1: an evaluation of March 31 may still
    # be in flight.
    assert quarters_record(today=D(2024, 4, 1)) == [D(2023, 12, 31)]
    assert quarters_record(today=D(2024, 4, 2)) == [D(2024, 3, 31)]
    assert quarters_record(today=D(2024, 4, 2)) == []
    assert list(QuarterSpan.objects.values_list("since", "until", "status")) == [
        (D(2024, 3, 31), None, "on_track")
    ]


@pytest.mark.django_db
def test_recorded_days_and_days_before_them_are_read_in_two_queries(django_assert_num_queries):
    goal = GoalFactory()
    change(goal, D(2024, 5, 1), "on_track")
    assert quarters_record(today=D(2024, 7, 5)) == [D(2024, 3, 31), D(2024, 6, 30)]
    with django_assert_num_queries(2):
        counts = status_counts_on([D(2023, 12, 31), D(2024, 3, 31), D(2024, 6, 30)], Goal.objects.all())
    assert counts == {D(2023, 12, 31): {}, D(2024, 3, 31): {}, D(2024, 6, 30): {"on_track": 1}}


@pytest.mark.django_db
def test_any_day_reads_the_same_whether_recorded_or_not():
    goals = GoalFactory.create_batch(12)
    random_history(goals, seed=11)
    quarters_record(today=TODAY)
    rng = random.Random(5)
    days = sorted(D(2023, 6, 1) + datetime.timedelta(days=rng.randrange(1000)) for _ in range(6))
    for asked in ([*days, *DAYS[:3]], days[:2], [D(2025, 3, 31), D(2024, 12, 15)], [DAYS[4], days[0]]):
        assert status_counts_on(asked, Goal.objects.all()) == replayed(asked, Goal.objects.all())


@pytest.mark.django_db
def test_evaluating_a_day_before_the_first_recorded_forgets_what_was_recorded():
    goal = GoalFactory()
    change(goal, D(2024, 8, 1), "not_started")
    quarters_record(today=D(2024, 10, 15))  # from 2024-06-30
    approved(goal, D(2024, 3, 31), 1000)

    evaluation.goal_evaluate(goal_id=goal.pk, today=D(2024, 4, 1))  # a replay of an older day

    days = quarter_ends(D(2024, 1, 1), D(2024, 9, 30))
    assert not RecordedQuarter.objects.exists()  # read from the history meanwhile
    assert status_counts_on(days, Goal.objects.all()) == replayed(days, Goal.objects.all())
    assert status_counts_on(days, Goal.objects.all())[D(2024, 3, 31)] == {}
    assert sum(status_counts_on(days, Goal.objects.all())[D(2024, 6, 30)].values()) == 1
    quarters_record(today=D(2024, 10, 15))
    assert min(RecordedQuarter.objects.values_list("day", flat=True)) == D(2024, 3, 31)
    assert status_counts_on(days, Goal.objects.all()) == replayed(days, Goal.objects.all())


def approved(goal, as_of, value):
    return ProgressUpdateFactory(goal=goal, as_of=as_of, value=Decimal(value), approved=True)


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["daily job", "one goal"])
def test_evaluating_a_day_already_recorded_writes_its_quarters_again(how):
    goal, other = GoalFactory(), GoalFactory()  # 新建5G基站7000个 in 2024
    change(goal, D(2024, 2, 1), "not_started")
    change(other, D(2024, 2, 1), "not_started")
    quarters_record(today=D(2024, 10, 15))
    approved(goal, D(2024, 6, 30), 3600)

    if how == "daily job":
        daily_evaluation.goals_evaluate_all(today=D(2024, 6, 30))
    else:
        evaluation.goal_evaluate(goal_id=goal.pk, today=D(2024, 6, 30))

    days = [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    counts = status_counts_on(days, Goal.objects.all())
    assert counts == replayed(days, Goal.objects.all())
    assert counts[D(2024, 3, 31)] == {"not_started": 2}
    assert counts[D(2024, 6, 30)] != counts[D(2024, 3, 31)], counts
    assert set(RecordedQuarter.objects.values_list("day", flat=True)) == {D(2023, 12, 31), *days}


@pytest.mark.django_db
def test_the_daily_job_records_the_quarter_just_past():
    goal = GoalFactory()
    approved(goal, D(2024, 6, 30), 3600)
    daily_evaluation.goals_evaluate_all(today=D(2024, 6, 30))
    assert list(RecordedQuarter.objects.values_list("day", flat=True)) == [D(2024, 3, 31)]  # before it
    assert not QuarterSpan.objects.exists()

    daily_evaluation.goals_evaluate_all(today=D(2024, 7, 2))

    assert list(QuarterSpan.objects.values_list("goal_id", "since")) == [(goal.pk, D(2024, 6, 30))]


@pytest.mark.django_db
def test_a_merge_writes_the_kept_goals_quarters_again_and_drops_the_others():
    keep, absorb = GoalFactory(), GoalFactory()
    change(keep, D(2024, 8, 1), "on_track")
    change(absorb, D(2024, 2, 1), "at_risk")
    quarters_record(today=D(2024, 10, 15))

    goals_merge(keep=keep, absorb=absorb)

    days = [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    assert status_counts_on(days, Goal.objects.all()) == {
        D(2024, 3, 31): {"at_risk": 1},  # the kept goal now carries the other's history
        D(2024, 6, 30): {"at_risk": 1},
        D(2024, 9, 30): {"on_track": 1},
    }
    assert list(QuarterSpan.objects.order_by("since").values_list("goal_id", "status", "since", "until")) == [
        (keep.pk, "at_risk", D(2024, 3, 31), D(2024, 9, 30)),
        (keep.pk, "on_track", D(2024, 9, 30), None),
    ]


@pytest.mark.django_db
def test_the_check_finds_a_history_changed_behind_the_records_back_and_again_mends_it(capsys):
    goals = GoalFactory.create_batch(8)
    random_history(goals, seed=3)
    quarters_record(today=TODAY)
    call_command("record_quarters", "--check")
    assert "agrees" in capsys.readouterr().out

    StatusChange.objects.filter(goal=goals[0]).delete()  # by hand, in the database

    with pytest.raises(CommandError, match="differs from their history") as failure:
        call_command("record_quarters", "--check")
    assert f"{DAYS[-2].isoformat()}: 1" in str(failure.value)
    call_command("record_quarters", "--again")
    call_command("record_quarters", "--check")
    assert status_counts_on(DAYS, Goal.objects.all()) == replayed(DAYS, Goal.objects.all())


@pytest.mark.django_db
def test_the_command_records_and_records_again(capsys):
    goal = GoalFactory()
    change(goal, D(2024, 2, 1), "on_track")
    call_command("record_quarters")
    assert "2024-03-31" in capsys.readouterr().out
    call_command("record_quarters")
    assert "none (all recorded already)" in capsys.readouterr().out
    call_command("record_quarters", "--again")
    assert "2024-03-31" in capsys.readouterr().out
    assert list(QuarterSpan.objects.filter(goal=goal).values_list("since", "until")) == [
        (D(2024, 3, 31), None)
    ]


@pytest.mark.django_db(transaction=True)
def test_two_recordings_at_once_write_each_row_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers anyway")
    goals = GoalFactory.create_batch(5)
    for goal in goals:
        change(goal, D(2024, 2, 1), "on_track")

    results, errors = run_at_once(lambda: quarters_record(today=D(2025, 1, 5)), times=3)

    assert errors == []
    assert sorted(day for days in results for day in days) == quarter_ends(D(2023, 12, 31), D(2024, 12, 31))
    assert list(QuarterSpan.objects.values_list("since", "until").distinct()) == [(D(2024, 3, 31), None)]
    assert QuarterSpan.objects.count() == 5


@pytest.mark.django_db
def test_staff_cannot_delete_the_status_history(admin_client):
    goal = GoalFactory()
    recorded = change(goal, D(2024, 2, 1), "on_track")
    response = admin_client.post(f"/admin/goals/statuschange/{recorded.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert StatusChange.objects.filter(pk=recorded.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_recording_waits_for_a_history_being_written_for_a_past_day():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers anyway")
    import threading

    from django.db import transaction

    goal = GoalFactory()
    change(goal, D(2024, 2, 1), "on_track")
    locked, go = threading.Event(), threading.Event()

    def replay():  # an evaluation of a past day, its transaction still open
        try:
            with transaction.atomic():
                change(goal, D(2024, 5, 1), "at_risk", from_status="on_track")
                quarters_history_written(goal_ids=[goal.pk], since=D(2024, 5, 1))
                locked.set()
                go.wait(timeout=10)
        finally:
            connection.close()

    def record():
        try:
            quarters_record(today=D(2024, 10, 15))
        finally:
            connection.close()

    writer = threading.Thread(target=replay)
    writer.start()
    assert locked.wait(timeout=10)
    recorder = threading.Thread(target=record)
    recorder.start()
    recorder.join(timeout=0.5)
    assert recorder.is_alive()  # waiting for the replay's transaction
    go.set()
    writer.join(timeout=10)
    recorder.join(timeout=10)

    days = [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    assert status_counts_on(days, Goal.objects.all()) == {
        D(2024, 3, 31): {"on_track": 1},
        D(2024, 6, 30): {"at_risk": 1},
        D(2024, 9, 30): {"at_risk": 1},
    }
    assert RecordedQuarter.objects.filter(day=D(2024, 9, 30)).exists()
