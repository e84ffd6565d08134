"""A goal's baseline source (goals 0023) adds columns to goals_goal: on SQLite the update trigger of the
public data version lists the columns it compares, so it is installed again with them (the SQL as
apps/public/triggers.py wrote it when this migration was added). PostgreSQL's compares whole rows and
needs nothing. Going back puts 0003's trigger back."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
previous = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")

DROP = "DROP TRIGGER IF EXISTS public_version_goals_goal_update;"
UPDATE_TRIGGER = 'CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_update AFTER UPDATE ON goals_goal WHEN ((OLD.review_state = \'published\') OR (NEW.review_state = \'published\')) AND (OLD."id" IS NOT NEW."id" OR OLD."slug" IS NOT NEW."slug" OR OLD."title" IS NOT NEW."title" OR OLD."title_en" IS NOT NEW."title_en" OR OLD."metric" IS NOT NEW."metric" OR OLD."kind" IS NOT NEW."kind" OR OLD."comparator" IS NOT NEW."comparator" OR OLD."target_value" IS NOT NEW."target_value" OR OLD."target_max" IS NOT NEW."target_max" OR OLD."unit" IS NOT NEW."unit" OR OLD."unit_magnitude" IS NOT NEW."unit_magnitude" OR OLD."baseline_value" IS NOT NEW."baseline_value" OR OLD."baseline_date" IS NOT NEW."baseline_date" OR OLD."period_start" IS NOT NEW."period_start" OR OLD."deadline" IS NOT NEW."deadline" OR OLD."review_state" IS NOT NEW."review_state" OR OLD."is_headline" IS NOT NEW."is_headline" OR OLD."headline_order" IS NOT NEW."headline_order" OR OLD."extraction_confidence" IS NOT NEW."extraction_confidence" OR OLD."milestone_done_on" IS NOT NEW."milestone_done_on" OR OLD."at_risk_band" IS NOT NEW."at_risk_band" OR OLD."tolerance" IS NOT NEW."tolerance" OR OLD."stale_after_days" IS NOT NEW."stale_after_days" OR OLD."status" IS NOT NEW."status" OR OLD."status_evaluated_on" IS NOT NEW."status_evaluated_on" OR OLD."status_rule_version" IS NOT NEW."status_rule_version" OR OLD."expected_value" IS NOT NEW."expected_value" OR OLD."progress_percent" IS NOT NEW."progress_percent" OR OLD."status_explanation_zh" IS NOT NEW."status_explanation_zh" OR OLD."status_explanation_en" IS NOT NEW."status_explanation_en" OR OLD."forecast_date" IS NOT NEW."forecast_date" OR OLD."latest_value" IS NOT NEW."latest_value" OR OLD."latest_as_of" IS NOT NEW."latest_as_of" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."category_id" IS NOT NEW."category_id" OR OLD."lead_department_id" IS NOT NEW."lead_department_id" OR OLD."plan_id" IS NOT NEW."plan_id" OR OLD."forecast_value" IS NOT NEW."forecast_value" OR OLD."is_sample" IS NOT NEW."is_sample" OR OLD."latest_is_provisional" IS NOT NEW."latest_is_provisional" OR OLD."review_note" IS NOT NEW."review_note" OR OLD."indicator_id" IS NOT NEW."indicator_id" OR OLD."lead_department_source" IS NOT NEW."lead_department_source" OR OLD."baseline_evidence" IS NOT NEW."baseline_evidence" OR OLD."baseline_figure_id" IS NOT NEW."baseline_figure_id" OR OLD."baseline_source" IS NOT NEW."baseline_source" OR OLD."parent_id" IS NOT NEW."parent_id") BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime(\'%Y-%m-%d %H:%M:%f\', \'now\')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;'
PREVIOUS_UPDATE_TRIGGER = next(
    s for s in previous.CREATE["sqlite"] if "public_version_goals_goal_update " in s
)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0003_version_bumped_at_commit"),
        ("goals", "0023_baseline_source_and_superseded_figures"),
    ]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": [DROP, UPDATE_TRIGGER], "postgresql": []}),
            first.run({"sqlite": [DROP, PREVIOUS_UPDATE_TRIGGER], "postgresql": []}),
        )
    ]
