"""Fast bulk insert of many rows given as dicts of column values.

Django's `bulk_create()` builds a model instance per row and, on SQLite, splits inserts into
statements of 999 parameters (20 rows of a 50-column table). For imports of hundreds of thousands
of rows this module sends one `executemany` (SQLite) or one `COPY … FROM STDIN` (PostgreSQL),
converting values with each field's own database preparation. Signals are not sent: callers write
their audit entries themselves (see imports.pipeline).
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from django.db import connection, models

PREPARED_TYPES = (
    models.DateField,
    models.DecimalField,
    models.GenericIPAddressField,  # "" is stored as NULL, IPv6 in its normal form
    models.JSONField,
    models.UUIDField,
)


def _columns(model: type[models.Model], with_pk: bool = False) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if with_pk or not f.primary_key or not isinstance(f, models.AutoField)
    ]


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):  # dicts and lists: not hashable, nothing to reuse
        if connection.vendor == "sqlite":  # what the SQLite backend's adapt_json_value does
            encoder = field.encoder
            return lambda value: None if value is None else json.dumps(value, cls=encoder)
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    if isinstance(field, PREPARED_TYPES):  # DateTimeField is a DateField
        # Dates, timestamps and amounts repeat across an import's rows: prepare each value once.
        @lru_cache(maxsize=8192)
        def prepare(value: Any) -> Any:
            return None if value is None else field.get_db_prep_save(value, connection)

        return prepare
    return None


def insert_rows(
    model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, with_pk: bool = False
) -> int:
    """Insert `rows` (attname → value; missing columns take the field default). Returns the count.

    `with_pk`: the rows carry their primary key (ids reserved with `reserve_ids`)."""
    fields, values_of = _row_values(model, with_pk, connection.vendor)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = map(values_of, rows)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
                    count += 1
        else:
            batch = list(values)
            placeholders = ", ".join(["?"] * len(fields))
            # The driver's own cursor (Django's wrapper would rewrite the placeholders).
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608 (names from _meta)
            cursor.cursor.executemany(sql, batch)
            count = len(batch)
    return count


def insert_row(model: type[models.Model], row: Mapping[str, Any]) -> int:
    """Insert one row as `insert_rows` does, in one statement, and return its new primary key.

    For a hot path that stores one row: no query compilation, no model instance, no signals
    (the caller writes its audit entry). The statement and the row preparation are built once
    per model and database engine."""
    sql, returning, values_of = _single_insert(model, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, values_of(row))
        return int(cursor.fetchone()[0] if returning else cursor.lastrowid)


@cache
def _single_insert(
    model: type[models.Model], vendor: str
) -> tuple[str, bool, Callable[[Mapping[str, Any]], tuple[Any, ...]]]:
    fields, values_of = _row_values(model, False, vendor)
    quote = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)}"  # noqa: S608 (names from _meta)
        f" ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
        + (f" RETURNING {quote(model._meta.pk.column)}" if returning else "")
    )
    return sql, returning, values_of


@cache
def _row_values(
    model: type[models.Model], with_pk: bool, vendor: str
) -> tuple[list[models.Field[Any, Any]], Callable[[Mapping[str, Any]], tuple[Any, ...]]]:
    """The columns of `model` and a function giving a row's values for them, prepared for the
    `vendor` database; built once (its caches of prepared values are bounded)."""
    fields = _columns(model, with_pk)
    # Callable defaults (uuid4 …) are called for each row, not once for all of them.
    per_row = [(f.attname, f.default) for f in fields if f.has_default() and callable(f.default)]
    defaults = {f.attname: f.get_default() for f in fields}
    prepared = [(f.attname, convert) for f in fields if (convert := _converter(f)) is not None]
    pick = itemgetter(*(f.attname for f in fields))

    def values_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
        full = {**defaults, **row}
        for name, make in per_row:
            if name not in row:
                full[name] = make()
        for name, convert in prepared:
            full[name] = convert(full[name])
        return tuple(pick(full))

    return fields, values_of


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, for rows inserted with `insert_rows(with_pk=True)`.

    PostgreSQL: taken from the table's sequence, so concurrent writers never get the same ids.
    SQLite: above both the largest id and the AUTOINCREMENT counter; call it inside the write
    transaction that inserts the rows (SQLite has one writer, so nobody can take them meanwhile).
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({pk}) FROM {quoted}), 0),"  # noqa: S608 (from _meta)
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


_pause_lock = threading.Lock()
_pause = {"depth": 0, "was_enabled": False}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block with CPython's cyclic garbage collector paused (reference counting still frees
    everything that is not in a cycle), and let it run again afterwards.

    For bulk work that builds hundreds of thousands of long-lived, acyclic objects (rows, result
    dicts, model instances): the collector's full passes walk every live object, again and again
    as the heap grows, and found almost nothing to collect (a 100,000-subject credit check: 19
    full passes, 57 objects freed, ~30 % of the run). Nested and concurrent uses keep it paused
    until the last one ends; it is switched back on only if it was on before the first.
    """
    with _pause_lock:
        if _pause["depth"] == 0:
            _pause["was_enabled"] = gc.isenabled()
            gc.disable()
        _pause["depth"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause["depth"] -= 1
            if _pause["depth"] == 0 and _pause["was_enabled"]:
                gc.enable()
