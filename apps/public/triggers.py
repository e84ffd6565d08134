"""The database triggers that keep the public data version (models.DataVersion): every INSERT, UPDATE
or DELETE of a row a citizen can see, before or after the write, adds one to the number, in the
writing transaction. SQLite has only row triggers and counts per row, at the write (it lets one writer
in at a time). PostgreSQL's triggers run once per statement, however many rows it writes (a COPY of a
million figures runs one), and read its rows from the statement's transition tables; it counts once
per transaction, as it commits: a public write only notes that
the transaction owes a bump (a row of its own in public_dataversion_pending), and a deferred constraint
trigger on that note bumps the single version row at commit. Were the version row taken at the first
public write, two transactions writing public rows in opposite orders (an approval writes its figure,
then its goal; an evaluation locks the goal, then writes it) would each wait for the other. A test
wrapped in a transaction never commits: it sets the constraint trigger IMMEDIATE (COMMIT_TRIGGER), and
each public statement then bumps at once.

An UPDATE that changes only a table's BOOKKEEPING columns (never shown) bumps nothing.

A table that public pages start to read needs its line in WATCHED and a migration that installs
the triggers again. On SQLite a migration that rebuilds a watched table (Django does so to add a
constraint) drops its triggers with it; that migration must install them again. On SQLite the update
trigger of a table with BOOKKEEPING columns lists the table's other columns, so a migration that adds
a column to it must reinstall them too. tests/public/test_triggers.py fails while any is missing.

A migration never imports this module (tests/test_migrations.py checks): it holds the statements it
runs as literal SQL, for each database (apps/public/migrations/0003 shows how), so that editing this
file never changes what an old migration did. Print today's statements, migrated to the latest state:
    with connection.schema_editor(collect_sql=True) as editor:
        recreate_triggers(editor)
    print(editor.collected_sql)"""

# A row of a goal's child table is public when its goal is published.
GOAL_PUBLISHED = (
    "EXISTS (SELECT 1 FROM goals_goal AS g WHERE g.id = {row}.goal_id AND g.review_state = 'published')"
)
# Each table public pages read, with when one of its rows is public ({row}: the row before or after).
WATCHED = {
    "goals_goal": "{row}.review_state = 'published'",
    # A figure reported for an indicator (no goal) is shown with the indicator's published goals.
    "goals_progressupdate": "{row}.review_state = 'approved' AND ({row}.goal_id IS NULL OR "
    + GOAL_PUBLISHED
    + ")",
    "goals_statuschange": GOAL_PUBLISHED,
    "goals_citation": GOAL_PUBLISHED,
    "goals_goal_supporting_departments": GOAL_PUBLISHED,
    "goals_document": "1 = 1",
    "goals_department": "1 = 1",
    "goals_category": "1 = 1",
    "goals_plan": "1 = 1",
    "goals_indicator": "1 = 1",
    # A lead department's explanation of a red goal, public once approved.
    "goals_goalexplanation": "{row}.review_state = 'approved' AND " + GOAL_PUBLISHED,
    # A published goal's target revisions (from → to, when, why).
    "goals_goalrevision": GOAL_PUBLISHED,
}

# Columns of a watched table that no public page shows: an UPDATE that changes nothing else is no
# public change. Every approval marks its goal as owed an evaluation, and the evaluation clears it.
BOOKKEEPING = {"goals_goal": ("evaluation_requested_at",)}

BUMP = (
    "INSERT INTO public_dataversion (id, number, changed_at) VALUES (1, 1, {now}) "
    "ON CONFLICT (id) DO UPDATE SET number = public_dataversion.number + 1, changed_at = excluded.changed_at"
)


def _sqlite(table: str, condition: str, columns: list[str]) -> list[str]:
    bump = BUMP.format(now="strftime('%Y-%m-%d %H:%M:%f', 'now')")
    when = {
        "insert": condition.format(row="NEW"),
        "update": f"(({condition.format(row='OLD')}) OR ({condition.format(row='NEW')}))",
        "delete": condition.format(row="OLD"),
    }
    if table in BOOKKEEPING:
        public = [c for c in columns if c not in BOOKKEEPING[table]]
        when["update"] += " AND (" + " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in public) + ")"
    return [
        f"CREATE TRIGGER IF NOT EXISTS public_version_{table}_{event} AFTER {event.upper()} ON {table} "
        f"WHEN {test} BEGIN {bump}; END;"
        for event, test in when.items()
    ]


# The constraint trigger that bumps the version as a transaction that wrote public rows commits.
COMMIT_TRIGGER = "public_version_at_commit"
PENDING_TABLE = "public_dataversion_pending"
# A transaction-local setting: the transaction whose bump is already owed (no second note, no second
# scan of the changed rows).
OWED = "jinan_targets.public_version_owed"

