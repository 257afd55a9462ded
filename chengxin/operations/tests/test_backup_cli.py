"""`chengxin backup` and `chengxin restore` run as an operator runs them, in their own processes.

On SQLite the installation is a home folder of its own (its database deleted for the "disaster");
on PostgreSQL it is the test database (its schema dropped; the restore brings every table back).
The keys are the test run's, given in the environment as production gives them; the settings are
the test settings (the test database has the tests' own app, which a backup's migration state
lists), so the uploads are in `test-media/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

SCRIPT = shutil.which("chengxin", path=str(Path(sys.executable).parent))

CREATE = """
from pathlib import Path
from django.conf import settings
from chengxin.subjects.models import Subject
subject = Subject(name="{name}", category="natural_person")
subject.set_id_number("{id_number}")
subject.save()
upload = Path(settings.MEDIA_ROOT) / "imports" / "{name}.upload"
upload.parent.mkdir(parents=True, exist_ok=True)
upload.write_text("{id_number},{name}")
"""
NAMES = "from chengxin.subjects.models import Subject; print(*Subject.objects.values_list('name', flat=True))"


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
    env.update(
        CHENGXIN_HOME=str(home),
        CHENGXIN_SECRET_KEY=settings.SECRET_KEY,
        CHENGXIN_DATA_KEY=settings.DATA_KEY,
        CHENGXIN_AUDIT_KEY=settings.AUDIT_KEY,
        DJANGO_SETTINGS_MODULE="chengxin.test_settings",
    )
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
        env["CHENGXIN_TEST_DATABASE_URL"] = (
            f"postgresql://{params['USER']}{password}@{params['HOST']}:{params['PORT']}"
            f"/{params['NAME']}"
        )
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the chengxin console script is installed with the package"
    connections.close_all()  # pg_restore drops the tables this process may have open
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, timeout=300)


def ok(env: dict[str, str], *args: str) -> str:
    result = run(env, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_command_line_round_trip_and_a_silent_rollback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = environment(home)
    if connection.vendor == "sqlite":
        ok(env, "migrate", "-v0")
    ok(env, "shell", "-c", CREATE.format(name="张三", id_number="370405197105086074"))
    ok(env, "audit", "anchor")
    out = ok(env, "backup", "--output", str(tmp_path / "backups"))
    assert "备份完成" in out and "不含任何密钥" in out
    (made,) = (tmp_path / "backups").iterdir()
    ok(env, "shell", "-c", CREATE.format(name="李四", id_number="110101199003070011"))
    ok(env, "audit", "anchor")

    # the disaster: the database and the uploads are gone
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (home / f"chengxin.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    shutil.rmtree(home / "test-media")

    wrong = run(
        {**env, "CHENGXIN_DATA_KEY": "not-the-key-of-that-day-0123456789"}, "restore", str(made)
    )
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("错误：") and "CHENGXIN_DATA_KEY" in wrong.stderr
    assert "Traceback" not in wrong.stderr and "CommandError" not in wrong.stderr

    out = ok(env, "restore", str(made))
    assert "已从备份" in out and "chengxin audit verify" in out
    assert ok(env, "shell", "-c", NAMES).splitlines()[-1] == "张三"
    assert (home / "test-media" / "imports" / "张三.upload").read_text().startswith("370405")
    verified = run(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "superseded by this record" in verified.stdout

    # the same backup put back by hand, without `chengxin restore`: reported
    database = next((made / "database").iterdir())
    if connection.vendor == "sqlite":
        for suffix in ("-wal", "-shm"):
            (home / f"chengxin.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.copyfile(database, home / "chengxin.sqlite3")
    else:
        url = env["CHENGXIN_TEST_DATABASE_URL"]
        pg_restore = shutil.which("pg_restore")
        assert pg_restore, "pg_restore (postgresql-client) is needed on PostgreSQL"
        subprocess.run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={url}",
                str(database),
            ],
            check=True,
            capture_output=True,
        )
    rolled_back = run(env, "audit", "verify")
    assert rolled_back.returncode == 1
    assert "older copy of the database was restored" in rolled_back.stderr
