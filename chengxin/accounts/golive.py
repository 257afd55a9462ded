"""The go-live checklist's items of the accounts app (core.golive): the departments, and a
reporter (部门填报员, who submits the 双公示 records: accounts.permissions) in each."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.core.golive import Check, Finding, Inspection, Place, missing, ok, warning

# How many departments without a reporter the finding names; the rest are counted.
NAMED = 5


def reporting_departments() -> QuerySet[Department]:
    """The active departments that may submit records: all but the government itself."""
    return Department.objects.filter(is_active=True).exclude(kind=DepartmentKind.PEOPLES_GOVERNMENT)


def check_departments(inspection: Inspection) -> Finding:
    count = reporting_departments().count()
    if not count:
        return missing(
            _(
                "尚未录入本级政府以外的部门（数据来源单位）（可用 chengxin setup --load departments 按模板批量导入）。"
            )
        )
    return ok(_("已录入 %(count)s 个启用的部门。") % {"count": count})


def check_reporters(inspection: Inspection) -> Finding:
    reporters = User.objects.filter(
        is_active=True, role_assignments__role=Role.DEPARTMENT_REPORTER
    ).values("department_id")
    departments = reporting_departments()
    covered = departments.filter(pk__in=reporters).count()
    without = departments.exclude(pk__in=reporters)
    names = list(without.values_list("name", flat=True)[:NAMED])
    if not covered:
        return missing(
            _("还没有任何部门有启用的部门填报员：请创建账号，并请安全管理员分配“部门填报员”角色。")
        )
    if names:
        left = without.count()
        shown = "、".join(names) + (_("等") if left > len(names) else "")
        return warning(
            _("%(covered)s 个部门已有填报员；%(left)s 个部门尚无：%(names)s。")
            % {"covered": covered, "left": left, "names": shown}
        )
    return ok(_("全部 %(covered)s 个部门都有启用的部门填报员。") % {"covered": covered})


CHECKS = (
    Check(
        "departments",
        gettext_lazy("部门（数据来源单位）"),
        "district",
        Place(
            gettext_lazy("部门"),
            "admin:accounts_department_changelist",
            permission="accounts.change_department",
            set_by=Role.SYSTEM_ADMIN.label,
        ),
        check_departments,
    ),
    Check(
        "reporters",
        gettext_lazy("各部门的部门填报员"),
        "district",
        Place(
            gettext_lazy("用户（账号）；角色由安全管理员分配"),
            "admin:accounts_user_changelist",
            permission="accounts.change_user",
            set_by=Role.SYSTEM_ADMIN.label,
        ),
        check_reporters,
    ),
)
