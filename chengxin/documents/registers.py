"""The bodies confirmed to issue normative documents (制定主体) from a file (`chengxin setup --load
issuing_bodies FILE`); see `core.registers`.

A row is one body, found by its name (the natural key; it has no 统一社会信用代码 of its own): a
new name confirms it, a known one updates its 文号代字, kind, 对应部门, 备案机关, numbering
pattern, 合法性审核机构 and date of confirmation. The 对应部门 and the 合法性审核机构 are
departments loaded before, by name or code; an empty 合法性审核机构 is the one 国办发〔2018〕115号
names (the justice bureau for the government and townships, the department's own 法制机构 for a
department or branch office: `IssuingBody.default_reviewing_unit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.registers import department_named
from chengxin.core import registers
from chengxin.core.registers import Column, Outcome, RowErrors
from chengxin.documents.choices import BodyKind
from chengxin.documents.models import IssuingBody

COMPARED = (
    "name",
    "code",
    "kind",
    "department_id",
    "filing_authority",
    "number_pattern",
    "reviewing_unit_id",
    "confirmed_on",
)
COLUMNS = (
    Column(
        "name",
        gettext_noop("名称"),
        lambda example: f"{example.district}市场监督管理局",
        required=True,
    ),
    Column(
        "code", gettext_noop("文号代字"), lambda example: f"{example.initial}市监规", required=True
    ),
    Column("kind", gettext_noop("类型"), str(BodyKind.DEPARTMENT.label), required=True),
    Column("department", gettext_noop("对应部门"), lambda e: f"{e.district}市场监督管理局"),
    Column(
        "filing_authority",
        gettext_noop("备案机关"),
        lambda example: example.government,
        required=True,
    ),
    Column("number_pattern", gettext_noop("编号格式")),
    Column("reviewing_unit", gettext_noop("合法性审核机构")),
    Column("confirmed_on", gettext_noop("确认日期"), "2024-01-01"),
)
REQUIRED = tuple(column.attr for column in COLUMNS if column.required)


def parse_issuing_body(values: Mapping[str, str]) -> dict[str, Any]:
    errors = RowErrors(values, *REQUIRED)
    parsed: dict[str, Any] = {column.attr: values.get(column.attr, "") for column in COLUMNS}
    parsed["kind"] = errors.check("kind", registers.choice(BodyKind.choices), "")
    parsed["confirmed_on"] = errors.check("confirmed_on", registers.day, None)
    errors.raise_any()
    return parsed


def write_issuing_body(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Confirm a new issuing body or update the one with the row's name."""
    errors = RowErrors(values)
    department = errors.check("department", department_named, None)
    reviewing_unit = errors.check("reviewing_unit", department_named, None)
    errors.raise_any()
    if reviewing_unit is None:
        reviewing_unit = IssuingBody(kind=values["kind"], department=department).review_unit()
    fields = {
        **values,
        "department_id": department.pk if department else None,
        "reviewing_unit_id": reviewing_unit.pk if reviewing_unit else None,
    }
    return registers.save_fields(
        IssuingBody.objects.filter(name=values["name"]).first(),
        lambda: IssuingBody(is_confirmed=True),
        {attr: fields[attr] for attr in COMPARED},
    )


registers.register(
    registers.Register(
        key="issuing_bodies",
        title=_l("规范性文件制定主体"),
        columns=COLUMNS,
        parser=lambda context: parse_issuing_body,
        writer=write_issuing_body,
        order=30,
        setup=True,
        batch_model="imports.OrganisationImport",
        keys=("name", "code"),
        note=_l(
            "类型：区政府、部门、派出机构或镇街；编号格式留空则用本地设置的统一格式，"
            "如 {code}〔{year}〕{seq}号；合法性审核机构留空按国办发〔2018〕115号："
            "区政府和镇街的文件由司法局审核，部门的由本部门法制机构审核。"
        ),
    )
)
