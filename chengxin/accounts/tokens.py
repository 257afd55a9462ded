"""API tokens: issue one, and find the account a request's bearer token stands for."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import lru_cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from chengxin.accounts.models import ApiToken, Department, User

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
    default the current time), and its user is active. The account comes with its department;
    its roles (`User.roles`) are read when the permission check first asks.

    Every API request passes here, so the rows are read with raw SQL (`Manager.raw`: the model's
    own conversions, no query compilation; the ORM's compilation of a three-table
    `select_related` cost a third of a credit check), the token's rules in the statement.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        return None
    now = now or timezone.now()
    params = [now - LAST_USED_RESOLUTION, digest(token.strip()), True, now, True]
    user = next(iter(User.objects.raw(_user_by_token_sql(), params)), None)
    if user is None:
        return None
    user.department = (
        _first(Department, "id", user.department_id) if user.department_id is not None else None
    )
    # Recorded to the minute: a write on every request would serialise the API on SQLite.
    stale_token = getattr(user, "stale_token_id", None)
    if stale_token is not None:
        ApiToken.objects.filter(pk=stale_token).update(last_used_at=now)
    return user


@lru_cache(maxsize=1)
def _user_by_token_sql() -> str:
    """The active user of an active, unexpired token (by its hash); `stale_token_id` is the
    token's id when its last use is older than LAST_USED_RESOLUTION, else NULL."""
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    return (
        f"SELECT u.*, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN t.id END"  # noqa: S608 (names from _meta)
        f" AS stale_token_id FROM {users} u JOIN {tokens} t ON t.user_id = u.id"
        " WHERE t.token_hash = %s AND t.is_active = %s"
        " AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active = %s"
    )


M = TypeVar("M", bound=Model)


def _first(model: type[M], column: str, value: object) -> M | None:
    """The row of `model` whose unique `column` is `value`, loaded by `Manager.raw`."""
    table = connection.ops.quote_name(model._meta.db_table)
    rows = model._default_manager.raw(f"SELECT * FROM {table} WHERE {column} = %s", [value])  # noqa: S608 (names from _meta and this module)
    return next(iter(rows), None)
