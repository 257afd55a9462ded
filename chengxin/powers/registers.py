"""The power list (行政权力清单) loaded from files: the district's list at set-up
(`chengxin setup --load power_items FILE`) and every later adjustment uploaded on the staff
pages (`/staff/registers/power_items/`); see `core.registers`.

A row is one item as it should stand, found by its 权力编码: a new code is a 新增, a listed code
with other values a 变更, a cancelled code a 新增 again (重新列入), an identical row changes
nothing (`powers.actions`). Cancelling stays a deliberate act on the item's page. Every
adjustment records its reason, document and effective date: the upload form asks them once for
the file; a row may give its own 依据文件 and 生效日期 (the set-up file does), and on the command
line the reason is the set-up's. The implementing department is a department loaded before;
the category one of the ten national categories installed by migration
(powers 0002_national_categories) or a local one.

A file loads the list as the government published or approved it: its rows take effect without
the proposal procedure of `powers.actions` (the adjustments register marks them as imported).
The 责任事项 and 追责情形 columns are optional — lists loaded before 权责清单 were kept lack
them — and an empty cell keeps the item's current text, so that re-loading such a file does not
erase what an approved proposal added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.models import Department
from chengxin.core import registers
from chengxin.core.identifiers import normalise
from chengxin.core.registers import Column, Outcome, RowErrors
from chengxin.powers import actions
from chengxin.powers.forms import BasisForm
from chengxin.powers.models import PowerCategory, PowerItem

# The adjustment's reason (调整原因) of every item the set-up file adds or changes.
REASON = gettext_noop("导入本区县行政权力清单（chengxin setup）")

# (attribute, column header) of the item's own values.
ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", gettext_noop("权力编码")),
    ("name", gettext_noop("权力名称")),
    ("category", gettext_noop("权力类别")),
    ("implementing_department", gettext_noop("实施主体")),
    ("legal_basis", gettext_noop("设定依据")),
    ("counterpart_kind", gettext_noop("行政相对人类别")),
    ("time_limit", gettext_noop("办理时限")),
    ("fee_basis", gettext_noop("收费依据和标准")),
    ("supervision_phone", gettext_noop("监督电话")),
    ("duties", gettext_noop("责任事项")),
    ("accountability", gettext_noop("追责情形")),
)
# Optional columns whose empty cell keeps the item's current value (see above).
KEPT_WHEN_EMPTY = ("duties", "accountability")
ITEM_REQUIRED = ("code", "name", "category", "implementing_department", "legal_basis")


def is_unchanged(item: PowerItem, values: Mapping[str, Any]) -> bool:
    """Whether `values` (as `ItemParser.parse` gives them) are the item's current version."""
    for attr in PowerItem.VERSIONED_FIELDS:
        current = getattr(
            item, f"{attr}_id" if attr in ("category", "implementing_department") else attr
        )
        new = values[attr].pk if attr in ("category", "implementing_department") else values[attr]
        if current != new:
            return False
    return True


