"""What the upper platforms are told: one message per change and channel (docs/exchange.md)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel
from chengxin.exchange.choices import Change, MessageStatus, ObjectKind
from chengxin.exchange.querysets import ExchangeMessageQuerySet


class ExchangeMessage(ChangeLoggedModel):
    """One change reported to one upper platform (报送记录): a 双公示 record published,
    corrected or withdrawn, its publicity ended, a list entry added or removed, a repair decided.

    Written in the transaction of the change (core.upward → exchange.actions.report_changes), so
    a rolled-back change reports nothing; put into a batch by `actions.dispatch` and delivered by
    the outbox. `payload` holds the national field codes; personal numbers are kept as their
    ciphertext in `sealed` and decrypted only into the request body. The receiver's receipt says
    accepted or rejected (with its reason in Chinese) per message."""

    idempotency_key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("报送渠道"), max_length=32)
    change = models.CharField(_("变更类型"), max_length=24, choices=Change.choices)
    object_kind = models.CharField(_("对象类型"), max_length=16, choices=ObjectKind.choices)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    # The key ordering is kept by (a correction never overtakes the record it corrects).
    record_key = models.CharField(_("记录标识"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("数据来源单位"),
    )
    payload = models.JSONField(_("内容"))
    sealed = models.JSONField(_("个人证件号码（密文）"), default=dict, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    batch = models.ForeignKey(
        "outbox.OutboxMessage",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送批次"),
    )
    receipt_reason = models.TextField(_("退回原因"), blank=True)
    receipt_at = models.DateTimeField(_("回执时间"), null=True, blank=True)

    # A department's reporters see their own department's messages (the rejected ones are their
    # queue); the credit office sees all.
    permission_area = "records"
    department_field = "department"
    audit_exclude_fields: ClassVar[frozenset[str]] = frozenset({"sealed"})
    objects = ExchangeMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["channel", "status", "id"], name="exchange_channel_status"),
            models.Index(fields=["channel", "record_key", "id"], name="exchange_channel_record"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.change} {self.record_key} v{self.version}"
