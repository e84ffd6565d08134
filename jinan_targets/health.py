"""Liveness for the container health check and monitors: the app answers, says in JSON which of the
services it needs (the database, the cache) are down, and when each periodic job last succeeded.

The database check reads what every public page reads first, the public data version, on the
connection pages use (the replica, when there is one). It is bounded by the web's database timeouts
(DATABASE_CONNECT_TIMEOUT, DATABASE_LOCK_TIMEOUT, DATABASE_STATEMENT_TIMEOUT), so a held lock or a hung
database answers 503 within seconds, as the pages do; the cache check by CACHE_TIMEOUT."""

import logging

from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone

from apps.public.caching import read_data_version
from jinan_targets.routers import public_reads

from .jobs import State, jobs_status

logger = logging.getLogger(__name__)


def _database() -> None:
    with public_reads():
        read_data_version()


def _cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache does not keep what it is given")


CHECKS = {"database": _database, "cache": _cache}


def healthz(request):
    """{"status": "ok", "database": "ok", "cache": "ok", "jobs": {…}, "late": […]} with 200, or
    "status": "down" with 503 and "down": [the services that failed], each failed service saying why
    (then without the jobs, which are read from the database). A late job does not make the answer a
    503: the site still serves, and "late" names the jobs to look at."""
    answer, down = {}, []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # whatever broke, the answer must name it rather than be a 500
            logger.warning("healthz: %s is down: %s", name, error)
            answer[name] = f"down: {type(error).__name__}: {str(error).strip()[:200]}"
            down.append(name)
        else:
            answer[name] = "ok"
    statuses = []
    if "database" not in down:
        try:
            statuses = jobs_status(now=timezone.now())
        except Exception as error:  # the jobs' table is in the same database: count it as down
            logger.warning("healthz: the jobs' runs could not be read: %s", error)
            answer["database"] = f"down: {type(error).__name__}: {str(error).strip()[:200]}"
            down.insert(0, "database")
    if down:
        return JsonResponse({"status": "down", "down": down, **answer}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            **answer,
            "jobs": {status.job.name: status.as_json() for status in statuses},
            "late": [status.job.name for status in statuses if status.state == State.LATE],
        }
    )