class ItemParser:
    """A row's text turned into a power item's values: the category and the implementing
    department looked up (once per file), the required columns checked."""

    def __init__(self) -> None:
        self.categories: dict[str, PowerCategory] = {}
        for category in PowerCategory.objects.filter(is_active=True):
            self.categories[category.code] = category
            self.categories[category.name] = category
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(is_active=True):
            for key in (department.name, department.short_name, department.credit_code):
                if key:
                    self.departments.setdefault(key, department)

    def parse(self, values: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The item's values and the (column attr, message) problems; `values` is the cleaned
        text of each column."""
        item_values: dict[str, Any] = {attr: values.get(attr, "") for attr, _label in ITEM_COLUMNS}
        problems = [(attr, _("必填，不能为空")) for attr in ITEM_REQUIRED if not item_values[attr]]
        category = self.categories.get(item_values["category"])
        if item_values["category"] and category is None:
            message = _("“%(value)s”不是已启用的权力类别，应填类别名称或代码")
            problems.append(("category", message % {"value": item_values["category"]}))
        text = item_values["implementing_department"]
        department = self.departments.get(text) or self.departments.get(normalise(text))
        if text and department is None:
            message = _("“%(value)s”不是已登记的部门，应填部门名称、简称或统一社会信用代码")
            problems.append(("implementing_department", message % {"value": text}))
        item_values["category"], item_values["implementing_department"] = category, department
        return item_values, problems


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
    "duties": "1.立案责任…2.调查取证责任…3.审查责任…4.告知责任…5.决定责任…6.送达责任…7.执行责任…",
    "accountability": "因不履行或不正确履行行政职责，有下列情形的，依法追究责任：1.没有法律和事实依据"
    "实施行政处罚的；2.擅自改变行政处罚种类、幅度的；3.违反法定的行政处罚程序的……",
}
HELP = {
    "duties": _l("行使该项权力应当履行的责任（可留空：留空时保留该事项现有的责任事项）。"),
    "accountability": _l(
        "不履行或不正确履行职责应当追责的情形（可留空：留空时保留该事项现有的追责情形）。"
    ),
}
COLUMNS = (
    *(
        Column(
            attr,
            label,
            EXAMPLES[attr],
            required=attr in ITEM_REQUIRED,
            help=HELP.get(attr, ""),
        )
        for attr, label in ITEM_COLUMNS
    ),
    Column(
        "document",
        gettext_noop("依据文件"),
        lambda example: f"{example.government}关于公布行政权力清单的通知",
    ),
    Column("effective_on", gettext_noop("生效日期"), "2024-01-01"),
)


class PowerItemParser:
    """`ItemParser` for the item, plus the adjustment's document and effective date: the row's
    own, else the upload form's (`context.options`); the effective date is today when neither
    gives one, and a document is required."""

    def __init__(self, context: registers.Context) -> None:
        self.items = ItemParser()
        self.document = str(context.options.get("document", "")).strip()
        self.effective_on = context.options.get("effective_on") or timezone.localdate()

    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        parsed, problems = self.items.parse(values)
        errors = RowErrors(values)
        for attr, message in problems:
            errors.add(attr, message)
        parsed["document"] = values.get("document", "") or self.document
        if not parsed["document"]:
            errors.add("document", _("必填，不能为空"))
        parsed["effective_on"] = errors.check("effective_on", registers.day, self.effective_on)
        errors.raise_any()
        return parsed


def write_power_item(values: dict[str, Any], context: registers.Context) -> Outcome:
    """新增 or 变更 the item with the row's 权力编码; nothing when it is as listed."""
    item_values = {attr: values[attr] for attr, _label in ITEM_COLUMNS}
    existing = PowerItem.objects.filter(code=values["code"]).first()
    if existing is not None:
        for attr in KEPT_WHEN_EMPTY:
            item_values[attr] = item_values[attr] or getattr(existing, attr)
    basis: dict[str, Any] = {
        # The user of the staff page, or the system under the set-up's audit reason.
        "actor": context.actor,
        "reason": str(context.options.get("reason", "")).strip() or _(REASON),
        "document": values["document"],
        "effective_on": values["effective_on"],
    }
    try:
        if existing is None or existing.is_cancelled:
            actions.add_power_item(item_values, **basis)
            return Outcome.CREATED
        if is_unchanged(existing, item_values):
            return Outcome.UNCHANGED
        actions.change_power_item(existing, item_values, **basis)
    except PermissionDenied:
        raise ValidationError({"implementing_department": _("无权调整该部门的权力事项")}) from None
    return Outcome.UPDATED


registers.register(
    registers.Register(
        key="power_items",
        title=_l("行政权力清单"),
        columns=COLUMNS,
        parser=PowerItemParser,
        writer=write_power_item,
        order=40,
        keys=("code",),
        setup=True,
        batch_model="powers.PowerImport",
        options_form=BasisForm,
        list_url="powers:list",
        note=_l(
            "权力类别填类别名称或代码（十类全国通用类别已预置）；实施主体填已导入的部门名称、"
            "简称或统一社会信用代码；依据文件、生效日期留空时取上面填写的（命令行导入时生效日期"
            "留空为今天）。责任事项、追责情形留空时保留现有内容。本页导入的是已经本级人民政府"
            "公布或批准的清单，不再经过调整申请审核；日常的新增、变更、取消请由部门在事项页面申报。"
        ),
    )
)
