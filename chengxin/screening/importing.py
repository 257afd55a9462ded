"""Importing list entries (名单条目) from CSV or XLSX, with the per-row report of the 双公示 import.

The file is read by `core.readers` (CSV in UTF-8 or GBK, XLSX through calamine). Each row is
parsed and checked by the same `ListEntry.clean()` the form uses; a valid row is upserted on its
natural key, list type + 认定文书号 + normalised name: a new key is created, an identical row is
left alone, a changed row updates the entry (an entry already removed from its list is never put
back by an import). Invalid rows are kept as `ListImportRejection`s, each problem naming the row,
the column and what is wrong, and come back as an XLSX (`imports.report`) to fix and re-upload.

All rows are written in one transaction: an import that fails part-way leaves no entry behind,
and its `ListImport` row says it failed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.accounts.models import User
from chengxin.accounts.permissions import IMPORT, can
from chengxin.audit.context import change_reason
from chengxin.core import spreadsheets
from chengxin.core.dates import parse_date
from chengxin.core.identifiers import normalise, validate_resident_id
from chengxin.core.readers import UnreadableFile
from chengxin.core.text import clean_text, header_key
from chengxin.imports.registry import (
    RegistryResult,
    run_registry_import,
    uploaded_batch,
)
from chengxin.imports.report import report_download
from chengxin.screening import names
from chengxin.screening.actions import save_entry
from chengxin.screening.choices import EntryStatus
from chengxin.screening.models import ListEntry, ListImport, ListType
from chengxin.subjects.choices import SubjectCategory

logger = logging.getLogger(__name__)

# (attribute, column header). The headers are the file format: matched as written in Chinese,
# and translated only where a message names them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("list_type", gettext_noop("名单类型")),
    ("subject_name", gettext_noop("主体名称")),
    ("subject_category", gettext_noop("主体类别")),
    ("credit_code", gettext_noop("统一社会信用代码")),
    ("id_number", gettext_noop("证件号码")),
    ("listing_authority", gettext_noop("认定部门")),
    ("document_number", gettext_noop("认定文书号")),
    ("basis", gettext_noop("认定依据及事由")),
    ("listed_on", gettext_noop("列入日期")),
    ("ends_on", gettext_noop("有效期至")),
    ("status", gettext_noop("状态")),
    ("removed_on", gettext_noop("移出日期")),
    ("removal_reason", gettext_noop("移出原因")),
)
LABELS = dict(COLUMNS)
REQUIRED = (
    "list_type",
    "subject_name",
    "subject_category",
    "listing_authority",
    "document_number",
    "basis",
    "listed_on",
)
DATES = ("listed_on", "ends_on", "removed_on")
# Model error keys that are not columns: the column the person fixes instead.
ERROR_COLUMNS = {"id_number_masked": "id_number", "name_key": "subject_name"}
# Fields compared to tell an unchanged row from an update.
COMPARED = (
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


def column_label(attr: str) -> str:
    return _(LABELS.get(ERROR_COLUMNS.get(attr, attr), attr))


def problem(row_number: int, attr: str | None, message: str) -> str:
    """One problem as the person fixing the file reads it: row, column, what is wrong."""
    if attr is None:
        return _("第 %(row)d 行：%(message)s") % {"row": row_number, "message": message}
    return _("第 %(row)d 行【%(column)s】：%(message)s") % {
        "row": row_number,
        "column": column_label(attr),
        "message": message,
    }


def map_header(header: Sequence[Any]) -> list[str | None]:
    """Which attribute each column holds; unknown columns (原行号, 错误说明 …) are ignored."""
    lookup = {header_key(label): attr for attr, label in COLUMNS}
    columns = [lookup.get(header_key(str(cell))) for cell in header]
    missing = [attr for attr in REQUIRED if attr not in columns]
    if missing:
        raise UnreadableFile(
            _("文件缺少必需的列：%(columns)s。请使用导入模板的表头。")
            % {"columns": "、".join(_(LABELS[attr]) for attr in missing)}
        )
    return columns


class EntryImporter:
    """Parses, checks and upserts rows for one import, acting as `actor`."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.list_types: dict[str, ListType] = {}
        for list_type in ListType.objects.filter(is_active=True):
            self.list_types[list_type.code.casefold()] = list_type
            self.list_types[names.name_key(list_type.name)] = list_type
        self.categories = _choice_lookup(SubjectCategory.choices)
        self.statuses = _choice_lookup(EntryStatus.choices)
        self.columns: list[str | None] = []
        self.seen: dict[tuple[int, str, str], int] = {}
        self.result = RegistryResult()

    def set_header(self, header: Sequence[Any]) -> None:
        self.columns = map_header(header)

    def import_row(self, row_number: int, cells: Sequence[Any]) -> list[str]:
        """Store one row; the problems that keep it out (empty: stored or already there)."""
        raw = {
            attr: cells[i]
            for i, attr in enumerate(self.columns)
            if attr is not None and i < len(cells)
        }
        entry, id_number, problems = self.parse(row_number, raw)
        if problems:
            return problems
        assert entry is not None
        entry.set_name_keys()
        key = (entry.list_type_id, entry.document_number, entry.name_key)
        first = self.seen.setdefault(key, row_number)
        if first != row_number:
            message = _("与第 %(first)d 行的名单类型、认定文书号和主体名称相同") % {"first": first}
            return [problem(row_number, "document_number", message)]
        existing = ListEntry.objects.filter(
            list_type_id=entry.list_type_id,
            document_number=entry.document_number,
            name_key=entry.name_key,
        ).first()
        if existing is not None:
            return self.update(row_number, existing, entry, id_number)
        return self.store(row_number, entry, created=True)

    def parse(
        self, row_number: int, raw: dict[str, Any]
    ) -> tuple[ListEntry | None, str, list[str]]:
        values = {attr: clean_text(raw.get(attr)) for attr, _label in COLUMNS}
        problems = [
            problem(row_number, attr, _("必填，不能为空"))
            for attr in REQUIRED
            if not values[attr] and attr not in ("list_type", "subject_category")
        ]
        list_type = self.list_types.get(values["list_type"].casefold()) or self.list_types.get(
            names.name_key(values["list_type"])
        )
        if list_type is None:
            message = (
                _("必填，不能为空")
                if not values["list_type"]
                else _("“%(value)s”不是已启用的名单类型，应填名单类型的代码或名称")
                % {"value": values["list_type"]}
            )
            problems.append(problem(row_number, "list_type", message))
        category = self.categories.get(values["subject_category"])
        if category is None:
            message = (
                _("应为：%(choices)s") % {"choices": "、".join(map(str, SubjectCategory.labels))}
                if values["subject_category"]
                else _("必填，不能为空")
            )
            problems.append(problem(row_number, "subject_category", message))
        status = self.statuses.get(values["status"] or EntryStatus.ACTIVE)
        if status is None:
            problems.append(
                problem(
                    row_number,
                    "status",
                    _("应为：%(choices)s") % {"choices": "、".join(map(str, EntryStatus.labels))},
                )
            )
        dates: dict[str, datetime.date | None] = {}
        for attr in DATES:
            dates[attr] = None
            if raw.get(attr) not in (None, "") and values[attr]:
                try:
                    dates[attr] = parse_date(raw[attr])
                except ValueError:
                    message = _("日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD")
                    problems.append(problem(row_number, attr, message))
        id_number = normalise(values["id_number"])
        if id_number and category == SubjectCategory.NATURAL_PERSON:
            try:
                id_number = validate_resident_id(id_number)
            except ValidationError as exc:
                problems.append(problem(row_number, "id_number", " ".join(exc.messages)))
        listed_on = dates["listed_on"]
        if problems or listed_on is None or category is None or status is None:
            return None, "", problems
        entry = ListEntry(
            list_type=list_type,
            subject_name=values["subject_name"],
            subject_category=category,
            credit_code=normalise(values["credit_code"]),
            listing_authority=values["listing_authority"],
            document_number=values["document_number"],
            basis=values["basis"],
            listed_on=listed_on,
            ends_on=dates["ends_on"],
            status=status,
            removed_on=dates["removed_on"],
            removal_reason=values["removal_reason"],
            department_id=self.actor.department_id,
        )
        entry.set_id_number(id_number)
        try:
            entry.full_clean(exclude=["subject", "department"], validate_constraints=False)
        except ValidationError as exc:
            return None, "", self.model_problems(row_number, exc)
        return entry, id_number, []

    def update(
        self, row_number: int, existing: ListEntry, row: ListEntry, id_number: str
    ) -> list[str]:
        if existing.status == EntryStatus.REMOVED and row.status == EntryStatus.ACTIVE:
            message = _(
                "该主体已于 %(date)s 移出名单，导入不能恢复为有效；如需重新列入，请使用新的认定文书号"
            )
            return [
                problem(
                    row_number,
                    "status",
                    message
                    % {"date": existing.removed_on.isoformat() if existing.removed_on else ""},
                )
            ]
        if not id_number:  # an empty cell keeps the number already stored
            row.id_number_ciphertext = existing.id_number_ciphertext
            row.id_number_index = existing.id_number_index
            row.id_number_masked = existing.id_number_masked
        if all(getattr(existing, attr) == getattr(row, attr) for attr in COMPARED):
            self.result.unchanged += 1
            return []
        for attr in (*COMPARED, "id_number_ciphertext", "id_number_masked"):
            setattr(existing, attr, getattr(row, attr))
        return self.store(row_number, existing, created=False)

    def store(self, row_number: int, entry: ListEntry, *, created: bool) -> list[str]:
        reason = entry.removal_reason if entry.status == EntryStatus.REMOVED else ""
        try:
            # A savepoint: a refused row must not spoil the batch's transaction.
            with transaction.atomic(), change_reason(reason or _("名单条目导入")):
                save_entry(entry, actor=self.actor)
        except ValidationError as exc:
            return self.model_problems(row_number, exc)
        if created:
            self.result.created += 1
        else:
            self.result.updated += 1
        return []

    def model_problems(self, row_number: int, exc: ValidationError) -> list[str]:
        if not hasattr(exc, "error_dict"):
            return [problem(row_number, None, message) for message in exc.messages]
        found: list[str] = []
        for attr, errors in exc.message_dict.items():
            column = attr if attr in LABELS or attr in ERROR_COLUMNS else None
            found.extend(problem(row_number, column, message) for message in errors)
        return found


