"""The staff idle timeout without a session write on every request.

Writing the session on every request (SESSION_SAVE_EVERY_REQUEST) put a write, and on SQLite the
database's one write lock, in every staff page and every progress poll: behind a long import
they waited, and failed. This middleware writes the session at most once per
SESSION_REFRESH_SECONDS (default 2 minutes) and ends it when it has not been refreshed for
SESSION_IDLE_TIMEOUT_SECONDS (default 30 minutes).

Exact effective window: a request at time t leaves the last refresh r with t - N < r <= t
(N = SESSION_REFRESH_SECONDS); the session ends at the first request after r + T
(T = SESSION_IDLE_TIMEOUT_SECONDS). So a session idle for more than T is always ended, and one
idle for less than T - N never is: with the defaults, 30 minutes without a request always logs
out, 28 never does, and in between it depends on where the last refresh fell. The stored session
itself expires at r + T + N (SESSION_COOKIE_AGE), after this middleware has ended it, so the
database's expiry only cleans up sessions nobody comes back to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

REFRESHED_AT = "_chengxin_refreshed_at"


def mark_refreshed_on_login(sender: Any, request: HttpRequest, user: Any, **_: Any) -> None:
    """`user_logged_in`: the login writes the session anyway, so it counts as the first refresh
    (connected in AccountsConfig.ready; session bookkeeping, not a domain effect)."""
    if hasattr(request, "session"):
        request.session[REFRESHED_AT] = time.time()


class SessionRefreshMiddleware:
    """After AuthenticationMiddleware: logs out an idle session, refreshes an active one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = time.time()
        if SESSION_KEY in session:
            refreshed = session.get(REFRESHED_AT)
            if refreshed is not None and now - refreshed > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)  # flushes the session; audited as 退出 (audit.receivers)
        response = self.get_response(request)
        if SESSION_KEY in session:  # logged in (a session from before this middleware: no time)
            refreshed = session.get(REFRESHED_AT)
            if refreshed is None or now - refreshed >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: SessionMiddleware saves it
        return response
