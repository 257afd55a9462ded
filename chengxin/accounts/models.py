"""Departments (数据来源单位) and the people who work in them."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts import permissions
from chengxin.accounts.choices import (
    SEPARATED_ROLES,
    DepartmentKind,
    Role,
    SettingChangeStatus,
)
from chengxin.core.identifiers import validate_uscc
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet


class Department(ChangeLoggedModel):
    """A government body of the district: a bureau, a township or street, or an authorised
    organisation. As 数据来源单位 it submits 双公示 records; staff belong to one."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    permission_area = "departments"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            self.credit_code = validate_uscc(self.credit_code, allow_placeholder=False)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from exc


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, ChangeLoggedModel):
    """A civil servant with an account.

    Permissions come only from roles: there is no superuser (三员分立).
    """

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    full_name = models.CharField(_("姓名"), max_length=100)
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("部门"),
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    date_joined = models.DateTimeField(_("创建时间"), auto_now_add=True)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]
    permission_area = "accounts"
    department_field = "department"
    audit_exclude_fields = frozenset({"password", "last_login"})

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）"

    @cached_property
    def roles(self) -> frozenset[str]:
        """Read on every request (pages and API) in plain SQL: the ORM's compilation of this
        query cost more than the query, and UserRole's ordering would join the user."""
        with connection.cursor() as cursor:
            table = UserRole._meta.db_table
            cursor.execute(f"SELECT role FROM {table} WHERE user_id = %s", [self.pk])  # noqa: S608
            return frozenset(role for (role,) in cursor.fetchall())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """Whether the Django admin (reference data) opens: any role that manages something."""
        return self.is_active and self.has_role(
            Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.CREDIT_ADMIN
        )

    @property
    def is_superuser(self) -> bool:
        return False  # 三员分立: no account may do everything.

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        return permissions.has_django_perm(self, perm, obj)

    def has_perms(self, perm_list: Any, obj: models.Model | None = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return permissions.has_module_perms(self, app_label)


def acting_user(request: Any) -> User:
    """The logged-in user of a request (views behind login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("login required")
    return user


class UserRole(ChangeLoggedModel):
    """One role held by one user, assigned by the security administrator."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="role_assignments", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    permission_area = "roles"

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        ordering = ["user", "role"]
        constraints = [models.UniqueConstraint("user", "role", name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        """三员分立: an administrator role is held alone."""
        super().clean()
        if self.user_id is None:
            return
        others = set(
            UserRole.objects.filter(user_id=self.user_id)
            .exclude(pk=self.pk)
            .values_list("role", flat=True)
        )
        if others and (self.role in SEPARATED_ROLES or others & SEPARATED_ROLES):
            raise ValidationError(
                {"role": _("三员分立：系统管理员、安全管理员、审计管理员不得兼任其他角色。")},
                code="separation_of_duties",
            )


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: User | Any) -> ApiTokenQuerySet:
        """Every account's tokens for the security administrator; otherwise the user's own."""
        if permissions.can(user, permissions.VIEW, ApiToken):
            return self
        pk = getattr(user, "pk", None)
        return self.filter(user_id=pk) if pk is not None else self.none()


class ApiToken(ChangeLoggedModel):
    """A credential another system (an approval or trading system) uses for the JSON API.

    It acts as its `user` (usually a service account with one department and one role), so the API
    obeys the same role grants and department scope as the pages. Only a SHA-256 of the token is
    stored; the token itself is shown once, when created (`chengxin tokens create` or the staff
    page 接口令牌). A token ends when it is revoked (`is_active` off) or at `expires_at`.
    """

    user = models.ForeignKey(
        User, models.CASCADE, related_name="api_tokens", verbose_name=_("账户")
    )
    name = models.CharField(_("接入系统名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    permission_area = "roles"
    audit_exclude_fields = frozenset({"token_hash", "last_used_at"})

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def valid_through(self) -> datetime.date | None:
        """The last day the token is valid (it ends at the following midnight), or None."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state_label(self) -> str:
        if not self.is_active:
            return str(_("已撤销"))
        return str(_("已过期")) if self.is_expired else str(_("有效"))


class SettingChange(ChangeLoggedModel):
    """A change of a security-relevant local setting waiting for a second security administrator
    (双人复核), when the local setting `accounts.second_approval` asks for one.

    `value` is the new value, or `is_reset` restores the default (the LocalSetting row is
    deleted). Nothing changes until another security administrator approves it
    (`accounts.actions.approve_setting_change`).
    """

    key = models.CharField(_("设置项"), max_length=100)
    value = models.CharField(_("新取值"), max_length=200, blank=True)
    is_reset = models.BooleanField(_("恢复默认值"), default=False)
    note = models.CharField(_("依据或说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SettingChangeStatus.choices,
        default=SettingChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        User, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    decided_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    permission_area = "security_policy"

    class Meta:
        verbose_name = _("安全相关设置变更")
        verbose_name_plural = _("安全相关设置变更")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One pending change per setting: a second would be approved against a stale value.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status="pending"),
                name="one_pending_change_per_setting",
            )
        ]

    def __str__(self) -> str:
        target = _("恢复默认值") if self.is_reset else self.value
        return f"{self.key} → {target}（{self.get_status_display()}）"
