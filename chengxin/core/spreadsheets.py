"""CSV and XLSX files people download or a command writes: one writer, inert to formula injection,
and every file of personal data written to the audit chain before it leaves.

Formula injection (OWASP "CSV injection"): a spreadsheet runs a text cell that starts with
= + - @ (or a tab or carriage return, which Excel skips before them) as a formula, so a company
named `=HYPERLINK("http://evil","x")` in our data would become a live link, or worse, in the
file a civil servant opens. Every text cell, the header included, is therefore written inert:

- CSV holds only text: such a cell gets a leading apostrophe (`neutralise`), which Excel and WPS
  read as "this is text".
- XLSX: always a string cell, never a formula (`write_string`, and `strings_to_formulas` off as
  well), carrying the quote-prefix style, which is how Excel and WPS store a typed leading
  apostrophe: shown as text and kept as text even when someone edits the cell. The value itself
  stays exact, so a rejected-rows report can be fixed and uploaded again unchanged, and the
  upper platform matches names as they are.

Numbers and dates given as numbers and dates stay numbers and dates: -5 as an int is a number
(no spreadsheet runs it); "-5" as text is neutralised like any text.

Each file is declared once as an `Export` (its name, title and whether it holds personal data).
`download()` and `save()` write the whole file first, then, for personal data, record the export
(who, which export, its parameters, how many rows, never a value from the file) and only then
hand the file over: a file of personal data never leaves unrecorded. The audit app plugs its
recorder in (`add_recorder`, from its AppConfig); without one, such an export is refused.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise

# OWASP's list: a text cell starting with one of these is run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# XlsxWriter format properties by role (a column's wrapping and the quote prefix are added).
STYLES: dict[str, dict[str, Any]] = {
    "header": {"bold": True, "bg_color": "#FDE8E8"},
    "title": {"bold": True},
    "text": {"num_format": "@"},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm:ss"},
    "cell": {},
}
SHEET_NAME_FORBIDDEN = str.maketrans({char: "_" for char in "[]:*?/\\"})

Cell = str | Promise | int | float | decimal.Decimal | datetime.date | None


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula (it starts with a trigger)."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """`text` made inert in a CSV cell: a leading formula character gets an apostrophe."""
    return "'" + text if is_formula_like(text) else text


# --- what a file is -------------------------------------------------------------------------

_declared: dict[str, Export] = {}


@dataclass(frozen=True)
class Export:
    """One kind of file people get: `name` ("cases.off_network") is the audit entry's object
    type; `personal_data` says it holds names, ID numbers or other personal data of people, so
    each copy made is recorded. Declared once, at module level; `declared()` lists them all."""

    name: str
    title: str | Promise
    personal_data: bool = False

    def __post_init__(self) -> None:
        known = _declared.setdefault(self.name, self)
        if known != self:
            raise ValueError(f"Export {self.name!r} is declared twice, differently.")


def declared() -> list[Export]:
    """Every export declared so far (in the modules imported), by name."""
    return sorted(_declared.values(), key=lambda export: export.name)


@dataclass(frozen=True)
class Sheet:
    """One table: a header row and the rows under it.

    The rest is XLSX layout, ignored in CSV: the tab `name` (the export's title when empty), a
    bold `title` line above the header, `widths` (column → width), `wrapped` columns (multi-line
    text), `as_text` (every column formatted as text, so what people type in a template stays as
    typed: an ID number, a code with leading zeros), `freeze_header`.
    """

    header: Sequence[Cell]
    rows: Iterable[Sequence[Cell]]
    name: str | Promise = ""
    title: str | Promise = ""
    widths: Mapping[int, int] = field(default_factory=dict)
    wrapped: Sequence[int] = ()
    as_text: bool = False
    freeze_header: bool = False


# --- writing --------------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    """A value as CSV text: numbers plain, dates ISO, None empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("Write a yes/no as its label (是/否), not as a bool.")
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M:%S}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def write_csv(target: IO[bytes], sheet: Sheet) -> int:
    """`sheet` as UTF-8 CSV with a byte-order mark (so Excel opens it as UTF-8) into the binary
    `target`, which stays open; returns the number of rows under the header."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([csv_cell(value) for value in sheet.header])
    count = 0
    for row in sheet.rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(target: IO[bytes] | Path, sheets: Sequence[Sheet], *, default_name: str = "") -> int:
    """`sheets` as one XLSX workbook into `target` (constant memory: rows go out as written);
    returns the number of rows under the headers, all sheets together."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    styles = _Styles(workbook)
    count = 0
    for number, sheet in enumerate(sheets, start=1):
        name = str(sheet.name or default_name or f"Sheet{number}")
        count += _write_sheet(workbook.add_worksheet(_sheet_name(name)), sheet, styles)
    workbook.close()
    return count


