"""Goal followers become followers of a goal or of an indicator: the table is renamed, every existing
row keeps its goal (and so satisfies the new check that exactly one of goal and indicator is set)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0003_goal_followers"),
        ("goals", "0012_returned_is_the_word"),
    ]

    operations = [
        migrations.RenameModel(old_name="GoalFollower", new_name="Follower"),
        migrations.AlterModelOptions(
            name="follower",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "邮件订阅（公众） · follower",
                "verbose_name_plural": "邮件订阅（公众） · followers",
            },
        ),
        migrations.AlterField(
            model_name="follower",
            name="goal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="followers",
                to="goals.goal",
                verbose_name="目标 · goal",
            ),
        ),
        migrations.AddField(
            model_name="follower",
            name="indicator",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="followers",
                to="goals.indicator",
                verbose_name="指标 · indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="follower",
            constraint=models.CheckConstraint(
                condition=models.Q(("goal__isnull", False), ("indicator__isnull", True))
                | models.Q(("goal__isnull", True), ("indicator__isnull", False)),
                name="follower_follows_a_goal_or_an_indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="follower",
            constraint=models.UniqueConstraint(fields=("indicator", "email"), name="indicator_follower_once"),
        ),
    ]
