"""The district's departments, townships and streets from a file (`chengxin setup --load
departments FILE`, `--load townships FILE`); see `core.registers`.

A row is one department, found by its 统一社会信用代码 (the natural key): a new code creates it,
a known one updates its name, short name, kind and 上级单位. The 上级单位 is named by its name or
统一社会信用代码 and may be another row of the same file, before or after; left empty it is the
district's government. The government itself is set by `chengxin setup` and is not in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department
from chengxin.core import registers
from chengxin.core.identifiers import normalise
from chengxin.core.models import Region
from chengxin.core.registers import Column, Example, Outcome, RowErrors

# The kinds a file may give; the government (人民政府) is `chengxin setup`'s.
FILE_KINDS = [
    (value, label)
    for value, label in DepartmentKind.choices
    if value != DepartmentKind.PEOPLES_GOVERNMENT
]
COMPARED = ("name", "short_name", "kind", "parent_id")


def _name(example: Example) -> str:
    return f"{example.district}市场监督管理局"


NAME = Column("name", gettext_noop("名称"), _name, required=True)
SHORT_NAME = Column("short_name", gettext_noop("简称"), "市场监管局")
CREDIT_CODE = Column(
    "credit_code",
    gettext_noop("统一社会信用代码"),
    lambda example: example.credit_code("departments"),
    required=True,
)
KIND = Column("kind", gettext_noop("类型"), str(DepartmentKind.GOVERNMENT_DEPARTMENT.label))
PARENT = Column("parent", gettext_noop("上级单位"), lambda example: example.government)
TOWNSHIP_NAME = Column("name", gettext_noop("名称"), "某某街道办事处", required=True)
TOWNSHIP_SHORT_NAME = Column("short_name", gettext_noop("简称"), "某某街道")
TOWNSHIP_CREDIT_CODE = Column(
    "credit_code",
    gettext_noop("统一社会信用代码"),
    lambda example: example.credit_code("townships"),
    required=True,
)


class DepartmentParser:
    """One row's values; `kind` fixed for a file of one kind (townships), else its column."""

    def __init__(self, kind: str | None = None) -> None:
        self.kind = kind

    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        required = ("name", "credit_code") if self.kind else ("name", "credit_code", "kind")
        errors = RowErrors(values, *required)
        parsed = {
            "name": values["name"],
            "short_name": values.get("short_name", ""),
            "credit_code": errors.check("credit_code", registers.credit_code, ""),
            "kind": self.kind or errors.check("kind", registers.choice(FILE_KINDS), ""),
            "parent": values.get("parent", ""),
        }
        errors.raise_any()
        return parsed


def find_department(text: str) -> Department | None:
    """The department named by its name or 统一社会信用代码."""
    return Department.objects.filter(Q(name=text) | Q(credit_code=normalise(text))).first()


def department_named(text: str) -> Department:
    """The department a cell names by name or 统一社会信用代码 (a row's 上级单位, a body's 对应部门
    …); ValidationError when there is none."""
    department = find_department(text)
    if department is None:
        message = _("“%(value)s”不是已登记的部门，应填部门名称或统一社会信用代码")
        raise ValidationError(message % {"value": text})
    return department


def write_department(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Create or update the department with the row's 统一社会信用代码."""
    government = Region.objects.select_related("government").get().government
    department = Department.objects.filter(credit_code=values["credit_code"]).first()
    if department is not None and department.pk == government.pk:
        raise ValidationError(
            {"credit_code": _("这是本级人民政府的代码；人民政府由 chengxin setup 设置。")}
        )
    errors = RowErrors(values)
    parent = errors.check("parent", department_named, government)
    errors.raise_any()
    if department is not None:
        _check_not_below_itself(department, parent)
    fields = {attr: values[attr] for attr in COMPARED if attr != "parent_id"}
    return registers.save_fields(
        department,
        lambda: Department(credit_code=values["credit_code"]),
        {**fields, "parent_id": parent.pk},
    )


def _check_not_below_itself(department: Department, parent: Department) -> None:
    """A 上级单位 may not be the department or one of its own subordinate units."""
    ancestor: Department | None = parent
    seen: set[int] = set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk == department.pk:
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位")})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


registers.register(
    registers.Register(
        key="departments",
        title=_l("部门"),
        columns=(NAME, SHORT_NAME, CREDIT_CODE, KIND, PARENT),
        parser=lambda context: DepartmentParser(),
        writer=write_department,
        order=10,
        setup=True,
        batch_model="imports.OrganisationImport",
        keys=("name", "credit_code"),
        references=("parent",),
        note=_l("类型：政府部门、镇街或法律法规授权组织；上级单位留空为本级人民政府。"),
    )
)
registers.register(
    registers.Register(
        key="townships",
        title=_l("镇街"),
        columns=(TOWNSHIP_NAME, TOWNSHIP_SHORT_NAME, TOWNSHIP_CREDIT_CODE, PARENT),
        parser=lambda context: DepartmentParser(DepartmentKind.TOWNSHIP),
        writer=write_department,
        order=11,
        setup=True,
        batch_model="imports.OrganisationImport",
        keys=("name", "credit_code"),
        references=("parent",),
        note=_l("每行一个镇或街道（类型为镇街）；上级单位留空为本级人民政府。"),
    )
)
