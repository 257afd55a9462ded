"""Rendered public pages in Django's cache, invalidated by a *public data version*.

The subject page, the home page and the statistics page are kept in the cache (Redis in
production, files in the embedded default) under a key made of the page, the language, today's
date and the public data version:

- the **public data version** is a token in the cache that `bump_public_version()` replaces. Any
  change to what the public sees must call it, inside the transaction that makes the change: it
  waits for the commit (`transaction.on_commit`), so that a rolled-back change bumps nothing and a
  page rendered from the new version's key can only have read committed data. Callers today:
  `publicity.actions` (submit when it publishes at once, publish, correct, withdraw, the severity
  class) and `imports.pipeline` (a finished batch). **Other apps whose data appears on a public page
  call it too** — list memberships (联合奖惩), credit repair (信用修复), anything added later;
- **today's date** is in the key, so a penalty whose publicity period ended yesterday leaves the
  cached pages at midnight (`publicly_visible(today)` decides; no job runs);
- a TTL, `settings.PORTAL_PAGE_CACHE_SECONDS`, bounds what a missed bump could leave in place,
  and how stale the figures of the home and statistics pages (cached on their own) can look.

Only anonymous GET/HEAD requests without a session or messages cookie read or fill the cache:
a staff member's page shows their menu and messages and is rendered for them. The pages contain
no personal state except the CSRF token of the site-wide language form (base.html): the cached
HTML holds a placeholder that each response replaces with the visitor's own token.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

VERSION_KEY = "portal:public-version"
DEFAULT_SECONDS = 300  # when settings.py has no PORTAL_PAGE_CACHE_SECONDS
PAGE_KEY = "portal:page:v1:{name}:{language}:{day}:{version}:{digest}"
# Rendered where {% csrf_token %} puts the token; replaced per response (letters only, so no
# escaping changes it, and nothing a page shows can contain it).
CSRF_PLACEHOLDER = "chengxinCsrfTokenPlaceholderQ7v2Xk"


def public_version() -> str:
    """The current public data version (a new one when the cache lost it: never an old one)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "none"
    return str(version)


def bump_public_version() -> None:
    """Mark every cached public page stale once the current transaction commits (at once
    outside a transaction). Actions that change what the public sees do not call it: they send
    core.public_data.public_data_changed, which `rebuild_on_change` receives."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def rebuild_on_change(**_kwargs: object) -> None:
    """Receiver of core.public_data.public_data_changed (connected in PortalConfig.ready)."""
    bump_public_version()


def is_cacheable(request: HttpRequest) -> bool:
    """Anonymous visitors' GET/HEAD requests: nothing on their page is theirs (but the token)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_key(request: HttpRequest, name: str) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return PAGE_KEY.format(
        name=name,
        language=language,
        day=timezone.localdate().isoformat(),
        version=public_version(),
        digest=digest,
    )


def cached_page(
    request: HttpRequest, name: str, render_page: Callable[[dict[str, Any]], HttpResponse]
) -> HttpResponse:
    """The page `render_page(extra_context)` renders, from the cache when it may be.

    `render_page` must render its template with `extra_context` added to its context (it holds
    the CSRF placeholder). Only a 200 response is stored.
    """
    if not is_cacheable(request):
        return render_page({})
    key = page_key(request, name)
    stored = cache.get(key)
    if stored is None:
        response = render_page({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200 or response.streaming:
            return response
        stored = (response["Content-Type"], response.content)
        cache.set(key, stored, getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))
    content_type, body = stored
    token = get_token(request).encode()
    return HttpResponse(body.replace(CSRF_PLACEHOLDER.encode(), token), content_type=content_type)
