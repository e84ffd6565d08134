"""Chinese first: the site speaks Chinese until the reader picks English with the language switch
(a cookie), whatever language the browser prefers. The switch is one click on every page."""


def chinese_first(get_response):
    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
