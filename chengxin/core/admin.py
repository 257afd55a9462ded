from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.actions import set_local_setting, setting_refusal
from chengxin.accounts.permissions import VIEW, may_change_setting, restrict
from chengxin.core import local_settings
from chengxin.core.models import HolidayNotice, LocalSetting, WorkdayOverride


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


class LocalSettingForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses a security-relevant key to whoever may not change it (any key typed, and the key
    of an existing row changed to one), with the reason; `actor` is set by the admin."""

    actor: Any = None

    class Meta:
        model = LocalSetting
        fields = ["key", "value", "note"]

    def clean_key(self) -> str:
        key = str(self.cleaned_data["key"]).strip()
        refusal = setting_refusal(self.actor, key)
        if refusal:
            raise forms.ValidationError(refusal, code="security_relevant")
        return key


@admin.register(LocalSetting)
class LocalSettingAdmin(ScopedAdmin):
    """The system administrator's local settings. A security-relevant one (core.local_settings)
    is shown read-only here: the security administrator changes it on the 安全相关设置 page, and
    `accounts.actions.set_local_setting` refuses anyone else whatever the request."""

    list_display = ["key", "value", "security_relevant", "note", "updated_at"]
    search_fields = ["key"]
    form = LocalSettingForm

    @admin.display(description=_("安全相关"), boolean=True)
    def security_relevant(self, obj: LocalSetting) -> bool:
        return local_settings.is_security_relevant(obj.key)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        local_settings.all_declarations()  # every setting declared before the key is checked
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_change_setting(request.user, obj.key))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_change_setting(request.user, obj.key))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["key"] if obj is not None else []  # a row is one setting's; reset it instead

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        set_local_setting(obj.key, obj.value, actor=request.user, note=obj.note)  # type: ignore[arg-type]
        saved = LocalSetting.objects.get(key=obj.key)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        set_local_setting(obj.key, None, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for setting in queryset:
            self.delete_model(request, setting)
