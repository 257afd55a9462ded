"""How an audit entry is hashed into the chain, and how the chain is re-hashed under a new key.

`entry_hash = HMAC-SHA256(chain key, previous_hash ‖ canonical JSON of the entry)`. The chain key
and the anchors' signing key are derived (HKDF) from one secret, settings.AUDIT_KEY
(CHENGXIN_AUDIT_KEY): without it nobody can compute a hash that verifies, so someone who can only
write to the database cannot rewrite a range and rehash it (ADR 0002).

Plain functions over any object with the entry's attributes, so that the migration that re-keys
an existing chain (0003) hashes exactly as the application does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

GENESIS_HASH = "0" * 64

HashFunction = Callable[[str, str], str]
"""(previous_hash, canonical JSON) → entry hash."""


@lru_cache(maxsize=4)
def derived_keys(secret: str) -> tuple[bytes, bytes]:
    """(chain key, anchor signing key) from the audit secret."""
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"chengxin-audit", info=b"v1"
    ).derive(secret.encode())
    return material[:32], material[32:]


def chain_key(secret: str | None = None) -> bytes:
    return derived_keys(settings.AUDIT_KEY if secret is None else secret)[0]


def anchor_key(secret: str | None = None) -> bytes:
    return derived_keys(settings.AUDIT_KEY if secret is None else secret)[1]


def content_of(entry: Any) -> dict[str, Any]:
    """What the hash covers: every field of the entry but the hashes themselves."""
    return {
        "sequence": entry.sequence,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "request_id": str(entry.request_id),
        "ip_address": entry.ip_address,
    }


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def keyed_hash(key: bytes) -> HashFunction:
    """The chain's hash under `key` (the same cost as the plain SHA-256 it replaced)."""

    def compute(previous_hash: str, canonical: str) -> str:
        # hmac.digest, OpenSSL's one-shot HMAC: measured as fast as the plain SHA-256 it replaced
        # (~20 µs an entry with its JSON); an hmac.new object cost ~12 µs more.
        return hmac.digest(key, (previous_hash + canonical).encode(), "sha256").hex()

    return compute


def unkeyed_hash(previous_hash: str, canonical: str) -> str:
    """The chain's hash before it was keyed (migration 0003): plain SHA-256."""
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()


def entry_hash(entry: Any, key: bytes | None = None) -> str:
    """The hash `entry` must have under `key` (default: the configured audit key)."""
    compute = keyed_hash(chain_key() if key is None else key)
    return compute(entry.previous_hash, canonical_json(content_of(entry)))


# --- re-keying a whole chain ------------------------------------------------------------------
# `entry_model` and `head_model` are AuditEntry and ChainHead, or their historical versions in a
# migration (hence `Any`).


def rehash_chain(
    entry_model: Any, head_model: Any, *, old: HashFunction, new: HashFunction, batch_size: int
) -> dict[str, Any]:
    """Re-hash every entry under `new`, in sequence order, and move the head along.

    Each entry is first checked under `old` (its sequence, its link and its hash) so that
    re-keying does not launder a break: the first broken sequence is returned, for the caller to
    record. A gap in the sequence stays a gap, so verify still reports it. Runs in the caller's
    transaction with the head locked; reads and writes in batches of `batch_size`.
    """
    table = entry_model._meta.db_table
    head = head_model._default_manager.select_for_update().filter(pk=1).first()
    old_previous, new_previous, expected, last, count = GENESIS_HASH, GENESIS_HASH, 1, 0, 0
    first_break: int | None = None
    while batch := list(
        entry_model._default_manager.filter(sequence__gt=last).order_by("sequence")[:batch_size]
    ):
        updates = []
        for entry in batch:
            canonical = canonical_json(content_of(entry))
            intact = (
                entry.sequence == expected
                and entry.previous_hash == old_previous
                and old(old_previous, canonical) == entry.entry_hash
            )
            if first_break is None and not intact:
                first_break = entry.sequence
            old_previous = entry.entry_hash
            rehashed = new(new_previous, canonical)
            updates.append((new_previous, rehashed, entry.pk))
            new_previous, expected, count = rehashed, entry.sequence + 1, count + 1
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET previous_hash = %s, entry_hash = %s WHERE id = %s",  # noqa: S608
                updates,
            )
        last = batch[-1].sequence
    head_sequence, head_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    if head_sequence == last and head_hash == old_previous:
        if head is not None:
            head_model._default_manager.filter(pk=1).update(last_hash=new_previous)
    elif first_break is None:
        first_break = min(head_sequence, last) + 1  # the newest entries were deleted
    return {
        "entries": count,
        "last_sequence": max(last, head_sequence),
        "last_hash": new_previous,
        "first_break": first_break,
    }


def append_rekeyed_entry(
    entry_model: Any,
    head_model: Any,
    result: dict[str, Any],
    *,
    new: HashFunction,
    action: str,
    details: dict[str, Any],
) -> None:
    """Append the entry that records a re-keying, hashed under `new`, and set the head to it.

    Written here rather than by `log.append()`, which a migration cannot use (it hashes with the
    current model and key, not the migration's)."""
    sequence = result["last_sequence"] + 1
    entry = entry_model(
        sequence=sequence,
        created_at=timezone.now(),
        actor_id=None,
        actor_name="",
        action=action,
        object_type="audit.auditentry",
        object_id="",
        object_repr="审计链",
        before=None,
        after={**details, "entries": result["entries"], "first_break": result["first_break"]},
        reason="",
        request_id=uuid.uuid4(),
        ip_address=None,
        previous_hash=result["last_hash"],
    )
    entry.entry_hash = new(result["last_hash"], canonical_json(content_of(entry)))
    entry_model._default_manager.bulk_create([entry])
    head_model._default_manager.update_or_create(
        pk=1, defaults={"last_sequence": sequence, "last_hash": entry.entry_hash}
    )


def rekey_chain(
    entry_model: Any,
    head_model: Any,
    *,
    old: HashFunction,
    new: HashFunction,
    action: str,
    details: dict[str, Any],
    batch_size: int = 2000,
) -> dict[str, Any] | None:
    """Re-hash the chain under `new` and append an entry saying so (none on an empty chain).

    One transaction: a failure leaves the chain as it was, under `old`."""
    with transaction.atomic():
        result = rehash_chain(entry_model, head_model, old=old, new=new, batch_size=batch_size)
        if result["entries"] == 0:
            return None
        append_rekeyed_entry(
            entry_model, head_model, result, new=new, action=action, details=details
        )
    return result
