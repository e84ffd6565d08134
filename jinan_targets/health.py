"""Liveness for the container health check and monitors: the app answers, and says in JSON which of
the services it needs (the database, the cache) are down. Each check is bounded by the timeouts in
settings (DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT, CACHE_TIMEOUT)."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache does not keep what it is given")


CHECKS = {"database": _database, "cache": _cache}


def healthz(request):
    """{"status": "ok", "database": "ok", "cache": "ok"} with 200, or "status": "down" with 503 and
    "down": [the services that failed], each failed service saying why."""
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
    if down:
        return JsonResponse({"status": "down", "down": down, **answer}, status=503)
    return JsonResponse({"status": "ok", **answer})
