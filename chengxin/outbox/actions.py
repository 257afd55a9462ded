"""Writing to the outbox, and retrying a dead letter."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, can
from chengxin.audit.context import audit_context
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.outbox.tasks import schedule


def send(
    topic: str,
    payload: dict[str, Any],
    *,
    about: models.Model | None = None,
    due_on: datetime.date | None = None,
) -> OutboxMessage:
    """Add a message in the caller's transaction; it is delivered after the commit."""
    message = OutboxMessage.objects.create(
        topic=topic,
        payload=payload,
        object_type=about._meta.label_lower if about is not None else "",
        object_id=str(about.pk) if about is not None else "",
        due_on=due_on,
        next_attempt_at=timezone.now(),
    )
    schedule(message)
    return message


def retry_message(message: OutboxMessage, *, actor: User) -> OutboxMessage:
    """Staff send a dead letter again (after the receiver is fixed): attempts start over."""
    if not can(actor, CHANGE, message):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.DEAD:
            raise ValidationError(_("只有发送失败的消息可以重新发送。"))
        message.status, message.attempts = MessageStatus.PENDING, 0
        message.next_attempt_at = timezone.now()
        message.save()
        schedule(message)
    return message
