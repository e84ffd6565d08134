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
    added to goals_goal later needs a migration that calls triggers.recreate_triggers()."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger compares whole rows")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'public_version_goals_goal_update'")
        (sql,) = cursor.fetchone()
    columns = set(triggers.table_columns(connection, "goals_goal")) - set(triggers.BOOKKEEPING["goals_goal"])
    assert not {column for column in columns if f'OLD."{column}" IS NOT NEW."{column}"' not in sql}
