"""`chengxin backup [--output FOLDER]`: the database, the uploaded files and a signed manifest in
one new folder (operations/backup.py; docs/operations.md). Safe while the site runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError

from chengxin.core.commands import OperatorCommand
from chengxin.operations import backup


class Command(OperatorCommand):
    help = "Back up the database and the uploaded files into a new folder (no keys)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="the folder to create the backup in (default: $CHENGXIN_HOME/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup.create_backup(options["output"] or backup.default_destination())
        except (backup.BackupError, OSError, DatabaseError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        head = made.manifest["audit_head"]
        self.stdout.write(
            f"备份完成：{made.path}\n"
            f"  {made.files} 个文件，共 {made.size / 1_048_576:.1f} MB；审计链到第 {head['sequence']} 条；"
            f"数据密钥指纹 {made.manifest['data_key_fingerprint'][:16]}…\n"
            "  备份不含任何密钥：恢复时需要备份当日的数据密钥（docs/keys.md）。"
            "备份含个人信息，请加密后复制到本机以外保存（docs/operations.md）。"
        )
