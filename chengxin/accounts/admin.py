"""Departments, accounts and role assignments in the Django admin, under 三员分立.

The system administrator creates accounts and edits their names; only the security administrator
changes a user's department (their data scope), roles, and the active state of the security and
audit administrators (`permissions.editable_user_fields`). The admin shows every other field
read-only, refuses a submitted value for one with a Chinese message, and saves through
`accounts.actions`, which refuses again whatever reached it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chengxin.accounts import actions
from chengxin.accounts.models import Department, User, UserRole, acting_user
from chengxin.accounts.permissions import (
    ACCOUNT_FIELDS,
    CHANGE,
    DATA_SCOPE,
    can,
    editable_user_fields,
    may,
    may_change_setting,
)
from chengxin.core import local_settings
from chengxin.core.admin import ScopedAdmin
from chengxin.core.models import LocalSetting


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "credit_code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]


class UserCreationForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """New account with a password checked by the password policy (AUTH_PASSWORD_VALIDATORS).

    The department may be given at creation: the account holds no role yet, so it sees nothing
    until the security administrator assigns one (and can move it first)."""

    class Meta:
        model = User
        fields = ["username", "full_name", "department", "phone"]


class UserChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """The account's fields this admin may change; the others are shown read-only.

    `locked_fields` (set by UserAdmin.get_form) are those the acting user may not change: a value
    for one in the submitted data that differs from the account's is refused, not ignored, so a
    crafted request gets the reason."""

    actor: User
    locked_fields: frozenset[str] = frozenset()

    class Meta:
        model = User
        fields = ["username", "full_name", "department", "phone", "is_active"]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        attempted = {name for name in self.locked_fields if self._submitted_differs(name)}
        refusal = actions.account_change_refusal(self.actor, self.instance, attempted)
        if refusal:
            raise forms.ValidationError(refusal, code="separation_of_duties")
        return cleaned

    def _submitted_differs(self, name: str) -> bool:
        if name not in self.data:
            return False  # not submitted: a read-only field, or an unticked box, stays as it is
        stored = getattr(self.instance, actions.account_field(name).attname)
        if name == "is_active":
            submitted = forms.CheckboxInput().value_from_datadict(self.data, self.files, name)
            return bool(submitted) != bool(stored)
        return str(self.data.get(name, "")) != ("" if stored is None else str(stored))


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ["username", "full_name", "department", "is_active", "last_login"]
    list_filter = ["is_active", "department"]
    search_fields = ["username", "full_name"]
    readonly_fields = ["last_login", "date_joined"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = UserCreationForm
            return super().get_form(request, obj, change, **kwargs)
        kwargs["form"] = UserChangeForm
        form = super().get_form(request, obj, change, **kwargs)
        actor = acting_user(request)
        form.actor = actor  # type: ignore[attr-defined]
        form.locked_fields = ACCOUNT_FIELDS - editable_user_fields(actor, obj)  # type: ignore[attr-defined]
        return form

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["username", "full_name", "department", "phone", "password1", "password2"]
        return [
            "username",
            "full_name",
            "department",
            "phone",
            "is_active",
            "last_login",
            "date_joined",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.readonly_fields
        locked = ACCOUNT_FIELDS - editable_user_fields(request.user, obj)
        return [name for name in self.get_fields(request, obj) if name in locked] + list(
            self.readonly_fields
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Whoever may change some field of some account (the security administrator only the
        department); of one account, whoever may change some field of it."""
        if obj is None:
            return can(request.user, CHANGE, User) or may(request.user, CHANGE, DATA_SCOPE)
        return bool(editable_user_fields(request.user, obj))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        actions.update_account(obj, {}, actor=acting_user(request))


@admin.register(UserRole)
class UserRoleAdmin(ScopedAdmin):
    """Roles are given and taken (accounts.actions); an assignment is never edited."""

    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        saved = actions.assign_role(obj.user, obj.role, actor=acting_user(request))
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.revoke_role(obj.user, obj.role, actor=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for assignment in queryset.select_related("user"):
            self.delete_model(request, assignment)


class LocalSettingForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses a security-relevant key to whoever may not change it (any key typed, and the key
    of an existing row changed to one), with the reason; `actor` is set by the admin."""

    actor: Any = None

    class Meta:
        model = LocalSetting
        fields = ["key", "value", "note"]

    def clean_key(self) -> str:
        key = str(self.cleaned_data["key"]).strip()
        refusal = actions.setting_refusal(self.actor, key)
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
        actions.set_local_setting(obj.key, obj.value, actor=request.user, note=obj.note)  # type: ignore[arg-type]
        saved = LocalSetting.objects.get(key=obj.key)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.set_local_setting(obj.key, None, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for setting in queryset:
            self.delete_model(request, setting)
