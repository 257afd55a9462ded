"""Export of 双公示 records for the upper (provincial) platform, in the national standard.

Headers are the standard's field codes in `standard.FIELDS` order; values are the standard's
text: dates YYYY-MM-DD, amounts plain decimals in 万元, penalty categories joined with ";",
行政相对人类别 by its Chinese name, 当前状态 (license_state) as stored. Full ID numbers are
included, because the upper platform needs them: every export is therefore restricted to roles
with the "export" permission and written to the audit chain as one sensitive read.

Formula injection: a text cell that starts with = + - @, a tab or a carriage return is
neutralised with a leading apostrophe in CSV and XLSX, the formats a person opens in a
spreadsheet. JSON carries the values exactly as stored: it is read by programs, never evaluated
as a formula, and an apostrophe would corrupt names the upper platform matches on. Whoever turns
the JSON into a spreadsheet escapes it there.

CSV and JSON are streamed row by row; XLSX is written with XlsxWriter in constant-memory mode to
a temporary file. Records are read with `.iterator(chunk_size=2000)` either way.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import EXPORT, can
from chengxin.audit import log
from chengxin.audit.choices import AuditAction
from chengxin.core.personal_data import decrypt
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind, RecordStatus
from chengxin.publicity.models import RECORD_MODELS, DecisionRecord, RecordQuerySet

CHUNK_SIZE = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV, XLSX, JSON = "csv", "xlsx", "json"
FORMATS = (CSV, XLSX, JSON)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JSON: "application/json; charset=utf-8",
}
# Personal numbers are stored only as ciphertext (models.DecisionRecord.set_personal_numbers).
CIPHERTEXT_FIELDS = {
    "id_number": "id_number_ciphertext",
    "legal_representative_id_number": "legal_representative_id_ciphertext",
}


def neutralise(text: str) -> str:
    """`text` made inert for a spreadsheet: a leading formula character gets an apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(record: DecisionRecord, field: standard.Field) -> str:
    """One field of `record` as the standard writes it (ID numbers decrypted)."""
    if field.attr in CIPHERTEXT_FIELDS:
        token = getattr(record, CIPHERTEXT_FIELDS[field.attr])
        return decrypt(token) if token else ""
    value = getattr(record, field.attr)
    if value is None:
        return ""
    if field.kind == standard.DATE:
        return str(value.isoformat())
    if field.kind == standard.AMOUNT:
        return format(decimal.Decimal(value).normalize(), "f")
    if field.kind == standard.CATEGORIES:
        return ";".join(standard.split_categories(value))
    if field.kind == standard.FLAG:
        return "是" if value else ""  # empty is 否, as a file in the national layout has it
    if field.attr == "subject_category":
        return standard.SUBJECT_CATEGORY_LABELS.get(str(value), str(value))
    return str(value)


def header(kind: str) -> list[str]:
    return [field.code for field in standard.FIELDS[kind]]


def record_cells(kind: str, record: DecisionRecord) -> list[str]:
    return [cell_text(record, field) for field in standard.FIELDS[kind]]


# --- what to export ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFilters:
    """Which records to export: one kind, decided in a date range, of a department, a status."""

    kind: str
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    department: Department | None = None
    status: str = RecordStatus.PUBLISHED

    def records(self, user: User) -> RecordQuerySet:
        records: RecordQuerySet = RECORD_MODELS[self.kind].objects.restrict(user, EXPORT)
        records = records.filter(status=self.status)
        if self.date_from:
            records = records.filter(decision_date__gte=self.date_from)
        if self.date_to:
            records = records.filter(decision_date__lte=self.date_to)
        if self.department:
            records = records.filter(department=self.department)
        return records.order_by("decision_date", "pk")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "department_id": self.department.pk if self.department else None,
            "status": self.status,
        }

    def describe(self) -> str:
        """The filters in words, for the audit log's object column."""
        parts = [
            str(RecordKind(self.kind).label),
            f"{self.date_from or '…'}～{self.date_to or '…'}",
            str(self.department) if self.department else str(_("全部单位")),
            str(RecordStatus(self.status).label),
        ]
        return " ".join(parts)[:200]

    def file_name(self, fmt: str) -> str:
        dates = f"{self.date_from or 'start'}_{self.date_to or 'end'}"
        department = f"-{self.department.credit_code}" if self.department else ""
        return f"{self.kind}-{dates}{department}-{self.status}.{fmt}"


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=RecordKind.choices, initial=RecordKind.PENALTY
    )
    date_from = forms.DateField(
        label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("决定日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.ModelChoiceField(
        label=_("数据来源单位"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("全部单位"),
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=RecordStatus.choices,
        initial=RecordStatus.PUBLISHED,
        required=False,
    )
    format = forms.ChoiceField(
        label=_("格式"), choices=[(fmt, fmt.upper()) for fmt in FORMATS], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(
            kind=data["kind"],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            department=data.get("department"),
            status=data.get("status") or RecordStatus.PUBLISHED,
        )


# --- writing ------------------------------------------------------------------------------


class _Line:
    """A file-like object whose `write` returns the text: csv.writer one row at a time."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(kind: str, records: Iterable[DecisionRecord]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark, so that Excel opens it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header(kind))
    for record in records:
        yield writer.writerow([neutralise(text) for text in record_cells(kind, record)])


def json_chunks(kind: str, records: Iterable[DecisionRecord]) -> Iterator[str]:
    """A JSON list of objects keyed by field code; values as stored (see the module docstring)."""
    codes = header(kind)
    separator = "[\n"
    for record in records:
        item = dict(zip(codes, record_cells(kind, record), strict=True))
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


def write_xlsx(kind: str, records: Iterable[DecisionRecord], target: IO[bytes]) -> None:
    """One sheet, every cell a string (no number or date guessing, no formulas)."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = workbook.add_worksheet(str(RecordKind(kind).label))
    for column, code in enumerate(header(kind)):
        sheet.write_string(0, column, code)
    for row, record in enumerate(records, start=1):
        for column, text in enumerate(record_cells(kind, record)):
            sheet.write_string(row, column, neutralise(text))
    workbook.close()


def export_response(filters: ExportFilters, fmt: str, *, actor: User) -> HttpResponseBase:
    """The export as a download, after one SENSITIVE_READ audit entry (it holds ID numbers).

    Raises PermissionDenied unless `actor` may export records.
    """
    model = RECORD_MODELS[filters.kind]
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    if not can(actor, EXPORT, model):
        raise PermissionDenied
    records = filters.records(actor)
    _audit(filters, fmt, records.count(), actor)
    rows = records.iterator(chunk_size=CHUNK_SIZE)
    name = filters.file_name(fmt)
    if fmt == XLSX:
        target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        write_xlsx(filters.kind, rows, target)
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename=name, content_type=CONTENT_TYPES[XLSX]
        )
    chunks = csv_chunks(filters.kind, rows) if fmt == CSV else json_chunks(filters.kind, rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _audit(filters: ExportFilters, fmt: str, count: int, actor: User) -> None:
    event = log.Event(
        action=AuditAction.SENSITIVE_READ,
        object_type="publicity.export",
        object_repr=filters.describe(),
        after=filters.as_dict() | {"format": fmt, "count": count},
        actor=actor,
    )
    log.append([event])
