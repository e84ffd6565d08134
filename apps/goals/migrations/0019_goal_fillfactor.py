"""Room on each page of goals_goal for a new version of its rows (PostgreSQL): the daily evaluation
rewrites every goal's evaluation date, and with half of each page free the new versions stay on their
page (HOT updates: no index is written), the previous day's being pruned to make room again."""

from django.db import migrations

FILLFACTOR = 50


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE goals_goal SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE goals_goal RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("goals", "0018_chinese_labels")]

    operations = [migrations.RunPython(leave_room, fill_pages)]
