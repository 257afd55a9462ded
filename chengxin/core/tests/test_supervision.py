"""Supervised processes (ADR 0016), done on purpose: real `chengxin serve` processes on a free
loopback port, killed with `kill -9` as a county's IT person might by accident.

The building blocks are tested in-process first (backoff, the lock a process holds while it
works, parent death, transient errors); then the whole: the site keeps answering when its job
worker is killed, a new worker comes within the backoff, `serve`'s children die with it, and a
worker killed mid-import leaves a failed batch, no upload and no validation process behind.
"""

from __future__ import annotations

import contextlib
import csv
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError

from chengxin.core import supervision
from chengxin.core.sealed_files import MAGIC
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_cli import SCRIPT
from chengxin.imports.pipeline import ABANDONED_MESSAGE
from chengxin.publicity import samples

# --- the building blocks --------------------------------------------------------------------


def test_backoff_doubles_to_a_minute_and_starts_over_after_a_settled_run() -> None:
    backoff = supervision.Backoff()
    assert [backoff.after(0.5) for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff.after(61) == 1  # the worker had run for a minute: a fresh failure
    assert backoff.after(3) == 2


def test_transient_database_errors_are_the_lock_and_a_lost_connection() -> None:
    class LostConnection(Exception):
        sqlstate = "08006"

    lost = OperationalError("consuming input failed")
    lost.__cause__ = LostConnection()
    shutdown = OperationalError("terminating connection due to administrator command")
    assert supervision.is_transient_database_error(OperationalError("database is locked"))
    assert supervision.is_transient_database_error(lost)
    assert supervision.is_transient_database_error(shutdown)
    assert supervision.is_transient_database_error(InterfaceError("connection already closed"))
    assert not supervision.is_transient_database_error(OperationalError("no such table: x"))
    assert not supervision.is_transient_database_error(IntegrityError("UNIQUE constraint"))
    assert not supervision.is_transient_database_error(ValueError("database is locked"))


def python(code: str, **env: str) -> subprocess.Popen[str]:
    """A Python child of this test running `code`, which prints lines we read."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "chengxin.test_settings", **env},
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_lock_is_held_while_its_process_lives_and_free_once_it_is_killed() -> None:
    name = f"test-{uuid.uuid4().hex}"
    holder = python(
        f"""
        import time
        from chengxin.core.supervision import holding
        with holding({name!r}) as held:
            print(held, flush=True)
            time.sleep(60)
        """
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert supervision.is_held(name)
        with supervision.holding(name, wait_seconds=0.2) as held:
            assert held is False  # a second runner does not run the same work
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        assert not supervision.is_held(name)  # the kernel let go of it with the process
        with supervision.holding(name) as held:
            assert held is True and supervision.is_held(name)
        assert not supervision.is_held(name)
    finally:
        holder.kill()
        holder.wait(timeout=10)


@pytest.mark.parametrize("kernel_signal", [True, False], ids=["pdeathsig", "watchdog"])
def test_a_child_dies_with_its_parent(kernel_signal: bool) -> None:
    """Linux's parent-death signal, and the watchdog thread alone (other systems)."""
    child_code = (
        "import os, time; from chengxin.core import supervision; "
        + ("" if kernel_signal else "supervision._prctl = lambda: None; ")
        + "supervision.die_with_parent(os.getppid()); print(os.getpid(), flush=True); "
        + "time.sleep(60)"
    )
    parent = python(
        f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", {child_code!r}], stdout=subprocess.PIPE)
        print(child.stdout.readline().decode().strip(), flush=True)
        time.sleep(60)
        """
    )
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_for(lambda: not alive(child), seconds=10), "the child outlived its parent"
    finally:
        parent.kill()
        parent.wait(timeout=10)
        if child and alive(child):
            os.kill(child, signal.SIGKILL)


# --- processes, as /proc shows them ---------------------------------------------------------


def alive(pid: int) -> bool:
    """A process that runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def command_line(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")).decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def wait_for(condition: Callable[[], object], *, seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


# --- a home with a database, built once -----------------------------------------------------


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
    env |= {"CHENGXIN_HOME": str(home), "CHENGXIN_GENERATE_SECRETS": "1"} | extra
    return env


SETUP = f"""
import random
from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.core.identifiers import make_uscc

code = make_uscc(random.Random(4), department="1", category="1")
department = Department.objects.create(
    name="台儿庄区市场监督管理局", short_name="区市场监管局", credit_code=code,
    kind=DepartmentKind.GOVERNMENT_DEPARTMENT,
)
user = User.objects.create_user(
    "importer", {PASSWORD!r}, full_name="导入员", department=department
)
assign_role(user, Role.CREDIT_ADMIN, actor=None)
"""
_template: dict[str, Path] = {}


def template_home(factory: pytest.TempPathFactory) -> Path:
    """A migrated embedded database with static files, a department and an importer (the
    `demo` is not needed); built once a test run and copied by each test."""
    if "home" not in _template:
        home = factory.mktemp("supervised-template")
        for args in (
            ("migrate", "-v0"),
            ("collectstatic", "--noinput", "-v0"),
            ("shell", "-c", SETUP),
        ):
            done = subprocess.run(
                [str(SCRIPT), *args],
                env=environment(home),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
        _template["home"] = home
    return _template["home"]


def fresh_home(factory: pytest.TempPathFactory, into: Path) -> Path:
    template = template_home(factory)
    home = into / "home"
    home.mkdir(mode=0o700)
    shutil.copy2(template / "chengxin.sqlite3", home / "chengxin.sqlite3")
    shutil.copytree(template / "secrets", home / "secrets")
    (home / "static").symlink_to(template / "static")
    return home


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    return fresh_home(tmp_path_factory, tmp_path)


def department(home: Path) -> tuple[int, str, str]:
    db = sqlite3.connect(home / "chengxin.sqlite3")
    row = db.execute(
        "SELECT id, name, credit_code FROM accounts_department WHERE short_name = '区市场监管局'"
    ).fetchone()
    db.close()
    return int(row[0]), str(row[1]), str(row[2])


def write_penalties(path: Path, count: int, home: Path) -> Path:
    _pk, name, code = department(home)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(samples.header("penalty"))
        for row in samples.sample_rows(random.Random(4), "penalty", count, (name, code)):
            writer.writerow(samples.as_cells("penalty", row))
    return path


# --- `chengxin serve`, started and stopped --------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    seen: set[int]

    def child(self, word: str) -> int | None:
        """The running child of `serve` whose command line has `word` (gunicorn, db_worker)."""
        for pid in children(self.process.pid):
            if word in command_line(pid):
                self.seen.add(pid)
                return pid
        return None

    def worker(self, *, other_than: int = 0, seconds: float = 30) -> int:
        found: list[int] = []

        def started() -> bool:
            pid = self.child("db_worker")
            if pid and pid != other_than:
                found.append(pid)
            return bool(found)

        assert wait_for(started, seconds=seconds), self.log.read_text()[-3000:]
        return found[0]

    def status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


@contextlib.contextmanager
def serving(home: Path, tmp_path: Path, **env: str) -> Iterator[Served]:
    """`chengxin serve` on a free loopback port until the block ends; then everything it
    started is stopped (SIGTERM, then SIGKILL by process id)."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", str(port), "--workers", "1"],
            env=environment(home, CHENGXIN_SSL_REDIRECT="0", **env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Served(process, f"http://127.0.0.1:{port}", log, set())
    try:
        up = wait_for(lambda: served.status("/healthz") == 200, seconds=40, every=0.2)
        assert up, log.read_text()[-3000:]
        served.child("gunicorn")
        yield served
    finally:
        served.seen.update(children(process.pid))
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pid in served.seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- the site survives its job worker; serve's children die with serve ----------------------


def test_serve_restarts_a_killed_worker_and_its_children_die_with_it(
    home: Path, tmp_path: Path
) -> None:
    with serving(home, tmp_path) as served:
        first = served.worker()
        os.kill(first, signal.SIGKILL)
        assert served.status("/healthz") == 200  # the site still answers
        second = served.worker(other_than=first, seconds=15)  # within the backoff (1 s)
        assert served.status("/healthz") == 200
        os.kill(second, signal.SIGKILL)
        third = served.worker(other_than=second, seconds=15)  # after 2 s
        log = served.log.read_text()
        assert "ended with signal 9" in log and "restarting it in 1 s (restart 1)" in log
        assert "restarting it in 2 s (restart 2)" in log

        gunicorn = served.child("gunicorn")
        assert gunicorn is not None and alive(third)
        served.process.send_signal(signal.SIGKILL)  # `serve` itself, killed by accident
        served.process.wait(timeout=10)
        assert wait_for(lambda: not alive(third), seconds=5), "the worker outlived serve"
        assert wait_for(lambda: not alive(gunicorn), seconds=20), "gunicorn outlived serve"


# --- a worker killed in the middle of an import ---------------------------------------------


class Browser:
    """Logs in and posts forms over plain HTTP, as the staff's browser would (demo cookies)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.url + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict[str, str], file: Path | None = None) -> str:
        _url, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:2000]
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in ({"csrfmiddlewaretoken": token[1]} | fields).items()
        ]
        if file is not None:
            head = (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
            )
            parts.append(head.encode() + file.read_bytes() + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 - the test's own loopback server
            self.url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=120) as response:
            return str(response.geturl())


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_a_worker_killed_mid_import_leaves_a_failed_batch_and_nothing_else(
    home: Path, tmp_path: Path
) -> None:
    department_id, _name, _code = department(home)
    big = write_penalties(tmp_path / "big.csv", 60_000, home)  # validated in a second process
    db_path = home / "chengxin.sqlite3"
    db_path.chmod(0o644)  # as an earlier version left it: `serve` makes it private
    with serving(home, tmp_path, CHENGXIN_DEMO="1") as served:
        browser = Browser(served.url)
        login = {"username": "importer", "password": PASSWORD}
        assert browser.post("/accounts/login/", login).endswith("/staff/")
        worker = served.worker()
        batch_url = browser.post(
            "/staff/imports/upload/", {"kind": "penalty", "department": str(department_id)}, big
        )
        assert re.search(r"/staff/imports/\d+/$", batch_url), batch_url
        (upload,) = (home / "media" / "imports").glob("*.upload")
        assert (mode(upload), mode(upload.parent)) == ("0o600", "0o700")
        assert upload.read_bytes().startswith(MAGIC)  # sealed: no ID number on disk

        # Wait until the worker writes the batch (its transaction grows the WAL) while the
        # validation process checks the next chunk, then kill the worker hard.
        db = sqlite3.connect(db_path)
        wal = Path(f"{db_path}-wal")
        validators: list[int] = []

        def importing() -> bool:
            validators[:] = [p for p in children(worker) if "multiprocessing" in command_line(p)]
            running = db.execute("SELECT status FROM imports_importbatch").fetchone()
            return bool(
                validators
                and running == ("running",)
                and wal.exists()
                and wal.stat().st_size > 2_000_000
            )

        assert wait_for(importing, seconds=60, every=0.05), served.log.read_text()[-3000:]
        served.seen.update(validators)
        # The embedded database and its log are the service account's alone.
        for name in ("chengxin.sqlite3", "chengxin.sqlite3-wal", "chengxin.sqlite3-shm"):
            assert mode(home / name) == "0o600", name
        assert mode(home / "media") == "0o700"
        os.kill(worker, signal.SIGKILL)

        assert wait_for(lambda: not any(alive(p) for p in validators), seconds=5), (
            "the validation process outlived the worker"
        )
        served.worker(other_than=worker, seconds=20)

        def failed() -> bool:
            return db.execute("SELECT status FROM imports_importbatch").fetchone() == ("failed",)

        assert wait_for(failed, seconds=20), served.log.read_text()[-3000:]
        batch_id, message, runner = db.execute(
            "SELECT id, error_message, runner_pid FROM imports_importbatch"
        ).fetchone()
        assert (message, runner) == (ABANDONED_MESSAGE, worker)
        assert db.execute("SELECT count(*) FROM publicity_penaltyrecord").fetchone()[0] == 0
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        jobs = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
        assert jobs == [("FAILED",)]  # not left RUNNING for ever
        assert list((home / "media" / "imports").iterdir()) == []  # the upload is gone
        db.close()

        _url, page = browser.get(f"/staff/imports/{batch_id}/")
        assert ABANDONED_MESSAGE in page and "重新导入" in page
        again = f"/staff/imports/upload/?kind=penalty&amp;department={department_id}"
        assert again in page
        _url, form = browser.get(again.replace("&amp;", "&"))
        assert re.search(r'<option value="penalty" selected>', form)
        assert re.search(rf'<option value="{department_id}" selected>', form)
