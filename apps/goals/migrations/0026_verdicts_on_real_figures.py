"""New statuses (period_unreported) and the baseline a verdict used (status_baseline, its date).

Changing goals_goal's status constraint makes SQLite rebuild the table, and renaming the new table
into place fails while the public data version's triggers on other tables name goals_goal. So on
SQLite those triggers are dropped first (public 0005 installs them again with the new columns); going
back, they are installed again as public 0003 and 0004 left them, where the public tables exist. The
statements are those migrations' own, as they hold them."""

import importlib

from django.db import migrations, models

_installed = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")
_goal_update = importlib.import_module("apps.public.migrations.0004_goal_baseline_columns")


def public_triggers_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _installed.DROP["sqlite"]:
            schema_editor.execute(statement, params=None)


def public_triggers_back(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or "public_dataversion" not in connection.introspection.table_names():
        return
    for statement in _installed.CREATE["sqlite"]:
        if statement == _goal_update.PREVIOUS_UPDATE_TRIGGER:
            statement = _goal_update.UPDATE_TRIGGER
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0025_one_review_workflow"),
    ]

    operations = [
        migrations.RunPython(public_triggers_off, public_triggers_back),
        migrations.RemoveConstraint(
            model_name="goal",
            name="goal_status_valid",
        ),
        migrations.AddField(
            model_name="goal",
            name="status_baseline",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                editable=False,
                max_digits=20,
                null=True,
                verbose_name="评估所用基期值 · baseline used",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="status_baseline_as_of",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="基期数据截至 · baseline figure as of"
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                default="not_started",
                editable=False,
                max_length=20,
                verbose_name="状态 · status",
            ),
        ),
        migrations.AlterField(
            model_name="goalexplanation",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                max_length=20,
                verbose_name="所说明的状态 · status explained",
            ),
        ),
        migrations.AlterField(
            model_name="historicalgoalexplanation",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                max_length=20,
                verbose_name="所说明的状态 · status explained",
            ),
        ),
        migrations.AlterField(
            model_name="quarterspan",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                max_length=20,
                verbose_name="状态 · status",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                max_length=20,
                verbose_name="原状态 · from",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("not_started", "未开始 · Not started"),
                    ("on_track", "进度正常 · On track"),
                    ("at_risk", "有风险 · At risk"),
                    ("off_track", "滞后 · Off track"),
                    ("in_progress", "进行中 · In progress"),
                    ("achieved", "已达成 · Achieved"),
                    ("missed", "未达成 · Missed"),
                    ("awaiting_data", "待数据 · Awaiting data"),
                    ("unreported", "未公布数据 · No figure published"),
                    ("period_unreported", "未公布期末数据 · Full-period figure not published"),
                    ("stale", "数据过期 · Stale"),
                    ("done", "已完成 · Done"),
                    ("due", "待完成 · Due"),
                    ("overdue", "已逾期 · Overdue"),
                ],
                max_length=20,
                verbose_name="新状态 · to",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "not_started",
                            "on_track",
                            "at_risk",
                            "off_track",
                            "in_progress",
                            "achieved",
                            "missed",
                            "awaiting_data",
                            "unreported",
                            "period_unreported",
                            "stale",
                            "done",
                            "due",
                            "overdue",
                        ],
                    )
                ),
                name="goal_status_valid",
            ),
        ),
    ]
