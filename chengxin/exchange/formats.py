"""Payload formats: how a batch is written for a receiver and how its receipts are read.

`chengxin-v1` is our own envelope (docs/exchange.md), since the national exchange specification
is not public. A province whose platform has its own interface gets an adapter: a class with the
three members of `Format`, registered under a name with `register()` (from an app's
`AppConfig.ready` or a local module), and chosen per channel by CHENGXIN_EXCHANGE_<NAME>_FORMAT.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import timezone

from chengxin.core import regions
from chengxin.core.personal_data import decrypt
from chengxin.exchange.channels import Channel
from chengxin.exchange.models import ExchangeMessage


@dataclass(frozen=True)
class Receipt:
    """The receiver's answer about one message."""

    key: uuid.UUID
    accepted: bool
    reason: str = ""


class ReceiptsInvalid(Exception):
    """The receiver answered 2xx with a body that is not a receipt list: retried like a 5xx."""


class Format(Protocol):
    name: str
    content_type: str

    def encode(
        self, channel: Channel, batch_key: uuid.UUID, items: Sequence[ExchangeMessage]
    ) -> bytes:
        """The request body for the batch `batch_key` of `items` (in order)."""
        ...

    def receipts(self, body: bytes) -> list[Receipt]:
        """The per-message receipts in a 2xx answer (none: the receiver acknowledged only)."""
        ...


def unsealed(item: ExchangeMessage) -> dict[str, Any]:
    """The message's data with its personal numbers decrypted, for the request body only."""
    data = dict(item.payload.get("data", {}))
    for code, token in item.sealed.items():
        data[code] = decrypt(token)
    return data


class ChengxinV1:
    """Our envelope: JSON, one object per batch, the messages in order (docs/exchange.md)."""

    name = "chengxin-v1"
    content_type = "application/json; charset=utf-8"

    def encode(
        self, channel: Channel, batch_key: uuid.UUID, items: Sequence[ExchangeMessage]
    ) -> bytes:
        region = regions.current_region()
        envelope = {
            "format": "chengxin-exchange/1",
            "batch": str(batch_key),
            "channel": channel.name,
            "sender": {
                "region_code": region.code if region is not None else "",
                "name": regions.district_name(),
                "platform": regions.site_name(),
            },
            "sent_at": timezone.now().isoformat(),
            "messages": [self._message(item) for item in items],
        }
        return json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode()

    def _message(self, item: ExchangeMessage) -> dict[str, Any]:
        department = item.department
        return {
            "key": str(item.idempotency_key),
            "sequence": item.pk,
            "change": item.change,
            "object": item.object_kind,
            "record": item.record_key,
            "version": item.version,
            "occurred_at": item.created_at.isoformat(),
            "department": {
                "name": department.name if department is not None else "",
                "credit_code": department.credit_code if department is not None else "",
            },
            "data": unsealed(item),
            "detail": item.payload.get("detail", {}),
        }

    def receipts(self, body: bytes) -> list[Receipt]:
        if not body.strip():
            return []
        try:
            answer = json.loads(body)
            rows = answer.get("receipts", []) if isinstance(answer, dict) else None
            if not isinstance(rows, list):
                raise ReceiptsInvalid("receipts is not a list")
            return [
                Receipt(
                    key=uuid.UUID(str(row["key"])),
                    accepted=row["status"] == "accepted",
                    reason=str(row.get("reason", ""))[:2000],
                )
                for row in rows
                if row.get("status") in ("accepted", "rejected")
            ]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ReceiptsInvalid(str(exc)) from exc


FORMATS: dict[str, Format] = {}


def register(adapter: Format) -> None:
    """Make `adapter` available to channels under `adapter.name`."""
    FORMATS[adapter.name] = adapter


def format_of(channel: Channel) -> Format:
    try:
        return FORMATS[channel.format]
    except KeyError:
        raise LookupError(f"Exchange format {channel.format!r} is not registered") from None


register(ChengxinV1())
