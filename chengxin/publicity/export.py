"""Export of 双公示 records for the upper (provincial) platform, in the national standard.

Headers are the standard's field codes in `standard.FIELDS` order; values are the standard's
text: dates YYYY-MM-DD, amounts plain decimals in 万元, penalty categories joined with ";",
行政相对人类别 by its Chinese name, 当前状态 (license_state) as stored. Full ID numbers are
included, because the upper platform needs them: every export is therefore restricted to roles
with the "export" permission and written to the audit chain as one sensitive read.

CSV and XLSX are written by `core.spreadsheets` (a text cell starting with = + - @, a tab or a
carriage return is made inert there, the header included), whole, to a temporary file: XLSX in
constant-memory mode. JSON carries the values exactly as stored and is streamed: it is read by
programs, never evaluated as a formula, and an apostrophe would corrupt names the upper platform
matches on. Whoever turns the JSON into a spreadsheet escapes it there. Records are read with
`.iterator(chunk_size=2000)` either way, and every format is recorded the same way
(`spreadsheets.record_export`, one entry per export, with its filters and row count).
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import EXPORT, can
from chengxin.core import spreadsheets
from chengxin.core.personal_data import decrypt
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind, RecordStatus
from chengxin.publicity.models import RECORD_MODELS, DecisionRecord, RecordQuerySet

CHUNK_SIZE = 2000
CSV, XLSX, JSON = spreadsheets.CSV, spreadsheets.XLSX, "json"
FORMATS = (CSV, XLSX, JSON)
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# Full ID numbers, for the upper platform (publicity.annual counts these entries by this name).
RECORDS_EXPORT = spreadsheets.Export(
    "publicity.export", _("双公示信息报送（导出）"), personal_data=True
)
# Personal numbers are stored only as ciphertext (models.DecisionRecord.set_personal_numbers).
CIPHERTEXT_FIELDS = {
    "id_number": "id_number_ciphertext",
    "legal_representative_id_number": "legal_representative_id_ciphertext",
}


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

    def file_name(self) -> str:
        """The file's name without its extension."""
        dates = f"{self.date_from or 'start'}_{self.date_to or 'end'}"
        department = f"-{self.department.credit_code}" if self.department else ""
        return f"{self.kind}-{dates}{department}-{self.status}"


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


def sheet(kind: str, records: Iterable[DecisionRecord]) -> spreadsheets.Sheet:
    """One sheet, every cell the standard's text (no number or date guessing)."""
    rows = (record_cells(kind, record) for record in records)
    return spreadsheets.Sheet(header(kind), rows, name=str(RecordKind(kind).label))


def json_chunks(kind: str, records: Iterable[DecisionRecord]) -> Iterator[str]:
    """A JSON list of objects keyed by field code; values as stored (see the module docstring)."""
    codes = header(kind)
    separator = "[\n"
    for record in records:
        item = dict(zip(codes, record_cells(kind, record), strict=True))
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


def export_response(filters: ExportFilters, fmt: str, *, actor: User) -> HttpResponseBase:
    """The export as a download, recorded as one SENSITIVE_READ audit entry (ID numbers).

    Raises PermissionDenied unless `actor` may export records.
    """
    model = RECORD_MODELS[filters.kind]
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    if not can(actor, EXPORT, model):
        raise PermissionDenied
    records = filters.records(actor)
    rows = records.iterator(chunk_size=CHUNK_SIZE)
    parameters, description = filters.as_dict(), filters.describe()
    if fmt != JSON:
        return spreadsheets.download(
            RECORDS_EXPORT,
            fmt,
            sheet(filters.kind, rows),
            filename=filters.file_name(),
            actor=actor,
            parameters=parameters,
            description=description,
        )
    spreadsheets.record_export(
        RECORDS_EXPORT,
        fmt,
        records.count(),
        actor=actor,
        parameters=parameters,
        description=description,
    )
    response = StreamingHttpResponse(
        json_chunks(filters.kind, rows), content_type=JSON_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filters.file_name()}.{fmt}"'
    return response
