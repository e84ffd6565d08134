"""Chinese first, English one link away: the language is the URL's (`/en/…` is English, every other
path Chinese), never a cookie or the browser's Accept-Language, so a public page is the same for
everyone who asks for its URL and can be cached and shared as it is."""

from django.conf import settings
from django.utils import translation


def language_from_path(get_response):
    def middleware(request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware
