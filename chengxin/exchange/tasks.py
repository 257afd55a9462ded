"""The exchange's background work (run by `chengxin db_worker`): forming batches per channel.

Delivery itself is the outbox's (outbox.tasks.deliver_message, with exchange.delivery as the
transport of `exchange.batch` messages)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from chengxin.exchange.batching import dispatch
from chengxin.exchange.channels import channel
from chengxin.exchange.choices import MessageStatus
from chengxin.exchange.models import ExchangeMessage


def schedule_dispatch(name: str, *, at_once: bool = False) -> None:
    """After the current transaction commits, form the channel's batches: at once, or after the
    channel's interval (CHENGXIN_EXCHANGE_<NAME>_INTERVAL_SECONDS), so changes made close
    together travel in one batch."""
    delay = 0 if at_once else channel(name).interval_seconds

    def enqueue() -> None:
        if delay:
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
            dispatch_channel.using(run_after=run_after).enqueue(name)
        else:
            dispatch_channel.enqueue(name)

    transaction.on_commit(enqueue)


@task()
def dispatch_channel(name: str) -> int:
    """Put the channel's pending messages into batches; how many batches it made."""
    return dispatch(channel(name))


def recover_abandoned() -> int:
    """Dispatch every channel that has pending messages (their dispatch may have died with its
    worker); `chengxin serve` calls it before it starts the job worker
    (core.supervision.recover_abandoned_work)."""
    waiting = (
        ExchangeMessage.objects.filter(status=MessageStatus.PENDING)
        .values("channel")
        .annotate(first=Min("pk"))
    )
    names = [row["channel"] for row in waiting if row["channel"] in settings.EXCHANGE_CHANNELS]
    with transaction.atomic():
        for name in names:
            schedule_dispatch(name, at_once=True)
    return len(names)
