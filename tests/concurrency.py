"""Running one piece of work from several threads at once, each on its own database connection."""

import threading

from django.db import connection


def run_at_once(work, times=2, timeout=30):
    """Call `work()` from `times` threads started together; return (results, errors)."""
    start = threading.Barrier(times)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(work())
        except Exception as error:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
