"""goals 0027 gives plans, documents, departments, goals and indicators a place, rebuilding their
tables on SQLite with the public data version's triggers dropped first. They are installed again here
(0005's, the update trigger of goals_goal listing place_id too); going back drops them (goals 0027,
going back, installs 0005's). PostgreSQL's triggers compare whole rows and were never dropped."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
installed = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")
previous = importlib.import_module("apps.public.migrations.0005_goal_baseline_used_is_public")

LAST_COLUMNS = 'OR OLD."status_baseline_as_of" IS NOT NEW."status_baseline_as_of")'
NEW_COLUMNS = 'OR OLD."status_baseline_as_of" IS NOT NEW."status_baseline_as_of" OR OLD."place_id" IS NOT NEW."place_id")'
CREATE = [statement.replace(LAST_COLUMNS, NEW_COLUMNS) for statement in previous.CREATE]
assert sum(NEW_COLUMNS in statement for statement in CREATE) == 1


class Migration(migrations.Migration):
    dependencies = [("public", "0005_goal_baseline_used_is_public"), ("goals", "0027_places")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": CREATE, "postgresql": []}),
            first.run({"sqlite": installed.DROP["sqlite"], "postgresql": []}),
        )
    ]
