"""The public data version: its single row and the triggers that keep it (apps/public/triggers.py)."""

from django.db import migrations, models

from apps.public import triggers


def install(apps, schema_editor):
    triggers.create_triggers(schema_editor)
    schema_editor.execute(triggers.BUMP.format(now="CURRENT_TIMESTAMP"), params=None)


def uninstall(apps, schema_editor):
    triggers.drop_triggers(schema_editor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("goals", "0015_progress_approved_latest")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "公开数据版本 · public data version"},
        ),
        migrations.AddConstraint(
            model_name="dataversion",
            constraint=models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row"),
        ),
        migrations.RunPython(install, uninstall),
    ]
