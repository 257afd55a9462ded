from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chengxin.core.admin import ScopedAdmin
from chengxin.screening.forms_lists import MeasureForm
from chengxin.screening.models import ListEntry, ListType, Measure, Scenario


@admin.register(ListType)
class ListTypeAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "listing_authority", "is_repairable", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "=code"]


@admin.register(Scenario)
class ScenarioAdmin(ScopedAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "=code"]


@admin.register(Measure)
class MeasureAdmin(ScopedAdmin):
    """The catalogue through the same form as the staff page (kind matches the lists' kind)."""

    form = MeasureForm
    list_display = ["code", "name", "kind", "effect", "source", "is_active"]
    list_filter = ["kind", "effect", "source", "is_active"]
    search_fields = ["=code", "name"]


@admin.register(ListEntry)
class ListEntryAdmin(ScopedAdmin):
    """Read-only reference view; entries change through the list pages (actions), and removed
    entries are history, never deleted."""

    list_display = [
        "subject_name",
        "credit_code",
        "id_number_masked",
        "list_type",
        "document_number",
        "listed_on",
        "ends_on",
        "status",
    ]
    list_filter = ["list_type", "status"]
    search_fields = ["subject_name", "=credit_code", "=document_number"]
    date_hierarchy = "listed_on"
    exclude = ["id_number_ciphertext", "id_number_index"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
