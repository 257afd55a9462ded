"""Reference views of repair applications; they change only through the staff pages (actions)."""

from django.contrib import admin

from chengxin.core.admin import ScopedAdmin
from chengxin.repair.models import RepairApplication, RepairEvent, RepairEvidence


class ReadOnlyAdmin(ScopedAdmin):
    """Read-only: the workflow (repair.actions) is the only writer, with its events and audit."""

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class RepairEvidenceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RepairEvidence
    fields = readonly_fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class RepairEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RepairEvent
    fields = readonly_fields = ("created_at", "type", "actor", "note")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "receipt_number",
        "subject",
        "kind",
        "status",
        "submitted_at",
        "acceptance_due",
        "decision_due",
        "department",
    ]
    list_filter = ["status", "kind", "department"]
    search_fields = ["=receipt_number", "subject__name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["subject", "department"]
    exclude = ["verification_digest"]
    raw_id_fields = ["subject", "penalty", "list_entry"]
    inlines = [RepairEvidenceInline, RepairEventInline]


@admin.register(RepairEvent)
class RepairEventAdmin(ReadOnlyAdmin):
    list_display = ["application", "type", "actor", "created_at"]
    list_filter = ["type"]
    list_select_related = ["application", "actor"]
