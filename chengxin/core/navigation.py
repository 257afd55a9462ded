"""The staff area's navigation framework and the public open-government links.

Every app brings its own `navigation.py` (found in INSTALLED_APPS order, like the demo steps):
- `STAFF_SECTION = (title, (NavItem, ...))`: its section of the staff menu, placed by
  `STAFF_SECTION_ORDER` (default 100; ties keep INSTALLED_APPS order);
- `STAFF_ITEMS = ((app label, (NavItem, ...)), ...)`: entries added to another app's section (the
  imports app's batches under 双公示), or to core's own 系统管理 section (label "core"), which comes
  last;
- `PUBLIC_LINKS = ((label, url name), ...)`: its public lists (政务公开).
Core lists only its own pages; nothing here names another app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.core.discovery import app_modules
from chengxin.core.models import LocalSetting, Region, WorkdayOverride
from chengxin.core.permissions import CHANGE, VIEW, can

Section = tuple[str | Promise, tuple["NavItem", ...]]
DEFAULT_ORDER = 100


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


# Core's own section, always last; accounts and audit add their administration pages to it.
CORE_SECTION: Section = (
    _("系统管理"),
    (
        # core.golive.PERMISSION: whoever changes reference data, the system administrator.
        NavItem(_("上线检查清单"), "core:golive", Region, action=CHANGE),
        NavItem(_("节假日调整"), "admin:core_workdayoverride_changelist", WorkdayOverride),
        NavItem(_("本地设置"), "admin:core_localsetting_changelist", LocalSetting),
    ),
)


@cache
def staff_sections() -> tuple[Section, ...]:
    modules = app_modules("navigation")
    sections: dict[str, tuple[int, str | Promise, list[NavItem]]] = {}
    for label, module in modules:
        if hasattr(module, "STAFF_SECTION"):
            title, items = module.STAFF_SECTION
            order = getattr(module, "STAFF_SECTION_ORDER", DEFAULT_ORDER)
            sections[label] = (order, title, list(items))
    title, items = CORE_SECTION
    sections["core"] = (max((s[0] for s in sections.values()), default=0) + 1, title, list(items))
    for _label, module in modules:
        for owner, items in getattr(module, "STAFF_ITEMS", ()):
            sections[owner][2].extend(items)
    ordered = sorted(sections.values(), key=lambda section: section[0])  # stable: ties keep order
    return tuple((title, tuple(items)) for _order, title, items in ordered)


@cache
def public_links() -> tuple[tuple[str | Promise, str], ...]:
    """(label, URL name) of every public list the apps publish (政务公开)."""
    return tuple(
        link
        for _label, module in app_modules("navigation")
        for link in getattr(module, "PUBLIC_LINKS", ())
    )


def navigation_for(user: AbstractBaseUser) -> list[tuple[str | Promise, list[NavItem]]]:
    """The sections and entries this user may open."""
    sections = []
    for title, items in staff_sections():
        visible = [item for item in items if can(user, item.action, item.model)]
        if visible:
            sections.append((title, visible))
    return sections
