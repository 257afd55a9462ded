"""The admin of core's reference data, and `ScopedAdmin` every app's admin extends.

The local settings' admin is the accounts app's (accounts/admin.py): who may change a
security-relevant setting is its rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from chengxin.core.models import HolidayNotice, WorkdayOverride
from chengxin.core.permissions import VIEW, restrict


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin for reference data: rows limited by the same rules as every other list."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, VIEW)


class WorkdayOverrideInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkdayOverride
    extra = 3
    fields = ["date", "kind", "note"]


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(ScopedAdmin):
    list_display = ["year", "title", "document_number", "published_on"]
    inlines = [WorkdayOverrideInline]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ScopedAdmin):
    list_display = ["date", "kind", "notice", "note"]
    list_filter = ["kind", "notice__year"]
    date_hierarchy = "date"
