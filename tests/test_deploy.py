"""Production settings and failures of the services the site needs: `check --deploy` is clean with
the production environment documented in the README; the proxy header is trusted only when a
setting says so; a hung or missing database makes /healthz and the API answer JSON at once."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- production-environment -->\n```\n(.*?)```", readme, re.S).group(1)
    variables = dict(line.split("=", 1) for line in block.strip().splitlines())
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def inherited_environment() -> dict:
    """This process's environment without what tests set for themselves (the browser tests allow
    async-unsafe calls) or what would change the settings under test."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "SECURE_", "TRUST_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }


def run_django(code: str, **environment) -> subprocess.CompletedProcess:
    base = inherited_environment()
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "jinan_targets.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**inherited_environment(), **production_environment()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("trusted, secure", [("", False), ("true", True)])
def test_x_forwarded_proto_is_believed_only_when_a_proxy_is_declared(trusted, secure):
    environment = {**production_environment(), "TRUST_PROXY_HEADERS": trusted}
    result = run_django(
        "from django.test import RequestFactory\n"
        "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())",
        **environment,
    )
    assert result.stdout.strip() == str(secure), result.stderr


@pytest.fixture
def hung_database():
    """A port that accepts connections and never answers, as a database that hangs does."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    yield f"postgres://nobody@127.0.0.1:{listener.getsockname()[1]}/jinan"
    listener.close()
    for connection in held:
        connection.close()


def test_healthz_and_the_api_answer_json_503_when_the_database_hangs(hung_database):
    result = run_django(
        "import json\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "health = client.get('/healthz')\n"
        "api = client.get('/api/goals.json')\n"
        "print(json.dumps([health.status_code, health.json(), api.status_code, api.json()]))",
        DATABASE_URL=hung_database,
        DATABASE_CONNECT_TIMEOUT="1",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
    )
    health_status, health, api_status, api = json.loads(result.stdout.strip().splitlines()[-1])
    assert health_status == 503 and health["status"] == "down" and health["down"] == ["database"]
    assert health["database"].startswith("down: OperationalError") and health["cache"] == "ok"
    assert (api_status, api) == (503, {"error": "database unavailable, try again later"})


@pytest.mark.django_db
def test_healthz_names_every_service_when_all_is_well(client):
    health = client.get("/healthz").json()
    assert {key: health[key] for key in ("status", "database", "cache")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }
    assert set(health) == {"status", "database", "cache", "jobs", "late"}  # jobs: tests/test_jobs.py


@pytest.mark.django_db
def test_the_api_answers_json_for_an_unknown_address_and_a_crash(client, monkeypatch, settings):
    settings.DEBUG = False
    missing = client.get("/api/no-such-thing.json")
    assert (missing.status_code, missing.json()) == (404, {"error": "not found"})

    def crash(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("apps.public.api.filtered_goals", crash)
    client.raise_request_exception = False
    response = client.get("/api/goals.json")
    assert response.status_code == 503 and response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "setting, value",
    [
        ("lock_timeout", "3s"),  # a web request waits for a lock DATABASE_LOCK_TIMEOUT at most
        ("statement_timeout", "20s"),  # and for a statement DATABASE_STATEMENT_TIMEOUT, inside gunicorn's 30
        ("jit", "off"),  # no query is compiled just in time
    ],
)
def test_postgresql_connections_carry_the_applications_settings(setting, value):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value


@pytest.mark.parametrize(
    "argv, runs_jobs",
    [
        (["manage.py", "evaluate_goals"], True),
        (["/app/manage.py", "migrate", "--no-input"], True),
        (["manage.py", "shell"], True),
        (["manage.py", "runserver", "127.0.0.1:8000"], False),
        (["/venv/bin/django-admin", "load_reported_figures"], True),
        (["/venv/lib/python3.12/site-packages/django/__main__.py", "ingest_documents", "a.txt"], True),
        (["/venv/bin/django-admin", "runserver"], False),
        (["/usr/local/bin/celery", "-A", "jinan_targets", "worker"], True),
        (["/venv/lib/python3.12/site-packages/celery/__main__.py", "-A", "jinan_targets", "beat"], True),
        (["/usr/local/bin/gunicorn", "jinan_targets.wsgi"], False),
        (["/venv/lib/python3.12/site-packages/pytest/__main__.py", "-q"], False),
    ],
)
def test_jobs_and_commands_take_the_longer_database_timeouts_and_web_servers_the_short_ones(argv, runs_jobs):
    from jinan_targets.settings import _runs_jobs

    assert _runs_jobs(argv) is runs_jobs


def _postgresql_url() -> str:
    """The test database this process uses, for a subprocess to use too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db
def test_a_web_request_keeps_the_short_timeouts(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    assert client.get("/goals/").status_code == 200
    with connection.cursor() as cursor:  # the connection the request used
        assert [
            cursor.execute(f"SHOW {name}").fetchone()[0] for name in ("lock_timeout", "statement_timeout")
        ] == [
            "3s",
            "20s",
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("launcher", [["manage.py"], ["-m", "django"]], ids=["manage.py", "python -m django"])
def test_a_management_command_waits_longer_for_locks_and_statements_than_a_web_request(launcher):
    result = subprocess.run(
        [
            sys.executable,
            *launcher,
            "shell",
            "-c",
            "from django.db import connection\n"
            "with connection.cursor() as cursor:\n"
            "    for name in ('lock_timeout', 'statement_timeout'):\n"
            "        print(cursor.execute(f'SHOW {name}').fetchone()[0])",
        ],
        cwd=ROOT,
        env={
            **inherited_environment(),
            "DATABASE_URL": _postgresql_url(),
            "DJANGO_SETTINGS_MODULE": "jinan_targets.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-2:] == ["1min", "30min"], result.stderr


SHOW_SITE_URL = "from django.conf import settings\nprint(settings.SITE_URL)"


def test_links_point_at_the_served_port_without_site_url():
    environment = {k: v for k, v in inherited_environment().items() if k != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_SITE_URL],
        cwd=ROOT,
        env={**environment, "PORT": "8765"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8765", result.stderr


@pytest.fixture
def data_version_locked(transactional_db):
    """Another session holding the lock a migration or a bulk job might take on the public data
    version, which every public page reads first; released when the test ends."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL lock")
    held, release, errors = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE public_dataversion IN ACCESS EXCLUSIVE MODE")
                held.set()
                release.wait(timeout=60)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            held.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=10) and not errors, errors
    yield
    release.set()
    holder.join(timeout=10)


def test_healthz_answers_503_within_5_seconds_while_another_session_holds_the_data_versions_lock(
    data_version_locked, client
):
    started = time.monotonic()
    answer = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed
    assert answer.status_code == 503
    health = answer.json()
    assert health["status"] == "down" and health["down"] == ["database"]
    assert "lock timeout" in health["database"]


@pytest.mark.parametrize("path", ["/", "/goals/", "/en/goals/"])
def test_a_public_page_says_the_site_is_busy_within_5_seconds_while_the_lock_is_held(
    data_version_locked, client, path
):
    client.raise_request_exception = False
    started = time.monotonic()
    answer = client.get(path)
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed
    assert answer.status_code == 503 and answer["Retry-After"] == "10"
    assert "网站暂时繁忙" in answer.content.decode() and "The site is busy" in answer.content.decode()
