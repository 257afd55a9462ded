"""Staff pages of the account's own security and of the security administrator.

Everyone: 我的账户 (the account, its password, its API tokens). The security administrator
also: every account's tokens, the security-relevant local settings with their pending changes
(双人复核), and the login lockouts. The views call `accounts.actions` and never decide a rule.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts import actions, login_throttle, rules
from chengxin.accounts.choices import SettingChangeStatus
from chengxin.accounts.forms import OwnPasswordChangeForm, SettingForm, TokenForm, UnlockForm
from chengxin.accounts.models import ApiToken, SettingChange, acting_user
from chengxin.accounts.permissions import ADD, DELETE, SECURITY_POLICY, VIEW, can, may
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.core.pagination import paginate
from chengxin.core.views import error_response

PAGE_SIZE = 50


class StaffLoginView(auth_views.LoginView):
    """The login page; a login refused because its address is throttled answers 429."""

    def form_invalid(self, form: Any) -> HttpResponse:
        if getattr(self.request, "login_throttled", False):
            message = _(
                "来自该地址的登录失败次数过多，已暂停从该地址登录。请 %(minutes)d 分钟后再试，"
                "或联系安全管理员解除。"
            ) % {"minutes": int(login_throttle.lockout_period().total_seconds() // 60)}
            response = error_response(self.request, 429, message)
            response["Retry-After"] = str(int(login_throttle.lockout_period().total_seconds()))
            return response
        return super().form_invalid(form)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- the account itself -----------------------------------------------------------------------


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {
        "account": user,
        "active_tokens": ApiToken.objects.filter(user=user, is_active=True).count(),
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (the same policy as new accounts); stays logged in."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response


# --- API tokens -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The tokens this user may see (their own; every account's for the security
    administrator) and a form to issue one. A new token is shown on the answer to the POST
    only, never stored in plaintext (`never_cache`: no copy in a cache either)."""
    user = acting_user(request)
    for_others = can(user, ADD, ApiToken)
    form = TokenForm(request.POST or None, for_others=for_others)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.get("username") or user
        try:
            record, token = actions.create_api_token(
                owner,
                form.cleaned_data["name"],
                actor=user,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return render(
                request, "accounts/token_created.html", {"record": record, "token": token}
            )
    queryset = ApiToken.objects.visible_to(user).select_related("user").order_by("-created_at")
    context = {
        "form": form,
        "page": paginate(request, queryset, PAGE_SIZE),
        "show_owner": can(user, VIEW, ApiToken),
    }
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    token = get_object_or_404(ApiToken.objects.visible_to(user), pk=pk)
    try:
        actions.revoke_api_token(token, actor=user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("令牌“%(token)s”已撤销。") % {"token": token})
    return redirect("accounts:tokens")


# --- security-relevant local settings ---------------------------------------------------------


def _security_admin(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not may(user, VIEW, SECURITY_POLICY):
        raise PermissionDenied
    return user


def display_value(declaration: local_settings.Declaration, raw: str | None) -> str:
    """A setting's value as the page shows it (是/否 for yes/no; a stored value that no longer
    parses as it is)."""
    try:
        value = declaration.default if raw is None else declaration.parse(raw)
    except (ValueError, ArithmeticError):
        return raw or ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value) if str(value) != "" else _("（空）")


def _stored() -> dict[str, tuple[str, str]]:
    """key → (value, note) of every stored local setting."""
    rows = LocalSetting.objects.values_list("key", "value", "note")
    return {key: (value, note) for key, value, note in rows}


@login_required
@require_safe
def security_settings(request: HttpRequest) -> HttpResponse:
    """Every security-relevant setting with its default, its value and any pending change;
    the pending changes to approve; the latest decided ones."""
    _security_admin(request)
    declarations = local_settings.all_declarations()
    stored = _stored()
    changes = SettingChange.objects.select_related("requested_by", "decided_by")
    pending = list(changes.filter(status=SettingChangeStatus.PENDING).order_by("created_at"))
    pending_keys = {change.key for change in pending}
    rows = [
        {
            "declaration": declaration,
            "default": display_value(declaration, None),
            "current": display_value(declaration, stored[key][0]) if key in stored else None,
            "note": stored.get(key, ("", ""))[1],
            "pending": key in pending_keys,
        }
        for key, declaration in sorted(declarations.items())
        if local_settings.is_security_relevant(key)
    ]

    def labelled(items: list[SettingChange]) -> list[tuple[SettingChange, Any]]:
        return [(c, getattr(declarations.get(c.key), "label", c.key)) for c in items]

    context = {
        "rows": rows,
        "pending": labelled(pending),
        "recent": labelled(list(changes.exclude(status=SettingChangeStatus.PENDING)[:20])),
        "second_approval": actions.needs_second_approval(rules.SECOND_APPROVAL.key),
    }
    return render(request, "accounts/security_settings.html", context)


def _initial(declaration: local_settings.Declaration, stored: tuple[str, str] | None) -> str:
    """The value in force, as the form edits it (是/否 for a yes/no setting)."""
    if isinstance(declaration.default, bool):
        return display_value(declaration, stored[0] if stored else None)
    return stored[0] if stored else str(declaration.default)


def _value_field(declaration: local_settings.Declaration) -> forms.Field:
    if isinstance(declaration.default, bool):
        return forms.ChoiceField(label=_("取值"), choices=[("是", _("是")), ("否", _("否"))])
    return forms.CharField(label=_("取值"), max_length=200, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def security_setting(request: HttpRequest, key: str) -> HttpResponse:
    """Change one security-relevant setting, or restore its default (the `reset` button)."""
    user = _security_admin(request)
    declaration = local_settings.all_declarations().get(key)
    if declaration is None or not local_settings.is_security_relevant(key):
        raise Http404
    stored = _stored().get(key)
    current = display_value(declaration, stored[0]) if stored else None
    form = SettingForm(request.POST or None, initial={"value": _initial(declaration, stored)})
    form.fields["value"] = _value_field(declaration)
    if request.method == "POST" and ("reset" in request.POST or form.is_valid()):
        value = None if "reset" in request.POST else form.cleaned_data["value"]
        note = form.cleaned_data.get("note", "") if form.is_valid() else ""
        try:
            change = actions.set_local_setting(key, value, actor=user, note=note)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if change is None:
                done = _("“%(label)s”已保存，立即生效。") % {"label": declaration.label}
            else:
                done = _("变更已提交，须由另一名安全管理员批准后生效。")
            messages.success(request, done)
            return redirect("accounts:security_settings")
    context = {
        "declaration": declaration,
        "default": display_value(declaration, None),
        "current": current,
        "form": form,
        "second_approval": actions.needs_second_approval(key),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/security_setting.html", context, status=status)


@login_required
@require_POST
def setting_change_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = _security_admin(request)
    change = get_object_or_404(SettingChange, pk=pk)
    decide = (
        actions.approve_setting_change if decision == "approve" else actions.refuse_setting_change
    )
    try:
        decide(change, actor=user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        done = _("已批准，设置已生效。") if decision == "approve" else _("已驳回。")
        messages.success(request, done)
    return redirect("accounts:security_settings")


# --- lockouts ---------------------------------------------------------------------------------


@login_required
@require_safe
def lockouts(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, AccessAttempt):
        raise PermissionDenied
    context = {
        "accounts": login_throttle.locked_accounts(),
        "addresses": login_throttle.throttled_addresses(),
        "can_unlock": can(request.user, DELETE, AccessAttempt),
    }
    return render(request, "accounts/lockouts.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请指定有效的账户或地址。"))
        return redirect("accounts:lockouts")
    username, address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
    try:
        count = actions.unlock_login(
            actor=acting_user(request), username=username, ip_address=address
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("已解除锁定（清除 %(count)d 条登录失败记录）。") % {"count": count}
        )
    return redirect("accounts:lockouts")
