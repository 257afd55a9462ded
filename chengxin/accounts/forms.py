from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The staff login form; django-axes counts its failures (5, then 15 minutes locked)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败 5 次将锁定 15 分钟。"),
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
