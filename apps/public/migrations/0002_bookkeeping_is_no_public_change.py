"""The goals' update triggers ignore an update of bookkeeping columns only (triggers.BOOKKEEPING: the
mark that a goal is owed an evaluation), so an approval no longer changes every page's version twice."""

from django.db import migrations

from apps.public import triggers


def recreate(apps, schema_editor):
    triggers.recreate_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_data_version"), ("goals", "0019_goal_fillfactor")]

    operations = [migrations.RunPython(recreate, recreate)]
