"""The district's power list (行政权力清单) from a file (`chengxin setup --load power_items FILE`);
see `core.organisation`.

The columns are those of the power-list import (`powers.importing`, whose row parser this
reuses) plus the document that published the list and its effective date, which every
adjustment records. A row is one item, found by its 权力编码: a new code is a 新增, a listed code
with other values a 变更, an identical row changes nothing (`powers.actions`, as the import).
The implementing department is a department loaded before; the category one of the ten national
categories installed by migration (powers 0002_national_categories) or a local one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.core import organisation
from chengxin.core.organisation import Column, Outcome, RowErrors
from chengxin.powers import actions
from chengxin.powers.importing import COLUMNS as ITEM_COLUMNS
from chengxin.powers.importing import REQUIRED as ITEM_REQUIRED
from chengxin.powers.importing import ItemParser, is_unchanged
from chengxin.powers.models import PowerItem

# The adjustment's reason (调整原因) of every item this file adds or changes.
REASON = gettext_noop("导入本区县行政权力清单（chengxin setup）")
EXAMPLES: dict[str, Any] = {
    "code": "CF-0001",
    "name": "对未依法取得营业执照从事经营活动的行政处罚",
    "category": "行政处罚",
    "implementing_department": lambda example: f"{example.district}市场监督管理局",
    "legal_basis": "《无证无照经营查处办法》第十三条",
    "counterpart_kind": "法人及非法人组织、自然人",
    "time_limit": "90日",
    "fee_basis": "不收费",
    "supervision_phone": "12315",
}
COLUMNS = (
    *(
        Column(attr, label, EXAMPLES[attr], required=attr in ITEM_REQUIRED)
        for attr, label in ITEM_COLUMNS
    ),
    Column(
        "document",
        gettext_noop("依据文件"),
        lambda example: f"{example.government}关于公布行政权力清单的通知",
        required=True,
    ),
    Column("effective_on", gettext_noop("生效日期"), "2024-01-01"),
)


class PowerItemParser:
    """`powers.importing.ItemParser` for the item, plus the document and the effective date
    (today when empty)."""

    def __init__(self) -> None:
        self.items = ItemParser()

    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        parsed, problems = self.items.parse(values)
        errors = RowErrors(values, "document")
        for attr, message in problems:
            errors.add(attr, message)
        parsed["document"] = values.get("document", "")
        parsed["effective_on"] = errors.check(
            "effective_on", organisation.day, timezone.localdate()
        )
        errors.raise_any()
        return parsed


def write_power_item(values: dict[str, Any]) -> Outcome:
    """新增 or 变更 the item with the row's 权力编码; nothing when it is as listed."""
    item_values = {attr: values[attr] for attr, _label in ITEM_COLUMNS}
    basis: dict[str, Any] = {
        "actor": None,  # the system, under the load's audit context
        "reason": _(REASON),
        "document": values["document"],
        "effective_on": values["effective_on"],
    }
    existing = PowerItem.objects.filter(code=values["code"]).first()
    if existing is None or existing.is_cancelled:
        actions.add_power_item(item_values, **basis)
        return Outcome.CREATED
    if is_unchanged(existing, item_values):
        return Outcome.UNCHANGED
    actions.change_power_item(existing, item_values, **basis)
    return Outcome.UPDATED


organisation.register(
    organisation.Kind(
        key="power_items",
        title=_l("行政权力清单"),
        columns=COLUMNS,
        parser=PowerItemParser,
        writer=write_power_item,
        order=40,
        keys=("code",),
        note=_l(
            "权力类别填类别名称或代码（十类全国通用类别已预置）；实施主体填已导入的部门名称、"
            "简称或统一社会信用代码；依据文件为公布清单的文件，生效日期留空为今天。"
        ),
    )
)
