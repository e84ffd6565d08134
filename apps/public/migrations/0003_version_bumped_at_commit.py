"""On PostgreSQL the public data version is bumped as a writing transaction commits, not at its first
public write (apps/public/triggers.py says why: two writers in opposite orders would wait for each
other). The SQL is held here as triggers.py wrote it when this migration was added (commit 0c73523);
going back puts 0002's triggers back; SQLite's update trigger of goals_goal lists the table's columns
as a fresh migrate finds them."""

import importlib

from django.db import migrations

first = importlib.import_module("apps.public.migrations.0001_data_version")
previous = importlib.import_module("apps.public.migrations.0002_bookkeeping_is_no_public_change")

CREATE = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_insert AFTER INSERT ON goals_goal WHEN NEW.review_state = 'published' BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        'CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_update AFTER UPDATE ON goals_goal WHEN ((OLD.review_state = \'published\') OR (NEW.review_state = \'published\')) AND (OLD."id" IS NOT NEW."id" OR OLD."slug" IS NOT NEW."slug" OR OLD."title" IS NOT NEW."title" OR OLD."title_en" IS NOT NEW."title_en" OR OLD."metric" IS NOT NEW."metric" OR OLD."kind" IS NOT NEW."kind" OR OLD."comparator" IS NOT NEW."comparator" OR OLD."target_value" IS NOT NEW."target_value" OR OLD."target_max" IS NOT NEW."target_max" OR OLD."unit" IS NOT NEW."unit" OR OLD."unit_magnitude" IS NOT NEW."unit_magnitude" OR OLD."baseline_value" IS NOT NEW."baseline_value" OR OLD."baseline_date" IS NOT NEW."baseline_date" OR OLD."period_start" IS NOT NEW."period_start" OR OLD."deadline" IS NOT NEW."deadline" OR OLD."review_state" IS NOT NEW."review_state" OR OLD."is_headline" IS NOT NEW."is_headline" OR OLD."headline_order" IS NOT NEW."headline_order" OR OLD."extraction_confidence" IS NOT NEW."extraction_confidence" OR OLD."milestone_done_on" IS NOT NEW."milestone_done_on" OR OLD."at_risk_band" IS NOT NEW."at_risk_band" OR OLD."tolerance" IS NOT NEW."tolerance" OR OLD."stale_after_days" IS NOT NEW."stale_after_days" OR OLD."status" IS NOT NEW."status" OR OLD."status_evaluated_on" IS NOT NEW."status_evaluated_on" OR OLD."status_rule_version" IS NOT NEW."status_rule_version" OR OLD."expected_value" IS NOT NEW."expected_value" OR OLD."progress_percent" IS NOT NEW."progress_percent" OR OLD."status_explanation_zh" IS NOT NEW."status_explanation_zh" OR OLD."status_explanation_en" IS NOT NEW."status_explanation_en" OR OLD."forecast_date" IS NOT NEW."forecast_date" OR OLD."latest_value" IS NOT NEW."latest_value" OR OLD."latest_as_of" IS NOT NEW."latest_as_of" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."category_id" IS NOT NEW."category_id" OR OLD."lead_department_id" IS NOT NEW."lead_department_id" OR OLD."plan_id" IS NOT NEW."plan_id" OR OLD."forecast_value" IS NOT NEW."forecast_value" OR OLD."is_sample" IS NOT NEW."is_sample" OR OLD."latest_is_provisional" IS NOT NEW."latest_is_provisional" OR OLD."review_note" IS NOT NEW."review_note" OR OLD."indicator_id" IS NOT NEW."indicator_id" OR OLD."lead_department_source" IS NOT NEW."lead_department_source" OR OLD."parent_id" IS NOT NEW."parent_id") BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime(\'%Y-%m-%d %H:%M:%f\', \'now\')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;',
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_delete AFTER DELETE ON goals_goal WHEN OLD.review_state = 'published' BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_progressupdate_insert AFTER INSERT ON goals_progressupdate WHEN NEW.review_state = 'approved' AND (NEW.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published')) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_progressupdate_update AFTER UPDATE ON goals_progressupdate WHEN ((OLD.review_state = 'approved' AND (OLD.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published'))) OR (NEW.review_state = 'approved' AND (NEW.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published')))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_progressupdate_delete AFTER DELETE ON goals_progressupdate WHEN OLD.review_state = 'approved' AND (OLD.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_statuschange_insert AFTER INSERT ON goals_statuschange WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_statuschange_update AFTER UPDATE ON goals_statuschange WHEN ((EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) OR (EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published'))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_statuschange_delete AFTER DELETE ON goals_statuschange WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_citation_insert AFTER INSERT ON goals_citation WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_citation_update AFTER UPDATE ON goals_citation WHEN ((EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) OR (EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published'))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_citation_delete AFTER DELETE ON goals_citation WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_supporting_departments_insert AFTER INSERT ON goals_goal_supporting_departments WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_supporting_departments_update AFTER UPDATE ON goals_goal_supporting_departments WHEN ((EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) OR (EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published'))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goal_supporting_departments_delete AFTER DELETE ON goals_goal_supporting_departments WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_document_insert AFTER INSERT ON goals_document WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_document_update AFTER UPDATE ON goals_document WHEN ((1 = 1) OR (1 = 1)) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_document_delete AFTER DELETE ON goals_document WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_department_insert AFTER INSERT ON goals_department WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_department_update AFTER UPDATE ON goals_department WHEN ((1 = 1) OR (1 = 1)) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_department_delete AFTER DELETE ON goals_department WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_category_insert AFTER INSERT ON goals_category WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_category_update AFTER UPDATE ON goals_category WHEN ((1 = 1) OR (1 = 1)) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_category_delete AFTER DELETE ON goals_category WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_plan_insert AFTER INSERT ON goals_plan WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_plan_update AFTER UPDATE ON goals_plan WHEN ((1 = 1) OR (1 = 1)) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_plan_delete AFTER DELETE ON goals_plan WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_indicator_insert AFTER INSERT ON goals_indicator WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_indicator_update AFTER UPDATE ON goals_indicator WHEN ((1 = 1) OR (1 = 1)) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_indicator_delete AFTER DELETE ON goals_indicator WHEN 1 = 1 BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalexplanation_insert AFTER INSERT ON goals_goalexplanation WHEN NEW.review_state = 'approved' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalexplanation_update AFTER UPDATE ON goals_goalexplanation WHEN ((OLD.review_state = 'approved' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) OR (NEW.review_state = 'approved' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published'))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalexplanation_delete AFTER DELETE ON goals_goalexplanation WHEN OLD.review_state = 'approved' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalrevision_insert AFTER INSERT ON goals_goalrevision WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalrevision_update AFTER UPDATE ON goals_goalrevision WHEN ((EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published')) OR (EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = NEW.goal_id AND g.review_state = 'published'))) BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
        "CREATE TRIGGER IF NOT EXISTS public_version_goals_goalrevision_delete AFTER DELETE ON goals_goalrevision WHEN EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = OLD.goal_id AND g.review_state = 'published') BEGIN INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at; END;",
    ],
    "postgresql": [
        """
CREATE TABLE IF NOT EXISTS public_dataversion_pending (txid bigint PRIMARY KEY);

CREATE OR REPLACE FUNCTION public_data_version_bump() RETURNS trigger AS $$
DECLARE
    touched boolean;
BEGIN
    IF current_setting('jinan_targets.public_version_owed', true) = txid_current()::text THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM changed_rows AS r WHERE %s)', TG_ARGV[0]) INTO touched;
    IF touched THEN
        PERFORM set_config('jinan_targets.public_version_owed', txid_current()::text, true);
        INSERT INTO public_dataversion_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION public_data_version_commit() RETURNS trigger AS $$
BEGIN
    INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, clock_timestamp()) ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at;
    DELETE FROM public_dataversion_pending WHERE txid = NEW.txid;
    PERFORM set_config('jinan_targets.public_version_owed', '', true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS public_version_at_commit ON public_dataversion_pending;
CREATE CONSTRAINT TRIGGER public_version_at_commit AFTER INSERT ON public_dataversion_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_data_version_commit();
""",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_ins AFTER INSERT ON goals_goal REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''published''');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_upd_new AFTER UPDATE ON goals_goal REFERENCING NEW TABLE AS changed_rows OLD TABLE AS other_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('(r.review_state = ''published'') AND EXISTS (SELECT 1 FROM other_rows AS o WHERE o.id = r.id AND (to_jsonb(o) - ''evaluation_requested_at'') IS DISTINCT FROM (to_jsonb(r) - ''evaluation_requested_at''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_upd_old AFTER UPDATE ON goals_goal REFERENCING OLD TABLE AS changed_rows NEW TABLE AS other_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('(r.review_state = ''published'') AND EXISTS (SELECT 1 FROM other_rows AS o WHERE o.id = r.id AND (to_jsonb(o) - ''evaluation_requested_at'') IS DISTINCT FROM (to_jsonb(r) - ''evaluation_requested_at''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_del AFTER DELETE ON goals_goal REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''published''');",
        "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_ins AFTER INSERT ON goals_progressupdate REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_upd_new AFTER UPDATE ON goals_progressupdate REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_upd_old AFTER UPDATE ON goals_progressupdate REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_progressupdate_del AFTER DELETE ON goals_progressupdate REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND (r.goal_id IS NULL OR EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published''))');",
        "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_ins AFTER INSERT ON goals_statuschange REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_upd_new AFTER UPDATE ON goals_statuschange REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_upd_old AFTER UPDATE ON goals_statuschange REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_statuschange_del AFTER DELETE ON goals_statuschange REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_citation_ins AFTER INSERT ON goals_citation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_citation_upd_new AFTER UPDATE ON goals_citation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_citation_upd_old AFTER UPDATE ON goals_citation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_citation_del AFTER DELETE ON goals_citation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_ins AFTER INSERT ON goals_goal_supporting_departments REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_upd_new AFTER UPDATE ON goals_goal_supporting_departments REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_upd_old AFTER UPDATE ON goals_goal_supporting_departments REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goal_supporting_departments_del AFTER DELETE ON goals_goal_supporting_departments REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_document_ins AFTER INSERT ON goals_document REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_document_upd_new AFTER UPDATE ON goals_document REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_document_upd_old AFTER UPDATE ON goals_document REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_document_del AFTER DELETE ON goals_document REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_department_ins AFTER INSERT ON goals_department REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_department_upd_new AFTER UPDATE ON goals_department REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_department_upd_old AFTER UPDATE ON goals_department REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_department_del AFTER DELETE ON goals_department REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_category_ins AFTER INSERT ON goals_category REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_category_upd_new AFTER UPDATE ON goals_category REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_category_upd_old AFTER UPDATE ON goals_category REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_category_del AFTER DELETE ON goals_category REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_plan_ins AFTER INSERT ON goals_plan REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_plan_upd_new AFTER UPDATE ON goals_plan REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_plan_upd_old AFTER UPDATE ON goals_plan REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_plan_del AFTER DELETE ON goals_plan REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_indicator_ins AFTER INSERT ON goals_indicator REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_indicator_upd_new AFTER UPDATE ON goals_indicator REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_indicator_upd_old AFTER UPDATE ON goals_indicator REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_indicator_del AFTER DELETE ON goals_indicator REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('1 = 1');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_ins AFTER INSERT ON goals_goalexplanation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_upd_new AFTER UPDATE ON goals_goalexplanation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_upd_old AFTER UPDATE ON goals_goalexplanation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalexplanation_del AFTER DELETE ON goals_goalexplanation REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('r.review_state = ''approved'' AND EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_ins AFTER INSERT ON goals_goalrevision REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_upd_new AFTER UPDATE ON goals_goalrevision REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_upd_old AFTER UPDATE ON goals_goalrevision REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
        "CREATE OR REPLACE TRIGGER public_version_goals_goalrevision_del AFTER DELETE ON goals_goalrevision REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public_data_version_bump('EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = r.goal_id AND g.review_state = ''published'')');",
    ],
}

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS public_version_goals_goal_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_delete;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_insert;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_update;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS public_version_goals_goal_ins ON goals_goal;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_upd_new ON goals_goal;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_upd_old ON goals_goal;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_del ON goals_goal;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_ins ON goals_progressupdate;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_upd_new ON goals_progressupdate;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_upd_old ON goals_progressupdate;",
        "DROP TRIGGER IF EXISTS public_version_goals_progressupdate_del ON goals_progressupdate;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_ins ON goals_statuschange;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_upd_new ON goals_statuschange;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_upd_old ON goals_statuschange;",
        "DROP TRIGGER IF EXISTS public_version_goals_statuschange_del ON goals_statuschange;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_ins ON goals_citation;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_upd_new ON goals_citation;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_upd_old ON goals_citation;",
        "DROP TRIGGER IF EXISTS public_version_goals_citation_del ON goals_citation;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_ins ON goals_goal_supporting_departments;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_upd_new ON goals_goal_supporting_departments;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_upd_old ON goals_goal_supporting_departments;",
        "DROP TRIGGER IF EXISTS public_version_goals_goal_supporting_departments_del ON goals_goal_supporting_departments;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_ins ON goals_document;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_upd_new ON goals_document;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_upd_old ON goals_document;",
        "DROP TRIGGER IF EXISTS public_version_goals_document_del ON goals_document;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_ins ON goals_department;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_upd_new ON goals_department;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_upd_old ON goals_department;",
        "DROP TRIGGER IF EXISTS public_version_goals_department_del ON goals_department;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_ins ON goals_category;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_upd_new ON goals_category;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_upd_old ON goals_category;",
        "DROP TRIGGER IF EXISTS public_version_goals_category_del ON goals_category;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_ins ON goals_plan;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_upd_new ON goals_plan;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_upd_old ON goals_plan;",
        "DROP TRIGGER IF EXISTS public_version_goals_plan_del ON goals_plan;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_ins ON goals_indicator;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_upd_new ON goals_indicator;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_upd_old ON goals_indicator;",
        "DROP TRIGGER IF EXISTS public_version_goals_indicator_del ON goals_indicator;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_ins ON goals_goalexplanation;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_upd_new ON goals_goalexplanation;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_upd_old ON goals_goalexplanation;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalexplanation_del ON goals_goalexplanation;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_ins ON goals_goalrevision;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_upd_new ON goals_goalrevision;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_upd_old ON goals_goalrevision;",
        "DROP TRIGGER IF EXISTS public_version_goals_goalrevision_del ON goals_goalrevision;",
        "DROP FUNCTION IF EXISTS public_data_version_bump();",
        "DROP TABLE IF EXISTS public_dataversion_pending;",
        "DROP FUNCTION IF EXISTS public_data_version_commit();",
    ],
}



class Migration(migrations.Migration):
    dependencies = [("public", "0002_bookkeeping_is_no_public_change")]

    operations = [
        migrations.RunPython(
            first.run({vendor: DROP[vendor] + CREATE[vendor] for vendor in CREATE}),
            first.run({vendor: DROP[vendor] + previous.CREATE[vendor] for vendor in CREATE}),
        )
    ]
