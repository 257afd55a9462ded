"""Middleware of core.

Language choice: Simplified Chinese unless the user picked another language on the site.
Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
English system would get an English government site nobody asked for. Here only the language
cookie (set by the switcher, /i18n/setlang/) changes the language.

NUL bytes: no text a person types holds one, and PostgreSQL refuses one in a text value (a
DataError, so a 500) wherever it reaches a query: a path, a search, a form field. A request
carrying one anywhere in its path, query string or form fields is answered 400 before any view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            from chengxin.core.views import error_response

            return error_response(request, 400, _("请求中含有不可见的控制字符（NUL），无法处理。"))
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return any("\x00" in key or "\x00" in value for key, value in request.POST.items())
    return False


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: work done later in the same thread starts from the default.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
