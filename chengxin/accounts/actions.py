"""Account actions: each checks who may act, changes the data and leaves the audit trail.

Who may do what is answered by `accounts.permissions` (三员分立: `editable_user_fields`,
`may_change_setting`); the actions here refuse what it does not allow, with a Chinese message,
whatever page, form or command called them. Views and the admin only call them.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts import rules
from chengxin.accounts.choices import Role, SettingChangeStatus
from chengxin.accounts.models import ApiToken, SettingChange, User, UserRole
from chengxin.accounts.permissions import (
    ACCOUNT_FIELDS,
    ADD,
    CHANGE,
    DELETE,
    SECURITY_POLICY,
    can,
    editable_user_fields,
    is_guarded_account,
    may,
    may_change_setting,
)
from chengxin.accounts.tokens import issue_token
from chengxin.audit import log
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting

# --- roles ------------------------------------------------------------------------------------


def assign_role(user: User, role: str, *, actor: User | None) -> UserRole:
    """Give `user` the `role`. Only the security administrator may (None: system bootstrap).

    Refuses a combination that breaks 三员分立 (UserRole.clean).
    """
    if actor is not None and not can(actor, ADD, UserRole):
        raise PermissionDenied(_("只有安全管理员可以分配角色。"))
    with transaction.atomic(), audit_context(actor=actor):
        assignment = UserRole(user=user, role=role)
        assignment.full_clean()
        assignment.save()
    user.__dict__.pop("roles", None)
    return assignment


def revoke_role(user: User, role: str, *, actor: User) -> None:
    """Take `role` from `user`. Only the security administrator may."""
    if not can(actor, DELETE, UserRole):
        raise PermissionDenied(_("只有安全管理员可以撤销角色。"))
    with transaction.atomic(), audit_context(actor=actor):
        for assignment in UserRole.objects.filter(user=user, role=role):
            assignment.delete()
    user.__dict__.pop("roles", None)


# --- accounts ---------------------------------------------------------------------------------


def changed_account_fields(user: User) -> set[str]:
    """The account fields of `user` (ACCOUNT_FIELDS) whose value differs from the stored one."""
    if user._loaded_values is None:  # not read from the database: every field is new
        return set(ACCOUNT_FIELDS)
    changed = set()
    for name in ACCOUNT_FIELDS:
        attname = account_field(name).attname
        if getattr(user, attname) != user._loaded_values.get(attname):
            changed.add(name)
    return changed


def account_field(name: str) -> Field[Any, Any]:
    field = User._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def account_change_refusal(actor: User, target: User, fields: set[str]) -> str | None:
    """Why `actor` may not change these `fields` of `target`'s account, or None if it may."""
    refused = fields - editable_user_fields(actor, target)
    if not refused:
        return None
    if "department" in refused:
        return _("用户的所属部门决定其数据范围，只能由安全管理员分配。")
    if "is_active" in refused and actor.pk == target.pk:
        return _("不能停用或启用自己的账户。")
    if "is_active" in refused and is_guarded_account(target):
        return _("安全管理员、审计管理员账户的启用状态只能由安全管理员变更。")
    labels = "、".join(str(account_field(name).verbose_name) for name in sorted(refused))
    return _("您无权修改该账户的以下信息：%(fields)s。") % {"fields": labels}


def update_account(user: User, changes: dict[str, Any], *, actor: User) -> User:
    """Change fields of an existing account (name, user name, phone, department, active state).

    Precondition: `actor` may change every field that differs from the stored account
    (`permissions.editable_user_fields`: the department only by the security administrator, the
    active state of the security and audit administrators only by the security administrator,
    nobody their own). Values set on `user` before the call count as changes too, so a form that
    has already assigned them cannot slip one past. Side effect: the account saved, audited as
    changed by `actor`. Raises PermissionDenied (with the reason) or ValidationError.
    """
    for name, value in changes.items():
        if name not in ACCOUNT_FIELDS:
            raise ValueError(f"not an account field: {name}")
        setattr(user, name, value)
    refusal = account_change_refusal(actor, user, changed_account_fields(user))
    if refusal:
        raise PermissionDenied(refusal)
    with transaction.atomic(), audit_context(actor=actor):
        user.full_clean()
        user.save()
    return user


def change_password(user: User, new_password: str, *, actor: User) -> None:
    """Set a new password for the actor's own account, under the password policy
    (AUTH_PASSWORD_VALIDATORS, accounts.passwords). The form checks the old password first.

    Side effect: an audit entry saying the password changed (never the password or its hash).
    """
    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的密码。"))
    validate_password(new_password, user)
    with transaction.atomic(), audit_context(actor=actor):
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        event = log.event_for(AuditAction.UPDATED, user, after={"password": "（已修改）"})
        log.append([event])