def _choice_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[value] = value
        lookup[str(label)] = value
    return lookup


# --- running an import -------------------------------------------------------------------------


def import_entries(upload: UploadedFile, *, actor: User) -> ListImport:
    """Import an uploaded file of list entries in this request; returns the finished batch.

    Precondition: `actor` may import on the "lists" area. Side effects: entries created or
    updated (each in the change log), the batch row with its counts and rejected rows.
    """
    if not can(actor, IMPORT, ListImport):
        raise PermissionDenied
    with uploaded_batch(ListImport, upload, actor=actor) as (batch, path):
        return run_import(batch, path, actor=actor)


def run_import(batch: ListImport, path: Path, *, actor: User) -> ListImport:
    """Read `path` into `batch` in one transaction; the batch ends FINISHED or FAILED."""
    return run_registry_import(
        batch,
        path,
        lambda: EntryImporter(actor),
        actor=actor,
        failure_message=_("导入失败，本批次未写入任何条目（%(error)s）。请联系系统管理员。"),
    )


TEMPLATE = spreadsheets.Export("screening.import_template", _l("名单条目导入模板"))
# The rows as uploaded: names and full ID numbers.
REJECTED_ROWS = spreadsheets.Export(
    "screening.rejected_rows", _l("名单条目导入拒收行"), personal_data=True
)


