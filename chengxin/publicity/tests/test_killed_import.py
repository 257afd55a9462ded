"""A process killed in the middle of an import leaves no part of the batch visible and no
validation process: killed before the batch's commit point, the next import marks it failed and
discards what it staged; killed after it, the next import finishes releasing it (ADR 0004,
ADR 0016, ADR 0017)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from chengxin.core.tests.test_cli import SCRIPT
from chengxin.core.tests.test_supervision import (
    alive,
    children,
    command_line,
    department,
    environment,
    fresh_home,
    wait_for,
    write_penalties,
)
from chengxin.imports.pipeline import ABANDONED_MESSAGE


def test_kill_minus_nine_mid_import_leaves_no_records(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    home = fresh_home(tmp_path_factory, tmp_path)
    _pk, _name, code = department(home)
    csv_path = write_penalties(tmp_path / "big.csv", 60_000, home)
    db_path = home / "chengxin.sqlite3"
    db = sqlite3.connect(db_path)

    process = subprocess.Popen(
        [str(SCRIPT), "import", "penalties", str(csv_path), "--department", code],
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the import has staged a few chunks (each committed on its own) while its
    # validation process checks the next, then kill it hard.
    validators: list[int] = []

    def writing() -> bool:
        assert process.poll() is None, "the import finished before it could be killed: more rows"
        validators[:] = [p for p in children(process.pid) if "multiprocessing" in command_line(p)]
        running = "SELECT count(*) FROM imports_importbatch WHERE status = 'running'"
        started = db.execute(running).fetchone()[0]
        return bool(validators and started and _count(db, "status = 'staged'") > 6000)

    try:
        assert wait_for(writing, seconds=60, every=0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        assert wait_for(lambda: not any(alive(p) for p in validators), seconds=5), (
            "the validation process outlived the import"
        )
    finally:
        process.kill()
        process.wait(timeout=10)
        for pid in validators:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Staged chunks, none of them visible: every output reads past STAGED.
    assert _count(db, "status = 'staged'") > 6000
    assert _count(db, "status <> 'staged'") == 0
    assert db.execute("SELECT count(*) FROM subjects_subject").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM imports_importbatch").fetchone()[0] == 1
    status, created, host, pid = db.execute(
        "SELECT status, rows_created, runner_host, runner_pid FROM imports_importbatch"
    ).fetchone()
    # Never marked finished: the job did not complete; the batch names the process that died.
    assert (status, created, host, pid) == ("running", 0, socket.gethostname(), process.pid)

    # The same file imported again, to the end, gives the whole batch; the import first marks
    # the batch whose process died as failed.
    done = subprocess.run(
        [str(SCRIPT), "import", "penalties", str(csv_path), "--department", code, "--json"],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _count(db, "status = 'published'") == 60_000
    assert _count(db, "status <> 'published'") == 0  # the dead batch's staged rows discarded
    batches = db.execute("SELECT status, error_message FROM imports_importbatch ORDER BY id")
    assert batches.fetchall() == [("failed", ABANDONED_MESSAGE), ("finished", "")]
    dead = "SELECT id FROM imports_importbatch WHERE status = 'failed'"
    rejections = f"SELECT count(*) FROM imports_importrejection WHERE batch_id IN ({dead})"
    assert db.execute(rejections).fetchone()[0] == 0


def test_kill_minus_nine_while_releasing_is_finished_by_the_next_import(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Past its commit point a batch is released, whatever happens to its process."""
    home = fresh_home(tmp_path_factory, tmp_path)
    _pk, _name, code = department(home)
    csv_path = write_penalties(tmp_path / "big.csv", 60_000, home)
    db = sqlite3.connect(home / "chengxin.sqlite3")
    process = subprocess.Popen(
        [str(SCRIPT), "import", "penalties", str(csv_path), "--department", code],
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def releasing() -> bool:
        assert process.poll() is None, "the import finished before it could be killed: more rows"
        status = "SELECT count(*) FROM imports_importbatch WHERE status = 'releasing'"
        return bool(db.execute(status).fetchone()[0] and _count(db, "status = 'published'"))

    try:
        assert wait_for(releasing, seconds=120, every=0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process.kill()
        process.wait(timeout=10)
    published, staged = _count(db, "status = 'published'"), _count(db, "status = 'staged'")
    assert published > 0 and staged > 0, "killed after the release ended: more rows"
    created = db.execute("SELECT rows_created FROM imports_importbatch").fetchone()[0]
    assert published + staged == created

    # Any import on this host first finishes the batch left releasing, then runs.
    done = subprocess.run(
        [str(SCRIPT), "import", "penalties", str(csv_path), "--department", code, "--json"],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (_count(db, "status = 'published'"), _count(db, "status = 'staged'")) == (created, 0)
    batches = db.execute("SELECT status, rows_created, rows_unchanged FROM imports_importbatch")
    assert batches.fetchall() == [("finished", created, 0), ("finished", 0, created)]


def _count(db: sqlite3.Connection, where: str) -> int:
    return int(
        db.execute(f"SELECT count(*) FROM publicity_penaltyrecord WHERE {where}").fetchone()[0]
    )
