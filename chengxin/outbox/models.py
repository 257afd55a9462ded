"""Outbound messages to the upper platform (省市信用平台), delivered by a background worker."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.outbox.choices import MessageStatus


class OutboxMessage(ChangeLoggedModel):
    """One message to deliver exactly once (transactional outbox).

    Written in the same transaction as the change it reports, so a rolled-back change sends
    nothing; delivered by `tasks.deliver_message` with retries and exponential backoff. The
    receiver sees the same `idempotency_key` on every attempt and can drop repeats.
    """

    idempotency_key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True)
    topic = models.CharField(_("消息类型"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    payload = models.JSONField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    due_on = models.DateField(_("报送期限"), null=True, blank=True)

    permission_area = "outbox"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("同步消息")
        verbose_name_plural = _("同步消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next")]

    def __str__(self) -> str:
        return f"{self.topic} {self.idempotency_key}"
