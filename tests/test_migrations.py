"""Old migrations are history: none imports today's project code, so editing a model helper, the status
rules or apps/public/triggers.py never changes what a migration did. A migration holds its SQL and
helpers itself. Two kinds of reference are left, both Django's own: a field's callable default or
upload_to (makemigrations writes those by import path, and compares them by identity), and another
migration (itself frozen)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(ROOT.glob("apps/*/migrations/0*.py"))
# The keyword arguments through which Django itself refers to a project callable from a migration.
FIELD_CALLABLES = {"default", "upload_to"}


APPS = {path.name for path in (ROOT / "apps").iterdir() if (path / "__init__.py").exists()}


def _is_project(dotted: str) -> bool:
    """apps.<an app>... or jinan_targets...; `apps` alone is also RunPython's registry argument."""
    parts = dotted.split(".")
    return parts[0] == "jinan_targets" or (parts[0] == "apps" and len(parts) > 1 and parts[1] in APPS)


def _is_migration(dotted: str) -> bool:
    return ".migrations." in f"{dotted}."


def _is_dotted_name(node: ast.expr) -> bool:
    return all(isinstance(inner, ast.Attribute | ast.Name | ast.Load) for inner in ast.walk(node))


def live_code_used(source: str) -> list[str]:
    """What a migration's source takes from today's project code, one line each (empty: nothing)."""
    tree = ast.parse(source)
    found = []
    skipped = set()  # field callables, and the inner links of a dotted name already looked at
    for node in ast.walk(tree):
        # Only a function named by its path: `default=apps.goals.status.Status["NOT_STARTED"]` is a
        # value taken from today's code (the string it stands for belongs in the migration).
        if isinstance(node, ast.keyword) and node.arg in FIELD_CALLABLES and _is_dotted_name(node.value):
            skipped.update(id(inner) for inner in ast.walk(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _is_project(node.module or ""):
            if not _is_migration(node.module or ""):
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                # `import apps.x.models` serves the field callables; its other uses are found below.
                if alias.name.startswith("jinan_targets") or (_is_project(alias.name) and alias.asname):
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Attribute) and id(node) not in skipped:
            skipped.update(id(inner) for inner in ast.walk(node))
            dotted = ast.unparse(node)
            if _is_project(dotted) and not _is_migration(dotted):
                found.append(f"line {node.lineno}: {dotted}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module"):
            module = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else "?"
            if not _is_migration(str(module)):
                found.append(f"line {node.lineno}: import_module({module!r})")
    return found


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_no_migration_uses_todays_project_code(path):
    assert live_code_used(path.read_text(encoding="utf-8")) == []


def test_every_app_has_migrations_checked():
    assert {path.parent.parent.name for path in MIGRATIONS} == {"digests", "goals", "public"}


@pytest.mark.parametrize(
    "source",
    [
        "from apps.public import triggers\n",
        "def run(apps, schema_editor):\n    from apps.goals.weblinks import web_url_or_blank\n",
        "import apps.goals.status\nfield = CharField(default=apps.goals.status.Status['NOT_STARTED'])\n",
        "import apps.goals.status\nstatuses = list(apps.goals.status.Status)\n",
        "from jinan_targets.routers import using\n",
        "import jinan_targets.settings\n",
        "import importlib\ntriggers = importlib.import_module('apps.public.triggers')\n",
    ],
)
def test_the_check_finds_live_code(source):
    assert live_code_used(source)


@pytest.mark.parametrize(
    "source",
    [
        "import apps.digests.models\nfield = CharField(default=apps.digests.models.new_unsubscribe_token)\n",
        "import apps.goals.models\nfield = FileField(upload_to=apps.goals.models.evidence_upload_path)\n",
        "import importlib\nfirst = importlib.import_module('apps.public.migrations.0001_data_version')\n",
        "def run(apps, schema_editor):\n    apps.get_model('goals', 'Goal')\n",
    ],
)
def test_the_check_lets_django_references_through(source):
    assert live_code_used(source) == []


def _migrate(database: Path, *targets: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    for target in targets or ("",):
        command = [sys.executable, "manage.py", "migrate", "--no-input", "-v0", *target.split()]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)


def _triggers(database: Path) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()


def test_an_existing_sqlite_database_migrates_forward_and_back_to_the_same_triggers(tmp_path):
    """A `make run` database made before the baseline columns (goals 0022, public 0003 with its triggers
    naming goals_goal) migrates forward: SQLite's table rebuilds must not trip over those triggers. It
    ends with the triggers a fresh database has, and going back restores the ones it had."""
    fresh, existing = tmp_path / "fresh.sqlite3", tmp_path / "existing.sqlite3"
    _migrate(fresh)
    _migrate(existing, "goals 0022", "public 0003")
    before = _triggers(existing)
    assert any("goals_goal" in sql for _, sql in before)

    _migrate(existing)
    assert _triggers(existing) == _triggers(fresh)

    _migrate(existing, "goals 0022")
    assert _triggers(existing) == before
