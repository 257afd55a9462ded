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


class ForgedAnchor(Exception):
    """An anchor whose signature is not the audit key's: forged, altered, or of another key."""


@dataclass(frozen=True)
class Anchor:
    path: Path
    sequence: int
    entry_hash: str
    created_at: str
    database: str


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
    directory: Path
    checked: int = 0
    problems: list[AnchorProblem] = field(default_factory=list)
    newest: Anchor | None = None

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
    """The anchor in `path`; ValueError if it cannot be read, ForgedAnchor if not signed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {name: data[name] for name in BODY_FIELDS}
        signature = str(data["signature"])
        sequence, entry_hash = int(body["sequence"]), str(body["entry_hash"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    if not hmac.compare_digest(sign(body), signature):
        raise ForgedAnchor(path.name)
    return Anchor(path, sequence, entry_hash, str(body["created_at"]), str(body["database"]))


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
    now = timezone.now().astimezone(datetime.UTC)
    created_at, database = now.isoformat(), database_identity()
    body = {
        "version": VERSION,
        "sequence": sequence,
        "entry_hash": entry_hash,
        "created_at": created_at,
        "database": database,
    }
    path = directory / f"{now:%Y%m%dT%H%M%S%fZ}-{sequence:012d}.json"
    _write_private(directory, path, json.dumps({**body, "signature": sign(body)}, indent=1))
    return Anchor(path, sequence, entry_hash, created_at, database)


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
    back, a range rewritten and rehashed by someone who had the key)."""
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
    hashes = _entry_hashes({a.sequence for a in anchors if a.sequence <= chain_end})
    for anchor in anchors:
        if anchor.sequence > chain_end:
            kind = "beyond_end"
        elif hashes.get(anchor.sequence) != anchor.entry_hash:
            kind = "mismatch"
        else:
            continue
        report.problems.append(AnchorProblem(anchor.path, kind, anchor.sequence, chain_end))
    report.newest = max(anchors, key=lambda a: (a.sequence, a.created_at), default=None)
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