def report_response(batch: ListImport, *, actor: User) -> FileResponse:
    """The rejected rows as uploaded plus a column of problems: fix, delete that column, re-upload."""
    filename = f"list-import-{batch.pk}-rejected"
    return report_download(REJECTED_ROWS, batch, filename=filename, actor=actor)


def template_response() -> FileResponse:
    """The import template: the header row (text columns), and a sheet explaining each column."""
    columns = spreadsheets.Sheet(
        [label for _attr, label in COLUMNS],  # the format's headers stay Chinese
        [],
        name=_("名单条目"),
        widths=dict.fromkeys(range(len(COLUMNS)), 22),
        as_text=True,
    )
    notes = spreadsheets.Sheet(
        [_("列"), _("说明")],
        _explanations(),
        name=_("填写说明"),
        widths={0: 20, 1: 100},
    )
    return spreadsheets.download(
        TEMPLATE, spreadsheets.XLSX, [columns, notes], filename="list-entries-template"
    )


def _explanations() -> list[tuple[str, str]]:
    list_types = "、".join(
        f"{t.code}（{t.name}）" for t in ListType.objects.filter(is_active=True).order_by("code")
    )
    explanations = {
        "list_type": _("必填。名单类型的代码或名称：%(types)s") % {"types": list_types},
        "subject_name": _("必填。"),
        "subject_category": _("必填。%(choices)s")
        % {"choices": "、".join(map(str, SubjectCategory.labels))},
        "credit_code": _("法人及非法人组织、个体工商户必填，18 位。"),
        "id_number": _("自然人必填（公民身份号码）；加密保存。"),
        "listing_authority": _("必填。"),
        "document_number": _("必填。同一名单类型下，认定文书号和主体名称相同的行更新已有条目。"),
        "basis": _("必填。"),
        "listed_on": _("必填。YYYY-MM-DD。"),
        "ends_on": _("可空，空表示长期有效。不早于列入日期。"),
        "status": _("可空，默认“有效”。%(choices)s")
        % {"choices": "、".join(map(str, EntryStatus.labels))},
        "removed_on": _("状态为“已移出”时必填。"),
        "removal_reason": _("状态为“已移出”时必填。"),
    }
    return [(label, str(explanations[attr])) for attr, label in COLUMNS]
