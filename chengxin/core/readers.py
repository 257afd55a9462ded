"""Reading tabular files as a stream of rows: CSV in any encoding Excel in China writes, and XLSX.

The type is detected from the content, not the name: an XLSX file is a ZIP archive. A CSV file is
UTF-8 (with or without BOM) when its bytes decode as UTF-8, otherwise GB18030 (a superset of GBK
and GB2312, what "CSV" from Excel on a Chinese Windows is). Files are read in a stream; only XLSX is
loaded whole by calamine.

An upload kept while it waits (a web import, a batch check) is sealed (core.sealed_files): such a
file is read through the key, a CSV file as a stream and an XLSX file into memory, so its
plaintext is never written to disk. A file that does not open is refused as unreadable, with the
reason in the log and nothing of its content.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from python_calamine import CalamineWorkbook

from chengxin.core import sealed_files

logger = logging.getLogger(__name__)

SNIFF_BYTES = 1 << 20
TAMPERED = _l("上传的文件已损坏或被改动，无法读取，请重新上传。")


class UnreadableFile(Exception):
    """The file cannot be read at all (type, encoding, or no header): exit 2 for the CLI."""


@dataclass
class Table:
    """An opened file: its header cells and an iterator of (row number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str
    estimated_rows: int | None


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030。")) from exc


@dataclass(frozen=True)
class Source:
    """Where a table's bytes come from: the file itself, or the plaintext of a sealed file."""

    path: Path
    is_sealed: bool

    def open(self) -> IO[bytes]:
        return sealed_files.open_sealed(self.path) if self.is_sealed else self.path.open("rb")

    def size(self) -> int:
        if self.is_sealed:
            return sealed_files.plaintext_size(self.path)
        return self.path.stat().st_size


def open_table(path: Path) -> Table:
    """The table in the file at `path` (plaintext, or sealed by core.sealed_files).

    Raises UnreadableFile when it cannot be read at all."""
    try:
        source = Source(path, sealed_files.is_sealed(path))
        with source.open() as handle:
            head = handle.read(SNIFF_BYTES)
    except sealed_files.SealedFileError as exc:
        raise _refused(path, exc) from exc
    if not head.strip():
        raise UnreadableFile(_("文件为空。"))
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(source)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。"))
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(_("无法识别的文件类型：请上传 CSV 或 XLSX 文件。"))
    return _open_csv(source, detect_encoding(head), head[:SNIFF_BYTES])


def _refused(path: Path, exc: Exception) -> UnreadableFile:
    """A sealed upload that does not open: the reason to the log, a plain message to the user."""
    logger.error("sealed upload %s refused: %s", path.name, exc)
    return UnreadableFile(str(TAMPERED))


def _allow_fields_up_to_the_upload_limit() -> None:
    """The csv module refuses a field over 131,072 characters with an error that would end the
    whole batch; a field as large as the upload itself is read instead, and the standard's
    length rule rejects its row alone, naming the field (standard.check)."""
    limit = int(settings.IMPORT_MAX_UPLOAD_MB) * 1024 * 1024
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def _open_csv(source: Source, encoding: str, sample: bytes) -> Table:
    _allow_fields_up_to_the_upload_limit()
    raw = source.open()
    handle = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
    try:
        reader = csv.reader(handle)
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        handle.close()
        raise UnreadableFile(_("无法读取文件：%(error)s") % {"error": exc}) from exc
    except sealed_files.SealedFileError as exc:
        handle.close()
        raise _refused(source.path, exc) from exc
    if header is None:
        handle.close()
        raise UnreadableFile(_("文件为空。"))
    size = source.size()
    estimate = None
    if size and sample:
        # Rows so far ≈ lines in the sample; scale by the file size. Only for the progress bar.
        lines = sample.count(b"\n")
        estimate = max(1, int(lines * size / len(sample)) - 1) if lines else None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                _("第 %(line)d 行附近的文字无法按 %(encoding)s 解码。")
                % {"line": reader.line_num, "encoding": encoding}
            ) from exc
        except csv.Error as exc:  # e.g. a NUL byte inside the file
            raise UnreadableFile(
                _("第 %(line)d 行附近不是有效的 CSV 格式（%(error)s）。")
                % {"line": reader.line_num, "error": exc}
            ) from exc
        except sealed_files.SealedFileError as exc:  # a segment past the first one was changed
            raise _refused(source.path, exc) from exc
        finally:
            handle.close()

    return Table(header=header, rows=rows(), encoding=encoding, estimated_rows=estimate)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def _open_xlsx(source: Source) -> Table:
    if source.is_sealed:
        try:  # calamine loads the whole workbook anyway: into memory, never onto disk
            content = sealed_files.read_sealed(source.path)
        except sealed_files.SealedFileError as exc:
            raise _refused(source.path, exc) from exc
    try:
        if source.is_sealed:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        else:
            workbook = CalamineWorkbook.from_path(str(source.path))
        sheet = workbook.get_sheet_by_index(0)
        rows_iter = iter(sheet.iter_rows())
        header = [str(cell).strip() for cell in next(rows_iter, [])]
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise UnreadableFile(_("无法读取 XLSX 文件：%(error)s") % {"error": exc}) from exc
    if not header:
        raise UnreadableFile(_("工作表为空。"))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(rows_iter, start=2):
            values = [_cell(cell) for cell in cells]
            if any(str(v).strip() for v in values if v is not None):
                yield number, values

    return Table(
        header=header, rows=rows(), encoding="xlsx", estimated_rows=max(0, sheet.height - 1)
    )
