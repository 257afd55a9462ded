"""Report tests: a module whose figures raise fails the test (REPORTS_STRICT), and helpers."""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from chengxin.accounts.models import Department
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import DecisionRecord

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _strict_and_private_media(tmp_path: Any) -> Iterator[None]:
    with override_settings(REPORTS_STRICT=True, MEDIA_ROOT=tmp_path / "media"):
        yield


def make_record(
    model: type[DecisionRecord],
    department: Department,
    decided: datetime.date,
    timeliness: str = Timeliness.ON_TIME,
    *,
    status: str = RecordStatus.PUBLISHED,
    **fields: Any,
) -> DecisionRecord:
    """A record saved straight through the ORM, with its verdict given (as publicity's tests)."""
    serial = next(_serial)
    values: dict[str, Any] = {
        "department": department,
        "decision_number": f"报告测试〔{decided.year}〕{serial:05d}号",
        "decision_date": decided,
        "deadline": decided + datetime.timedelta(days=9),
        "content": "测试内容",
        "subject_name": f"测试主体{serial}",
        "status": status,
        "timeliness": "" if status == RecordStatus.DRAFT else timeliness,
        "submitted_at": None if status == RecordStatus.DRAFT else timezone.now(),
    }
    values.update(fields)
    record = model(**values)
    record.save()
    return record


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_links(pdf: bytes) -> list[str]:
    """The URIs of the PDF's link annotations."""
    reader = PdfReader(io.BytesIO(pdf))
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def embedded_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)  # embedded
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names
