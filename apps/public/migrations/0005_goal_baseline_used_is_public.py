"""goals 0026 adds the baseline a verdict used to goals_goal (status_baseline, status_baseline_as_of),
shown on the public pages. On SQLite the triggers it dropped for the table's rebuild are installed
again (0003's, with 0004's update trigger of goals_goal listing the two new columns too); going back
drops them (goals 0026, going back, installs the previous ones). PostgreSQL's triggers compare whole
rows and were never dropped: nothing to do there."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
installed = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")
goal_update = importlib.import_module("apps.public.migrations.0004_goal_baseline_columns")

LAST_COLUMN = 'OR OLD."parent_id" IS NOT NEW."parent_id")'
NEW_COLUMNS = (
    'OR OLD."parent_id" IS NOT NEW."parent_id" OR OLD."status_baseline" IS NOT NEW."status_baseline" '
    'OR OLD."status_baseline_as_of" IS NOT NEW."status_baseline_as_of")'
)
BEFORE = [
    goal_update.UPDATE_TRIGGER if statement == goal_update.PREVIOUS_UPDATE_TRIGGER else statement
    for statement in installed.CREATE["sqlite"]
]
CREATE = installed.DROP["sqlite"] + [statement.replace(LAST_COLUMN, NEW_COLUMNS) for statement in BEFORE]
assert sum(NEW_COLUMNS in statement for statement in CREATE) == 1


class Migration(migrations.Migration):
    dependencies = [("public", "0004_goal_baseline_columns"), ("goals", "0026_verdicts_on_real_figures")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": CREATE, "postgresql": []}),
            first.run({"sqlite": installed.DROP["sqlite"], "postgresql": []}),
        )
    ]
