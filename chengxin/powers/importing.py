"""Importing power items from CSV or XLSX: each row is the item as it should stand, found by its
权力编码 (the natural key). A new code is a 新增, a listed code with other values a 变更, a
cancelled code a 新增 again (重新列入), an identical row is left alone; all with the reason,
document and effective date given for the batch. Cancelling stays a deliberate act on the item's
page. Invalid rows are kept as `PowerImportRejection`s ("第 N 行【列】：问题") and come back as
the usual XLSX report. The batch is one transaction: a crash stores nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, IMPORT, can
from chengxin.core import spreadsheets
from chengxin.core.identifiers import normalise
from chengxin.core.readers import UnreadableFile
from chengxin.core.text import cell_text, clean_text, header_key
from chengxin.imports.registry import (
    RegistryResult,
    run_registry_import,
    uploaded_batch,
)
from chengxin.imports.report import report_download
from chengxin.powers import actions
from chengxin.powers.models import PowerCategory, PowerImport, PowerItem

logger = logging.getLogger(__name__)

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", gettext_noop("权力编码")),
    ("name", gettext_noop("权力名称")),
    ("category", gettext_noop("权力类别")),
    ("implementing_department", gettext_noop("实施主体")),
    ("legal_basis", gettext_noop("设定依据")),
    ("counterpart_kind", gettext_noop("行政相对人类别")),
    ("time_limit", gettext_noop("办理时限")),
    ("fee_basis", gettext_noop("收费依据和标准")),
    ("supervision_phone", gettext_noop("监督电话")),
)
LABELS = dict(COLUMNS)
REQUIRED = ("code", "name", "category", "implementing_department", "legal_basis")


def problem(row_number: int, attr: str | None, message: str) -> str:
    if attr is None:
        return _("第 %(row)d 行：%(message)s") % {"row": row_number, "message": message}
    return _("第 %(row)d 行【%(column)s】：%(message)s") % {
        "row": row_number,
        "column": _(LABELS[attr]),
        "message": message,
    }


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


def map_header(header: Sequence[Any]) -> list[str | None]:
    lookup = {header_key(label): attr for attr, label in COLUMNS}
    columns = [lookup.get(header_key(str(cell))) for cell in header]
    missing = [attr for attr in REQUIRED if attr not in columns]
    if missing:
        raise UnreadableFile(
            _("文件缺少必需的列：%(columns)s。请使用导入模板的表头。")
            % {"columns": "、".join(_(LABELS[attr]) for attr in missing)}
        )
    return columns


class ItemParser:
    """A row's text turned into a power item's values: the category and the implementing
    department looked up (once per file), the required columns checked. Shared by this import
    and the organisation file (`powers.organisation`)."""

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
        item_values: dict[str, Any] = {attr: values.get(attr, "") for attr, _label in COLUMNS}
        problems = [(attr, _("必填，不能为空")) for attr in REQUIRED if not item_values[attr]]
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


class ItemImporter:
    def __init__(self, batch: PowerImport, actor: User) -> None:
        self.batch, self.actor = batch, actor
        self.parser = ItemParser()
        self.columns: list[str | None] = []
        self.seen: dict[str, int] = {}
        self.result = RegistryResult()

    def set_header(self, header: Sequence[Any]) -> None:
        self.columns = map_header(header)

    def import_row(self, row_number: int, cells: Sequence[Any]) -> list[str]:
        raw = {
            attr: cells[i]
            for i, attr in enumerate(self.columns)
            if attr is not None and i < len(cells)
        }
        values = {attr: clean_text(cell_text(raw.get(attr))) for attr, _label in COLUMNS}
        item_values, found = self.parser.parse(values)
        problems = [problem(row_number, attr, message) for attr, message in found]
        first = self.seen.setdefault(values["code"], row_number) if values["code"] else row_number
        if first != row_number:
            message = _("与第 %(first)d 行的权力编码相同") % {"first": first}
            problems.append(problem(row_number, "code", message))
        if problems:
            return problems
        return self.store(row_number, item_values)

    def store(self, row_number: int, values: dict[str, Any]) -> list[str]:
        basis: dict[str, Any] = {
            "actor": self.actor,
            "reason": self.batch.reason,
            "document": self.batch.document,
            "effective_on": self.batch.effective_on,
        }
        existing = PowerItem.objects.filter(code=values["code"]).first()
        try:
            with transaction.atomic():  # a savepoint: a refused row leaves the batch usable
                if existing is None or existing.is_cancelled:
                    actions.add_power_item(values, **basis)
                    self.result.created += 1
                elif is_unchanged(existing, values):
                    self.result.unchanged += 1
                else:
                    actions.change_power_item(existing, values, **basis)
                    self.result.updated += 1
        except ValidationError as exc:
            return self.model_problems(row_number, exc)
        except PermissionDenied:
            message = _("无权调整该部门的权力事项")
            return [problem(row_number, "implementing_department", message)]
        return []

    def model_problems(self, row_number: int, exc: ValidationError) -> list[str]:
        if not hasattr(exc, "error_dict"):
            return [problem(row_number, None, message) for message in exc.messages]
        found: list[str] = []
        for attr, errors in exc.message_dict.items():
            column = attr if attr in LABELS else None
            found.extend(problem(row_number, column, message) for message in errors)
        return found


def import_items(
    upload: UploadedFile,
    *,
    actor: User,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerImport:
    """Import an uploaded file of power items in this request; returns the finished batch."""
    if not (can(actor, IMPORT, PowerImport) and can(actor, ADD, PowerItem)):
        raise PermissionDenied
    fields = {"reason": reason.strip(), "document": document.strip(), "effective_on": effective_on}
    with uploaded_batch(PowerImport, upload, actor=actor, **fields) as (batch, path):
        return run_import(batch, path, actor=actor)


def run_import(batch: PowerImport, path: Path, *, actor: User) -> PowerImport:
    """Read `path` into `batch` in one transaction; the batch ends FINISHED or FAILED."""
    return run_registry_import(
        batch,
        path,
        lambda: ItemImporter(batch, actor),
        actor=actor,
        failure_message=_("导入失败，本批次未写入任何事项（%(error)s）。请联系系统管理员。"),
    )


TEMPLATE = spreadsheets.Export("powers.import_template", _l("权力事项导入模板"))
# Power items hold no personal data: the report is not recorded.
REJECTED_ROWS = spreadsheets.Export("powers.rejected_rows", _l("权力事项导入拒收行"))


def report_response(batch: PowerImport, *, actor: User) -> FileResponse:
    """The rejected rows as uploaded plus a column of problems: fix, delete that column, re-upload."""
    filename = f"power-import-{batch.pk}-rejected"
    return report_download(REJECTED_ROWS, batch, filename=filename, actor=actor)


def template_response() -> FileResponse:
    """The import template: the header row, every column formatted as text."""
    sheet = spreadsheets.Sheet(
        [label for _attr, label in COLUMNS],
        [],
        name=_("权力事项"),
        widths=dict.fromkeys(range(len(COLUMNS)), 24),
        as_text=True,
    )
    return spreadsheets.download(
        TEMPLATE, spreadsheets.XLSX, sheet, filename="power-items-template"
    )
