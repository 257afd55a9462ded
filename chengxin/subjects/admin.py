from django.contrib import admin

from chengxin.core.admin import ScopedAdmin
from chengxin.subjects.models import Subject


@admin.register(Subject)
class SubjectAdmin(ScopedAdmin):
    """Staff view of subjects; ID numbers appear masked only (full view: reveal, audited)."""

    list_display = ["name", "category", "credit_code", "id_number_masked", "legal_representative"]
    list_filter = ["category"]
    search_fields = ["name", "=credit_code"]
    readonly_fields = ["id_number_masked"]
    fields = ["name", "category", "credit_code", "legal_representative", "id_number_masked"]
