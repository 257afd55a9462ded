"""Processes kept running, processes that die with their parent, and work that outlives neither.

What a county's IT person does by accident, and what then happens (ADR 0016):

- **The job worker dies** (`kill -9`, an out-of-memory kill, an error the worker loop does not
  catch): `chengxin serve` runs gunicorn and `chengxin db_worker` under `Service`, which starts
  the worker again after 1 s, 2 s, 4 s … at most 60 s (back to 1 s once a worker has run for a
  minute) and logs each restart. Only gunicorn's end, or a signal to `serve`, ends the service.
- **A parent dies**: every child `serve` starts, and an import's validation process, calls
  `die_with_parent`: Linux's parent-death signal (`prctl(PR_SET_PDEATHSIG)`), and a thread that
  watches the parent's PID as a second line (other systems; and the kernel's signal follows the
  thread that started the child, not the process).
- **Work whose process died**: a process doing a piece of work holds a lock file for it
  (`holding`); the kernel lets go of the lock when the process ends, however it ends, so
  `is_held` tells work in progress from work abandoned, on this host. Before a job worker starts,
  `recover_abandoned_work()` calls each app's `tasks.recover_abandoned()` (the imports app fails
  its abandoned batches and deletes their uploads).
- **A transient database error** ("database is locked", a lost connection):
  `is_transient_database_error` says whether trying again later may succeed.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import logging
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 1.0  # how often the watchdog thread checks that the parent lives
STOP_SECONDS = 20.0  # a child asked to stop (SIGTERM) is killed after this; gunicorn needs 10


# --- children that die with their parent -------------------------------------------------------


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


def die_with_parent(parent_pid: int, signum: int = signal.SIGKILL) -> None:
    """Have `signum` sent to this process when its parent, `parent_pid`, ends.

    Call it first thing in the child. A handled signal (gunicorn's SIGTERM: a graceful stop) lets
    the child end in its own way; SIGKILL ends it at once.
    """
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent ended before the signal was asked for
        os.kill(os.getpid(), signum)
    watchdog = threading.Thread(
        target=_watch_parent, args=(parent_pid, signum), name="parent-watchdog", daemon=True
    )
    watchdog.start()


def _watch_parent(parent_pid: int, signum: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    logger.warning("parent process %s ended: ending process %s", parent_pid, os.getpid())
    os.kill(os.getpid(), signum)


def child_command(argv: Sequence[str], *, signum: int) -> list[str]:
    """The command line that runs `argv` (`["gunicorn", …]`, a module run as `python -m`, or
    `["chengxin", …]`) in a child that dies with this process (`launch`)."""
    code = "from chengxin.core.supervision import launch; launch()"
    return [sys.executable, "-c", code, str(os.getpid()), str(int(signum)), *argv]


def launch() -> None:
    """The child's side of `child_command`: die with the parent, then run the command."""
    parent, signum, target, *args = sys.argv[1:]
    die_with_parent(int(parent), signal.Signals(int(signum)))
    if target == "chengxin":  # the console command, run as its module (cli.py, the top layer)
        target = "chengxin.cli"
    sys.argv = [target, *args]
    runpy.run_module(target, run_name="__main__", alter_sys=True)


# --- the service: gunicorn, and the job worker kept running -------------------------------------


@dataclass
class Backoff:
    """Waits before starting a process again: `first`, doubling to `longest`; back to `first`
    once the process had run for `settled_after` seconds."""

    first: float = 1.0
    longest: float = 60.0
    settled_after: float = 60.0
    _next: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._next = self.first

    def after(self, ran_for: float) -> float:
        """The wait before the next start, for a process that ended after `ran_for` seconds."""
        if ran_for >= self.settled_after:
            self._next = self.first
        delay = self._next
        self._next = min(self._next * 2, self.longest)
        return delay


@dataclass
class Child:
    """A process the service runs: its name, its command line and its signal on our death."""

    name: str
    argv: list[str]
    signum: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(child_command(self.argv, signum=self.signum), env=env)
        self.started = time.monotonic()

    def ended(self) -> bool:
        return self.process is not None and self.process.poll() is not None


class Service:
    """gunicorn and the job worker. gunicorn's end ends the service (its exit code is the
    service's); the worker is started again with `Backoff` whenever it ends, after
    `before_worker` (the recovery of abandoned work) has run. SIGTERM, SIGINT and SIGHUP stop
    both: SIGTERM, then SIGKILL after `STOP_SECONDS`."""

    def __init__(
        self,
        web: Child,
        worker: Child | None,
        *,
        env: dict[str, str],
        before_worker: Callable[[], object] = lambda: None,
        backoff: Backoff | None = None,
        poll_seconds: float = 0.2,
    ) -> None:
        self.web, self.worker, self.env = web, worker, env
        self.before_worker = before_worker
        self.backoff = backoff or Backoff()
        self.poll_seconds = poll_seconds
        self.stopping = False
        self.restarts = 0

    def run(self) -> int:
        """Serve until gunicorn ends or a signal comes; return the exit code."""
        previous = {
            signum: signal.signal(signum, self._stop)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        try:
            self.web.start(self.env)
            self._start_worker()
            return self._watch()
        finally:
            self._stop_children()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _watch(self) -> int:
        restart_at: float | None = None
        assert self.web.process is not None
        while not self.stopping:
            code = self.web.process.poll()
            if code is not None:
                logger.warning("gunicorn ended with %s: stopping the service", code)
                return code
            if self.worker is not None and restart_at is None and self.worker.ended():
                restart_at = time.monotonic() + self._worker_ended(self.worker)
            if restart_at is not None and time.monotonic() >= restart_at:
                restart_at = None
                self.restarts += 1
                self._start_worker()
            time.sleep(self.poll_seconds)
        return 0

    def _worker_ended(self, worker: Child) -> float:
        assert worker.process is not None
        ran_for = time.monotonic() - worker.started
        delay = self.backoff.after(ran_for)
        code = worker.process.returncode
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        logger.warning(
            "job worker (pid %s) ended with %s after %.0f s; restarting it in %.0f s (restart %d)",
            worker.process.pid,
            how,
            ran_for,
            delay,
            self.restarts + 1,
        )
        return delay

    def _start_worker(self) -> None:
        try:
            self.before_worker()
        except Exception:  # recovery must never keep the worker from starting
            logger.exception("recovering abandoned work failed")
        if self.worker is not None and not self.stopping:
            self.worker.start(self.env)
            assert self.worker.process is not None
            logger.info("job worker started (pid %s)", self.worker.process.pid)

    def _stop_children(self) -> None:
        running = [
            child.process
            for child in (self.web, self.worker)
            if child is not None and child.process is not None and child.process.poll() is None
        ]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- work in progress: a lock file per piece of work --------------------------------------------


def host_name() -> str:
    return socket.gethostname()[:255]


BACKGROUND_NICENESS = 10


def lower_priority() -> None:
    """Run this process (and the processes it starts) after the web workers when the CPU is
    short: for CPU work that holds no database lock, such as an import's validation process
    (docs/performance.md, "Import beside the site"). Never for a process that writes: niced, it
    would hold SQLite's write lock longer whenever the site is busy (priority inversion)."""
    current = os.nice(0)
    if current < BACKGROUND_NICENESS:
        os.nice(BACKGROUND_NICENESS - current)


def lock_name(kind: str, key: object) -> str:
    """A lock's name for one piece of work (`import`, batch 17) in this database: two databases
    served from one home (test runs) do not share locks."""
    from django.db import connection

    where = connection.settings_dict
    tag = f"{where['ENGINE']}|{where['HOST']}|{where['PORT']}|{where['NAME']}"
    digest = hashlib.sha256(tag.encode()).hexdigest()[:12]
    return f"{kind}-{digest}-{key}"


def _lock_path(name: str) -> Path:
    from django.conf import settings

    folder = Path(settings.HOME) / "run"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{name}.lock"


@contextmanager
def holding(name: str, *, wait_seconds: float = 5.0) -> Iterator[bool]:
    """Hold the lock `name` while the block runs; the block gets False (after waiting at most
    `wait_seconds`) when another process holds it. The lock ends with the process, however the
    process ends."""
    path = _lock_path(name)
    deadline = time.monotonic() + wait_seconds
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(0.05)
            continue
        # The holder before us may have removed the file after we opened it: lock the new one.
        if _same_file(fd, path):
            break
        os.close(fd)
    try:
        yield True
    finally:
        with suppress(FileNotFoundError):
            path.unlink()  # while still held: a prober that opened it finds it free, as it is
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (opened.st_dev, opened.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def is_held(name: str) -> bool:
    """Whether a process (on this host) holds the lock `name` now."""
    try:
        fd = os.open(_lock_path(name), os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the lock we may have taken
    return False


# --- transient database errors ------------------------------------------------------------------

# SQLSTATE classes: 08 connection exception, 40 transaction rollback (serialization failure,
# deadlock), 53 insufficient resources (too many connections), 57P01-03 server shutting down.
TRANSIENT_SQLSTATES = ("08", "40", "53", "57P01", "57P02", "57P03")
TRANSIENT_MESSAGES = (
    "database is locked",
    "database table is locked",
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "terminating connection",
    "could not connect",
    "connection refused",
    "consuming input failed",
    "ssl syscall error",
)


def is_transient_database_error(exc: BaseException) -> bool:
    """Whether `exc` is a database error that trying again later may not meet: the SQLite file
    locked by another writer beyond the busy timeout, or the PostgreSQL connection lost."""
    from django.db import InterfaceError, OperationalError

    if isinstance(exc, InterfaceError):
        return True  # "connection already closed"
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None) or ""
    if sqlstate.startswith(TRANSIENT_SQLSTATES):
        return True
    text = str(exc).lower()
    return any(message in text for message in TRANSIENT_MESSAGES)


# --- recovery before a job worker starts --------------------------------------------------------


def recover_abandoned_work() -> int:
    """Call `recover_abandoned()` of each chengxin app's `tasks` module that has one
    (core.discovery); return how many pieces of work were ended. One app's failure is logged
    and does not keep the others from recovering."""
    from django.db import connections

    from chengxin.core.discovery import app_modules

    recovered = 0
    try:
        for label, module in app_modules("tasks"):
            recover = getattr(module, "recover_abandoned", None)
            if callable(recover):
                try:
                    recovered += int(recover())
                except Exception:
                    logger.exception("%s: recovering abandoned work failed", label)
    finally:  # the supervisor keeps no connection open between restarts
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    return recovered


# --- file modes ---------------------------------------------------------------------------------


def restrict_file_modes(paths: Sequence[Path], folders: Sequence[Path]) -> None:
    """Make existing `paths` 0600 and `folders` 0700 (created before the umask was set, by an
    earlier version); missing ones are skipped."""
    for path, mode in [*((p, 0o600) for p in paths), *((f, 0o700) for f in folders)]:
        with suppress(FileNotFoundError):
            path.chmod(mode)


def restrict_embedded_files() -> None:
    """The embedded database with its -wal, -shm and -journal (SQLite gives those the database
    file's mode) and the upload folders: personal data, for the service account alone."""
    from django.conf import settings
    from django.db import connection

    paths: list[Path] = []
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and name != ":memory:" and "mode=memory" not in name:
        database = Path(name)
        suffixes = ("", "-wal", "-shm", "-journal", ".writelock")
        paths = [database.with_name(database.name + suffix) for suffix in suffixes]
    media = Path(settings.MEDIA_ROOT)
    restrict_file_modes(paths, [media, media / "imports", Path(settings.HOME) / "run"])
