"""On PostgreSQL the public data version is bumped as a writing transaction commits, not at its first
public write (triggers.py says why: two writers in opposite orders would wait for each other)."""

from django.db import migrations

from apps.public import triggers


def recreate(apps, schema_editor):
    triggers.recreate_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("public", "0002_bookkeeping_is_no_public_change")]

    operations = [migrations.RunPython(recreate, recreate)]
