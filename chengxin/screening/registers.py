"""The registers of 联合奖惩 loaded from files (see `core.registers`): the district's list types
(`chengxin setup --load list_types FILE`) and list entries (名单条目, on the staff pages).

The national list types, with the business scenarios and the measures of the national base list,
are installed by migration (screening 0002_national_catalogue, `screening.reference`); this file
adds the lists a province or the district keeps besides them. A row is one type, found by its
代码 (the natural key): a new code creates it, a known one updates its name, category, listing
authority, legal basis and whether credit repair may remove an entry early.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.audit.context import change_reason
from chengxin.core import registers
from chengxin.core.identifiers import normalise, validate_resident_id
from chengxin.core.registers import Column, Outcome, RowErrors
from chengxin.screening import names
from chengxin.screening.actions import save_entry
from chengxin.screening.choices import EntryStatus, ListKind
from chengxin.screening.models import ListEntry, ListType
from chengxin.subjects.choices import SubjectCategory

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
    parsed["kind"] = errors.check("kind", registers.choice(ListKind.choices), "")
    parsed["is_repairable"] = errors.check("is_repairable", registers.flag, True)
    errors.raise_any()
    return parsed


def write_list_type(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Create or update the list type with the row's code."""
    return registers.save_fields(
        ListType.objects.filter(code=values["code"]).first(),
        lambda: ListType(code=values["code"]),
        {attr: values[attr] for attr in COMPARED},
    )


registers.register(
    registers.Register(
        key="list_types",
        title=_l("名单类型"),
        columns=COLUMNS,
        parser=lambda context: parse_list_type,
        writer=write_list_type,
        order=50,
        setup=True,
        batch_model="imports.OrganisationImport",
        keys=("code", "name"),
        note=_l(
            "全国性名单类型已预置，这里只填本省、本区县另设的名单；代码用英文字母、数字、"
            "下划线或连字符；名单类别：失信主体名单或守信激励名单。"
        ),
    )
)


# --- list entries (名单条目) -------------------------------------------------------------------
#
# A row is one entry, upserted on its natural key, list type + 认定文书号 + normalised name: a
# new key is created, an identical row is left alone, a changed row updates the entry; an entry
# already removed from its list is never put back by an import (a new 认定文书号 lists it
# again). The row is checked by the same `ListEntry.clean()` the form uses; an empty 证件号码
# keeps the number stored. Rows hold names and full ID numbers: the rejected rows are an
# audited export, and the number is encrypted at rest like every other.

# Fields compared to tell an unchanged row from an update.
ENTRY_COMPARED = (
    "subject_name",
    "subject_category",
    "credit_code",
    "id_number_index",
    "listing_authority",
    "basis",
    "listed_on",
    "ends_on",
    "status",
    "removed_on",
    "removal_reason",
)


ENTRY_COLUMNS = (
    Column(
        "list_type",
        gettext_noop("名单类型"),
        required=True,
        help=_l("必填。名单类型的代码或名称（见“名单类型”页面）。"),
    ),
    Column("subject_name", gettext_noop("主体名称"), required=True, help=_l("必填。")),
    Column(
        "subject_category",
        gettext_noop("主体类别"),
        required=True,
        help=_l("必填。法人及非法人组织、个体工商户或自然人。"),
    ),
    Column(
        "credit_code",
        gettext_noop("统一社会信用代码"),
        help=_l("法人及非法人组织、个体工商户必填，18 位。"),
    ),
    Column(
        "id_number", gettext_noop("证件号码"), help=_l("自然人必填（公民身份号码）；加密保存。")
    ),
    Column("listing_authority", gettext_noop("认定部门"), required=True, help=_l("必填。")),
    Column(
        "document_number",
        gettext_noop("认定文书号"),
        required=True,
        help=_l("必填。同一名单类型下，认定文书号和主体名称相同的行更新已有条目。"),
    ),
    Column("basis", gettext_noop("认定依据及事由"), required=True, help=_l("必填。")),
    Column("listed_on", gettext_noop("列入日期"), required=True, help=_l("必填。YYYY-MM-DD。")),
    Column("ends_on", gettext_noop("有效期至"), help=_l("可空，空表示长期有效。不早于列入日期。")),
    Column("status", gettext_noop("状态"), help=_l("可空，默认“有效”。有效或已移出。")),
    Column("removed_on", gettext_noop("移出日期"), help=_l("状态为“已移出”时必填。")),
    Column("removal_reason", gettext_noop("移出原因"), help=_l("状态为“已移出”时必填。")),
)
ENTRY_REQUIRED = tuple(column.attr for column in ENTRY_COLUMNS if column.required)


