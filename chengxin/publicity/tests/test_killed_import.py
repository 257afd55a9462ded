"""A process killed in the middle of an import leaves no part of the batch behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from chengxin.core.tests.test_cli import SCRIPT, run
from chengxin.publicity import samples


def test_kill_minus_nine_mid_import_leaves_no_records(tmp_path: Path) -> None:
    home = tmp_path / "home"
    built = run(
        home,
        "demo",
        "--no-serve",
        "--volume",
        "subjects=0",
        "--volume",
        "licenses=0",
        "--volume",
        "penalties=0",
    )
    assert built.returncode == 0, built.stderr
    db_path = home / "chengxin.sqlite3"
    db = sqlite3.connect(db_path)
    name, code = db.execute(
        "SELECT name, credit_code FROM accounts_department WHERE short_name = '区市场监管局'"
    ).fetchone()
    csv_path = tmp_path / "big.csv"
    import csv
    import random

    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(samples.header("penalty"))
        for row in samples.sample_rows(random.Random(4), "penalty", 60_000, (name, code)):
            writer.writerow(samples.as_cells("penalty", row))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
    env["CHENGXIN_HOME"] = str(home)
    process = subprocess.Popen(
        [SCRIPT, "import", "penalties", str(csv_path), "--department", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the import is writing (its transaction grows the WAL), then kill it hard.
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 60

    def started() -> int:
        query = "SELECT count(*) FROM imports_importbatch WHERE status = 'running'"
        return int(db.execute(query).fetchone()[0])

    while time.monotonic() < deadline and not (
        started() and wal.exists() and wal.stat().st_size > 2_000_000
    ):
        assert process.poll() is None, (
            "the import finished before it could be killed: use more rows"
        )
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM publicity_penaltyrecord").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM subjects_subject").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM imports_importrejection").fetchone()[0] == 0
    status, created = db.execute("SELECT status, rows_created FROM imports_importbatch").fetchone()
    assert (status, created) == ("running", 0)  # never marked finished: the job did not complete

    # The same file imported again, to the end, gives the whole batch.
    done = run(home, "import", "penalties", str(csv_path), "--department", code, "--json")
    assert done.returncode == 0, done.stderr
    assert db.execute("SELECT count(*) FROM publicity_penaltyrecord").fetchone()[0] == 60_000
