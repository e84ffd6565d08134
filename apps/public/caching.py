"""Public pages served from the shared cache, keyed by the public data version.

Every public GET reads one small row, the public data version (models.DataVersion, kept by database
triggers), and nothing else before it knows whether it may answer from a cache:
- the ETag is made of the code version, the language, the day (pages show what is due from today on)
  and the data version; a client or proxy holding it gets 304 Not Modified;
- otherwise the page is looked up in the cache under the same parts plus the path and query string,
  and rendered and stored only when missing.
The version is read before anything else on the page, in its own autocommit query, so a page stored
under a version never holds data older than that version; a change committed later gets a new number
and so a new key: an approval is visible on the next request. Drafts are not part of the version, so
saving one changes neither the ETag nor the cache (issue 9, item 14)."""

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache, wraps
from pathlib import Path
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from jinan_targets.routers import public_reads, read_database

from .models import DataVersion

logger = logging.getLogger(__name__)


def _code_version() -> str:
    """Changes when the public templates, code, translations or static files change (a deploy)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    roots = [
        base / "apps" / "public",
        base / "templates" / "public",
        base / "templates" / "base.html",
        base / "locale",
        base / "static" / "public",
    ]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.suffix in (".py", ".html", ".mo", ".css", ".js"):
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


@dataclass(frozen=True)
class Version:
    """What a public page depends on besides its URL."""

    number: int
    changed_at: datetime
    language: str
    day: date

    @property
    def etag(self) -> str:
        return _validators(self)[0]

    @property
    def last_modified(self) -> datetime:
        """The later of the last public change and the start of today (pages change with the day)."""
        return _validators(self)[1]


@lru_cache(maxsize=64)
def _validators(version: Version) -> tuple[str, datetime, str]:
    """The ETag, Last-Modified and its header text of a version: worked out once per version, not on
    every request."""
    key = f"{CODE_VERSION}|{version.language}|{version.day}|{version.number}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    start_of_day = timezone.make_aware(datetime.combine(version.day, time.min))
    last_modified = max(version.changed_at, start_of_day)
    return etag, last_modified, http_date(last_modified.timestamp())


_VERSION_SQL = f"SELECT number, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# This process's last reading of the version, reused for PUBLIC_VERSION_REUSE_SECONDS (default 0:
# never, so every request sees every committed change).
_last_reading: list = [0.0, None]


def data_version() -> tuple[int, datetime]:
    """The public data version number and when it last changed: one primary-key read, in plain SQL
    because it runs on every public request, 304s and cache hits included."""
    reuse = settings.PUBLIC_VERSION_REUSE_SECONDS
    if reuse and _last_reading[1] is not None and monotonic() - _last_reading[0] < reuse:
        return _last_reading[1]
    reading = read_data_version()
    _last_reading[:] = [monotonic(), reading]
    return reading


def read_data_version() -> tuple[int, datetime]:
    """The public data version read from the database now (data_version, without reuse); /healthz
    reads it too, so it is down exactly when the pages are."""
    row = _read_version_row(connections[read_database()])
    if row is None:  # a database emptied by hand (flush) has no row until the next public write
        row = (0, _EPOCH)
    number, changed_at = row
    if not isinstance(changed_at, datetime):  # SQLite may hand back text, and naive UTC times
        changed_at = datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=UTC)
    return number, changed_at


def _read_version_row(connection):
    """The read is its own health check: Django's (CONN_HEALTH_CHECKS) would cost a second round trip
    on every request. A kept connection that has died fails here; it is closed and the read is tried
    once more on a new one, as the health check would have done."""
    for attempt in (1, 2):
        if connection.connection is not None and not connection.in_atomic_block:
            connection.health_check_done = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(_VERSION_SQL)
                return cursor.fetchone()
        except DatabaseError:
            # A lock or statement timeout on a live connection is not retried: waiting again would
            # double the time a page takes to say the database is busy.
            if attempt == 2 or connection.in_atomic_block or connection.is_usable():
                raise
            logger.info("the kept database connection was unusable; reconnecting")
            connection.close()


def current_version() -> Version:
    number, changed_at = data_version()
    return Version(
        number=number,
        changed_at=changed_at,
        language=translation.get_language() or "",
        day=timezone.localdate(),
    )


def page_cache_key(request, version: Version) -> str:
    # The host too: the API and downloads build their links from the address they were asked at.
    path = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()[:32]
    return f"public:{version.etag.strip(chr(34))}:{request.method == 'HEAD'}:{path}"


def _finish(response, version: Version):
    etag, _, last_modified = _validators(version)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    # Browsers revalidate every time (a 304 costs one primary-key read); a shared cache (CDN,
    # reverse proxy) may keep a copy PUBLIC_SHARED_MAX_AGE seconds, then revalidates too.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
        must_revalidate=True,
    )
    return response


def public_page(view):
    """Marks a public GET view whose answer depends only on its URL and the public data version; the
    middleware below answers it from the cache. Its own reads go to the read replica when one is
    configured."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with public_reads():
            return view(request, *args, **kwargs)

    wrapper.public_page = True
    return wrapper


