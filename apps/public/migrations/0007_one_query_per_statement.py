"""The public data version's PostgreSQL triggers answer for a whole statement by one query of its
transition tables: an UPDATE has one trigger (its old and new rows together), so it bumps once where
the bump is immediate, where its two triggers (old rows, new rows) bumped twice; and a goal's rows are
paired with their other side for all rows at once (hashed), where a bulk update of 10,000 goals'
bookkeeping paired them by a nested loop for 8 minutes. The SQL is held here as
apps/public/triggers.py wrote it when this migration was added; going back puts 0003's triggers back.
SQLite's row triggers are unchanged."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
previous = importlib.import_module("apps.public.migrations.0003_version_bumped_at_commit")

DROP = [
    "DROP TRIGGER IF EXISTS public_version_goals_goal_ins ON goals_goal;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_upd ON goals_goal;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_del ON goals_goal;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_upd_new ON goals_goal;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_upd_old ON goals_goal;",
    "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_ins ON goals_progressupdate;",
    "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_upd ON goals_progressupdate;",
    "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_del ON goals_progressupdate;",
    "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_upd_new ON goals_progressupdate;",
    "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_upd_old ON goals_progressupdate;",
    "DROP TRIGGER IF EXISTS public_version_goals_statuschange_ins ON goals_statuschange;",
    "DROP TRIGGER IF EXISTS public_version_goals_statuschange_upd ON goals_statuschange;",
    "DROP TRIGGER IF EXISTS public_version_goals_statuschange_del ON goals_statuschange;",
    "DROP TRIGGER IF EXISTS public_version_goals_statuschange_upd_new ON goals_statuschange;",
    "DROP TRIGGER IF EXISTS public_version_goals_statuschange_upd_old ON goals_statuschange;",
    "DROP TRIGGER IF EXISTS public_version_goals_citation_ins ON goals_citation;",
    "DROP TRIGGER IF EXISTS public_version_goals_citation_upd ON goals_citation;",
    "DROP TRIGGER IF EXISTS public_version_goals_citation_del ON goals_citation;",
    "DROP TRIGGER IF EXISTS public_version_goals_citation_upd_new ON goals_citation;",
    "DROP TRIGGER IF EXISTS public_version_goals_citation_upd_old ON goals_citation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_ins ON goals_goal_supporting_departments;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_upd ON goals_goal_supporting_departments;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_del ON goals_goal_supporting_departments;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_upd_new ON goals_goal_supporting_departments;",
    "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_upd_old ON goals_goal_supporting_departments;",
    "DROP TRIGGER IF EXISTS public_version_goals_document_ins ON goals_document;",
    "DROP TRIGGER IF EXISTS public_version_goals_document_upd ON goals_document;",
    "DROP TRIGGER IF EXISTS public_version_goals_document_del ON goals_document;",
    "DROP TRIGGER IF EXISTS public_version_goals_document_upd_new ON goals_document;",
    "DROP TRIGGER IF EXISTS public_version_goals_document_upd_old ON goals_document;",
    "DROP TRIGGER IF EXISTS public_version_goals_department_ins ON goals_department;",
    "DROP TRIGGER IF EXISTS public_version_goals_department_upd ON goals_department;",
    "DROP TRIGGER IF EXISTS public_version_goals_department_del ON goals_department;",
    "DROP TRIGGER IF EXISTS public_version_goals_department_upd_new ON goals_department;",
    "DROP TRIGGER IF EXISTS public_version_goals_department_upd_old ON goals_department;",
    "DROP TRIGGER IF EXISTS public_version_goals_category_ins ON goals_category;",
    "DROP TRIGGER IF EXISTS public_version_goals_category_upd ON goals_category;",
    "DROP TRIGGER IF EXISTS public_version_goals_category_del ON goals_category;",
    "DROP TRIGGER IF EXISTS public_version_goals_category_upd_new ON goals_category;",
    "DROP TRIGGER IF EXISTS public_version_goals_category_upd_old ON goals_category;",
    "DROP TRIGGER IF EXISTS public_version_goals_plan_ins ON goals_plan;",
    "DROP TRIGGER IF EXISTS public_version_goals_plan_upd ON goals_plan;",
    "DROP TRIGGER IF EXISTS public_version_goals_plan_del ON goals_plan;",
    "DROP TRIGGER IF EXISTS public_version_goals_plan_upd_new ON goals_plan;",
    "DROP TRIGGER IF EXISTS public_version_goals_plan_upd_old ON goals_plan;",
    "DROP TRIGGER IF EXISTS public_version_goals_indicator_ins ON goals_indicator;",
    "DROP TRIGGER IF EXISTS public_version_goals_indicator_upd ON goals_indicator;",
    "DROP TRIGGER IF EXISTS public_version_goals_indicator_del ON goals_indicator;",
    "DROP TRIGGER IF EXISTS public_version_goals_indicator_upd_new ON goals_indicator;",
    "DROP TRIGGER IF EXISTS public_version_goals_indicator_upd_old ON goals_indicator;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_ins ON goals_goalexplanation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_upd ON goals_goalexplanation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_del ON goals_goalexplanation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_upd_new ON goals_goalexplanation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_upd_old ON goals_goalexplanation;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_ins ON goals_goalrevision;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_upd ON goals_goalrevision;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_del ON goals_goalrevision;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_upd_new ON goals_goalrevision;",
    "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_upd_old ON goals_goalrevision;",
    "DROP FUNCTION IF EXISTS public_data_version_bump();",
    "DROP TABLE IF EXISTS public_dataversion_pending;",
    "DROP FUNCTION IF EXISTS public_data_version_commit();",
]

CREATE = [
    "\nCREATE TABLE IF NOT EXISTS public_dataversion_pending (txid bigint PRIMARY KEY);\n\nCREATE OR REPLACE FUNCTION public_data_version_bump() RETURNS trigger AS $$\nDECLARE\n    touched boolean;\nBEGIN\n    IF current_setting('jinan_targets.public_version_owed', true) = txid_current()::text THEN\n        RETURN NULL;\n    END IF;\n    EXECUTE TG_ARGV[0] INTO touched;\n    IF touched THEN\n        PERFORM set_config('jinan_targets.public_version_owed', txid_current()::text, true);\n        INSERT INTO public_dataversion_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;\n    END IF;\n    RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql;\n\nCREATE OR REPLACE FUNCTION public_data_version_commit() RETURNS trigger AS $$\nBEGIN\n    INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, clock_timestamp()) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at;\n    DELETE FROM public_dataversion_pending WHERE txid = NEW.txid;\n    PERFORM set_config('jinan_targets.public_version_owed', '', true);\n    RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql;\n\nDROP TRIGGER IF EXISTS public_version_at_commit ON public_dataversion_pending;\nCREATE CONSTRAINT TRIGGER public_version_at_commit AFTER INSERT ON public_dataversion_pending\n    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_data_version_commit();\n",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_ins AFTER INSERT ON goals_goal REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''published'')');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_upd AFTER UPDATE ON goals_goal REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('WITH changed AS MATERIALIZED (SELECT 1 FROM new_rows AS r JOIN old_rows AS o ON o.id = r.id WHERE ((r.review_state = ''published'') OR (o.review_state = ''published'')) AND (to_jsonb(o) - ''evaluation_requested_at'') IS DISTINCT FROM (to_jsonb(r) - ''evaluation_requested_at'')) SELECT EXISTS (SELECT 1 FROM changed)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_del AFTER DELETE ON goals_goal REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''published'')');",
    "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_ins AFTER INSERT ON goals_progressupdate REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_upd AFTER UPDATE ON goals_progressupdate REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_del AFTER DELETE ON goals_progressupdate REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_ins AFTER INSERT ON goals_statuschange REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_upd AFTER UPDATE ON goals_statuschange REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_del AFTER DELETE ON goals_statuschange REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_citation_ins AFTER INSERT ON goals_citation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_citation_upd AFTER UPDATE ON goals_citation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_citation_del AFTER DELETE ON goals_citation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_ins AFTER INSERT ON goals_goal_supporting_departments REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_upd AFTER UPDATE ON goals_goal_supporting_departments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_del AFTER DELETE ON goals_goal_supporting_departments REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_document_ins AFTER INSERT ON goals_document REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_document_upd AFTER UPDATE ON goals_document REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE 1 = 1) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_document_del AFTER DELETE ON goals_document REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_department_ins AFTER INSERT ON goals_department REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_department_upd AFTER UPDATE ON goals_department REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE 1 = 1) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_department_del AFTER DELETE ON goals_department REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_category_ins AFTER INSERT ON goals_category REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_category_upd AFTER UPDATE ON goals_category REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE 1 = 1) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_category_del AFTER DELETE ON goals_category REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_plan_ins AFTER INSERT ON goals_plan REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_plan_upd AFTER UPDATE ON goals_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE 1 = 1) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_plan_del AFTER DELETE ON goals_plan REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_indicator_ins AFTER INSERT ON goals_indicator REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_indicator_upd AFTER UPDATE ON goals_indicator REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE 1 = 1) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_indicator_del AFTER DELETE ON goals_indicator REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE 1 = 1)');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_ins AFTER INSERT ON goals_goalexplanation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_upd AFTER UPDATE ON goals_goalexplanation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_del AFTER DELETE ON goals_goalexplanation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_ins AFTER INSERT ON goals_goalrevision REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_upd AFTER UPDATE ON goals_goalrevision REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM new_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')) OR EXISTS (SELECT 1 FROM old_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
    "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_del AFTER DELETE ON goals_goalrevision REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
]


class Migration(migrations.Migration):
    dependencies = [("public", "0006_goal_place_column")]

    operations = [
        migrations.RunPython(
            first.run({"sqlite": [], "postgresql": DROP + CREATE}),
            first.run({"sqlite": [], "postgresql": DROP + previous.CREATE["postgresql"]}),
        )
    ]
