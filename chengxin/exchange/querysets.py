"""Which exchange messages count: those waiting to be batched, and the rejections still open."""

from __future__ import annotations

from typing import Self

from django.db.models import Exists, OuterRef

from chengxin.core.models import RestrictedQuerySet
from chengxin.exchange.choices import MessageStatus


class ExchangeMessageQuerySet(RestrictedQuerySet):
    def of_channel(self, channel: str) -> Self:
        return self.filter(channel=channel)

    def open_rejections(self) -> Self:
        """Rejected messages with no later message on the same channel about the same record:
        the record is back in its department's queue until a correction is sent (and accepted)."""
        later = type(self)(self.model).filter(
            channel=OuterRef("channel"), record_key=OuterRef("record_key"), pk__gt=OuterRef("pk")
        )
        return self.filter(status=MessageStatus.REJECTED).exclude(Exists(later))
