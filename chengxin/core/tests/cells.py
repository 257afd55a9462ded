"""Reading a downloaded CSV or XLSX back cell by cell, with what a spreadsheet would make of it.

XLSX is read from its XML (the package holds no openpyxl): each cell's type as stored, whether it
is a formula (an `<f>` element, openpyxl's data_type "f") and whether its style carries the quote
prefix (Excel's stored form of a typed leading apostrophe).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from chengxin.core.spreadsheets import FORMULA_TRIGGERS

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")
ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of a control character


@dataclass(frozen=True)
class Cell:
    sheet: str
    ref: str
    kind: str  # "text", "number", "formula", "bool", "error"
    text: str
    quote_prefix: bool = False


def csv_rows(content: bytes) -> list[list[str]]:
    """A CSV download: UTF-8 with a byte-order mark, as Excel needs it."""
    assert content.startswith(b"\xef\xbb\xbf"), "a CSV download starts with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def unsafe_csv_fields(rows: list[list[str]]) -> list[str]:
    """Fields a spreadsheet would run: starting with a trigger, unless a plain negative number
    (written from a number, which no spreadsheet runs)."""
    return [
        field
        for row in rows
        for field in row
        if field.startswith(FORMULA_TRIGGERS) and not NEGATIVE_NUMBER.fullmatch(field)
    ]


def xlsx_sheets(content: bytes) -> dict[str, list[list[Cell]]]:
    """Sheet name → rows of cells, in the workbook's order."""
    package = zipfile.ZipFile(io.BytesIO(content))
    shared = _shared_strings(package)
    quoted = _quote_prefixed_styles(package)
    sheets = {}
    for name, path in _sheet_paths(package):
        root = _parse(package.read(path))
        rows = []
        for row in root.iter(f"{MAIN}row"):
            rows.append([_cell(name, cell, shared, quoted) for cell in row.iter(f"{MAIN}c")])
        sheets[name] = rows
    return sheets


def xlsx_cells(content: bytes) -> list[Cell]:
    return [cell for rows in xlsx_sheets(content).values() for row in rows for cell in row]


def unsafe_xlsx_cells(cells: list[Cell]) -> list[Cell]:
    """Formulas, and text a spreadsheet would run once edited: a trigger, no quote prefix."""
    return [
        cell
        for cell in cells
        if cell.kind == "formula"
        or (
            cell.kind == "text" and cell.text.startswith(FORMULA_TRIGGERS) and not cell.quote_prefix
        )
    ]


def _parse(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)  # noqa: S314 (a file our own code just wrote)


def _text(element: ElementTree.Element | None) -> str:
    if element is None:
        return ""
    text = "".join(part.text or "" for part in element.iter(f"{MAIN}t"))
    return ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in package.namelist():
        return []
    root = _parse(package.read("xl/sharedStrings.xml"))
    return [_text(item) for item in root.iter(f"{MAIN}si")]


def _quote_prefixed_styles(package: zipfile.ZipFile) -> set[int]:
    root = _parse(package.read("xl/styles.xml"))
    formats = root.find(f"{MAIN}cellXfs")
    assert formats is not None
    return {
        index
        for index, style in enumerate(formats.iter(f"{MAIN}xf"))
        if style.get("quotePrefix") in ("1", "true")
    }


def _sheet_paths(package: zipfile.ZipFile) -> list[tuple[str, str]]:
    workbook = _parse(package.read("xl/workbook.xml"))
    relations = _parse(package.read("xl/_rels/workbook.xml.rels"))
    targets = {
        item.get("Id"): item.get("Target", "")
        for item in relations.iter(f"{PACKAGE_RELATIONSHIP}Relationship")
    }
    paths = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets[sheet.get(RELATIONSHIP)].lstrip("/")
        paths.append(
            (sheet.get("name", ""), target if target.startswith("xl/") else f"xl/{target}")
        )
    return paths


def _cell(sheet: str, cell: ElementTree.Element, shared: list[str], quoted: set[int]) -> Cell:
    ref, stored = cell.get("r", ""), cell.get("t", "n")
    is_quoted = int(cell.get("s", "0")) in quoted
    value = cell.find(f"{MAIN}v")
    raw = value.text or "" if value is not None else ""
    if cell.find(f"{MAIN}f") is not None:
        return Cell(sheet, ref, "formula", raw, is_quoted)
    if stored == "inlineStr":
        return Cell(sheet, ref, "text", _text(cell.find(f"{MAIN}is")), is_quoted)
    if stored == "s":
        return Cell(sheet, ref, "text", shared[int(raw)], is_quoted)
    if stored == "str":  # a formula's cached text: only ever with <f>
        return Cell(sheet, ref, "formula", raw, is_quoted)
    kinds = {"n": "number", "b": "bool", "e": "error", "d": "number"}
    return Cell(sheet, ref, kinds.get(stored, stored), raw, is_quoted)
