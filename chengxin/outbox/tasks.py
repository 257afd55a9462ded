"""The delivery worker (run by `chengxin db_worker`): one task per attempt, backoff between."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.delivery import DeliveryError, deliver
from chengxin.outbox.models import OutboxMessage


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential: base × 2^(attempts−1), capped (30 s, 1 min, 2 min … at most 6 h)."""
    seconds = settings.SYNC_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.SYNC_RETRY_MAX_SECONDS))


def schedule(message: OutboxMessage, at: datetime.datetime | None = None) -> None:
    """Enqueue an attempt once the current transaction commits."""
    pk = message.pk

    def enqueue() -> None:
        if at is None or at <= timezone.now():
            deliver_message.enqueue(pk)
        else:
            deliver_message.using(run_after=at).enqueue(pk)

    transaction.on_commit(enqueue)


@task()
def deliver_message(message_id: int) -> str:
    """One delivery attempt. The message is claimed first (PENDING → SENDING in one UPDATE), so
    two workers never send it at the same time and a delivered message is never sent again."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
        status=MessageStatus.SENDING, claimed_at=now
    )
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        deliver(message)
    except DeliveryError as exc:
        return _failed(message, str(exc))
    message.status, message.delivered_at = MessageStatus.DELIVERED, timezone.now()
    message.attempts += 1
    message.last_error = ""
    message.save(update_fields=["status", "delivered_at", "attempts", "last_error", "updated_at"])
    return "delivered"


def _failed(message: OutboxMessage, error: str) -> str:
    message.attempts += 1
    message.last_error = error[:2000]
    if message.attempts >= settings.SYNC_MAX_ATTEMPTS:
        message.status, message.next_attempt_at = MessageStatus.DEAD, None
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
    with transaction.atomic():
        message.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "updated_at"]
        )
        if message.status == MessageStatus.PENDING:
            schedule(message, message.next_attempt_at)
    return message.status


@task()
def recover_stalled() -> int:
    """Put back messages whose worker died while sending (claimed long ago, never finished), and
    queue again pending messages whose attempt never ran (the process died between the commit
    and the enqueue).

    They are sent with the same idempotency key, so a receiver that got the first attempt can
    drop the repeat."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.SYNC_STALLED_SECONDS)
    stalled = list(OutboxMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=limit))
    forgotten = list(
        OutboxMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lt=limit)
    )
    with transaction.atomic():
        for message in stalled:
            OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
                status=MessageStatus.PENDING, next_attempt_at=timezone.now()
            )
            schedule(message)
        for message in forgotten:
            schedule(message)
    return len(stalled) + len(forgotten)
