"""`chengxin restore FOLDER [--force]`: replace the database and the uploaded files with a backup
made by `chengxin backup`, and record it in the audit log and beside the anchors (operations/backup.py;
docs/operations.md). Stop the services first."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError

from chengxin.core.commands import OperatorCommand
from chengxin.operations import backup


class Command(OperatorCommand):
    help = "Restore a backup folder made by `chengxin backup` (replaces all data)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder (chengxin-backup-…)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (audit entries or accounts)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.restore_backup(options["backup"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except (OSError, DatabaseError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        manifest, entry = done.manifest, done.entry
        lines = [
            f"已从备份 {manifest['name']}（{manifest['created_at']}）恢复数据库和 {done.files} 个文件。",
            f"  审计链恢复到第 {manifest['audit_head']['sequence']} 条；恢复记录为第 "
            f"{entry.sequence if entry else '-'} 条审计日志，签名记录 {done.record.path if done.record else '-'}。",
        ]
        if done.superseded:
            lines.append(
                f"  备份之后写下的 {len(done.superseded)} 个锚点由本次恢复记录取代"
                "（chengxin audit verify 会列出）。"
            )
        if done.migrated:
            lines.append("  备份早于本版本：已执行数据库迁移（chengxin migrate）。")
        for folder in done.set_aside:
            lines.append(f"  原有文件已移到 {folder}：核对后请删除（其中含个人信息）。")
        lines.append("  请运行 chengxin audit verify，然后启动服务。")
        self.stdout.write("\n".join(lines))
