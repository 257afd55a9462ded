"""API tokens: issue one, and find the account a request's bearer token stands for."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import lru_cache
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from chengxin.accounts.models import ApiToken, Department, User, UserRole
from chengxin.core.loading import RowLoader

PREFIX = "cx_"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    user: User, name: str, *, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; the plaintext is returned once and never stored.

    No checks: `accounts.actions.create_api_token` is the action (who may, the expiry limits)."""
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name, prefix=token[:8], token_hash=digest(token), expires_at=expires_at
    )
    return record, token


def user_for_request(request: HttpRequest, *, now: datetime.datetime | None = None) -> User | None:
    """The active account behind `Authorization: Bearer <token>`, or None.

    None unless the token exists, is active and not expired (`expires_at` later than `now`, by
    default the current time), and its user is active. The account comes with its department;
    its roles (`User.roles`) are read when the permission check first asks.

    Every API request passes here, so the account and its department are read in one plain
    SQL statement with the token's rules in it (`core.loading.RowLoader`: the ORM's
    conversions, no query compilation; the ORM's three-table `select_related` cost a third of a
    credit check, `Manager.raw` for the two models two thirds of this).
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        return None
    now = now or timezone.now()
    params: list[Any] = [now - LAST_USED_RESOLUTION, digest(token.strip()), True, now, True]
    with connection.cursor() as cursor:
        cursor.execute(_user_by_token_sql(connection.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return None
    user = _USER.instance(row)
    department = row[_USER.width : _USER.width + _DEPARTMENT.width]
    user.department = _DEPARTMENT.instance(department) if department[0] is not None else None
    roles = row[-2]
    user.__dict__["roles"] = frozenset(roles.split(",")) if roles else frozenset()  # cached
    # Recorded to the minute: a write on every request would serialise the API on SQLite.
    stale_token = row[-1]
    if stale_token is not None:
        ApiToken.objects.filter(pk=stale_token).update(last_used_at=now)
    return user


_USER, _DEPARTMENT = RowLoader(User, "u"), RowLoader(Department, "d")


@lru_cache(maxsize=2)
def _user_by_token_sql(vendor: str) -> str:
    """The active user of an active, unexpired token (by its hash), its department (NULLs when
    it has none), its roles joined by commas (role codes have none), and the token's id when its
    last use is older than LAST_USED_RESOLUTION."""
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    departments, user_roles = Department._meta.db_table, UserRole._meta.db_table
    joined = "string_agg(r.role, ',')" if vendor == "postgresql" else "group_concat(r.role, ',')"
    return (
        f"SELECT {_USER.columns}, {_DEPARTMENT.columns},"  # noqa: S608 (names from _meta)
        f" (SELECT {joined} FROM {user_roles} r WHERE r.user_id = u.id),"
        " CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN t.id END"
        f" FROM {users} u JOIN {tokens} t ON t.user_id = u.id"
        f" LEFT JOIN {departments} d ON d.id = u.department_id"
        " WHERE t.token_hash = %s AND t.is_active = %s"
        " AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active = %s"
    )
