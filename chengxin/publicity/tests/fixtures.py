"""Files in the national standard, written as departments send them."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from chengxin.accounts.models import Department
from chengxin.publicity import samples, standard


def rows_for(
    kind: str,
    department: Department,
    count: int,
    *,
    seed: int = 1,
    invalid_share: float = 0.0,
    first_serial: int = 1,
) -> list[dict[str, str]]:
    return list(
        samples.sample_rows(
            random.Random(seed),
            kind,
            count,
            (department.name, department.credit_code),
            invalid_share=invalid_share,
            first_serial=first_serial,
        )
    )


def header_for(kind: str, by: str = "code") -> list[str]:
    return [field.code if by == "code" else field.label for field in standard.FIELDS[kind]]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        kind: str,
        rows: list[dict[str, Any]],
        *,
        encoding: str = "utf-8",
        by: str = "code",
        name: str = "records.csv",
    ) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle)
            writer.writerow(header_for(kind, by))
            for row in rows:
                writer.writerow(samples.as_cells(kind, row))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    def write(
        kind: str, rows: list[dict[str, Any]], *, by: str = "code", name: str = "records.xlsx"
    ) -> Path:
        path = tmp_path / name
        workbook = xlsxwriter.Workbook(str(path))
        sheet = workbook.add_worksheet()
        for col, title in enumerate(header_for(kind, by)):
            sheet.write_string(0, col, title)
        for row_no, row in enumerate(rows, start=1):
            for col, value in enumerate(samples.as_cells(kind, row)):
                sheet.write_string(row_no, col, value)
        workbook.close()
        return path

    return write
