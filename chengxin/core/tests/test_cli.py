"""The installed `chengxin` console command, run as a user would, on its own embedded database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

COUNTS = (
    "SELECT (SELECT count(*) FROM accounts_department), (SELECT count(*) FROM subjects_subject)"
)
SCRIPT = shutil.which("chengxin", path=str(Path(sys.executable).parent))


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
    env["CHENGXIN_HOME"] = str(home)
    env["CHENGXIN_GENERATE_SECRETS"] = "1"  # keys generated into the test's home
    assert SCRIPT, "the chengxin console script is installed with the package"
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    result = run(
        home,
        "demo",
        "--no-serve",
        "--volume",
        "subjects=300",
        "--volume",
        "licenses=40",
        "--volume",
        "penalties=10",
    )
    assert result.returncode == 0, result.stderr
    assert "sysadmin" in result.stdout and "auditor" in result.stdout  # logins printed
    return home


def test_demo_builds_once_and_is_idempotent(demo_home: Path) -> None:
    db = sqlite3.connect(demo_home / "chengxin.sqlite3")
    counts = db.execute(COUNTS).fetchone()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = run(demo_home, "demo", "--no-serve")
    assert again.returncode == 0, again.stderr
    assert "演示数据已存在" in again.stdout
    assert db.execute(COUNTS).fetchone() == counts
    assert counts[1] >= 300  # the demo subjects, and those of the demo records


def test_demo_reset_rebuilds_the_same_district(tmp_path: Path) -> None:
    """--reset empties every table, reference data included, and builds the district again."""
    volumes = ("--volume", "subjects=50", "--volume", "licenses=5", "--volume", "penalties=5")
    first = run(tmp_path, "demo", "--no-serve", *volumes)
    assert first.returncode == 0, first.stderr
    db = sqlite3.connect(tmp_path / "chengxin.sqlite3")
    counts = db.execute(COUNTS).fetchone()
    reset = run(tmp_path, "demo", "--no-serve", "--reset", *volumes)
    assert reset.returncode == 0, reset.stderr
    assert "演示数据已生成" in reset.stdout
    assert db.execute(COUNTS).fetchone() == counts
    # the national catalogues the checks and the power list rely on are back
    assert db.execute("SELECT count(*) FROM screening_listtype").fetchone()[0] >= 6
    assert db.execute("SELECT count(*) FROM powers_powercategory").fetchone()[0] == 10


def test_audit_verify_exit_codes(demo_home: Path) -> None:
    ok = run(demo_home, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    verified = int(ok.stdout.split()[1])
    assert verified > 0
    db = sqlite3.connect(demo_home / "chengxin.sqlite3")
    with db:
        db.execute("UPDATE audit_auditentry SET actor_name = 'mallory' WHERE sequence = 3")
    broken = run(demo_home, "audit", "verify")
    assert broken.returncode == 1
    assert "#3" in broken.stderr
