"""Writing to the audit chain, and checking it.

`append()` is the only writer. It locks the chain head, so entries are numbered and chained in
one order even with many writers (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE write
transaction already serialises writers). Each entry's hash is keyed with the audit key
(audit/chain.py); the chain's end is also anchored outside the database (audit/anchors.py).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from chengxin.audit.chain import chain_key
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import current
from chengxin.audit.models import GENESIS_HASH, AuditEntry, ChainHead
from chengxin.core.bulk import insert_row

HEAD_TABLE = ChainHead._meta.db_table


@dataclass(frozen=True)
class Event:
    """An entry to append, before it gets its sequence and hash."""

    action: str
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    actor: Any = None
    actor_name: str | None = None


def json_value(value: Any) -> Any:
    """A JSON-safe form of a model field's value, stable across databases."""
    if isinstance(value, datetime.datetime):
        return (
            value.astimezone(datetime.UTC).isoformat()
            if timezone.is_aware(value)
            else value.isoformat()
        )
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, FieldFile):
        return value.name or ""  # the stored file's name; the content is not logged
    return value


def snapshot(instance: models.Model, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The concrete fields of `instance` (or the given attname → value map) as JSON values."""
    excluded: frozenset[str] = getattr(instance, "audit_exclude_fields", frozenset())
    result = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.attname in excluded:
            continue
        value = (
            values.get(field.attname) if values is not None else field.value_from_object(instance)
        )
        result[field.attname] = json_value(value)
    return result


def event_for(action: str, instance: models.Model, **kwargs: Any) -> Event:
    return Event(
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        **kwargs,
    )


def append(events: Iterable[Event]) -> list[AuditEntry]:
    """Append `events` to the chain, in order, in the current (or a new) transaction.

    No savepoint of its own: if appending fails, the caller's whole transaction rolls back, so an
    action is never committed without its entries. The head is read and written in plain SQL
    (every check, login and saved record passes here; the ORM's query compilation was most of
    the cost of an append; each entry is one `core.bulk.insert_row`: callers append one event
    at a time)."""
    context = current()
    now = timezone.now()
    key = chain_key()
    with transaction.atomic(savepoint=False):
        sequence, last_hash = _lock_head()
        entries = []
        for event in events:
            actor = event.actor if event.actor is not None else context.actor
            actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
            sequence += 1
            entry = AuditEntry(
                sequence=sequence,
                created_at=now,
                actor_id=actor_id,
                actor_name=event.actor_name or (actor.get_username() if actor_id else ""),
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                object_repr=event.object_repr,
                before=event.before,
                after=event.after,
                reason=context.reason,
                request_id=context.request_id,
                ip_address=context.ip_address,
                previous_hash=last_hash,
            )
            entry.entry_hash = last_hash = entry.compute_hash(key)
            entries.append(entry)
            entry.pk = insert_row(AuditEntry, vars(entry))
            entry._state.adding, entry._state.db = False, connection.alias
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {HEAD_TABLE} SET last_sequence = %s, last_hash = %s WHERE id = 1",  # noqa: S608
                [sequence, last_hash],
            )
    return entries


def _lock_head() -> tuple[int, str]:
    """The chain's last sequence and hash, with the head row locked until the transaction ends
    (PostgreSQL: FOR UPDATE; SQLite: the IMMEDIATE write transaction holds the database)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_sequence, last_hash FROM {HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    ChainHead.objects.get_or_create(pk=1)  # the first entry ever (a concurrent first: get)
    return _lock_head()


def record_sensitive_read(instance: models.Model, field: str, *, actor: Any = None) -> AuditEntry:
    """Log that `actor` saw the full value of `field` on `instance` (e.g. an ID number)."""
    event = event_for(AuditAction.SENSITIVE_READ, instance, after={"field": field}, actor=actor)
    return append([event])[0]


@dataclass(frozen=True)
class VerifyResult:
    verified: int
    broken_sequence: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_sequence is None


def _entries(batch_size: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def verify_chain() -> VerifyResult:
    """Walk the chain from the first entry: every link, every keyed hash, and the head at the end.

    Anchors outside the database are checked by `anchors.verify_anchors()` (`chengxin audit
    verify` runs both)."""
    key = chain_key()
    expected_sequence, previous_hash, verified = 1, GENESIS_HASH, 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            return VerifyResult(verified, expected_sequence, "missing")
        if entry.previous_hash != previous_hash:
            return VerifyResult(verified, entry.sequence, "link")
        if entry.compute_hash(key) != entry.entry_hash:
            return VerifyResult(verified, entry.sequence, "content")
        previous_hash, expected_sequence, verified = (
            entry.entry_hash,
            expected_sequence + 1,
            verified + 1,
        )
    head = ChainHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    if head_sequence != verified or head_hash != previous_hash:
        return VerifyResult(verified, verified + 1, "truncated")
    return VerifyResult(verified)
