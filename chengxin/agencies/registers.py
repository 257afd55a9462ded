"""The registers of enforcement: bodies (`chengxin setup --load enforcement_bodies FILE`) and officers;
see `core.registers`.

A row is one body (执法主体), found by its 统一社会信用代码: a new code confirms it (有效), a known
one updates its fields through `save_body`, as the staff form does; revoking stays an act with
its document on the body's page. The 委托机关 of a 受委托 body is another body, named by name or
统一社会信用代码, possibly a row of the same file; the 对应部门 and the 法制审核机构 are
departments loaded before. An empty 执法领域类别 or 编制身份 leaves a known row's value as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.registers import department_named
from chengxin.agencies.actions import save_body, save_officer
from chengxin.agencies.choices import BodyKind, EventType, Sector, Staffing
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core import registers
from chengxin.core.identifiers import normalise
from chengxin.core.registers import Column, Example, Outcome, RowErrors

COMPARED = (
    "name",
    "kind",
    "entrusting_body_id",
    "legal_basis",
    "domains",
    "territory",
    "confirming_document",
    "confirmed_on",
    "department_id",
    "sector",
    "legal_review_department_id",
)


def _department(example: Example) -> str:
    return f"{example.district}市场监督管理局"


COLUMNS = (
    Column("name", gettext_noop("名称"), _department, required=True),
    Column(
        "credit_code",
        gettext_noop("统一社会信用代码"),
        lambda example: example.credit_code("departments"),  # the bureau is the body
        required=True,
    ),
    Column("kind", gettext_noop("主体类型"), str(BodyKind.STATUTORY.label), required=True),
    Column("entrusting_body", gettext_noop("委托机关")),
    Column(
        "legal_basis",
        gettext_noop("执法依据"),
        "《中华人民共和国行政处罚法》；《市场监督管理行政处罚程序规定》",
        required=True,
    ),
    Column("domains", gettext_noop("执法领域"), "市场监管", required=True),
    Column("territory", gettext_noop("执法地域"), lambda example: example.district, required=True),
    Column(
        "confirming_document",
        gettext_noop("确认文件"),
        lambda example: f"{example.government}关于公布行政执法主体的通知",
        required=True,
    ),
    Column("confirmed_on", gettext_noop("确认日期"), "2024-01-01", required=True),
    Column("department", gettext_noop("对应部门"), _department),
    Column(
        "sector",
        gettext_noop("执法领域类别"),
        str(Sector.MARKET_REGULATION.label),
        help=gettext_noop("决定办案期限延长适用哪一领域的规定；可选值见下拉，空着为“其他”"),
    ),
    Column(
        "legal_review_department",
        gettext_noop("法制审核机构"),
        help=gettext_noop("空着：由对应部门的法制机构审核；填部门名称或统一社会信用代码"),
    ),
)
REQUIRED = tuple(column.attr for column in COLUMNS if column.required)


def parse_body(values: Mapping[str, str]) -> dict[str, Any]:
    errors = RowErrors(values, *REQUIRED)
    parsed: dict[str, Any] = {attr: values.get(attr, "") for attr in COMPARED if "_id" not in attr}
    parsed["credit_code"] = errors.check("credit_code", registers.credit_code, "")
    parsed["kind"] = errors.check("kind", registers.choice(BodyKind.choices), "")
    parsed["confirmed_on"] = errors.check("confirmed_on", registers.day, None)
    parsed["entrusting_body"] = values.get("entrusting_body", "")
    parsed["department"] = values.get("department", "")
    parsed["sector"] = errors.check("sector", registers.choice(Sector.choices), "")
    parsed["legal_review_department"] = values.get("legal_review_department", "")
    errors.raise_any()
    return parsed


def body_named(text: str) -> EnforcementBody:
    """The body a cell names by name or 统一社会信用代码; ValidationError when there is none."""
    body: EnforcementBody | None = EnforcementBody.objects.filter(
        Q(name=text) | Q(credit_code=normalise(text))
    ).first()
    if body is None:
        message = _("“%(value)s”不是已登记的执法主体，应填执法主体名称或统一社会信用代码")
        raise ValidationError(message % {"value": text})
    return body


def write_body(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Confirm a new body or save the changes of the one with the row's code."""
    errors = RowErrors(values)
    entrusting = errors.check("entrusting_body", body_named, None)
    department = errors.check("department", department_named, None)
    reviewing = errors.check("legal_review_department", department_named, None)
    errors.raise_any()
    fields = {
        **values,
        "entrusting_body_id": entrusting.pk if entrusting else None,
        "department_id": department.pk if department else None,
        "legal_review_department_id": reviewing.pk if reviewing else None,
    }
    return registers.save_fields(
        EnforcementBody.objects.filter(credit_code=values["credit_code"]).first(),
        lambda: EnforcementBody(credit_code=values["credit_code"]),
        {attr: fields[attr] for attr in COMPARED if attr != "sector" or fields["sector"]},
        save=lambda body: save_body(body, actor=None),  # the system, in the load's context
    )


