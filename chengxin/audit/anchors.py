"""Anchors: signed checkpoints of the audit chain kept outside the database (ADR 0002).

An anchor is a small JSON file in settings.AUDIT_ANCHOR_DIR (folder 0700, files 0600): the
chain's last sequence and entry hash at one moment, signed with HMAC-SHA256 under a key derived
from the audit key. The database cannot vouch for its own end: whoever can write to it can delete
the newest entries and point the head at an earlier one, or put back an older copy. An anchor can:
`verify_anchors()` reports one whose sequence is past the chain's end (a deleted tail, a
rollback), whose hash differs from the entry's (a rewritten range), or whose signature is wrong
(forged or altered).

The job worker writes one at start and then every AUDIT_ANCHOR_INTERVAL_SECONDS
(`anchor_periodically`, started by the `db_worker` command of this app); `chengxin audit anchor`
writes one from cron.

A restore from a backup (`chengxin restore`, operations/backup.py) rolls the chain back on purpose. It
appends an audit entry `restored` to the restored chain and writes a *restore record* here: an
anchor of that entry, signed like every anchor, that also states the head it restored to and
names each anchor it left behind (file name, sequence, hash). `verify_anchors()` accepts an anchor
past the chain's end, or differing from it, only when such a record lists it and the record
itself still holds: its own entry and the head it restored to are in the chain. A database put
back without `chengxin restore` has no record listing the newer anchors, so it is reported as
before; a record cannot be made or altered without the audit key; replaying an old record covers
only the anchors written before that restore, and none once its entry is gone.
"""

from __future__ import annotations

import datetime
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.models import Max
from django.utils import timezone

from chengxin.audit.chain import anchor_key, canonical_json
from chengxin.audit.models import AuditEntry, ChainHead

logger = logging.getLogger(__name__)

VERSION = 1
BODY_FIELDS = ("version", "sequence", "entry_hash", "created_at", "database")
RESTORE = "restore"


class ForgedAnchor(Exception):
    """An anchor whose signature is not the audit key's: forged, altered, or of another key."""


@dataclass(frozen=True)
class Anchor:
    """An anchor, or a restore record (`kind` "restore": also `restored_to`, the head the
    restore put back, and `supersedes`, the anchors it left behind as (file, sequence, hash))."""

    path: Path
    sequence: int
    entry_hash: str
    created_at: str
    database: str
    kind: str = "anchor"
    restored_to: tuple[int, str] | None = None
    supersedes: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class AnchorProblem:
    """`kind`: forged (bad signature), unreadable, beyond_end (past the chain's last entry),
    mismatch (the entry at its sequence has another hash, or is gone)."""

    path: Path
    kind: str
    sequence: int | None = None
    chain_end: int = 0


