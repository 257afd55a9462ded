from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core.upward import Change

__all__ = ["Change", "MessageStatus", "ObjectKind"]


class ObjectKind(models.TextChoices):
    """What a message is about; a channel's `objects` setting routes by it."""

    LICENSE = "license", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    LIST_ENTRY = "list_entry", _("名单条目")
    REPAIR = "repair", _("信用修复")


class MessageStatus(models.TextChoices):
    """A message's way to the upper platform: written with the change (PENDING), put into a batch
    (QUEUED: the outbox delivers the batch), delivered without a receipt yet (SENT), and the
    receiver's answer per record (ACCEPTED / REJECTED, with its reason)."""

    PENDING = "pending", _("待报送")
    QUEUED = "queued", _("报送中")
    SENT = "sent", _("已报送，待回执")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("被退回")