registers.register(
    registers.Register(
        key="enforcement_bodies",
        title=_l("执法主体"),
        columns=COLUMNS,
        parser=lambda context: parse_body,
        writer=write_body,
        order=20,
        setup=True,
        batch_model="imports.OrganisationImport",
        keys=("name", "credit_code"),
        references=("entrusting_body",),
        note=_l(
            "主体类型：法定、法律法规授权或受委托；受委托组织须填委托机关（执法主体名称或代码）；"
            "对应部门填已导入的部门名称或代码。"
        ),
    )
)


# --- officers (执法人员) -----------------------------------------------------------------------
#
# A row is one officer, found by 执法证号 (the natural key): a new number registers an officer
# (在岗), a known one updates the officer's fields through `save_officer` — never the status:
# status changes are actions with a reason — and an identical row is left alone. The body is
# named by its name or 统一社会信用代码; the row is checked by the same `EnforcementOfficer.clean()`
# the form uses.

OFFICER_COMPARED = (
    "body_id",
    "name",
    "categories",
    "area",
    "certificate_valid_from",
    "certificate_valid_until",
    "has_legal_qualification",
    "training_hours",
    "exam_passed",
    "staffing",
)


def _certificate_number(example: Example) -> str:
    return f"{example.division}00100001"


OFFICER_COLUMNS = (
    Column("body", gettext_noop("执法主体"), _department, required=True),
    Column("name", gettext_noop("姓名"), "张三", required=True),
    Column("certificate_number", gettext_noop("执法证号"), _certificate_number, required=True),
    Column("categories", gettext_noop("执法类别"), "市场监管", required=True),
    Column("area", gettext_noop("执法区域"), lambda example: example.district, required=True),
    Column("certificate_valid_from", gettext_noop("有效期起"), "2024-01-01", required=True),
    Column("certificate_valid_until", gettext_noop("有效期止"), "2028-12-31", required=True),
    Column("has_legal_qualification", gettext_noop("法律职业资格"), "否"),
    Column("training_hours", gettext_noop("年度培训学时"), "64"),
    Column("exam_passed", gettext_noop("执法资格考试合格"), "是"),
    Column(
        "staffing",
        gettext_noop("编制身份"),
        str(Staffing.ADMINISTRATIVE.label),
        help=gettext_noop("行政编制、参照公务员法管理事业编制、事业编制、工勤、劳务派遣或其他"),
    ),
)
OFFICER_REQUIRED = tuple(column.attr for column in OFFICER_COLUMNS if column.required)


def hours(text: str) -> int:
    """A whole number of hours, not negative."""
    if not text.isdigit():
        raise ValidationError(_("应为不小于 0 的整数"))
    return int(text)


class OfficerParser:
    """A row's text as an unsaved officer's values; the bodies looked up once per file."""

    def __init__(self) -> None:
        self.bodies: dict[str, EnforcementBody] = {}
        for body in EnforcementBody.objects.all():
            self.bodies[body.name] = body
            self.bodies[body.credit_code] = body

    def body(self, text: str) -> EnforcementBody:
        body = self.bodies.get(text) or self.bodies.get(normalise(text))
        if body is None:
            message = _("“%(value)s”不是已登记的执法主体，应填执法主体名称或统一社会信用代码")
            raise ValidationError(message % {"value": text})
        return body

    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        errors = RowErrors(values, *OFFICER_REQUIRED)
        parsed: dict[str, Any] = {
            "body_id": getattr(errors.check("body", self.body, None), "pk", None),
            "name": values["name"],
            "certificate_number": normalise(values["certificate_number"]),
            "categories": values["categories"],
            "area": values["area"],
            "certificate_valid_from": errors.check("certificate_valid_from", registers.day, None),
            "certificate_valid_until": errors.check("certificate_valid_until", registers.day, None),
            "has_legal_qualification": errors.check(
                "has_legal_qualification", registers.flag, False
            ),
            "training_hours": errors.check("training_hours", hours, 0),
            "exam_passed": errors.check("exam_passed", registers.flag, False),
            "staffing": errors.check("staffing", registers.choice(Staffing.choices), ""),
        }
        errors.raise_any()
        officer = EnforcementOfficer(**parsed)
        officer.full_clean(validate_unique=False, validate_constraints=False)
        return parsed


def write_officer(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Register a new 执法证号 or save the changed fields of the officer holding it."""
    number = values["certificate_number"]
    return registers.save_fields(
        EnforcementOfficer.objects.filter(certificate_number=number).first(),
        lambda: EnforcementOfficer(certificate_number=number),
        {attr: values[attr] for attr in OFFICER_COMPARED if attr != "staffing" or values[attr]},
        save=lambda officer: save_officer(
            officer, actor=context.actor, event=EventType.OFFICER_IMPORTED
        ),
    )


registers.register(
    registers.Register(
        key="officers",
        title=_l("执法人员"),
        columns=OFFICER_COLUMNS,
        parser=lambda context: OfficerParser(),
        writer=write_officer,
        keys=("certificate_number",),
        batch_model="agencies.OfficerImport",
        list_url="agencies:officers",
        personal_data=True,  # officers' names and certificate numbers, as uploaded
        note=_l(
            "执法证号已登记的更新该人员（不改变状态），未登记的新增为在岗；执法主体填名称或"
            "统一社会信用代码；法律职业资格、执法资格考试合格填“是”或“否”。"
        ),
    )
)
