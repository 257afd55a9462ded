"""Django's SQLite backend, with the web workers queuing for the write lock.

The embedded deployment runs two or more gunicorn workers on one SQLite file. Each write
transaction starts with `BEGIN IMMEDIATE`; a worker that finds the write lock taken waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms between tries, so the lock often lies free
for a millisecond or more while the next writer sleeps (under load about 30 % of the credit
checks' transactions waited, up to 5 ms at p99).

In a process that called `queue_writes()` (`chengxin.wsgi` does), each connection takes an
exclusive `flock` on `<database>.writelock` before `BEGIN IMMEDIATE` and drops it at commit,
rollback or close. A writer waiting in `flock` is woken by the kernel the moment the lock is
dropped, so the write lock passes from one worker to the next without a sleep between them.
SQLite's own lock still decides who writes: the file lock only orders the web workers, and a
process that does not queue (jobs, commands) competes through the busy handler as before.

The wait is bounded like SQLite's busy timeout (the `timeout` option, 20 s in our settings): a
writer that gets no lock by then fails with "database is locked". The bound uses `SIGALRM`,
which only the main thread can receive, so only the main thread queues; gunicorn's sync workers
serve each request there. Other threads (the test suite's live server, for one) and processes
that never called `queue_writes()` behave exactly as Django's backend.

The lock is per connection (one open file each): two connections in one process queue for each
other too. A process that dies holding it lets go of it with its open files.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import threading
from types import FrameType
from typing import Any

from django.db.backends.sqlite3 import base

_queuing: dict[str, int | None] = {"pid": None}
DEFAULT_TIMEOUT = 5.0  # seconds: Python's sqlite3 default busy timeout


def queue_writes() -> None:
    """Make this process's main thread queue for SQLite's write lock (a forked child does not
    inherit it: it calls this again)."""
    _queuing["pid"] = os.getpid()


def stop_queuing() -> None:
    _queuing["pid"] = None


class _GaveUp(Exception):
    pass


def _give_up(_signum: int, _frame: FrameType | None) -> None:
    raise _GaveUp


class WriteQueue:
    """An exclusive `flock` on `path`, taken within `timeout` seconds or not at all."""

    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self.held = False
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self.pid = os.getpid()  # the process that opened the file

    def acquire(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._wait()
        self.held = True

    def _wait(self) -> None:
        if self.timeout <= 0:  # as SQLite with no busy timeout: fail at once
            raise sqlite3.OperationalError("database is locked")
        previous = signal.signal(signal.SIGALRM, _give_up)
        try:
            try:
                signal.setitimer(signal.ITIMER_REAL, self.timeout)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _GaveUp:
            # The alarm may have come just after the lock was granted: drop it either way.
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            raise sqlite3.OperationalError("database is locked") from None
        finally:  # None: a handler not set from Python, which SIGALRM's default is not
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the file; after a fork, the child's copy only (the parent's lock stays)."""
        if self.pid == os.getpid():
            self.release()
        os.close(self._fd)


class DatabaseWrapper(base.DatabaseWrapper):
    # The hooks below are Django's own (django-stubs leaves out its private methods): a
    # transaction begins in `_start_transaction_under_autocommit` and ends in one of the others.
    transaction_mode: str | None  # set by Django from OPTIONS when it connects
    _write_queue: WriteQueue | None = None

    def _queue(self) -> WriteQueue | None:
        """This connection's queue, if this thread queues for the write lock."""
        if (
            _queuing["pid"] != os.getpid()
            or threading.current_thread() is not threading.main_thread()
            or self.transaction_mode not in ("IMMEDIATE", "EXCLUSIVE")  # else BEGIN locks nothing
            or self.is_in_memory_db()
        ):
            return None
        queue = self._write_queue
        if queue is None or queue.pid != os.getpid():
            if queue is not None:
                queue.close()
            options: dict[str, Any] = self.settings_dict["OPTIONS"]
            timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
            queue = self._write_queue = WriteQueue(
                f"{self.settings_dict['NAME']}.writelock", timeout
            )
        return queue

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        if queue is None:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        with self.wrap_database_errors:  # a timeout is Django's OperationalError, as SQLite's
            queue.acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            queue.release()
            raise

    def _release_queue(self) -> None:
        if self._write_queue is not None and self._write_queue.pid == os.getpid():
            self._write_queue.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_queue()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_queue()
