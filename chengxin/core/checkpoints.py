"""SQLite's WAL checkpoints, moved off the request path in the web workers.

In WAL mode a commit appends pages to the write-ahead log; a checkpoint copies them back into the
database file and syncs it. By default the connection whose commit takes the log past 1,000
pages runs that checkpoint itself, inside the request: with credit checks writing about 15
pages each, one request in every 60 or so paid 15–25 ms for it, which was most of the API's p99.

`start_checkpointer()` (called by `chengxin.wsgi`) starts a thread per web worker that runs a
PASSIVE checkpoint every `INTERVAL` seconds on a connection of its own. SQLite does that work
without Python's global lock, so it overlaps with the worker's requests; PASSIVE never waits for
readers or writers, and two workers' threads cannot run one at the same time (the second finds
the checkpoint lock taken and does nothing). The worker's own connections keep a checkpoint of
their own only as a safety net (`SAFETY_NET_PAGES`), should the thread fall behind or stop.
Processes without a checkpointer (jobs, commands) keep SQLite's default.

Nothing of this applies to PostgreSQL, which checkpoints in its own server processes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between checkpoints: the log stays at a few thousand pages
SAFETY_NET_PAGES = 20_000  # the workers' own checkpoint, should the thread not keep up (~80 MB)
DISPATCH_UID = "chengxin-wal-safety-net"
_started: dict[str, Any] = {"pid": None, "checkpointer": None}
_lock = threading.Lock()


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on `path` every `interval` seconds until stopped."""

    def __init__(self, path: str, interval: float = INTERVAL) -> None:
        self.path, self.interval = path, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def checkpoint(self, database: sqlite3.Connection) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, pages in the log, pages copied back)."""
        busy, log_pages, copied = database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(log_pages), int(copied)

    def _run(self) -> None:
        database, failing = None, False
        try:
            while not self._stop.wait(self.interval):
                try:
                    if database is None:
                        # mode=rw: never creates the file. The busy timeout covers the moments
                        # a commit holds the log's index (this thread waits, no request does).
                        uri = Path(self.path).resolve().as_uri() + "?mode=rw"
                        database = sqlite3.connect(uri, uri=True, timeout=1, isolation_level=None)
                    self.checkpoint(database)
                    failing = False
                except sqlite3.Error as exc:  # no file yet, or locked: try again next time
                    if not failing:
                        logger.warning("WAL checkpoint of %s failed: %s", self.path, exc)
                    failing = True
        finally:
            if database is not None:
                database.close()


def start_checkpointer(alias: str = "default") -> Checkpointer | None:
    """Start this process's checkpointer for the SQLite database `alias` (once per process; a
    forked child starts its own). None for another database engine."""
    if connections[alias].vendor != "sqlite":  # also a backend built on Django's SQLite one
        return None
    settings = connections[alias].settings_dict
    with _lock:
        if _started["pid"] == os.getpid():
            checkpointer: Checkpointer = _started["checkpointer"]
            return checkpointer
        checkpointer = Checkpointer(str(settings["NAME"]))
        connection_created.connect(_safety_net, dispatch_uid=DISPATCH_UID)
        if connections[alias].connection is not None:  # opened before: set it there too
            _safety_net(connections[alias].vendor, connections[alias])
        checkpointer.start()
        _started.update(pid=os.getpid(), checkpointer=checkpointer)
    return checkpointer


def stop_checkpointer() -> None:
    """Stop this process's checkpointer; connections opened from now on keep SQLite's default."""
    with _lock:
        checkpointer = _started["checkpointer"]
        if checkpointer is None or _started["pid"] != os.getpid():
            return
        connection_created.disconnect(dispatch_uid=DISPATCH_UID)
        checkpointer.stop()
        _started.update(pid=None, checkpointer=None)


def _safety_net(sender: Any, connection: Any, **_kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_NET_PAGES}")
