"""Cell and header text as every import reads it: one cleaning, one header key, one cell text.

Shared by the importers of every app (publicity, screening, agencies, powers, the organisation
files), so it lives here rather than in any one of them.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from chengxin.core.identifiers import normalise

# The null placeholders of real feeds: a cell holding one of these is empty.
NULL_PLACEHOLDERS = frozenset(
    {"— —", "——", "—", "--", "-", "/", "／", "无", "null", "NULL", "None"}
)


def clean_text(value: Any) -> str:
    """Cell text with spaces trimmed and the null placeholders of real feeds ("— —", "无", "/") emptied."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text in NULL_PLACEHOLDERS else text


def header_key(text: str) -> str:
    """A header cell reduced to what identifies it: no spaces, marks or bracket variants."""
    text = normalise(str(text).replace("\ufeff", "")).replace("*", "").replace("＊", "")
    return re.sub(r"[()（）\[\]【】_:：]", "", text)


def cell_text(cell: Any) -> str:
    """A cell as the person typed it: a date as ISO, a spreadsheet's 123.0 as 123."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
