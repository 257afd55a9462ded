"""The audit log, in core's 系统管理 section of the staff navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.audit.models import AuditEntry
from chengxin.core.navigation import NavItem

STAFF_ITEMS = (
    ("core", (NavItem(_("审计日志"), "admin:audit_auditentry_changelist", AuditEntry),)),
)
