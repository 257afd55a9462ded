"""What a message says about its object, in the national field codes (docs/exchange.md, "Data").

双公示 records carry every field of the standard under its XK_/CF_ code, written as the export
writes them (publicity.export.cell_text): the upper platform receives what a file in the
national layout would hold. Personal numbers (证件号码, 法定代表人证件号码) stay ciphertext in
`sealed` and are decrypted only into the request body (formats.unsealed). List entries use the
MD_ codes and repair results the XYXF_ codes of repair/sync.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from chengxin.exchange.choices import Change, ObjectKind
from chengxin.publicity import standard
from chengxin.publicity.export import CIPHERTEXT_FIELDS, cell_text
from chengxin.publicity.models import DecisionRecord
from chengxin.repair.models import RepairApplication
from chengxin.repair.sync import result_payload
from chengxin.screening.choices import EntryStatus
from chengxin.screening.models import ListEntry


@dataclass
class Described:
    """An object as the exchange reports it."""

    object_kind: str
    object_id: int
    version: int
    department_id: int | None
    department_code: str
    subject_category: str
    payload: dict[str, Any]
    sealed: dict[str, str] = field(default_factory=dict)

    @property
    def record_key(self) -> str:
        return f"{self.object_kind}-{self.object_id}"


def _iso(value: datetime.date | datetime.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def describe(change: str, obj: models.Model) -> Described:
    if isinstance(obj, DecisionRecord):
        return _record(change, obj)
    if isinstance(obj, ListEntry):
        return _entry(obj)
    if isinstance(obj, RepairApplication):
        return _repair(obj)
    raise TypeError(f"Nothing to report about {type(obj).__name__}")


def _record(change: str, record: DecisionRecord) -> Described:
    data: dict[str, Any] = {}
    sealed: dict[str, str] = {}
    for spec in standard.FIELDS[record.kind]:
        if spec.attr in CIPHERTEXT_FIELDS:
            token = getattr(record, CIPHERTEXT_FIELDS[spec.attr])
            if token:
                sealed[spec.code] = token
            continue
        data[spec.code] = cell_text(record, spec)
    detail: dict[str, Any] = {}
    if change == Change.RECORD_WITHDRAWN:
        detail = {
            "withdrawn_at": _iso(record.withdrawn_at),
            "reason": record.withdrawal_reason,
            "revoked_on": _iso(record.revoked_on),
        }
    elif change == Change.PUBLICITY_ENDED:
        detail = {
            "publicity_ended_on": _iso(getattr(record, "publicity_ended_on", None)),
            "repair_receipt_number": getattr(record, "repair_receipt_number", ""),
        }
    return Described(
        object_kind=str(record.kind),
        object_id=record.pk,
        version=record.version,
        department_id=record.department_id,
        department_code=record.department.credit_code,
        subject_category=record.subject_category,
        payload={"data": data, "detail": detail},
        sealed=sealed,
    )


def _entry(entry: ListEntry) -> Described:
    data = {
        "MD_LX": entry.list_type.name,
        "MD_WSH": entry.document_number,
        "MD_ZTMC": entry.subject_name,
        "MD_SHXYM": entry.credit_code,
        "MD_RDBM": entry.listing_authority,
        "MD_RDYJ": entry.basis,
        "MD_LRRQ": _iso(entry.listed_on),
        "MD_YXQZ": _iso(entry.ends_on),
        "MD_YCRQ": _iso(entry.removed_on),
        "MD_YCYY": entry.removal_reason,
    }
    sealed = {"MD_ZJHM": entry.id_number_ciphertext} if entry.id_number_ciphertext else {}
    department = entry.department
    return Described(
        object_kind=ObjectKind.LIST_ENTRY,
        object_id=entry.pk,
        # A list entry has no versions of its own: 1 while listed, 2 once removed.
        version=2 if entry.status == EntryStatus.REMOVED else 1,
        department_id=entry.department_id,
        department_code=department.credit_code if department is not None else "",
        subject_category=entry.subject_category,
        payload={"data": data, "detail": {}},
        sealed=sealed,
    )


def _repair(application: RepairApplication) -> Described:
    target = application.penalty if application.penalty is not None else application.list_entry
    department = application.department
    return Described(
        object_kind=ObjectKind.REPAIR,
        object_id=application.pk,
        version=1,
        department_id=application.department_id,
        department_code=department.credit_code if department is not None else "",
        subject_category=str(getattr(target, "subject_category", "")),
        # Only masked numbers (repair.sync.result_payload): the receiver matches by 文书号.
        payload={"data": result_payload(application), "detail": {}},
    )


# What to load with each model, so a set of objects is described without a query per object.
RELATED: dict[str, tuple[str, ...]] = {
    "publicity": ("department",),
    "screening": ("department", "list_type"),
    "repair": ("department", "penalty", "list_entry__list_type"),
}
