"""Error answers: the JSON API (/api/) answers errors in JSON, like everything else it says; pages get
the site's 404 and 500 pages. A database that is down or too slow is a 503, not a 500."""

import sys

from django.db import DatabaseError
from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(payload, status):
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def page_not_found(request, exception):
    if _api(request):
        return _json({"error": "not found"}, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    error = sys.exc_info()[1]  # Django calls this while handling the exception
    if isinstance(error, DatabaseError):
        if _api(request):
            return _json({"error": "database unavailable, try again later"}, 503)
        # A held lock or a slow database (the web's DATABASE_LOCK_TIMEOUT, DATABASE_STATEMENT_TIMEOUT)
        # is a page saying the site is busy, which a reload may cure.
        response = defaults.server_error(request, template_name="503.html")
        response.status_code = 503
        response["Retry-After"] = "10"
        return response
    if _api(request):
        return _json({"error": "server error"}, 500)
    return defaults.server_error(request)
