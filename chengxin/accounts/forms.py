from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.actions import change_password
from chengxin.accounts.models import User


class LoginForm(AuthenticationForm):
    """The staff login form; django-axes counts its failures (5 for one account from one address,
    then 15 minutes locked there), accounts.login_throttle those of an address over all accounts."""

    error_messages = {
        "invalid_login": _(
            "用户名或密码不正确。同一地址连续失败 5 次，该账户将在此地址锁定 15 分钟。"
        ),
        "inactive": _("该账户已停用。"),
    }
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OwnPasswordChangeForm(PasswordChangeForm):
    """The old password, then the new one twice; the policy (AUTH_PASSWORD_VALIDATORS) applies
    in the form and again in `accounts.actions.change_password`, which saves and audits."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")

    def save(self, commit: bool = True) -> Any:
        change_password(self.user, self.cleaned_data["new_password1"], actor=self.user)
        return self.user


class TokenForm(forms.Form):
    """A new API token: the system that will use it, its last valid day, and (for the security
    administrator) the account it acts as."""

    username = forms.CharField(
        label=_("账户（用户名）"),
        max_length=150,
        required=False,
        help_text=_("令牌以该账户的角色和部门访问接口；留空为您自己的账户。"),
    )
    name = forms.CharField(label=_("接入系统名称"), max_length=100)
    expires_on = forms.DateField(
        label=_("有效期至（含当日）"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, for_others: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        default = today + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
        latest = today + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
        self.fields["expires_on"].initial = default
        self.fields["expires_on"].help_text = _("最长至 %(latest)s（%(days)d 天）。") % {
            "latest": latest.isoformat(),
            "days": settings.API_TOKEN_MAX_DAYS,
        }
        self.fields["expires_on"].widget.attrs.update(
            {"min": today.isoformat(), "max": latest.isoformat()}
        )
        if not for_others:
            del self.fields["username"]

    def clean_username(self) -> User | None:
        username = self.cleaned_data.get("username", "").strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有该用户名的账户。"))
        return user


class SettingForm(forms.Form):
    """A new value of one local setting, with the basis for it."""

    value = forms.CharField(label=_("取值"), max_length=200, required=False)
    note = forms.CharField(label=_("依据或说明"), max_length=200, required=False)


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150, required=False)
    ip_address = forms.GenericIPAddressField(required=False)