POSTGRESQL_FUNCTION = f"""
CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (txid bigint PRIMARY KEY);

CREATE OR REPLACE FUNCTION public_data_version_bump() RETURNS trigger AS $$
DECLARE
    touched boolean;
BEGIN
    IF current_setting('{OWED}', true) = txid_current()::text THEN
        RETURN NULL;
    END IF;
    EXECUTE TG_ARGV[0] INTO touched;
    IF touched THEN
        PERFORM set_config('{OWED}', txid_current()::text, true);
        INSERT INTO {PENDING_TABLE} (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION public_data_version_commit() RETURNS trigger AS $$
BEGIN
    {BUMP.format(now="clock_timestamp()")};
    DELETE FROM {PENDING_TABLE} WHERE txid = NEW.txid;
    PERFORM set_config('{OWED}', '', true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {COMMIT_TRIGGER} ON {PENDING_TABLE};
CREATE CONSTRAINT TRIGGER {COMMIT_TRIGGER} AFTER INSERT ON {PENDING_TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_data_version_commit();
"""


def _postgresql(table: str, condition: str, columns: list[str]) -> list[str]:
    """One trigger per event, each once per statement; its argument is the query that says whether
    the statement's rows (its transition tables) include a public one."""
    public = "EXISTS (SELECT 1 FROM {rows} AS r WHERE " + condition.format(row="r") + ")"
    if table in BOOKKEEPING:
        # A row counts if a column other than bookkeeping changed: compared with its other side, by
        # id, as JSON without the bookkeeping (so a column added later counts too). The pairs are
        # planned for all rows (a materialized CTE): planned to stop at the first, PostgreSQL paired
        # them by a nested loop, and an update of 10,000 goals' bookkeeping took 8 minutes (busy machine).
        without = "".join(f" - '{column}'" for column in BOOKKEEPING[table])
        updated = (
            "WITH changed AS MATERIALIZED (SELECT 1 FROM new_rows AS r JOIN old_rows AS o ON o.id = r.id"
            f" WHERE (({condition.format(row='r')}) OR ({condition.format(row='o')}))"
            f" AND (to_jsonb(o){without}) IS DISTINCT FROM (to_jsonb(r){without}))"
            " SELECT EXISTS (SELECT 1 FROM changed)"
        )
    else:
        updated = f"SELECT {public.format(rows='new_rows')} OR {public.format(rows='old_rows')}"
    events = [
        ("ins", "INSERT", "NEW TABLE AS changed_rows", f"SELECT {public.format(rows='changed_rows')}"),
        ("upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", updated),
        ("del", "DELETE", "OLD TABLE AS changed_rows", f"SELECT {public.format(rows='changed_rows')}"),
    ]
    return [
        f"CREATE OR REPLACE TRIGGER public_version_{table}_{name} AFTER {event} ON {table} "
        f"REFERENCING {referencing} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION public_data_version_bump('{query.replace(chr(39), chr(39) * 2)}');"
        for name, event, referencing, query in events
    ]


# PostgreSQL's trigger names, by event. An UPDATE had two triggers (its old rows, its new rows) until
# public 0007: each bumped the version, twice per statement where the bump is immediate.
POSTGRESQL_EVENTS = ("ins", "upd", "del")
POSTGRESQL_FORMER_EVENTS = ("upd_new", "upd_old")


def create_triggers(schema_editor) -> None:
    """Install (or reinstall: every statement is idempotent) the triggers of every WATCHED table."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
    for table, condition in WATCHED.items():
        statements = {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor)
        if statements is None:
            raise NotImplementedError(f"public data version triggers for {vendor}")
        for statement in statements(table, condition, table_columns(schema_editor.connection, table)):
            schema_editor.execute(statement, params=None)


def table_columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, table)]


def drop_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table in WATCHED:
        if vendor == "postgresql":
            for name in (*POSTGRESQL_EVENTS, *POSTGRESQL_FORMER_EVENTS):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS public_version_{table}_{name} ON {table};", params=None
                )
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS public_version_{table}_{event};", params=None)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS public_data_version_bump();", params=None)
        schema_editor.execute(f"DROP TABLE IF EXISTS {PENDING_TABLE};", params=None)  # and its trigger
        schema_editor.execute("DROP FUNCTION IF EXISTS public_data_version_commit();", params=None)


def recreate_triggers(schema_editor) -> None:
    """Drop and create every trigger again (CREATE TRIGGER IF NOT EXISTS keeps an old one on SQLite)."""
    drop_triggers(schema_editor)
    create_triggers(schema_editor)


def expected_triggers(vendor: str) -> set[str]:
    if vendor == "postgresql":
        suffixes: tuple[str, ...] = POSTGRESQL_EVENTS
        extra = {COMMIT_TRIGGER}
    else:
        suffixes, extra = ("insert", "update", "delete"), set()
    return {f"public_version_{table}_{suffix}" for table in WATCHED for suffix in suffixes} | extra


def installed_triggers(connection) -> set[str]:
    sql = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if connection.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name for (name,) in cursor.fetchall()}
