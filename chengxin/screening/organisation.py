"""List types (名单类型) of the district from a file (`chengxin setup --load list_types FILE`); see
`core.organisation`.

The national list types, with the business scenarios and the measures of the national base list,
are installed by migration (screening 0002_national_catalogue, `screening.reference`); this file
adds the lists a province or the district keeps besides them. A row is one type, found by its
代码 (the natural key): a new code creates it, a known one updates its name, category, listing
authority, legal basis and whether credit repair may remove an entry early.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.core import organisation
from chengxin.core.organisation import Column, Outcome, RowErrors
from chengxin.screening.choices import ListKind
from chengxin.screening.models import ListType

COMPARED = ("name", "kind", "listing_authority", "legal_basis", "is_repairable")
COLUMNS = (
    Column("code", gettext_noop("代码"), "construction_market", required=True),
    Column("name", gettext_noop("名单名称"), "建筑市场主体严重失信名单", required=True),
    Column("kind", gettext_noop("名单类别"), str(ListKind.DISHONESTY.label), required=True),
    Column("listing_authority", gettext_noop("认定部门"), "住房城乡建设部门", required=True),
    Column(
        "legal_basis",
        gettext_noop("设立依据"),
        "《建筑市场信用管理暂行办法》（建市〔2017〕241号）",
        required=True,
    ),
    Column("is_repairable", gettext_noop("可申请信用修复"), "是"),
)
REQUIRED = tuple(column.attr for column in COLUMNS if column.required)


def parse_list_type(values: Mapping[str, str]) -> dict[str, Any]:
    errors = RowErrors(values, *REQUIRED)
    parsed: dict[str, Any] = {attr: values.get(attr, "") for attr in ("code", *COMPARED)}
    parsed["kind"] = errors.check("kind", organisation.choice(ListKind.choices), "")
    parsed["is_repairable"] = errors.check("is_repairable", organisation.flag, True)
    errors.raise_any()
    return parsed


def write_list_type(values: dict[str, Any]) -> Outcome:
    """Create or update the list type with the row's code."""
    return organisation.save_fields(
        ListType.objects.filter(code=values["code"]).first(),
        lambda: ListType(code=values["code"]),
        {attr: values[attr] for attr in COMPARED},
    )


organisation.register(
    organisation.Kind(
        key="list_types",
        title=_l("名单类型"),
        columns=COLUMNS,
        parser=lambda: parse_list_type,
        writer=write_list_type,
        order=50,
        keys=("code", "name"),
        note=_l(
            "全国性名单类型已预置，这里只填本省、本区县另设的名单；代码用英文字母、数字、"
            "下划线或连字符；名单类别：失信主体名单或守信激励名单。"
        ),
    )
)
