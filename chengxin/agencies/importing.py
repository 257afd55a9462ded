"""Importing officers (执法人员) from CSV or XLSX: create or update by 执法证号 (the natural key).

The file is read by `core.readers`. Each row is parsed, its body found by name or 统一社会信用代码,
and checked by the same `EnforcementOfficer.clean()` the form uses; a new 执法证号 registers an
officer (在岗), a known one updates the officer's fields (never the status: status changes are
actions with a reason), an identical row is left alone. Invalid rows are kept as
`OfficerImportRejection`s, each problem naming the row, the column and what is wrong, and come back
as an XLSX (`imports.report`) to fix and re-upload. All rows are written in one transaction: an
import that fails part-way leaves nothing behind and its batch says it failed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
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
from chengxin.agencies.actions import save_officer
from chengxin.agencies.choices import EventType
from chengxin.agencies.models import (
    EnforcementBody,
    EnforcementOfficer,
    OfficerImport,
)
from chengxin.core import regions, spreadsheets
from chengxin.core.dates import parse_date
from chengxin.core.identifiers import normalise
from chengxin.core.readers import UnreadableFile
from chengxin.core.text import cell_text, clean_text, header_key
from chengxin.imports.registry import (
    RegistryResult,
    run_registry_import,
    uploaded_batch,
)
from chengxin.imports.report import report_download

logger = logging.getLogger(__name__)

# (attribute, column header): the file format, matched as written in Chinese.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("body", gettext_noop("执法主体")),
    ("name", gettext_noop("姓名")),
    ("certificate_number", gettext_noop("执法证号")),
    ("categories", gettext_noop("执法类别")),
    ("area", gettext_noop("执法区域")),
    ("certificate_valid_from", gettext_noop("有效期起")),
    ("certificate_valid_until", gettext_noop("有效期止")),
    ("has_legal_qualification", gettext_noop("法律职业资格")),
    ("training_hours", gettext_noop("年度培训学时")),
    ("exam_passed", gettext_noop("执法资格考试合格")),
)
LABELS = dict(COLUMNS)
REQUIRED = (
    "body",
    "name",
    "certificate_number",
    "categories",
    "area",
    "certificate_valid_from",
    "certificate_valid_until",
)
DATES = ("certificate_valid_from", "certificate_valid_until")
BOOLEANS = ("has_legal_qualification", "exam_passed")
COMPARED = (
    "body_id",
    "name",
    "categories",
    "area",
    "certificate_valid_from",
    "certificate_valid_until",
    "has_legal_qualification",
    "training_hours",
    "exam_passed",
)
YES = {"是", "有", "Y", "YES", "TRUE", "1", "√"}
NO = {"否", "无", "N", "NO", "FALSE", "0", "×", ""}


def problem(row_number: int, attr: str | None, message: str) -> str:
    """One problem as the person fixing the file reads it: row, column, what is wrong."""
    if attr is None:
        return _("第 %(row)d 行：%(message)s") % {"row": row_number, "message": message}
    return _("第 %(row)d 行【%(column)s】：%(message)s") % {
        "row": row_number,
        "column": _(LABELS[attr]),
        "message": message,
    }


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


class OfficerImporter:
    """Parses, checks and upserts rows for one import, acting as `actor`."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.bodies: dict[str, EnforcementBody] = {}
        for body in EnforcementBody.objects.all():
            self.bodies[body.name] = body
            self.bodies[body.credit_code] = body
        self.columns: list[str | None] = []
        self.seen: dict[str, int] = {}
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
        row, problems = self.parse(row_number, raw)
        if row is None:
            return problems
        first = self.seen.setdefault(row.certificate_number, row_number)
        if first != row_number:
            message = _("与第 %(first)d 行的执法证号相同") % {"first": first}
            return [problem(row_number, "certificate_number", message)]
        existing = EnforcementOfficer.objects.filter(
            certificate_number=row.certificate_number
        ).first()
        if existing is None:
            return self.store(row_number, row, created=True)
        if all(getattr(existing, attr) == getattr(row, attr) for attr in COMPARED):
            self.result.unchanged += 1
            return []
        for attr in COMPARED:
            setattr(existing, attr, getattr(row, attr))
        return self.store(row_number, existing, created=False)

    def parse(
        self, row_number: int, raw: dict[str, Any]
    ) -> tuple[EnforcementOfficer | None, list[str]]:
        values = {attr: clean_text(cell_text(raw.get(attr))) for attr, _label in COLUMNS}
        problems = [
            problem(row_number, attr, _("必填，不能为空")) for attr in REQUIRED if not values[attr]
        ]
        body = self.bodies.get(values["body"]) or self.bodies.get(normalise(values["body"]))
        if values["body"] and body is None:
            message = _("“%(value)s”不是已登记的执法主体，应填执法主体名称或统一社会信用代码")
            problems.append(problem(row_number, "body", message % {"value": values["body"]}))
        dates: dict[str, datetime.date | None] = {}
        for attr in DATES:
            dates[attr] = None
            if values[attr]:
                try:
                    dates[attr] = parse_date(raw[attr])
                except ValueError:
                    message = _("日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD")
                    problems.append(problem(row_number, attr, message))
        flags: dict[str, bool] = {}
        for attr in BOOLEANS:
            text = values[attr].upper()
            if text in YES or text in NO:
                flags[attr] = text in YES
            else:
                problems.append(problem(row_number, attr, _("应填“是”或“否”")))
        hours = 0
        if values["training_hours"]:
            try:
                hours = int(values["training_hours"])
                if hours < 0:
                    raise ValueError
            except ValueError:
                message = _("应为不小于 0 的整数")
                problems.append(problem(row_number, "training_hours", message))
        valid_from, valid_until = dates["certificate_valid_from"], dates["certificate_valid_until"]
        if problems or valid_from is None or valid_until is None:
            return None, problems
        officer = EnforcementOfficer(
            body=body,
            name=values["name"],
            certificate_number=normalise(values["certificate_number"]),
            categories=values["categories"],
            area=values["area"],
            certificate_valid_from=valid_from,
            certificate_valid_until=valid_until,
            has_legal_qualification=flags["has_legal_qualification"],
            training_hours=hours,
            exam_passed=flags["exam_passed"],
        )
        try:
            officer.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            return None, self.model_problems(row_number, exc)
        return officer, []

    def store(self, row_number: int, officer: EnforcementOfficer, *, created: bool) -> list[str]:
        try:
            with transaction.atomic():  # a savepoint: a refused row leaves the batch usable
                save_officer(officer, actor=self.actor, event=EventType.OFFICER_IMPORTED)
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
            column = attr if attr in LABELS else None
            found.extend(problem(row_number, column, message) for message in errors)
        return found