class EntryParser:
    """A row's text as an unsaved entry (with its ID number set); the list types looked up once
    per file. The entry belongs to the uploader's department."""

    def __init__(self, context: registers.Context) -> None:
        self.department_id = getattr(context.actor, "department_id", None)
        self.list_types: dict[str, ListType] = {}
        for list_type in ListType.objects.filter(is_active=True):
            self.list_types[list_type.code.casefold()] = list_type
            self.list_types[names.name_key(list_type.name)] = list_type
        self.category = registers.choice(SubjectCategory.choices)
        self.status = registers.choice(EntryStatus.choices)

    def list_type(self, text: str) -> ListType:
        found = self.list_types.get(text.casefold()) or self.list_types.get(names.name_key(text))
        if found is None:
            message = _("“%(value)s”不是已启用的名单类型，应填名单类型的代码或名称")
            raise ValidationError(message % {"value": text})
        return found

    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        errors = RowErrors(values, *ENTRY_REQUIRED)
        category = errors.check("subject_category", self.category, None)
        id_number = normalise(values.get("id_number", ""))
        if id_number and category == SubjectCategory.NATURAL_PERSON:
            id_number = errors.check("id_number", validate_resident_id, "")
        checked = {
            "list_type": errors.check("list_type", self.list_type, None),
            "listed_on": errors.check("listed_on", registers.day, None),
            "ends_on": errors.check("ends_on", registers.day, None),
            "status": errors.check("status", self.status, EntryStatus.ACTIVE.value),
            "removed_on": errors.check("removed_on", registers.day, None),
        }
        errors.raise_any()
        entry = ListEntry(
            subject_name=values["subject_name"],
            subject_category=category or "",
            credit_code=normalise(values.get("credit_code", "")),
            listing_authority=values["listing_authority"],
            document_number=values["document_number"],
            basis=values["basis"],
            removal_reason=values.get("removal_reason", ""),
            department_id=self.department_id,
            **checked,
        )
        entry.set_id_number(id_number)
        entry.full_clean(exclude=["subject", "department"], validate_constraints=False)
        entry.set_name_keys()
        return {"entry": entry, "has_id_number": bool(id_number)}


def write_entry(values: dict[str, Any], context: registers.Context) -> Outcome:
    """Create the entry, or update the one with its list type, 认定文书号 and name."""
    row: ListEntry = values["entry"]
    existing = ListEntry.objects.filter(
        list_type_id=row.list_type_id, document_number=row.document_number, name_key=row.name_key
    ).first()
    if existing is not None:
        if existing.status == EntryStatus.REMOVED and row.status == EntryStatus.ACTIVE:
            message = _(
                "该主体已于 %(date)s 移出名单，导入不能恢复为有效；如需重新列入，请使用新的认定文书号"
            )
            removed = existing.removed_on.isoformat() if existing.removed_on else ""
            raise ValidationError({"status": message % {"date": removed}})
        if not values["has_id_number"]:  # an empty cell keeps the number already stored
            row.id_number_ciphertext = existing.id_number_ciphertext
            row.id_number_index = existing.id_number_index
            row.id_number_masked = existing.id_number_masked
        if all(getattr(existing, attr) == getattr(row, attr) for attr in ENTRY_COMPARED):
            return Outcome.UNCHANGED
        for attr in (*ENTRY_COMPARED, "id_number_ciphertext", "id_number_masked"):
            setattr(existing, attr, getattr(row, attr))
    entry = existing or row
    reason = entry.removal_reason if entry.status == EntryStatus.REMOVED else ""
    with change_reason(reason or _("名单条目导入")):
        save_entry(entry, actor=context.actor)
    return Outcome.CREATED if existing is None else Outcome.UPDATED


registers.register(
    registers.Register(
        key="list_entries",
        title=_l("名单条目"),
        columns=ENTRY_COLUMNS,
        parser=EntryParser,
        writer=write_entry,
        keys=(("list_type", "document_number", "subject_name"),),
        batch_model="screening.ListImport",
        list_url="screening:entries",
        personal_data=True,
        error_columns={"id_number_masked": "id_number", "name_key": "subject_name"},
        note=_l(
            "同一名单类型下，认定文书号和主体名称相同的行更新已有条目；已移出的条目不会因导入"
            "恢复为有效。模板的“填写说明”页说明每一列。"
        ),
    )
)