# --- API tokens -------------------------------------------------------------------------------


def may_manage_token(actor: User, token: ApiToken) -> bool:
    """Everyone manages their own tokens; the security administrator every account's."""
    return token.user_id == actor.pk or can(actor, CHANGE, ApiToken)


def token_expiry(expires_on: datetime.date | None) -> datetime.datetime:
    """The moment a token valid through `expires_on` (a local date; None: the default term,
    API_TOKEN_DEFAULT_DAYS from today) ends: the following midnight, Beijing time.

    Raises ValidationError for a date before today or beyond API_TOKEN_MAX_DAYS from today."""
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    expires_on = expires_on or today + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    if expires_on < today:
        raise ValidationError({"expires_on": _("有效期不能早于今天。")})
    if expires_on > latest:
        message = _("有效期最长 %(days)d 天，即不晚于 %(latest)s。") % {
            "days": settings.API_TOKEN_MAX_DAYS,
            "latest": latest.isoformat(),
        }
        raise ValidationError({"expires_on": message})
    midnight = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def create_api_token(
    user: User, name: str, *, actor: User | None, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """Issue a token acting as `user` for the system `name`, valid through `expires_on`.

    Precondition: `actor` is `user` or the security administrator (None: the server's command
    line); `user` is active; the expiry within the limits (`token_expiry`). Side effect: the
    ApiToken row, audited as created by `actor`. Returns it with the plaintext token, which is
    shown once and never stored.
    """
    if actor is not None and actor.pk != user.pk and not can(actor, ADD, ApiToken):
        raise PermissionDenied(_("只能为自己的账户签发令牌；为其他账户签发须由安全管理员操作。"))
    if not user.is_active:
        raise ValidationError({"user": _("该账户已停用，不能签发令牌。")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写使用该令牌的接入系统名称。")})
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": _("接入系统名称过长。")})
    expires_at = token_expiry(expires_on)
    with transaction.atomic(), audit_context(actor=actor):
        return issue_token(user, name, expires_at=expires_at)


def revoke_api_token(token: ApiToken, *, actor: User | None) -> ApiToken:
    """End `token` now (`is_active` off; kept, with its last use, for the record).

    Precondition: `actor` owns it or is the security administrator (None: the command line);
    the token is not revoked yet. Side effect: audited as changed by `actor`.
    """
    if actor is not None and not may_manage_token(actor, token):
        raise PermissionDenied(_("只能撤销自己的令牌；撤销其他账户的令牌须由安全管理员操作。"))
    with transaction.atomic(), audit_context(actor=actor):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not token.is_active:
            raise ValidationError(_("该令牌已撤销。"))
        token.is_active = False
        token.save()
    return token


# --- local settings ---------------------------------------------------------------------------


def _declaration(key: str) -> local_settings.Declaration:
    declaration = local_settings.all_declarations().get(key)
    if declaration is None:
        raise ValidationError({"key": _("未知的设置项。")})
    return declaration


def setting_refusal(actor: User, key: str) -> str | None:
    """Why `actor` may not change the local setting `key`, or None if it may."""
    if may_change_setting(actor, key):
        return None
    if local_settings.is_security_relevant(key):
        return _("“%(key)s”是安全相关设置，只能由安全管理员在“安全相关设置”页面修改。") % {
            "key": key
        }
    return _("您无权修改本地设置。")


def needs_second_approval(key: str) -> bool:
    """Whether a change of `key` waits for a second security administrator. The rule is read
    from the database, not from local_settings' minute-long cache: just switched on in one web
    worker, it holds in every other at once."""
    if not local_settings.is_security_relevant(key):
        return False
    row = LocalSetting.objects.filter(key=rules.SECOND_APPROVAL.key).first()
    return bool(rules.SECOND_APPROVAL.parse(row.value)) if row else rules.SECOND_APPROVAL.default


def set_local_setting(
    key: str, value: str | None, *, actor: User, note: str = ""
) -> SettingChange | None:
    """Set the local setting `key` to `value` (None: restore the default, deleting its row).

    Precondition: `actor` may change it (`permissions.may_change_setting`: a security-relevant
    setting only the security administrator); the value parses as the setting's type. Under the
    two-person rule (`accounts.second_approval`) a security-relevant change is not applied but
    returned as a pending SettingChange for another security administrator; at most one is
    pending per setting. Otherwise applied at once (None returned), audited as changed by `actor`.
    Switching the two-person rule on needs two active security administrators.
    """
    refusal = setting_refusal(actor, key)
    if refusal:
        raise PermissionDenied(refusal)
    declaration = _declaration(key)
    if value is not None:
        value = value.strip()
        _check_value(declaration, value)
    with transaction.atomic(), audit_context(actor=actor):
        if key == rules.SECOND_APPROVAL.key and value is not None:
            _check_second_approval_possible(declaration.parse(value))
        if not needs_second_approval(key):
            _apply_setting(key, value, note)
            return None
        if SettingChange.objects.filter(key=key, status=SettingChangeStatus.PENDING).exists():
            raise ValidationError(_("该设置项已有待审批的变更，请先批准或驳回。"))
        return SettingChange.objects.create(
            key=key, value=value or "", is_reset=value is None, note=note, requested_by=actor
        )


def _check_value(declaration: local_settings.Declaration, value: str) -> None:
    try:
        declaration.parse(value)
    except local_settings.InvalidSetting as exc:
        raise ValidationError({"value": _("取值格式不正确：") + str(exc)}) from exc
    except (ValueError, ArithmeticError) as exc:
        raise ValidationError({"value": _("取值格式不正确。")}) from exc


def _check_second_approval_possible(switched_on: bool) -> None:
    security_admins = User.objects.filter(
        is_active=True, role_assignments__role=Role.SECURITY_ADMIN
    ).count()
    if switched_on and security_admins < 2:
        raise ValidationError(_("启用双人复核前须至少有两名启用的安全管理员。"))


def _apply_setting(key: str, value: str | None, note: str) -> None:
    if value is None:
        for row in LocalSetting.objects.filter(key=key):
            row.delete()
        return
    row = LocalSetting.objects.filter(key=key).first() or LocalSetting(key=key)
    row.value, row.note = value, note
    row.full_clean()
    row.save()


def _decide(change: SettingChange, actor: User) -> SettingChange:
    if not may(actor, CHANGE, SECURITY_POLICY):
        raise PermissionDenied(_("只有安全管理员可以审批安全相关设置的变更。"))
    change = SettingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != SettingChangeStatus.PENDING:
        raise ValidationError(_("该变更已处理。"))
    return change


def approve_setting_change(change: SettingChange, *, actor: User) -> SettingChange:
    """Apply a pending change of a security-relevant setting (双人复核).

    Precondition: `actor` is a security administrator other than the one who asked; the change
    is pending. Side effects: the setting set (or reset), the change marked approved by `actor`;
    both audited.
    """
    with transaction.atomic(), audit_context(actor=actor):
        change = _decide(change, actor)
        if change.requested_by_id == actor.pk:
            raise ValidationError(_("须由另一名安全管理员批准，申请人不能批准自己的变更。"))
        _apply_setting(change.key, None if change.is_reset else change.value, change.note)
        change.status, change.decided_by, change.decided_at = (
            SettingChangeStatus.APPROVED,
            actor,
            timezone.now(),
        )
        change.save()
    return change


def refuse_setting_change(change: SettingChange, *, actor: User) -> SettingChange:
    """Refuse (or, by the one who asked, withdraw) a pending change; the setting stays as it is.

    Precondition: `actor` is a security administrator; the change is pending. Side effect: the
    change marked refused by `actor`, audited.
    """
    with transaction.atomic(), audit_context(actor=actor):
        change = _decide(change, actor)
        change.status, change.decided_by, change.decided_at = (
            SettingChangeStatus.REFUSED,
            actor,
            timezone.now(),
        )
        change.save()
    return change


# --- lockouts ---------------------------------------------------------------------------------


def unlock_login(*, actor: User, username: str = "", ip_address: str = "") -> int:
    """Clear failed logins: of `username` from `ip_address` (an account locked at an address),
    of `username` from every address (no address), or of every account from `ip_address` (no
    user name: this also lifts the address's failed-login throttle).

    Precondition: `actor` is the security administrator (axes' records: DELETE). Side effect:
    django-axes' failure records deleted (`axes.utils.reset`), audited as one deletion naming
    the account, the address and the number of failures. Returns the records deleted.
    """
    if not can(actor, DELETE, AccessAttempt):
        raise PermissionDenied(_("只有安全管理员可以解除登录锁定。"))
    if not username and not ip_address:
        raise ValidationError(_("请指定账户或地址。"))
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    with transaction.atomic(), audit_context(actor=actor):
        failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        count = int(reset_attempts(ip=ip_address or None, username=username or None))
        where = f"{username or _('所有账户')} @ {ip_address or _('所有地址')}"
        event = log.Event(
            action=AuditAction.DELETED,
            object_type=AccessAttempt._meta.label_lower,
            object_repr=(_("登录失败记录（解除锁定）") + f" {where}")[:200],
            before={"username": username, "ip_address": ip_address, "failures": failures},
        )
        log.append([event])
    return count
