from django.contrib import admin

from chengxin.core.admin import ScopedAdmin
from chengxin.publicity.models import LicenseRecord, PenaltyRecord, RecordVersion


class RecordAdmin(ScopedAdmin):
    """Read-mostly reference view; records change through the workflow pages (actions)."""

    list_display = [
        "decision_number",
        "subject_name",
        "decision_date",
        "deadline",
        "timeliness",
        "status",
        "department",
    ]
    list_filter = ["status", "timeliness", "department"]
    search_fields = ["=decision_number", "subject_name", "=subject_credit_code"]
    date_hierarchy = "decision_date"
    exclude = ["id_number_ciphertext", "id_number_index", "legal_representative_id_ciphertext"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(LicenseRecord, RecordAdmin)
admin.site.register(PenaltyRecord, RecordAdmin)


@admin.register(RecordVersion)
class RecordVersionAdmin(ScopedAdmin):
    list_display = ["kind", "record_id", "version", "replaced_at", "reason"]
    list_filter = ["kind"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
