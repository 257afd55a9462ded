"""Exports of personal data in the audit chain: one SENSITIVE_READ entry per file made.

`core.spreadsheets` calls `append_export` (plugged in by `AuditConfig.ready`) after writing a
file of personal data and before handing it over. The entry's object type is the export's name
("cases.off_network"), its object the one record the file is of (an import batch) if any, and
`after` holds the parameters that chose the rows, the format and the row count ("count", which
`publicity.annual` sums): never a value from the file.
"""

from __future__ import annotations

from chengxin.audit.choices import AuditAction
from chengxin.audit.log import Event, append
from chengxin.core.spreadsheets import ExportRecord

RESERVED_KEYS = frozenset({"format", "count"})


def append_export(record: ExportRecord) -> None:
    clash = RESERVED_KEYS & record.parameters.keys()
    if clash:
        raise ValueError(f"Export parameters may not be named {sorted(clash)}.")
    title = str(record.export.title)
    event = Event(
        action=AuditAction.SENSITIVE_READ,
        object_type=record.export.name,
        object_id=record.object_id,
        object_repr=(f"{title} {record.description}" if record.description else title)[:200],
        after=record.parameters | {"format": record.fmt, "count": record.count},
        actor=record.actor,
        actor_name=record.actor_name or None,
    )
    append([event])
