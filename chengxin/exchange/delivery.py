"""Delivering a batch: the outbox's transport for `exchange.batch` messages (outbox.delivery).

The outbox claims the batch, calls `deliver_batch` and retries it with backoff when it raises
DeliveryError (a timeout, a refused connection, a non-2xx answer, a 2xx answer that is not a
receipt list), so a batch is never lost; every attempt carries the same batch key and the same
message keys, so a receiver that got an earlier attempt drops the repeat and nothing is doubled.

Personal numbers are decrypted into the request body only: they are sent over HTTPS in
production (the go-live check warns on a plain http:// channel), never put in a URL, and no log
line or error text holds the body. A channel without a URL writes the batch into its folder
(embedded default; the folder, like the outbox's, is the service account's alone).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request

from django.core.exceptions import ImproperlyConfigured

from chengxin.exchange.batching import BATCH_TOPIC, apply_receipts, batch_items
from chengxin.exchange.channels import Channel, channel
from chengxin.exchange.formats import Format, ReceiptsInvalid, format_of
from chengxin.exchange.tasks import schedule_dispatch
from chengxin.outbox.delivery import DeliveryError
from chengxin.outbox.models import OutboxMessage

TOPIC = BATCH_TOPIC
MAX_ANSWER_BYTES = 20 * 1024 * 1024


def deliver_batch(message: OutboxMessage) -> None:
    """Send the batch `message` to its channel and apply the receipts; DeliveryError to retry."""
    try:
        target = channel(str(message.payload["channel"]))
        adapter = format_of(target)
    except (ImproperlyConfigured, LookupError) as exc:  # a dead letter once the retries are spent
        raise DeliveryError(str(exc)) from exc
    items = batch_items(message.payload["messages"])
    body = adapter.encode(target, message.idempotency_key, items)
    if not target.url:
        _write(target, message, body)
        apply_receipts(target, items, [])
    else:
        answer = _post(target, message, adapter, body)
        try:
            receipts = adapter.receipts(answer)
        except ReceiptsInvalid as exc:
            raise DeliveryError(f"unreadable receipts: {exc}") from exc
        apply_receipts(target, items, receipts)
    schedule_dispatch(target.name, at_once=True)  # what waited behind this batch may go now


def _post(target: Channel, message: OutboxMessage, adapter: Format, body: bytes) -> bytes:
    headers = {
        "Content-Type": adapter.content_type,
        "Idempotency-Key": str(message.idempotency_key),
    }
    if target.token:
        headers["Authorization"] = f"Bearer {target.token}"
    request = urllib.request.Request(  # noqa: S310 -- the URL is the operator's setting
        target.url, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=target.timeout_seconds) as response:  # noqa: S310
            status = response.status
            answer: bytes = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:  # TimeoutError is an OSError
        raise DeliveryError(str(getattr(exc, "reason", exc))) from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
    return answer


def _write(target: Channel, message: OutboxMessage, body: bytes) -> None:
    try:
        target.folder.mkdir(parents=True, exist_ok=True)
        path = target.folder / f"{message.idempotency_key}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(body)
        os.replace(temporary, path)  # the name is the batch key: writing twice leaves one file
    except OSError as exc:
        raise DeliveryError(str(exc)) from exc
