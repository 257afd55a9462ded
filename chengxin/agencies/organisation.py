"""The district's enforcement bodies from a file (`chengxin setup --load enforcement_bodies FILE`);
see `core.organisation`.

A row is one body (执法主体), found by its 统一社会信用代码: a new code confirms it (有效), a known
one updates its fields through `save_body`, as the staff form does; revoking stays an act with
its document on the body's page. The 委托机关 of a 受委托 body is another body, named by name or
统一社会信用代码, possibly a row of the same file; the 对应部门 is a department loaded before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.organisation import department_named
from chengxin.agencies.actions import save_body
from chengxin.agencies.choices import BodyKind
from chengxin.agencies.models import EnforcementBody
from chengxin.core import organisation
from chengxin.core.identifiers import normalise
from chengxin.core.organisation import Column, Example, Outcome, RowErrors

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
)
REQUIRED = tuple(column.attr for column in COLUMNS if column.required)


def parse_body(values: Mapping[str, str]) -> dict[str, Any]:
    errors = RowErrors(values, *REQUIRED)
    parsed: dict[str, Any] = {attr: values.get(attr, "") for attr in COMPARED if "_id" not in attr}
    parsed["credit_code"] = errors.check("credit_code", organisation.credit_code, "")
    parsed["kind"] = errors.check("kind", organisation.choice(BodyKind.choices), "")
    parsed["confirmed_on"] = errors.check("confirmed_on", organisation.day, None)
    parsed["entrusting_body"] = values.get("entrusting_body", "")
    parsed["department"] = values.get("department", "")
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


def write_body(values: dict[str, Any]) -> Outcome:
    """Confirm a new body or save the changes of the one with the row's code."""
    errors = RowErrors(values)
    entrusting = errors.check("entrusting_body", body_named, None)
    department = errors.check("department", department_named, None)
    errors.raise_any()
    fields = {
        **values,
        "entrusting_body_id": entrusting.pk if entrusting else None,
        "department_id": department.pk if department else None,
    }
    return organisation.save_fields(
        EnforcementBody.objects.filter(credit_code=values["credit_code"]).first(),
        lambda: EnforcementBody(credit_code=values["credit_code"]),
        {attr: fields[attr] for attr in COMPARED},
        save=lambda body: save_body(body, actor=None),  # the system, in the load's context
    )


organisation.register(
    organisation.Kind(
        key="enforcement_bodies",
        title=_l("执法主体"),
        columns=COLUMNS,
        parser=lambda: parse_body,
        writer=write_body,
        order=20,
        keys=("name", "credit_code"),
        references=("entrusting_body",),
        note=_l(
            "主体类型：法定、法律法规授权或受委托；受委托组织须填委托机关（执法主体名称或代码）；"
            "对应部门填已导入的部门名称或代码。"
        ),
    )
)
