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
    (`core.client_address.client_ip`: behind a trusted proxy, the client's own address).

    A sliding window: the requests of the current fixed window plus the previous window's,
    weighted by how much of it still lies within the last `seconds`. A fixed window alone let a
    client spend its budget twice across a window boundary (and made the tests depend on
    where in the minute they ran)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            allowed, window = settings.PORTAL_RATE_LIMITS[scope]
            if requests_in_window(f"portal-rate:{scope}:{client_ip(request)}", window) > allowed:
                return too_many(request, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def requests_in_window(prefix: str, window: int) -> float:
    """Count this request and return the estimated number of requests in the last `window`
    seconds under `prefix`."""
    now = time.time()
    bucket, into = divmod(now, window)
    key = f"{prefix}:{int(bucket)}"
    lifetime = 2 * window + 1  # the window's count is read again during the next window
    cache.add(key, 0, lifetime)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, lifetime)
        count = 1
    # Backends without an atomic increment (the file cache) re-store the value with the default
    # timeout of five minutes, which cut an hour's budget short.
    cache.touch(key, lifetime)
    previous: int = cache.get(f"{prefix}:{int(bucket) - 1}", 0)
    return float(count + previous * (1 - into / window))


def too_many(request: HttpRequest, window: int) -> HttpResponse:
    """HTTP 429 as every error here answers: a Chinese page, `{"error": "…"}` under /api/."""
    message = _("查询过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": window}
    response = error_response(request, 429, message)
    response["Retry-After"] = str(window)
    return response
