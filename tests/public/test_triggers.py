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
