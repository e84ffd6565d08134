"""HTTP caching for public pages: an ETag from the data version, the language, the day and the code,
so a browser or proxy revalidates cheaply and gets 304 Not Modified while nothing has changed."""

import hashlib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from .selectors import data_version


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


def page_etag(request, *args, **kwargs) -> str:
    # The day is part of it because pages show what is due from today on.
    key = "|".join(
        [CODE_VERSION, translation.get_language() or "", str(timezone.localdate()), data_version()]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def public_page(view):
    """ETag + 304 for a public GET view; caches must revalidate before reusing a copy."""
    conditional = condition(etag_func=page_etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        patch_cache_control(response, no_cache=True)
        # The language comes from the django_language cookie or Accept-Language.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper
