"""Roles and permission scopes.

三员分立 (GB/T 22239-2019 level 3, 8.1.4.2/8.1.10.x "三权分立"): the system administrator, the
security administrator and the audit administrator are separate people, and none can do another's
job. The business roles below are what the credit office and the departments do day to day.
"""

from __future__ import annotations

from enum import IntEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    CREDIT_ADMIN = "credit_admin", _("信用管理员")
    DEPARTMENT_REPORTER = "department_reporter", _("部门填报员")
    CREDIT_CHECKER = "credit_checker", _("核查员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
    # The justice bureau's rule-of-law office (法治政府建设): registries, filing, disputes, reports.
    RULE_OF_LAW_ADMIN = "rule_of_law_admin", _("法治建设管理员")
    # An enforcement body's case handler (执法办案人员): its own department's cases.
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法办案人员")
    # A department's rule-of-law liaison (部门法治联络员): its own documents, decisions, disputes.
    LEGAL_AFFAIRS_OFFICER = "legal_affairs_officer", _("部门法治联络员")


# The three administrator roles: each is held alone, never with another role.
SEPARATED_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class Scope(IntEnum):
    """How far a grant reaches: no rows, the user's own department's rows, or every row."""

    NONE = 0
    DEPARTMENT = 1
    ALL = 2


class DepartmentKind(models.TextChoices):
    GOVERNMENT_DEPARTMENT = "government_department", _("政府部门")
    TOWNSHIP = "township", _("镇街")
    AUTHORISED_ORGANISATION = "authorised_organisation", _("法律法规授权组织")
    PEOPLES_GOVERNMENT = "peoples_government", _("人民政府")


class SettingChangeStatus(models.TextChoices):
    """A requested change of a security-relevant local setting under the two-person rule."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准并生效")
    REFUSED = "refused", _("已驳回")