def public_pages_from_cache(get_response):
    """Answers GET and HEAD of public_page views before sessions, CSRF, authentication and the view
    run: the version first, then 304, then this process's copy, then the shared cache, and only then
    the rest of the request, whose answer is stored. It sits after the language middleware, so the
    language (part of the key) comes from the address."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or not _is_public_page(request):
            return get_response(request)
        with public_reads():
            version = current_version()
        not_modified = get_conditional_response(
            request, etag=version.etag, last_modified=version.last_modified.timestamp()
        )
        if not_modified is not None:
            return _finish(not_modified, version)
        key = page_cache_key(request, version)
        stored = local_pages.get(version.number, key)
        if stored is None:
            stored = _cache_call(cache.get, key)
            if stored is not None:
                local_pages.put(version.number, key, stored)
        if stored is not None:
            return _finish(_response_from(stored), version)
        response = get_response(request)
        if _storable(request, response):
            stored = _stored_form(response)
            _cache_call(cache.set, key, stored, settings.PUBLIC_CACHE_SECONDS)
            local_pages.put(version.number, key, stored)
        return _finish(response, version)

    return middleware


def _is_public_page(request) -> bool:
    """Whether the address is a public_page view's, remembered per address (the answer depends on the
    address and the language, which the address carries)."""
    key = (request.path_info, getattr(request, "urlconf", None))
    known = _public_addresses.get(key)
    if known is None:
        try:
            match = resolve(request.path_info, urlconf=key[1])
            known = getattr(match.func, "public_page", False)
        except Resolver404:
            known = False
        if len(_public_addresses) >= 10_000:
            _public_addresses.clear()
        _public_addresses[key] = known
    return known


_public_addresses: dict[tuple, bool] = {}


def _storable(request, response) -> bool:
    """Only whole 200 answers that are the same for everyone: streamed downloads are produced afresh
    (they still answer 304 while unchanged), and an answer that read the session, sets a cookie or
    varies by one is somebody's own."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        and not (session is not None and session.accessed)
    )


def _stored_form(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.items()), response.content


def _response_from(stored) -> HttpResponse:
    status, headers, content = stored
    return HttpResponse(content, status=status, headers=dict(headers))


class LocalPages:
    """This process's copies of pages of the current data version, up to a number of bytes, the
    least recently used dropped first. A change of version empties it: every key it holds is dead.
    It saves the shared cache's round trip on the pages asked for most."""

    def __init__(self) -> None:
        self.number: int | None = None
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0

    def clear(self) -> None:
        self.number = None
        self.pages.clear()
        self.size = 0

    def get(self, number: int, key: str):
        if number != self.number:
            return None
        stored = self.pages.get(key)
        if stored is not None:
            self.pages.move_to_end(key)
        return stored

    def put(self, number: int, key: str, stored: tuple) -> None:
        limit = settings.PUBLIC_LOCAL_CACHE_BYTES
        size = len(stored[2])
        if size > limit // 4:
            return
        if number != self.number:
            self.clear()
            self.number = number
        if key in self.pages:
            return
        self.pages[key] = stored
        self.size += size
        while self.size > limit:
            _, dropped = self.pages.popitem(last=False)
            self.size -= len(dropped[2])


local_pages = LocalPages()


def _cache_call(method, *args):
    """A cache that is down or slow (CACHE_TIMEOUT) costs a render, never the page."""
    try:
        return method(*args)
    except Exception:
        logger.warning("the page cache did not answer", exc_info=True)
        return None