@dataclass
class AnchorReport:
    """`superseded`: (anchor, the restore record that lists it) for each anchor a recorded
    restore left behind; `restores`: the restore records that hold."""

    directory: Path
    checked: int = 0
    problems: list[AnchorProblem] = field(default_factory=list)
    newest: Anchor | None = None
    superseded: list[tuple[Anchor, Anchor]] = field(default_factory=list)
    restores: list[Anchor] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def anchor_dir() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def database_identity() -> str:
    """Which database the anchor is of (for people reading it; verify does not compare it)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:{params['NAME']}"
    host = f"{params.get('HOST') or ''}:{params.get('PORT') or ''}"
    return f"{connection.vendor}://{host}/{params['NAME']}"


def sign(body: dict[str, Any]) -> str:
    return hmac.new(anchor_key(), canonical_json(body).encode(), "sha256").hexdigest()


def read_anchor(path: Path) -> Anchor:
    """The anchor in `path`; ValueError if it cannot be read, ForgedAnchor if not signed.

    The signature covers every field but itself (an anchor's five; a restore record's more)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {name: value for name, value in data.items() if name != "signature"}
        signature = str(data["signature"])
        sequence, entry_hash = int(body["sequence"]), str(body["entry_hash"])
        created_at, database = str(body["created_at"]), str(body["database"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    if not hmac.compare_digest(sign(body), signature):
        raise ForgedAnchor(path.name)
    if body.get("kind", "anchor") != RESTORE:
        return Anchor(path, sequence, entry_hash, created_at, database)
    try:
        restored_to = (int(body["restored_to"]["sequence"]), str(body["restored_to"]["entry_hash"]))
        supersedes = tuple(
            (str(item["file"]), int(item["sequence"]), str(item["entry_hash"]))
            for item in body["supersedes"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    return Anchor(
        path, sequence, entry_hash, created_at, database, RESTORE, restored_to, supersedes
    )


def anchor_files(directory: Path) -> list[Path]:
    """The anchors in `directory`, oldest first (names begin with the UTC time)."""
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


def write_anchor(directory: Path | None = None) -> Anchor | None:
    """Anchor the chain's current end; None while the chain is empty.

    When the newest anchor already holds the same end (nothing logged since), it is returned and
    no file is added."""
    directory = directory or anchor_dir()
    head = ChainHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    if head is None or head[0] == 0:
        return None
    sequence, entry_hash = int(head[0]), str(head[1])
    files = anchor_files(directory)
    if files:
        try:
            newest = read_anchor(files[-1])
        except (ValueError, ForgedAnchor):
            pass  # verify reports it; a fresh anchor is written beside it
        else:
            if (newest.sequence, newest.entry_hash) == (sequence, entry_hash):
                return newest
    return _write_signed(directory, sequence, entry_hash)


def _write_signed(
    directory: Path, sequence: int, entry_hash: str, extra: dict[str, Any] | None = None
) -> Anchor:
    now = timezone.now().astimezone(datetime.UTC)
    body = {
        "version": VERSION,
        "sequence": sequence,
        "entry_hash": entry_hash,
        "created_at": now.isoformat(),
        "database": database_identity(),
        **(extra or {}),
    }
    suffix = "-restore" if extra else ""
    path = directory / f"{now:%Y%m%dT%H%M%S%fZ}-{sequence:012d}{suffix}.json"
    _write_private(directory, path, json.dumps({**body, "signature": sign(body)}, indent=1))
    return read_anchor(path)


def anchors_left_behind(restored_to: dict[str, Any], directory: Path | None = None) -> list[Anchor]:
    """The signed anchors (restore records too) that do not hold on the chain as it is now,
    just restored: past its end, or with another hash at their sequence.

    Raises ValueError when the chain does not hold `restored_to` (the backup's head): then the
    database is not the backup's, and no record may vouch for it."""
    sequence, entry_hash = int(restored_to["sequence"]), str(restored_to["entry_hash"])
    if sequence and _entry_hashes({sequence}).get(sequence) != entry_hash:
        raise ValueError(f"the chain does not hold entry #{sequence} with the backup's hash")
    chain_end = AuditEntry.objects.aggregate(end=Max("sequence"))["end"] or 0
    found = []
    for path in anchor_files(directory or anchor_dir()):
        try:
            found.append(read_anchor(path))
        except (ValueError, ForgedAnchor):
            continue  # verify reports these; a restore does not vouch for them
    hashes = _entry_hashes({a.sequence for a in found if a.sequence <= chain_end})
    return [a for a in found if hashes.get(a.sequence) != a.entry_hash]


def write_restore_record(
    *,
    restore_entry: AuditEntry,
    restored_to: dict[str, Any],
    rolled_back_from: dict[str, Any] | None,
    backup: dict[str, Any],
    superseded: list[Anchor],
    directory: Path | None = None,
) -> Anchor:
    """Anchor the audit entry that records a restore, stating the head restored to, the head
    rolled back from (None when the old database could not be read) and the anchors left behind.
    """
    extra = {
        "kind": RESTORE,
        "restored_to": {
            "sequence": int(restored_to["sequence"]),
            "entry_hash": str(restored_to["entry_hash"]),
        },
        "rolled_back_from": rolled_back_from,
        "backup": backup,
        "supersedes": [
            {"file": a.path.name, "sequence": a.sequence, "entry_hash": a.entry_hash}
            for a in superseded
        ],
    }
    return _write_signed(
        directory or anchor_dir(), restore_entry.sequence, restore_entry.entry_hash, extra
    )


def _write_private(directory: Path, path: Path, text: str) -> None:
    """Write `path` (0600) in `directory` (0700) whole or not at all: a temporary file, renamed."""
    try:
        directory.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    else:
        directory.chmod(0o700)  # mkdir's mode is filtered by the umask
    temporary = directory / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def verify_anchors(directory: Path | None = None) -> AnchorReport:
    """Check every anchor against the chain in the database.

    Run it after `verify_chain()`: the chain's own breaks are reported there; this reports what
    the database cannot show by itself (a tail deleted and the head reset, an older copy put
    back, a range rewritten and rehashed by someone who had the key). An anchor a recorded
    restore left behind is not a problem (`report.superseded`), as long as that restore record
    holds on this chain (module docstring)."""
    report = AnchorReport(directory or anchor_dir())
    anchors: list[Anchor] = []
    for path in anchor_files(report.directory):
        report.checked += 1
        try:
            anchors.append(read_anchor(path))
        except ForgedAnchor:
            report.problems.append(AnchorProblem(path, "forged"))
        except ValueError:
            report.problems.append(AnchorProblem(path, "unreadable"))
    chain_end = AuditEntry.objects.aggregate(end=Max("sequence"))["end"] or 0
    points = {a.sequence for a in anchors} | {a.restored_to[0] for a in anchors if a.restored_to}
    hashes = _entry_hashes({sequence for sequence in points if sequence <= chain_end})

    def fault(sequence: int, entry_hash: str) -> str | None:
        if sequence > chain_end:
            return "beyond_end"
        return None if hashes.get(sequence) == entry_hash else "mismatch"

    report.restores = [
        a
        for a in anchors
        if a.restored_to is not None
        and fault(a.sequence, a.entry_hash) is None
        and (a.restored_to[0] == 0 or fault(*a.restored_to) is None)
    ]
    covered = {item: record for record in report.restores for item in record.supersedes}
    kept = []
    for anchor in anchors:
        kind = fault(anchor.sequence, anchor.entry_hash)
        record = covered.get((anchor.path.name, anchor.sequence, anchor.entry_hash))
        if kind is None:
            kept.append(anchor)
        elif record is not None:
            report.superseded.append((anchor, record))
        else:
            report.problems.append(AnchorProblem(anchor.path, kind, anchor.sequence, chain_end))
    report.newest = max(kept, key=lambda a: (a.sequence, a.created_at), default=None)
    return report


def _entry_hashes(sequences: set[int], chunk: int = 500) -> dict[int, str]:
    ordered, found = sorted(sequences), dict[int, str]()
    for start in range(0, len(ordered), chunk):
        rows = AuditEntry.objects.filter(sequence__in=ordered[start : start + chunk])
        found.update(rows.values_list("sequence", "entry_hash"))
    return found


def anchor_periodically(interval: float, stop: threading.Event) -> None:
    """Write an anchor now and then every `interval` seconds until `stop` is set.

    A failure (a full disk, a folder not writable) is logged and tried again at the next turn:
    it must not stop the job worker this runs beside."""
    while True:
        try:
            anchor = write_anchor()
            if anchor is not None:
                logger.info("Audit anchor #%s: %s", anchor.sequence, anchor.path)
        except Exception:
            logger.exception("Could not write the audit anchor")
        finally:
            connections.close_all()  # this thread's connection: not held open between turns
        if stop.wait(interval):
            return


def start_anchoring(interval: float) -> threading.Event:
    """Run `anchor_periodically` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=anchor_periodically, args=(interval, stop), name="audit-anchor", daemon=True
    )
    thread.start()
    return stop
