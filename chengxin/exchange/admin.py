"""Reference view of the messages reported upward; nothing is edited here."""

from django.contrib import admin

from chengxin.core.admin import ScopedAdmin
from chengxin.exchange.models import ExchangeMessage


@admin.register(ExchangeMessage)
class ExchangeMessageAdmin(ScopedAdmin):
    """Read-only: the exchange actions and the delivery are the only writers."""

    list_display = ["id", "channel", "change", "record_key", "version", "status", "created_at"]
    list_filter = ["channel", "status", "change"]
    search_fields = ["=idempotency_key", "=record_key"]
    exclude = ["sealed"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
