"""The public data version's triggers are all in place after every migration (a migration that
rebuilds a watched table on SQLite drops them; apps/public/triggers.py says how to put them back)."""

import pytest
from django.db import connection

from apps.public import triggers

pytestmark = pytest.mark.django_db


def test_every_watched_table_has_its_triggers():
    missing = triggers.expected_triggers(connection.vendor) - triggers.installed_triggers(connection)
    assert not missing, f"public data version triggers missing: {sorted(missing)}"


def test_on_sqlite_the_goal_update_trigger_compares_every_column_but_the_bookkeeping():
    """SQLite's trigger lists the columns it compares (PostgreSQL's compares whole rows): a column
    added to goals_goal later needs a migration that installs the triggers again (triggers.py says how)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger compares whole rows")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'public_version_goals_goal_update'")
        (sql,) = cursor.fetchone()
    columns = set(triggers.table_columns(connection, "goals_goal")) - set(triggers.BOOKKEEPING["goals_goal"])
    assert not {column for column in columns if f'OLD."{column}" IS NOT NEW."{column}"' not in sql}


@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_public_rows_in_opposite_order_both_commit():
    """An approval writes its figure, then its goal's row; an evaluation locks the goal, then writes it.
    Both bump the public data version: were its row taken at the first public write, each would wait
    for the other (PostgreSQL would abort one as a deadlock). The bump waits for the commit."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    import threading

    from django.db import transaction

    from apps.goals.models import Goal, ProgressUpdate
    from apps.public.models import DataVersion

    from ..factories import GoalFactory, ProgressUpdateFactory

    goal = GoalFactory()
    figure = ProgressUpdateFactory(goal=goal, approved=True)
    before = DataVersion.objects.get().number
    figure_written, goal_locked = threading.Event(), threading.Event()
    errors = []

    def run(work):
        try:
            with transaction.atomic():
                work()
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    def approval():
        ProgressUpdate.objects.filter(pk=figure.pk).update(note="核实 · checked")
        figure_written.set()
        goal_locked.wait(timeout=5)
        Goal.objects.filter(pk=goal.pk).update(title_en="7,000 new 5G base stations")

    def evaluation():
        Goal.objects.select_for_update().get(pk=goal.pk)
        goal_locked.set()
        figure_written.wait(timeout=5)
        Goal.objects.filter(pk=goal.pk).update(status="on_track")

    threads = [threading.Thread(target=run, args=(work,)) for work in (approval, evaluation)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert DataVersion.objects.get().number == before + 2


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_when_the_writing_transaction_commits_and_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts per row, at the write")
    import threading

    from django.db import transaction

    from apps.goals.models import Goal
    from apps.public.models import DataVersion

    from ..factories import GoalFactory

    goals = GoalFactory.create_batch(3)
    before = DataVersion.objects.get().number
    written, go = threading.Event(), threading.Event()

    def edit():
        try:
            with transaction.atomic():
                for goal in goals:  # three public statements in one transaction
                    Goal.objects.filter(pk=goal.pk).update(title_en=f"goal {goal.pk}")
                written.set()
                go.wait(timeout=10)
        finally:
            connection.close()

    writer = threading.Thread(target=edit)
    writer.start()
    assert written.wait(timeout=10)
    assert DataVersion.objects.get().number == before  # not yet committed: nothing to see
    go.set()
    writer.join(timeout=10)
    assert DataVersion.objects.get().number == before + 1
    assert Goal.objects.filter(title_en__startswith="goal ").count() == 3


def _version() -> int:
    from apps.public.models import DataVersion

    return DataVersion.objects.get().number


def _goals(count: int, **fields):
    from ..factories import CategoryFactory, DepartmentFactory, GoalFactory, PlanFactory

    shared = {"lead_department": DepartmentFactory(), "category": CategoryFactory(), "plan": PlanFactory()}
    return GoalFactory.create_batch(count, **shared, **fields)


CHANGE_COLUMNS = "goal_id, changed_at, evaluated_on, from_status, to_status, explanation_zh, explanation_en"
CHANGE_COLUMNS += ", is_sample, rule_version"


def _insert_a_change_for_every_goal(to_status: str) -> int:
    """One INSERT … SELECT: a status change for every goal."""
    import datetime

    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO goals_statuschange ({CHANGE_COLUMNS}) "
            "SELECT id, %s, %s, '', %s, '', '', %s, '4' FROM goals_goal",
            [timezone.now(), datetime.date(2024, 7, 1), to_status, False],
        )
        return cursor.rowcount


def test_a_bulk_insert_select_bumps_the_version_once_per_statement_on_postgresql_and_per_row_on_sqlite():
    _goals(40)
    before = _version()
    assert _insert_a_change_for_every_goal("on_track") == 40
    assert _insert_a_change_for_every_goal("at_risk") == 40
    per_statement = connection.vendor == "postgresql"
    assert _version() == before + (2 if per_statement else 80)


def test_a_bulk_insert_of_rows_no_citizen_sees_bumps_nothing():
    from apps.goals.models import GoalReviewState

    _goals(40, review_state=GoalReviewState.PENDING)
    before = _version()
    assert _insert_a_change_for_every_goal("on_track") == 40
    assert _version() == before


def test_an_update_of_many_goals_bookkeeping_only_bumps_nothing_and_a_public_one_once_per_statement():
    from django.utils import timezone

    from apps.goals.models import Goal

    _goals(40)
    before = _version()
    assert Goal.objects.update(evaluation_requested_at=timezone.now()) == 40
    assert Goal.objects.update(evaluation_requested_at=None) == 40
    assert _version() == before
    # Bookkeeping on every goal and a public column on one: a public change.
    last = Goal.objects.latest("pk").pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE goals_goal SET evaluation_requested_at = %s, "
            "title_en = CASE WHEN id = %s THEN 'renamed' ELSE title_en END",
            [timezone.now(), last],
        )
    assert _version() == before + 1
    assert Goal.objects.update(status="on_track") == 40
    assert _version() == before + 1 + (1 if connection.vendor == "postgresql" else 40)


def test_a_copy_of_many_rows_bumps_the_version_once():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    import datetime

    from django.utils import timezone

    from apps.goals.models import GoalReviewState

    published, pending = _goals(30), _goals(30, review_state=GoalReviewState.PENDING)

    def copy(goals, to_status):
        rows = [
            [g.pk, timezone.now(), datetime.date(2024, 7, 1), "", to_status, "", "", False, "4"]
            for g in goals
        ]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY goals_statuschange ({CHANGE_COLUMNS}) FROM STDIN") as stream,
        ):
            for row in rows:
                stream.write_row(row)

    before = _version()
    copy(pending, "on_track")
    assert _version() == before  # no row a citizen sees
    copy(published, "on_track")
    assert _version() == before + 1
    copy(published + pending, "at_risk")
    assert _version() == before + 2
