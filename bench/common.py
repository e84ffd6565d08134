"""What the benchmarks share: a PostgreSQL database of their own beside DATABASE_URL's, the columns
they COPY rows into, production settings as the Dockerfile runs them, and Django started on those."""

import os
import socket
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jinan_targets_bench"
# The columns the benchmarks fill when they COPY goals in (the rest keep their defaults).
GOAL_COLUMNS = [
    "slug",
    "title",
    "title_en",
    "metric",
    "kind",
    "comparator",
    "target_value",
    "unit",
    "unit_magnitude",
    "baseline_value",
    "period_start",
    "deadline",
    "lead_department_id",
    "category_id",
    "plan_id",
    "review_state",
    "is_headline",
    "headline_order",
    "status",
    "status_rule_version",
    "status_explanation_zh",
    "status_explanation_en",
    "is_sample",
    "latest_is_provisional",
    "review_note",
    "lead_department_source",
    "created_at",
    "updated_at",
]


# The columns the benchmarks fill when they COPY approved figures in (the rest keep their defaults).
FIGURE_COLUMNS = [
    "goal_id",
    "as_of",
    "value",
    "is_final",
    "note",
    "evidence_url",
    "evidence_file",
    "is_sample",
    "review_state",
    "reviewed_at",
    "published_on",
    "review_comment",
    "is_estimate",
    "unit",
    "quote",
    "created_at",
    "updated_at",
]


def free_port() -> int:
    """A loopback port nothing listens on, for a bench's own server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_database_url() -> str:
    """DATABASE_URL's server (or the local default) with a database of its own: BENCH_DB when set (so
    two people benchmarking on one server keep apart), else DATABASE_URL's name with _bench."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_URL
    parts = urlsplit(url)
    name = os.environ.get("BENCH_DB", "") or parts.path.lstrip("/") or "jinan_targets"
    if not name.endswith("_bench"):
        name += "_bench"
    return urlunsplit(parts._replace(path="/" + name))


def web_bench_database_url() -> str:
    """The database make bench-web loads (and make bench-digest reuses)."""
    return bench_database_url() + "_web"


def create_database_if_missing(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


# The columns the benchmarks fill when they COPY status changes in, in the order their rows give.
CHANGE_COLUMNS = [
    "goal_id",
    "changed_at",
    "evaluated_on",
    "from_status",
    "to_status",
    "explanation_zh",
    "explanation_en",
    "rule_version",
    "is_sample",
]


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows into `table`; NOT NULL columns the rows leave out get their field's default, so a
    column added to a model later does not break the bench."""
    from django.apps import apps

    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    given = {column.strip('"') for column in columns}
    extra = [
        field
        for field in model._meta.concrete_fields
        if field.column not in given and not field.null and not field.primary_key
    ]
    columns = [*columns, *(field.column for field in extra)]
    defaults = [field.get_default() for field in extra]
    count = 0
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*row, *defaults])
            count += 1
    return count


def server_environment(url: str, cache_url: str) -> dict:
    """Production settings as the Dockerfile runs them, on the bench database."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DATABASE_URL": url,
            "CACHE_URL": cache_url,
            "SITE_URL": "http://127.0.0.1",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "",
        }
    )
    return env


def start_django(environment: dict[str, str]) -> None:
    """Set these environment variables, start Django on them and migrate the bench database. A bench
    loads data in bulk, so its own connections take the jobs' timeouts (settings.DATABASE_TIMEOUTS)."""
    os.environ.update(environment)
    os.environ.setdefault("DATABASE_TIMEOUTS", "jobs")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinan_targets.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