def write(
    fmt: str, target: IO[bytes] | Path, sheets: Sequence[Sheet], default_name: str = ""
) -> int:
    """`sheets` in `fmt` (CSV holds one sheet); returns the number of rows written."""
    if fmt == XLSX:
        return write_xlsx(target, sheets, default_name=default_name)
    if fmt != CSV:
        raise ValueError(f"Unknown spreadsheet format {fmt!r}")
    if len(sheets) != 1:
        raise ValueError("A CSV file holds one sheet.")
    if isinstance(target, Path):
        with target.open("wb") as handle:
            return write_csv(handle, sheets[0])
    return write_csv(target, sheets[0])


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _sheet_name(name: str) -> str:
    return name.translate(SHEET_NAME_FORBIDDEN)[:31] or "Sheet"


class _Styles:
    """The workbook's formats, made once each: (role, column kind, quote prefix) → format."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.made: dict[tuple[str, bool, bool], Any] = {}

    def get(self, role: str, *, wrapped: bool = False, quoted: bool = False) -> Any:
        key = (role, wrapped, quoted)
        if key not in self.made:
            properties = dict(STYLES[role])
            if wrapped:
                properties |= {"text_wrap": True, "valign": "top"}
            if quoted:
                properties["quote_prefix"] = True
            self.made[key] = self.workbook.add_format(properties)
        return self.made[key]


def _write_sheet(worksheet: Any, sheet: Sheet, styles: _Styles) -> int:
    for col, width in sheet.widths.items():
        worksheet.set_column(col, col, width)
    for col in sheet.wrapped:
        worksheet.set_column(col, col, sheet.widths.get(col), styles.get("cell", wrapped=True))
    if sheet.as_text:
        for col in range(len(sheet.header)):
            worksheet.set_column(col, col, sheet.widths.get(col, 20), styles.get("text"))
    row = 0
    if sheet.title:
        _write_cell(worksheet, row, 0, sheet.title, styles, "title")
        row += 1
    for col, value in enumerate(sheet.header):
        _write_cell(worksheet, row, col, value, styles, "header")
    if sheet.freeze_header:
        worksheet.freeze_panes(row + 1, 0)
    wrapped = frozenset(sheet.wrapped)
    role = "text" if sheet.as_text else "cell"
    count = 0
    for cells in sheet.rows:
        count += 1
        for col, value in enumerate(cells):
            _write_cell(worksheet, row + count, col, value, styles, role, col in wrapped)
    return count


def _write_cell(
    worksheet: Any,
    row: int,
    col: int,
    value: Cell,
    styles: _Styles,
    role: str,
    wrapped: bool = False,
) -> None:
    """One cell by its type: never `worksheet.write()`, which guesses (and makes formulas)."""
    if value is None:
        return
    if isinstance(value, bool):
        raise TypeError("Write a yes/no as its label (是/否), not as a bool.")
    if isinstance(value, int | float | decimal.Decimal):
        worksheet.write_number(row, col, float(value), styles.get(role, wrapped=wrapped))
    elif isinstance(value, datetime.datetime):
        worksheet.write_datetime(row, col, _local(value), styles.get("datetime", wrapped=wrapped))
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, col, value, styles.get("date", wrapped=wrapped))
    else:
        text = str(value)
        style = styles.get(role, wrapped=wrapped, quoted=is_formula_like(text))
        worksheet.write_string(row, col, text, style)


# --- recording exports of personal data ---------------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    """What the audit learns of one copy of an export: never a value from the file."""

    export: Export
    fmt: str
    count: int
    actor: Any = None
    actor_name: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    object_id: str = ""


Recorder = Callable[[ExportRecord], None]
_recorders: list[Recorder] = []


def add_recorder(recorder: Recorder) -> None:
    """Have `recorder` called for each export of personal data (the audit app's, at startup)."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def record_export(
    export: Export,
    fmt: str,
    count: int,
    *,
    actor: Any = None,
    actor_name: str = "",
    parameters: Mapping[str, Any] | None = None,
    description: str = "",
    object_id: str | int = "",
) -> None:
    """Record that a copy of `export` was made, if it holds personal data (else nothing).

    `parameters` are the filters or options that chose the rows (JSON-safe, see
    `parameters_of`), `description` the same in words, `object_id` the one object the file is
    of (an import batch). Raises ImproperlyConfigured when no recorder is installed, and
    ValueError without a signed-in actor or a command's name: personal data does not leave
    unrecorded or anonymously.
    """
    if not export.personal_data:
        return
    _check_recordable(export, actor, actor_name)
    record = ExportRecord(
        export=export,
        fmt=fmt,
        count=count,
        actor=actor,
        actor_name=actor_name,
        parameters=dict(parameters or {}),
        description=description,
        object_id=str(object_id),
    )
    for recorder in _recorders:
        recorder(record)


