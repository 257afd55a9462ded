"""The staff area's per-module navigation, and the public open-government links.

The first modules list their entries here. Later apps bring their own `navigation.py` with
`STAFF_SECTION = (title, (NavItem, ...))` and optionally `PUBLIC_LINKS = ((label, url name), ...)`;
they are found in INSTALLED_APPS order, like the demo steps.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department, User, UserRole
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, IMPORT, VIEW, can
from chengxin.audit.models import AuditEntry
from chengxin.core.models import LocalSetting, Region, WorkdayOverride
from chengxin.imports.models import ImportBatch
from chengxin.outbox.models import OutboxMessage
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.repair.models import RepairApplication
from chengxin.screening.models import (
    CheckBatch,
    CreditCheck,
    ListEntry,
    ListImport,
    ListType,
    Measure,
)
from chengxin.subjects.models import Subject


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    model: type[models.Model]
    kwargs: dict[str, str] = field(default_factory=dict)
    action: str = VIEW

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.kwargs)


STAFF_NAVIGATION: tuple[tuple[str | Promise, tuple[NavItem, ...]], ...] = (
    (
        _("双公示"),
        (
            NavItem(_("行政许可信息"), "publicity:list", LicenseRecord, {"kind": "licenses"}),
            NavItem(_("行政处罚信息"), "publicity:list", PenaltyRecord, {"kind": "penalties"}),
            NavItem(_("批量导入"), "imports:upload", ImportBatch, action=IMPORT),
            NavItem(_("导入批次"), "imports:batches", ImportBatch),
            NavItem(_("报送及时性统计"), "publicity_reports:dashboard", LicenseRecord),
            NavItem(
                _("导出（报送上级平台）"), "publicity_reports:export", LicenseRecord, action=EXPORT
            ),
        ),
    ),
    (
        _("联合奖惩"),
        (
            NavItem(_("核查"), "screening:check_new", CreditCheck, action=ADD),
            NavItem(_("核查记录"), "screening:checks", CreditCheck),
            NavItem(_("批量核查"), "screening:batches", CheckBatch),
            NavItem(_("联合奖惩统计"), "screening:statistics", CreditCheck),
            NavItem(_("名单条目"), "screening:entries", ListEntry),
            NavItem(_("名单类型"), "screening:list_types", ListType),
            NavItem(_("名单导入"), "screening:import", ListImport, action=IMPORT),
            NavItem(_("惩戒/激励措施清单"), "screening:measures", Measure),
        ),
    ),
    (
        _("信用修复"),
        (
            NavItem(_("修复申请"), "repair_staff:queue", RepairApplication),
            NavItem(_("同步消息"), "outbox:list", OutboxMessage),
        ),
    ),
    (
        _("信用信息"),
        (NavItem(_("信用主体"), "admin:subjects_subject_changelist", Subject),),
    ),
    (
        _("系统管理"),
        (
            # core.golive.PERMISSION: whoever changes reference data, the system administrator.
            NavItem(_("上线检查清单"), "core:golive", Region, action=CHANGE),
            NavItem(_("部门"), "admin:accounts_department_changelist", Department),
            NavItem(_("用户"), "admin:accounts_user_changelist", User),
            NavItem(_("角色分配"), "admin:accounts_userrole_changelist", UserRole),
            NavItem(_("节假日调整"), "admin:core_workdayoverride_changelist", WorkdayOverride),
            NavItem(_("本地设置"), "admin:core_localsetting_changelist", LocalSetting),
            NavItem(_("审计日志"), "admin:audit_auditentry_changelist", AuditEntry),
        ),
    ),
)


def _app_navigation_modules() -> Iterator[Any]:
    for config in apps.get_app_configs():
        if not config.name.startswith("chengxin."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.navigation":
                raise


@cache
def staff_sections() -> tuple[tuple[str | Promise, tuple[NavItem, ...]], ...]:
    found = [m.STAFF_SECTION for m in _app_navigation_modules() if hasattr(m, "STAFF_SECTION")]
    return (*STAFF_NAVIGATION[:-2], *found, *STAFF_NAVIGATION[-2:])


@cache
def public_links() -> tuple[tuple[str | Promise, str], ...]:
    """(label, URL name) of every public list the apps publish (政务公开)."""
    return tuple(
        link for module in _app_navigation_modules() for link in getattr(module, "PUBLIC_LINKS", ())
    )


def navigation_for(user: User) -> list[tuple[str | Promise, list[NavItem]]]:
    """The sections and entries this user may open."""
    sections = []
    for title, items in staff_sections():
        visible = [item for item in items if can(user, item.action, item.model)]
        if visible:
            sections.append((title, visible))
    return sections
