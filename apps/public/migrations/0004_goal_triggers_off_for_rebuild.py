"""goals 0023 changes a constraint of goals_goal, which SQLite does by rebuilding the table: renaming
the new table into place fails while triggers on other tables name goals_goal. So on SQLite the
public data version's triggers are dropped just before it (run_before) and 0005 installs them again
just after; PostgreSQL alters in place and keeps them. The statements are 0003's, as it holds them."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
previous = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")


class Migration(migrations.Migration):
    dependencies = [("public", "0003_version_bumped_at_commit")]
    run_before = [("goals", "0023_verdicts_on_real_figures")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": previous.DROP["sqlite"], "postgresql": []}),
            first.run({"sqlite": previous.CREATE["sqlite"], "postgresql": []}),
        )
    ]
