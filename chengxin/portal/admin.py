from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chengxin.core.admin import ScopedAdmin
from chengxin.portal.models import CreditReport


@admin.register(CreditReport)
class CreditReportAdmin(ScopedAdmin):
    """Issued credit reports, for answering "did you issue this?"; nothing here is edited."""

    list_display = ["number", "subject_name", "generated_at", "penalty_count", "license_count"]
    search_fields = ["=number", "subject_name"]
    date_hierarchy = "generated_at"
    exclude = ["verification_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
