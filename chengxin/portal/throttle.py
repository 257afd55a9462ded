"""A per-address request budget for the public search and report endpoints (HTTP 429 past it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from chengxin.core.client_address import client_ip
from chengxin.core.views import error_response

View = Callable[..., HttpResponse]


def limited(scope: str) -> Callable[[View], View]:
    """Allow `settings.PORTAL_RATE_LIMITS[scope]` = (requests, seconds) per client address
    (`core.client_address.client_ip`: behind a trusted proxy, the client's own address)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            allowed, window = settings.PORTAL_RATE_LIMITS[scope]
            bucket = int(time.time() // window)
            key = f"portal-rate:{scope}:{client_ip(request)}:{bucket}"
            cache.add(key, 0, window + 1)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 1, window + 1)
                count = 1
            if count > allowed:
                return too_many(request, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def too_many(request: HttpRequest, window: int) -> HttpResponse:
    """HTTP 429 as every error here answers: a Chinese page, `{"error": "…"}` under /api/."""
    message = _("查询过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": window}
    response = error_response(request, 429, message)
    response["Retry-After"] = str(window)
    return response
