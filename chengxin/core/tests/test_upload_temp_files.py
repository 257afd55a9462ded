"""Large uploads wait in a private folder of the home, and what a killed worker left is deleted.

File times are compared with the machine's clock on both sides (never the test clock)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

from chengxin.core import supervision, tasks


def test_large_uploads_wait_in_a_private_folder_of_the_home() -> None:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.parent == Path(settings.HOME)
    assert folder.is_dir() and oct(folder.stat().st_mode & 0o777) == "0o700"


def test_the_recovery_deletes_abandoned_upload_files_only(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    now = time.time()
    old = tmp_path / "abandoned.upload"
    boundary = tmp_path / "just-younger.upload"
    fresh = tmp_path / "in-a-request.upload"
    limit = tasks.ABANDONED_AFTER_SECONDS
    for path, age in ((old, limit + 60), (boundary, limit - 60), (fresh, 5)):
        path.write_bytes(b"370405199001011234")
        os.utime(path, (now - age, now - age))

    assert tasks.recover_abandoned() == 1

    assert not old.exists() and boundary.exists() and fresh.exists()


def test_the_worker_recovery_runs_it(settings, tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    old = tmp_path / "abandoned.upload"
    old.write_bytes(b"x")
    long_ago = time.time() - 2 * tasks.ABANDONED_AFTER_SECONDS
    os.utime(old, (long_ago, long_ago))

    assert supervision.recover_abandoned_work() >= 1
    assert not old.exists()
