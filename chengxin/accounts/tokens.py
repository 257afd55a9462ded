"""API tokens: issue one, and find the account a request's bearer token stands for."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from chengxin.accounts.models import ApiToken, Department, User

PREFIX = "cx_"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
TOKEN_COLUMNS = ("id", "is_active", "expires_at", "last_used_at")


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
    default the current time), and its user is active. One query by the token's hash brings the
    token, its user, the user's department and roles (a LEFT JOIN, one row per role); the rules
    are applied here in Python. Every API request passes here, and compiling the ORM query with
    its OR on the expiry, then a second query for the roles, cost more than the matching itself.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX):
        return None
    rows = _token_rows(digest(token.strip()))
    if not rows:
        return None
    now = now or timezone.now()
    first = rows[0]
    token_id, is_active, expires_at, last_used_at = _values(ApiToken, TOKEN_COLUMNS, first, 0)
    user = _user(first)
    if not (is_active and user.is_active) or (expires_at is not None and expires_at <= now):
        return None
    # Recorded to the minute: a write on every request would serialise the API on SQLite.
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    user.__dict__["roles"] = frozenset(row[-1] for row in rows if row[-1] is not None)
    return user


def _user(row: Sequence[Any]) -> User:
    """The user of a token row, with its department in the relation cache."""
    user_fields, department_fields = _fields(User), _fields(Department)
    start = len(TOKEN_COLUMNS)
    user_values = _values(User, user_fields, row, start)
    user = User.from_db(connection.alias, user_fields, user_values)
    start += len(user_fields)
    department = None
    if user.department_id is not None:
        department_values = _values(Department, department_fields, row, start)
        department = Department.from_db(connection.alias, department_fields, department_values)
    user._state.fields_cache["department"] = department
    return user


def _token_rows(token_hash: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [token_hash])
        return list(cursor.fetchall())


@cache
def _token_sql() -> str:
    def columns(model: type[models.Model], alias: str, names: Sequence[str]) -> list[str]:
        return [f"{alias}.{quote(_field(model, name).column)}" for name in names]

    quote = connection.ops.quote_name
    selected = [
        *columns(ApiToken, "t", TOKEN_COLUMNS),
        *columns(User, "u", _fields(User)),
        *columns(Department, "d", _fields(Department)),
        "r.role",
    ]
    return (
        f"SELECT {', '.join(selected)} FROM accounts_apitoken t"  # noqa: S608 (names from _meta)
        " JOIN accounts_user u ON u.id = t.user_id"
        " LEFT JOIN accounts_department d ON d.id = u.department_id"
        " LEFT JOIN accounts_userrole r ON r.user_id = u.id"
        " WHERE t.token_hash = %s"
    )


@cache
def _fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _values(
    model: type[models.Model], names: Sequence[str], row: Sequence[Any], start: int
) -> list[Any]:
    """`row[start:]` converted as the ORM converts a column of `model` (SQLite gives datetimes
    without a time zone and booleans as integers)."""
    return [
        convert(value)
        for convert, value in zip(_converters(model, tuple(names)), row[start:], strict=False)
    ]


@cache
def _converters(model: type[models.Model], names: tuple[str, ...]) -> list[Callable[[Any], Any]]:
    result: list[Callable[[Any], Any]] = []
    for name in names:
        column = _field(model, name).get_col(model._meta.db_table)
        steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)

        def convert(value: Any, steps: list[Any] = steps, column: Any = column) -> Any:
            for step in steps:
                value = step(value, column, connection)
            return value

        result.append(convert)
    return result
