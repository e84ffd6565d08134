"""A citation's offsets must fall inside its document's text. A check constraint cannot look at
another table, so a trigger refuses the row, on SQLite and PostgreSQL alike."""
from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER goals_citation_within_document_insert
    BEFORE INSERT ON goals_citation
    WHEN NEW."end" > (SELECT length(text) FROM goals_document WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'citation offsets fall outside its document'); END;
    """,
    """
    CREATE TRIGGER goals_citation_within_document_update
    BEFORE UPDATE ON goals_citation
    WHEN NEW."end" > (SELECT length(text) FROM goals_document WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'citation offsets fall outside its document'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS goals_citation_within_document_insert;",
    "DROP TRIGGER IF EXISTS goals_citation_within_document_update;",
]

POSTGRESQL = [
    """
    CREATE FUNCTION goals_citation_within_document() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT char_length(text) FROM goals_document WHERE id = NEW.document_id) THEN
            RAISE EXCEPTION 'citation offsets fall outside its document' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER goals_citation_within_document
    BEFORE INSERT OR UPDATE ON goals_citation
    FOR EACH ROW EXECUTE FUNCTION goals_citation_within_document();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS goals_citation_within_document ON goals_citation;",
    "DROP FUNCTION IF EXISTS goals_citation_within_document();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
