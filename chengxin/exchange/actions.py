"""Reporting changes upward: writing the messages, in the transaction of the change.

`report_changes(change, model, pks)` is the one function every upward change goes through
(core.upward, installed by apps.py): in the caller's transaction it writes one message per object
and routed channel, set-based (one query to load the objects, one insert). Forming batches and
applying receipts is `exchange.batching`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from chengxin.exchange import payloads
from chengxin.exchange.channels import Channel, channels
from chengxin.exchange.models import ExchangeMessage
from chengxin.exchange.tasks import schedule_dispatch

LOAD_CHUNK = 500  # objects loaded per query (SQLite's bound on parameters)


class Reporter:
    """core.upward's provider."""

    def report(self, change: str, model: type[models.Model], pks: Iterable[Any]) -> int:
        return report_changes(change, model, pks)


def report_changes(change: str, model: type[models.Model], pks: Iterable[Any]) -> int:
    """Write the messages reporting `change` of the rows `pks` of `model`, one per routed channel.

    Precondition: called inside the transaction that makes the change (a rollback reports
    nothing), after the rows are saved. Side effects: the messages (PENDING); after the commit,
    a dispatch of each channel that got one, at the channel's schedule. How many it wrote."""
    configured = channels()
    if not configured:
        return 0
    rows: list[ExchangeMessage] = []
    for obj in _load(model, list(pks)):
        described = payloads.describe(change, obj)
        for channel in configured:
            if channel.takes(
                described.object_kind, described.subject_category, described.department_code
            ):
                rows.append(_message(change, channel, described))
    ExchangeMessage.objects.bulk_create(rows, batch_size=LOAD_CHUNK)
    for name in {row.channel for row in rows}:
        schedule_dispatch(name)
    return len(rows)


def _load(model: type[models.Model], pks: list[Any]) -> Iterable[models.Model]:
    related = payloads.RELATED.get(model._meta.app_label, ())
    manager = model._default_manager
    for start in range(0, len(pks), LOAD_CHUNK):
        chunk = pks[start : start + LOAD_CHUNK]
        yield from manager.filter(pk__in=chunk).select_related(*related).order_by("pk")


def _message(change: str, channel: Channel, described: payloads.Described) -> ExchangeMessage:
    return ExchangeMessage(
        channel=channel.name,
        change=change,
        object_kind=described.object_kind,
        object_id=described.object_id,
        record_key=described.record_key,
        version=described.version,
        department_id=described.department_id,
        payload=described.payload,
        sealed=described.sealed,
    )
