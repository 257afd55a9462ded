from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.http import HttpRequest

from chengxin.accounts.models import Department, User, UserRole
from chengxin.core.admin import ScopedAdmin


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "credit_code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "credit_code"]


class UserCreationForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """New account with a password checked by the password policy (AUTH_PASSWORD_VALIDATORS)."""

    class Meta:
        model = User
        fields = ["username", "full_name", "department", "phone"]


class UserChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["username", "full_name", "department", "phone", "is_active"]


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ["username", "full_name", "department", "is_active", "last_login"]
    list_filter = ["is_active", "department"]
    search_fields = ["username", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    change_password_form = AdminPasswordChangeForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = UserChangeForm if obj is not None else UserCreationForm
        return super().get_form(request, obj, change, **kwargs)

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


@admin.register(UserRole)
class UserRoleAdmin(ScopedAdmin):
    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]
