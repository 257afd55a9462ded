"""`chengxin seal_files`: seal the files kept in plaintext before files were sealed (once, after
the upgrade; docs/keys.md).

Repair evidence, case attachments and the uploads waiting for their job used to be written in
plaintext. This seals each such file where it lies under CHENGXIN_DATA_KEY (core/sealed_files.py:
a temporary file beside it, then a rename), in the folders each app names in `<app>/sealed.py`.
A file sealed already is left alone, so the command can be run any number of times, and a run
that stopped half-way is simply run again. Stop the web and job workers first: a job reading an
upload while it is replaced would read the sealed bytes as its table.

It is a command, not a migration: the files are on the disk of the host that keeps them
(CHENGXIN_HOME), not in the database a migration changes, and a migration may run where they are
not. `chengxin rotate_data_key` seals any plaintext file it meets too. `--check` only counts the
plaintext files and exits 1 if there are any (for the go-live checklist or a monitoring job).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from chengxin.core.commands import OperatorCommand
from chengxin.core.sealed_files import is_sealed, seal_folder, sealed_folders

logger = logging.getLogger(__name__)


class Command(OperatorCommand):
    help = "Seal every file still in plaintext (repair evidence, case attachments, uploads)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only count the plaintext files; exit 1 if any."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            self.check_only()
            return
        total = 0
        for folder in sealed_folders():
            result = seal_folder(folder, secret=settings.DATA_KEY)
            total += result.sealed
            self.stdout.write(
                f"{folder.name}: {result.sealed} files sealed, {result.unchanged} sealed already"
            )
        if total:
            logger.warning("chengxin seal_files sealed %d plaintext files", total)
        self.stdout.write(f"OK: {total} files sealed")

    def check_only(self) -> None:
        plaintext = 0
        for folder in sealed_folders():
            count = sum(1 for path in folder.files() if not _sealed(path))
            plaintext += count
            self.stdout.write(f"{folder.name}: {count} files in plaintext")
        if plaintext:
            raise CommandError(f"{plaintext} 个文件尚未加密存储，请运行 chengxin seal_files。")
        self.stdout.write("OK: every file is sealed")


def _sealed(path: Path) -> bool:
    try:
        return is_sealed(path)
    except FileNotFoundError:
        return True  # gone meanwhile
