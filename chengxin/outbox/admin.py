"""Reference view of outbound messages; staff retry dead letters on the outbox pages."""

from django.contrib import admin

from chengxin.core.admin import ScopedAdmin
from chengxin.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdmin):
    """Read-only: the worker and `outbox.actions` are the only writers."""

    list_display = ["id", "topic", "status", "attempts", "due_on", "created_at", "delivered_at"]
    list_filter = ["status", "topic"]
    search_fields = ["=idempotency_key", "=object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
