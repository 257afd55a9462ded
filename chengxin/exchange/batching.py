"""Forming batches per channel and applying the receiver's receipts.

- `dispatch(channel)` puts pending messages into batches of at most the channel's batch size, each
  an outbox message (its retries, backoff, dead letters and resend), keeping order per record.
- `apply_receipts(...)` records the receiver's answer per message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from chengxin.exchange.channels import Channel
from chengxin.exchange.choices import MessageStatus
from chengxin.exchange.formats import Receipt
from chengxin.exchange.models import ExchangeMessage
from chengxin.outbox.actions import send

BATCH_TOPIC = "exchange.batch"


def dispatch(channel: Channel) -> int:
    """Put the channel's pending messages into batches (each an outbox message); how many batches.

    Order per record: a message waits while an earlier message about the same record is in a
    batch not yet delivered (QUEUED), so a correction never overtakes the record it corrects,
    even when that record's batch is being retried or is a dead letter. Within a batch messages
    keep their order. Dispatches of one channel are serialised: each locks the channel's first
    pending message (on SQLite every write transaction takes the write lock first)."""
    made = 0
    while True:
        with transaction.atomic():
            chosen = _next_batch(channel)
            if not chosen:
                return made
            batch = send(BATCH_TOPIC, {"channel": channel.name, "messages": chosen})
            ExchangeMessage.objects.filter(pk__in=chosen).update(
                status=MessageStatus.QUEUED, batch=batch, updated_at=timezone.now()
            )
        made += 1


def _next_batch(channel: Channel) -> list[int]:
    pending = ExchangeMessage.objects.filter(
        channel=channel.name, status=MessageStatus.PENDING
    ).order_by("pk")
    if pending.select_for_update().values_list("pk", flat=True).first() is None:
        return []
    blocked = set(
        ExchangeMessage.objects.filter(
            channel=channel.name, status=MessageStatus.QUEUED
        ).values_list("record_key", flat=True)
    )
    chosen: list[int] = []
    for pk, record_key in pending.values_list("pk", "record_key").iterator(chunk_size=2000):
        if record_key in blocked:
            continue  # and every later message about it: it stays blocked
        chosen.append(pk)
        if len(chosen) >= channel.batch_size:
            break
    return chosen


def batch_items(message_ids: Sequence[int]) -> list[ExchangeMessage]:
    """A batch's messages in their order, with what the envelope names."""
    items = ExchangeMessage.objects.filter(pk__in=message_ids).select_related("department")
    return sorted(items, key=lambda item: item.pk)


# --- receipts -----------------------------------------------------------------------------------


def apply_receipts(
    channel: Channel, batch: Sequence[ExchangeMessage], receipts: list[Receipt]
) -> None:
    """The receiver took the batch: each message it answered is ACCEPTED or REJECTED (with the
    reason, which puts the record back in its department's queue: ExchangeMessage.objects.
    open_rejections), the others SENT (awaiting a receipt). Idempotent: a repeated delivery's
    receipts set the same values. The caller then dispatches the channel again: the messages
    held back behind these may go."""
    by_key = {receipt.key: receipt for receipt in receipts}
    now = timezone.now()
    with transaction.atomic():
        for item in batch:
            receipt = by_key.get(item.idempotency_key)
            if receipt is None:
                values: dict[str, Any] = {"status": MessageStatus.SENT}
            elif receipt.accepted:
                values = {"status": MessageStatus.ACCEPTED, "receipt_reason": "", "receipt_at": now}
            else:
                reason = receipt.reason.strip() or "上级平台未说明退回原因"
                values = {
                    "status": MessageStatus.REJECTED,
                    "receipt_reason": reason,
                    "receipt_at": now,
                }
            ExchangeMessage.objects.filter(pk=item.pk).exclude(
                status__in=(MessageStatus.ACCEPTED, MessageStatus.REJECTED)
            ).update(updated_at=now, **values)
