"""The shared registry import: a cell is written back as the person typed it."""

from __future__ import annotations

import datetime

import pytest

from chengxin.core.text import cell_text


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        (datetime.date(2026, 4, 1), "2026-04-01"),
        (123.0, "123"),  # a spreadsheet's whole number, e.g. a certificate number
        (12.5, "12.5"),
        ("（2026）鲁0405执1号", "（2026）鲁0405执1号"),
    ],
)
def test_cell_text(cell: object, text: str) -> None:
    assert cell_text(cell) == text
