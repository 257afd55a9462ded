"""API tokens: issue one, and find the account a request's bearer token stands for."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.http import HttpRequest
from django.utils import timezone

from chengxin.accounts.models import ApiToken, User

PREFIX = "cx_"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plaintext is returned once and never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name, prefix=token[:8], token_hash=digest(token)
    )
    return record, token


def user_for_request(request: HttpRequest, *, now: datetime.datetime | None = None) -> User | None:
    """The active account behind `Authorization: Bearer <token>`, or None.

    None unless the token exists, is active and not expired (`expires_at` later than `now`, by
    default the current time), and its user is active. The token is found by its hash alone,
    with its user and department (the unique index answers it); the rules are applied here, in
    Python, which costs less than compiling them into the query on every request.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        return None
    tokens = ApiToken.objects.select_related("user__department")
    found = next(iter(tokens.filter(token_hash=digest(token.strip()))[:1]), None)
    now = now or timezone.now()
    if found is None or not (found.is_active and found.user.is_active):
        return None
    if found.expires_at is not None and found.expires_at <= now:
        return None
    # Recorded to the minute: a write on every request would serialise the API on SQLite.
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
