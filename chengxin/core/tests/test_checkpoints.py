"""core.checkpoints: SQLite's WAL checkpoints in a thread of the web worker, not in a request."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from chengxin.core.checkpoints import (
    SAFETY_NET_PAGES,
    Checkpointer,
    start_checkpointer,
    stop_checkpointer,
)

PAGE = 4096


def wal_database(path: Path) -> sqlite3.Connection:
    """A database in WAL mode that never checkpoints by itself (as if the log were left alone)."""
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA wal_autocheckpoint=0")
    database.execute("CREATE TABLE t (x BLOB)")
    return database


def write(database: sqlite3.Connection, pages: int) -> None:
    database.execute("INSERT INTO t VALUES (randomblob(?))", [pages * PAGE])


def test_a_checkpoint_copies_the_log_back_and_the_log_is_reused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    database = wal_database(path)
    write(database, 50)
    busy, logged, copied = Checkpointer(str(path)).checkpoint(sqlite3.connect(path))
    assert busy == 0 and logged >= 50 and copied == logged
    wal = Path(f"{path}-wal")
    size = wal.stat().st_size
    write(database, 10)  # starts again at the beginning of the log: the file does not grow
    assert wal.stat().st_size == size


def test_a_checkpoint_does_not_wait_for_a_reader(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    database = wal_database(path)
    write(database, 20)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()  # holds the database as it is now
    write(database, 20)
    started = time.monotonic()
    _busy, logged, copied = Checkpointer(str(path)).checkpoint(sqlite3.connect(path, timeout=10))
    assert time.monotonic() - started < 1  # a 10 s busy timeout was not waited for
    assert 20 <= copied < logged  # what the reader may still read from the file stays logged
    reader.execute("COMMIT")


def test_the_thread_checkpoints_while_others_write(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    database = wal_database(path)
    write(database, 100)
    assert path.stat().st_size < 100 * PAGE  # everything is still in the log
    checkpointer = Checkpointer(str(path), interval=0.05)
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while path.stat().st_size < 100 * PAGE and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
    assert path.stat().st_size >= 100 * PAGE  # copied back into the database file


def test_the_thread_never_creates_a_database(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    checkpointer = Checkpointer(str(path), interval=0.01)
    checkpointer.start()
    time.sleep(0.1)
    checkpointer.stop()
    assert not path.exists()


@pytest.mark.django_db(transaction=True)
def test_started_once_per_process_for_sqlite_only() -> None:
    if connection.vendor != "sqlite":
        assert start_checkpointer() is None  # PostgreSQL checkpoints in its own processes
        return
    connections.close_all()
    try:
        started = start_checkpointer()
        assert started is not None and start_checkpointer() is started
        with connection.cursor() as cursor:  # a new connection: the worker's safety net
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == SAFETY_NET_PAGES
    finally:
        stop_checkpointer()
    connections.close_all()
    with connection.cursor() as cursor:  # stopped: SQLite's default again
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 1000