def import_officers(upload: UploadedFile, *, actor: User) -> OfficerImport:
    """Import an uploaded file of officers in this request; returns the finished batch."""
    if not can(actor, IMPORT, OfficerImport):
        raise PermissionDenied
    with uploaded_batch(OfficerImport, upload, actor=actor) as (batch, path):
        return run_import(batch, path, actor=actor)


def run_import(batch: OfficerImport, path: Path, *, actor: User) -> OfficerImport:
    """Read `path` into `batch` in one transaction; the batch ends FINISHED or FAILED."""
    return run_registry_import(
        batch,
        path,
        lambda: OfficerImporter(actor),
        actor=actor,
        failure_message=_("导入失败，本批次未写入任何人员（%(error)s）。请联系系统管理员。"),
    )


TEMPLATE = spreadsheets.Export("agencies.import_template", _l("执法人员导入模板"))
# The rows as uploaded: officers' names and certificate numbers.
REJECTED_ROWS = spreadsheets.Export(
    "agencies.rejected_rows", _l("执法人员导入拒收行"), personal_data=True
)


def template_example() -> tuple[str, ...]:
    """One example row, in the installation's own district."""
    district = regions.district_name()
    region = regions.current_region()
    return (
        f"{district}市场监督管理局",
        "张三",
        f"{region.code if region else '000000'}00100001",
        "市场监管",
        district,
        "2024-01-01",
        "2028-12-31",
        "否",
        "64",
        "是",
    )


def report_response(batch: OfficerImport, *, actor: User) -> FileResponse:
    """The rejected rows as uploaded plus a column of problems: fix, delete that column, re-upload."""
    filename = f"officer-import-{batch.pk}-rejected"
    return report_download(REJECTED_ROWS, batch, filename=filename, actor=actor)


def template_response() -> FileResponse:
    """The import template: the header row (the format's headers stay Chinese) and one example
    row, every column formatted as text."""
    sheet = spreadsheets.Sheet(
        [label for _attr, label in COLUMNS],
        [template_example()],
        name=_("执法人员"),
        widths=dict.fromkeys(range(len(COLUMNS)), 20),
        as_text=True,
    )
    return spreadsheets.download(TEMPLATE, spreadsheets.XLSX, sheet, filename="officers-template")
