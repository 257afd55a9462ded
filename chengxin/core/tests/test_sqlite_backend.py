"""core.sqlite: the web workers queue for SQLite's write lock on a file lock, within a bound."""

from __future__ import annotations

import fcntl
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

from chengxin.core.sqlite.base import DatabaseWrapper, queue_writes, stop_queuing
from chengxin.settings import database_config

ALIAS = "queued"


@pytest.fixture
def queued(tmp_path: Path, django_db_blocker) -> Iterator[DatabaseWrapper]:
    """A connection of our SQLite backend to a file of its own, as `connections["queued"]`."""
    config = {**database_config(None), "NAME": tmp_path / "queued.sqlite3"}
    config["OPTIONS"] = {**config["OPTIONS"], "timeout": 0.3}
    wrapper = connect(config)
    connections[ALIAS] = wrapper
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
        queue_writes()
        try:
            yield wrapper
        finally:
            stop_queuing()
            wrapper.close()
            del connections[ALIAS]


def connect(config: dict[str, Any]) -> DatabaseWrapper:
    """A connection as the `ALIAS` database, its settings completed as Django completes them."""
    return DatabaseWrapper(ConnectionHandler({"default": config}).settings["default"], ALIAS)


def lock_file(wrapper: DatabaseWrapper) -> str:
    return f"{wrapper.settings_dict['NAME']}.writelock"


def taken_by_someone(path: str) -> bool:
    """Whether another open file holds the lock (this one gets it, or is refused, at once)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock this probe took
    return False


def insert(value: int) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (%s)", [value])


def test_a_write_transaction_holds_the_lock_until_commit_or_rollback(queued) -> None:
    with transaction.atomic(using=ALIAS):
        insert(1)
        assert taken_by_someone(lock_file(queued))
    assert not taken_by_someone(lock_file(queued))

    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        insert(2)
        assert taken_by_someone(lock_file(queued))
        1 / 0  # noqa: B018
    assert not taken_by_someone(lock_file(queued))
    with queued.cursor() as cursor:
        cursor.execute("SELECT x FROM t")
        assert cursor.fetchall() == [(1,)]


def test_closing_the_connection_inside_a_transaction_drops_the_lock(queued) -> None:
    queued.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert taken_by_someone(lock_file(queued))
    queued.close()
    assert not taken_by_someone(lock_file(queued))
    queued.set_autocommit(True)


def test_without_queue_writes_or_outside_the_main_thread_nothing_queues(queued) -> None:
    stop_queuing()
    with transaction.atomic(using=ALIAS):
        insert(1)
        assert not Path(lock_file(queued)).exists()

    queue_writes()
    seen: list[bool] = []

    def in_a_thread() -> None:  # a connection of its own, as every thread has
        wrapper = connect(dict(queued.settings_dict))
        connections[ALIAS] = wrapper
        try:
            with transaction.atomic(using=ALIAS):
                insert(2)
                seen.append(taken_by_someone(lock_file(queued)))
        finally:
            wrapper.close()
            del connections[ALIAS]

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [False]


def test_a_waiting_writer_goes_on_as_soon_as_the_lock_is_dropped(queued) -> None:
    holder = os.open(lock_file(queued), os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    threading.Timer(0.15, lambda: fcntl.flock(holder, fcntl.LOCK_UN)).start()
    queued.settings_dict["OPTIONS"]["timeout"] = 5  # read when the queue is first used
    started = time.monotonic()
    with transaction.atomic(using=ALIAS):
        waited = time.monotonic() - started
        insert(1)
    os.close(holder)
    assert 0.14 <= waited < 1.0


def test_the_wait_ends_after_the_busy_timeout_as_sqlites_would(queued) -> None:
    holder = os.open(lock_file(queued), os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with (
        pytest.raises(OperationalError, match="database is locked"),
        transaction.atomic(using=ALIAS),
    ):
        insert(1)
    assert 0.29 <= time.monotonic() - started < 2.0  # the fixture's 0.3 s timeout
    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)

    os.close(holder)  # the other writer is done: this one gets on with it
    with transaction.atomic(using=ALIAS):
        insert(2)
    assert not taken_by_someone(lock_file(queued))


def test_with_no_busy_timeout_a_taken_lock_fails_at_once(queued) -> None:
    holder = os.open(lock_file(queued), os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    queued.settings_dict["OPTIONS"]["timeout"] = 0  # read when the queue is first used
    started = time.monotonic()
    with (
        pytest.raises(OperationalError, match="database is locked"),
        transaction.atomic(using=ALIAS),
    ):
        insert(1)
    assert time.monotonic() - started < 0.2
    os.close(holder)


def test_a_forked_worker_queues_on_a_file_of_its_own(queued) -> None:
    """A child shares its parent's open files: had it kept the parent's, it would find the
    parent's lock its own (a lock belongs to the open file) and not wait for it."""
    with transaction.atomic(using=ALIAS):
        insert(1)  # the parent holds the lock
        pid = os.fork()
        if pid == 0:  # the child: try to begin a write while the parent writes
            code = 1
            try:
                queue_writes()
                queue = queued._queue()
                assert queue is not None
                try:
                    queue.acquire()
                except Exception as exc:
                    code = 0 if "locked" in str(exc) else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert taken_by_someone(lock_file(queued))  # the child's exit left the parent's lock
    assert os.waitstatus_to_exitcode(status) == 0