def _check_recordable(export: Export, actor: Any, actor_name: str) -> None:
    """Refuse, before any file is written, an export of personal data that cannot be recorded."""
    if not export.personal_data:
        return
    if not _recorders:
        raise ImproperlyConfigured(f"No recorder for exports of personal data ({export.name}).")
    if not actor_name and not getattr(actor, "is_authenticated", False):
        raise ValueError(f"An export of personal data ({export.name}) needs a signed-in actor.")


def parameters_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned form data as JSON-safe parameters: a model instance by its pk, dates in ISO."""
    return {key: _parameter(value) for key, value in data.items()}


def _parameter(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_parameter(item) for item in value]
    return value


# --- handing a file over --------------------------------------------------------------------


def download(
    export: Export,
    fmt: str,
    sheets: Sheet | Sequence[Sheet],
    *,
    filename: str,
    actor: Any = None,
    parameters: Mapping[str, Any] | None = None,
    description: str = "",
    object_id: str | int = "",
) -> FileResponse:
    """The file as an attachment named `filename`.`fmt`: written whole to a temporary file,
    recorded (`record_export`, personal data only), then sent. Personal data is never cached."""
    _check_recordable(export, actor, "")
    sheet_list = [sheets] if isinstance(sheets, Sheet) else list(sheets)
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    try:
        count = write(fmt, target, sheet_list, default_name=str(export.title))
        record_export(
            export,
            fmt,
            count,
            actor=actor,
            parameters=parameters,
            description=description,
            object_id=object_id,
        )
    except BaseException:
        target.close()
        raise
    target.seek(0)
    response = FileResponse(
        target, as_attachment=True, filename=f"{filename}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )
    if export.personal_data:
        response["Cache-Control"] = "private, no-store"
    return response


def save(
    export: Export,
    path: Path,
    sheets: Sheet | Sequence[Sheet],
    *,
    actor_name: str,
    parameters: Mapping[str, Any] | None = None,
    description: str = "",
    object_id: str | int = "",
) -> int:
    """The file written to `path` by a command (CSV when the name ends in .csv, else XLSX),
    then recorded with the command as `actor_name` (personal data only); returns the rows
    written. The file is removed again if it cannot be recorded."""
    _check_recordable(export, None, actor_name)
    sheet_list = [sheets] if isinstance(sheets, Sheet) else list(sheets)
    fmt = CSV if path.suffix.lower() == ".csv" else XLSX
    count = write(fmt, path, sheet_list, default_name=str(export.title))
    try:
        record_export(
            export,
            fmt,
            count,
            actor_name=actor_name,
            parameters=parameters,
            description=description,
            object_id=object_id,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return count
