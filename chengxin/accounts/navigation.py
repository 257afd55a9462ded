"""The security administrator's pages in the staff navigation (core.navigation collects them).

Every account's own page (password, own tokens) is linked from the header (我的账户)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import ApiToken, Department, SettingChange, User, UserRole
from chengxin.core.navigation import NavItem

STAFF_SECTION = (
    _("安全管理"),
    (
        NavItem(_("安全相关设置"), "accounts:security_settings", SettingChange),
        NavItem(_("登录锁定"), "accounts:lockouts", AccessAttempt),
        NavItem(_("接口令牌"), "accounts:tokens", ApiToken),
    ),
)

# The accounts' pages, in core's 系统管理 section.
STAFF_ITEMS = (
    (
        "core",
        (
            NavItem(_("部门"), "admin:accounts_department_changelist", Department),
            NavItem(_("用户"), "admin:accounts_user_changelist", User),
            NavItem(_("角色分配"), "admin:accounts_userrole_changelist", UserRole),
        ),
    ),
)
