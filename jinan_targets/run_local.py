"""`make run`: the dev server, a Celery worker and Celery beat as one command.

    python -m jinan_targets.run_local [ADDRESS:PORT]

The three share the local broker (a folder, settings.CELERY_BROKER_FOLDER, unless CELERY_BROKER_URL
names another) and the database. Tasks go to the worker rather than running in the request
(CELERY_TASK_ALWAYS_EAGER=false). Each line of output is prefixed with the process that printed it.
Ctrl-C (or SIGTERM) stops all three; if one of them exits, the others are stopped too."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 10  # how long each process may take to stop before it is killed


def commands(address: str) -> dict[str, list[str]]:
    celery = [sys.executable, "-m", "celery", "-A", "jinan_targets"]
    return {
        "web": [sys.executable, "manage.py", "runserver", address],
        # One process: the jobs of a local site are small, and SQLite takes one writer at a time.
        "worker": [
            *celery,
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        "beat": [*celery, "beat", "--loglevel=INFO"],
    }


def _relay(name: str, stream, lock: threading.Lock) -> None:
    for line in iter(stream.readline, ""):
        with lock:
            sys.stdout.write(f"{name:<6} | {line}")
            sys.stdout.flush()


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the process and whatever it started (runserver's reloaded server, the worker's pool)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # already gone
        pass


def run(address: str) -> int:
    environment = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONUNBUFFERED": "1"}
    lock = threading.Lock()
    processes: dict[str, subprocess.Popen] = {}
    stopping = threading.Event()

    def stop(*_signal_args) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in commands(address).items():
        processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Their own process group: Ctrl-C reaches them once, from here, in order.
            start_new_session=True,
        )
        threading.Thread(target=_relay, args=(name, processes[name].stdout, lock), daemon=True).start()

    exited = None
    while not stopping.is_set() and exited is None:
        exited = next((name for name, process in processes.items() if process.poll() is not None), None)
        stopping.wait(0.5)
    if exited:
        print(f"{exited} exited with status {processes[exited].returncode}; stopping the others", flush=True)
    for process in processes.values():
        # Each stops its own children: the worker its pool, runserver its reloaded server.
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.wait()
    return 1 if exited else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
