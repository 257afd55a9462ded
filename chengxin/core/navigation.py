"""The staff area's per-module navigation: each app adds its entries here as it lands."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department, User, UserRole
from chengxin.accounts.permissions import VIEW, can
from chengxin.audit.models import AuditEntry
from chengxin.core.models import WorkdayOverride
from chengxin.subjects.models import Subject


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    model: type[models.Model]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


STAFF_NAVIGATION: tuple[tuple[str | Promise, tuple[NavItem, ...]], ...] = (
    (
        _("信用信息"),
        (NavItem(_("信用主体"), "admin:subjects_subject_changelist", Subject),),
    ),
    (
        _("系统管理"),
        (
            NavItem(_("部门"), "admin:accounts_department_changelist", Department),
            NavItem(_("用户"), "admin:accounts_user_changelist", User),
            NavItem(_("角色分配"), "admin:accounts_userrole_changelist", UserRole),
            NavItem(_("节假日调整"), "admin:core_workdayoverride_changelist", WorkdayOverride),
            NavItem(_("审计日志"), "admin:audit_auditentry_changelist", AuditEntry),
        ),
    ),
)


def navigation_for(user: User) -> list[tuple[str | Promise, list[NavItem]]]:
    """The sections and entries this user may open."""
    sections = []
    for title, items in STAFF_NAVIGATION:
        visible = [item for item in items if can(user, VIEW, item.model)]
        if visible:
            sections.append((title, visible))
    return sections
