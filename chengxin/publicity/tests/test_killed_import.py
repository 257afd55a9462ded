"""A process killed in the middle of an import leaves no part of the batch behind: no record, no
validation process, and a batch the next import marks failed (ADR 0004, ADR 0016)."""

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
    # Wait until the import is writing (its transaction grows the WAL) while its validation
    # process checks the next chunk, then kill it hard.
    wal = Path(f"{db_path}-wal")
    validators: list[int] = []

    def writing() -> bool:
        assert process.poll() is None, "the import finished before it could be killed: more rows"
        validators[:] = [p for p in children(process.pid) if "multiprocessing" in command_line(p)]
        running = "SELECT count(*) FROM imports_importbatch WHERE status = 'running'"
        started = db.execute(running).fetchone()[0]
        return bool(validators and started and wal.exists() and wal.stat().st_size > 2_000_000)

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
    assert db.execute("SELECT count(*) FROM publicity_penaltyrecord").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM subjects_subject").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM imports_importbatch").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM imports_importrejection").fetchone()[0] == 0
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
    assert db.execute("SELECT count(*) FROM publicity_penaltyrecord").fetchone()[0] == 60_000
    batches = db.execute("SELECT status, error_message FROM imports_importbatch ORDER BY id")
    assert batches.fetchall() == [("failed", ABANDONED_MESSAGE), ("finished", "")]
