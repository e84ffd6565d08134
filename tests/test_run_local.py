"""`make run`'s processes for real (jinan_targets/run_local.py): the dev server, a Celery worker and
Celery beat on a fresh SQLite file and the folder broker. Beat sends the daily evaluation as it starts,
the worker runs it, /healthz says so, and SIGINT (Ctrl-C) stops all three."""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.worker
PROJECT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def local_site(tmp_path):
    """A fresh SQLite file with one goal nobody has judged yet, and the environment `make run` gives."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"))
    }
    environment |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "PORT": str(free_port()),
    }

    def manage(*arguments):
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--no-input")
    manage("install_schedule")
    manage("shell", "-c", "from tests.factories import GoalFactory\nGoalFactory(slug='judged-by-the-worker')")
    return environment, manage


def processes_with(marker: str) -> list[int]:
    """The processes whose environment carries `marker` (this test's broker folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def healthz(port: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return json.load(answer)
    except OSError:
        return None


def test_make_runs_command_serves_the_site_runs_the_daily_evaluation_under_beat_and_stops_on_ctrl_c(
    local_site, tmp_path
):
    environment, manage = local_site
    port = environment["PORT"]
    log = tmp_path / "run.log"
    with log.open("w") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "jinan_targets.run_local", f"127.0.0.1:{port}"],
            cwd=PROJECT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        health = None
        while time.monotonic() < deadline:
            health = healthz(port)
            if health and health["jobs"]["evaluate-all-goals-daily"]["last_success"]:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"no daily evaluation within {WAIT_SECONDS} s: {health}\n{log.read_text()[-4000:]}")
    finally:
        supervisor.send_signal(signal.SIGINT)
        try:
            returncode = supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            supervisor.kill()
            raise

    daily = health["jobs"]["evaluate-all-goals-daily"]
    assert daily["state"] == "ok" and health["status"] == "ok"
    output = log.read_text()
    assert "beat: sending evaluate-all-goals-daily, missed since its last success" in output
    assert "Task apps.goals.tasks.evaluate_all_goals[" in output and "succeeded" in output
    judged = manage(
        "shell",
        "-c",
        "from apps.goals.models import Goal\n"
        "print(Goal.objects.get(slug='judged-by-the-worker').status_evaluated_on)",
    )
    # judged by the worker, on the day of the job's success
    assert datetime.date.fromisoformat(judged.split()[-1]).isoformat() == daily["last_success"][:10]
    assert returncode == 0, output[-4000:]
    assert processes_with(environment["CELERY_BROKER_FOLDER"]) == []  # web, worker and beat are gone
    assert healthz(port) is None
