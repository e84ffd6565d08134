"""goals 0024 changes a constraint of goals_goal, which SQLite does by rebuilding the table: renaming
the new table into place fails while triggers on other tables name goals_goal. So on SQLite the
public data version's triggers are dropped just before it (run_before) and 0006 installs them again
just after; PostgreSQL alters in place and keeps them. The statements are 0003's and 0004's, as they
hold them; going back installs them again."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
installed = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")
goal_update = importlib.import_module("apps.public.migrations.0004_goal_baseline_columns")

# The triggers as 0004 left them: 0003's, with 0004's update trigger of goals_goal.
BEFORE = [
    goal_update.UPDATE_TRIGGER if statement == goal_update.PREVIOUS_UPDATE_TRIGGER else statement
    for statement in installed.CREATE["sqlite"]
]
assert goal_update.UPDATE_TRIGGER in BEFORE


class Migration(migrations.Migration):
    dependencies = [("public", "0004_goal_baseline_columns")]
    run_before = [("goals", "0024_verdicts_on_real_figures")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": installed.DROP["sqlite"], "postgresql": []}),
            first.run({"sqlite": BEFORE, "postgresql": []}),
        )
    ]
