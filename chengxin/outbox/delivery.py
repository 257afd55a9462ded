"""Where a message goes: an HTTP endpoint of the upper platform, or (embedded default) a folder.

CHENGXIN_SYNC_URL    POST JSON there, with `Idempotency-Key`; any 2xx is delivery.
(empty)              write `<topic>-<key>.json` into SYNC_OUTBOX_DIR ($CHENGXIN_HOME/outbox):
                     the file name is the key, so writing twice leaves one file.

A topic with a transport of its own in TRANSPORTS is delivered by it instead: the exchange app
registers the one for its batches (`exchange.batch`, sent to each upper platform's channel).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings

from chengxin.outbox.models import OutboxMessage


class DeliveryError(Exception):
    """The attempt failed and may be retried."""


TRANSPORTS: dict[str, Callable[[OutboxMessage], None]] = {}
"""Transports by topic, registered by the apps above in AppConfig.ready. A transport delivers
the message once or raises DeliveryError; the worker retries it like any other message."""


def body_of(message: OutboxMessage) -> bytes:
    envelope: dict[str, Any] = {
        "idempotency_key": str(message.idempotency_key),
        "topic": message.topic,
        "created_at": message.created_at.isoformat(),
        "data": message.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode()


def deliver(message: OutboxMessage) -> None:
    """Deliver `message` once; raise DeliveryError when the receiver did not accept it."""
    transport = TRANSPORTS.get(message.topic)
    if transport is not None:
        transport(message)
    elif settings.SYNC_URL:
        _post(message)
    else:
        _write(message)


def _post(message: OutboxMessage) -> None:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": str(message.idempotency_key),
    }
    if settings.SYNC_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SYNC_TOKEN}"
    request = urllib.request.Request(  # noqa: S310 -- the URL is the operator's setting
        settings.SYNC_URL, data=body_of(message), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SYNC_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(str(getattr(exc, "reason", exc))) from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")


def _write(message: OutboxMessage) -> None:
    folder = settings.SYNC_OUTBOX_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{message.topic}-{message.idempotency_key}.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(body_of(message))
        os.replace(temporary, target)
    except OSError as exc:
        raise DeliveryError(str(exc)) from exc
