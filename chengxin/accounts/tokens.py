"""API tokens: issue one, and find the account a request's bearer token stands for."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db.models import Q
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


def user_for_request(request: HttpRequest) -> User | None:
    """The active account behind `Authorization: Bearer <token>`, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        return None
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(token_hash=digest(token.strip()), is_active=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if found is None:
        return None
    # Recorded to the minute: a write on every request would serialise the API on SQLite.
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
