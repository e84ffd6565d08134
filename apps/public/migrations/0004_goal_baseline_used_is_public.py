"""goals 0023 adds the baseline a verdict used to goals_goal (status_baseline, status_baseline_as_of),
shown on the public pages. On SQLite the update trigger of goals_goal lists the columns it compares, so
it is installed again with the two new ones; adding that migration's constraint rebuilds the table,
which drops its triggers, so all three are installed again. PostgreSQL's triggers compare whole rows
and survive: nothing to do there. The statements are 0003's, as it holds them, with the two columns
added; going back installs 0003's again."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
previous = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")

GOAL_TRIGGERS = [
    "public_version_goals_goal_insert",
    "public_version_goals_goal_update",
    "public_version_goals_goal_delete",
]
LAST_COLUMN = 'OR OLD."parent_id" IS NOT NEW."parent_id")'
NEW_COLUMNS = (
    'OR OLD."parent_id" IS NOT NEW."parent_id" OR OLD."status_baseline" IS NOT NEW."status_baseline" '
    'OR OLD."status_baseline_as_of" IS NOT NEW."status_baseline_as_of")'
)
BEFORE = [
    statement
    for statement in previous.CREATE["sqlite"]
    if any(f"EXISTS {name} " in statement for name in GOAL_TRIGGERS)
]
assert len(BEFORE) == 3 and LAST_COLUMN in BEFORE[1]
AFTER = [statement.replace(LAST_COLUMN, NEW_COLUMNS) for statement in BEFORE]
DROP = [f"DROP TRIGGER IF EXISTS {name};" for name in GOAL_TRIGGERS]


class Migration(migrations.Migration):
    dependencies = [("public", "0003_version_bumped_at_commit"), ("goals", "0023_verdicts_on_real_figures")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": DROP + AFTER, "postgresql": []}),
            first.run({"sqlite": DROP + BEFORE, "postgresql": []}),
        )
    ]
