"""One review workflow for figures and explanations (apps.goals.models.reviewed): figures gain the
time they were handed in, both take the same names for their writer and reviewer, and the history of
explanations names its review steps as a figure's does, so the four-eyes rule can read it.
Columns keep their names; nothing is dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def figures_submitted_at(apps, schema_editor):
    """A figure handed in: its last submission in its history, else (stored already submitted, as
    ingest_results does) when it was stored."""
    update = apps.get_model("goals", "ProgressUpdate")
    history = apps.get_model("goals", "HistoricalProgressUpdate")
    last_submitted = (
        history.objects.filter(id=OuterRef("pk"), history_change_reason="submitted")
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    update.objects.exclude(review_state="draft").filter(submitted_at__isnull=True).update(
        submitted_at=Coalesce(Subquery(last_submitted), "created_at")
    )


def explanation_steps_named(apps, schema_editor):
    """Name the review steps in the history of explanations (submitted, approved, returned): a row
    that moved an explanation out of one state into the next. Edits of the text keep no name."""
    history = apps.get_model("goals", "HistoricalGoalExplanation")
    steps = {
        ("requested", "submitted"): "submitted",
        ("returned", "submitted"): "submitted",
        ("submitted", "approved"): "approved",
        ("submitted", "returned"): "returned",
    }
    previous_id, previous_state = None, None
    for row in history.objects.order_by("id", "history_date", "history_id").iterator():
        if row.id != previous_id:
            previous_state = None
        step = steps.get((previous_state, row.review_state))
        if step and not row.history_change_reason:
            history.objects.filter(pk=row.pk).update(history_change_reason=step)
        previous_id, previous_state = row.id, row.review_state


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0024_progress_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(explanation_steps_named, migrations.RunPython.noop),
        migrations.AddField(
            model_name="historicalprogressupdate",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="报送时间 · submitted at"),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="报送时间 · submitted at"),
        ),
        migrations.AlterField(
            model_name="goalexplanation",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="recorded_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="填报人 · recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="goalexplanation",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviewed_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审核人 · reviewed by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalgoalexplanation",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="填报人 · recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="recorded_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="填报人 · recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviewed_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审核人 · reviewed by",
            ),
        ),
        migrations.RunPython(figures_submitted_at, migrations.RunPython.noop),
    ]
