"""`chengxin import {licenses|penalties} FILE --department CODE`: import 双公示 records.

Exit 0 when every row was accepted, 1 when some were rejected, 2 when the file could not be read.
`--json` ends the output with one JSON line: {"read", "accepted", "rejected", "unchanged"}.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from chengxin.accounts.models import Department
from chengxin.core.commands import OperatorCommand
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import file_sha256, run_batch
from chengxin.imports.rejections import save_report
from chengxin.publicity.choices import RecordKind

KINDS = {"licenses": RecordKind.LICENSE, "penalties": RecordKind.PENALTY}


class Command(OperatorCommand):
    help = "Import licensing or penalty records (national 双公示 standard) from CSV or XLSX."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--department", required=True, help="统一社会信用代码 of the 数据来源单位"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only; store nothing")
        parser.add_argument(
            "--report",
            type=Path,
            help="write rejected rows and their problems to this XLSX (CSV if it ends in .csv); "
            "it holds full ID numbers, so each report is written to the audit log",
        )
        parser.add_argument("--json", action="store_true", help="end with one JSON line of counts")

    def handle(self, *args: Any, **options: Any) -> None:
        department = Department.objects.filter(
            credit_code=options["department"].strip().upper()
        ).first()
        if department is None:
            raise CommandError(
                f"没有统一社会信用代码为 {options['department']} 的部门。", returncode=2
            )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        batch = ImportBatch.objects.create(
            kind=KINDS[options["kind"]],
            department=department,
            source=BatchSource.COMMAND,
            file_name=path.name,
            file_sha256=file_sha256(path),
            is_dry_run=options["dry_run"],
        )
        batch = run_batch(batch, path)
        if batch.status == BatchStatus.FAILED:
            self.stderr.write(f"无法导入 {path.name}：{batch.error_message}")
            sys.exit(2)
        self.summarise(batch, options)
        sys.exit(1 if batch.rows_rejected else 0)

    def summarise(self, batch: ImportBatch, options: dict[str, Any]) -> None:
        verb = "校验" if batch.is_dry_run else "导入"
        self.stdout.write(
            f"{verb}完成（批次 #{batch.pk}，编码 {batch.encoding}）：读取 {batch.rows_read} 行，"
            f"新增 {batch.rows_created}，更正 {batch.rows_updated}，未变化 {batch.rows_unchanged}，"
            f"拒收 {batch.rows_rejected}。"
        )
        for rejection in batch.rejections.order_by("row_number")[:20]:
            for problem in rejection.errors:
                self.stdout.write(f"  第 {rejection.row_number} 行 {problem}")
        if batch.rows_rejected > 20:
            self.stdout.write(f"  ……共 {batch.rows_rejected} 行被拒收，详见报告。")
        if options["report"]:
            save_report(batch, options["report"])
            self.stdout.write(f"拒收行报告：{options['report']}")
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "read": batch.rows_read,
                        "accepted": batch.rows_accepted,
                        "rejected": batch.rows_rejected,
                        "unchanged": batch.rows_unchanged,
                    }
                )
            )
