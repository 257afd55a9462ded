"""Departments (数据来源单位) and the people who work in them."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from chengxin.accounts import permissions
from chengxin.accounts.choices import SEPARATED_ROLES, DepartmentKind, Role
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


class ApiToken(ChangeLoggedModel):
    """A credential another system (an approval or trading system) uses for the JSON API.

    It acts as its `user` (usually a service account with one department and one role), so the API
    obeys the same role grants and department scope as the pages. Only a SHA-256 of the token is
    stored; the token itself is shown once, when created (`chengxin create_api_token`).
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

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
