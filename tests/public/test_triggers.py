"""The public data version's triggers are all in place after every migration (a migration that
rebuilds a watched table on SQLite drops them; apps/public/triggers.py says how to put them back)."""

import pytest
from django.db import connection

from apps.public import triggers

pytestmark = pytest.mark.django_db


def test_every_watched_table_has_its_triggers():
    missing = triggers.expected_triggers(connection.vendor) - triggers.installed_triggers(connection)
    assert not missing, f"public data version triggers missing: {sorted(missing)}"
