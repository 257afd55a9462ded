"""`chengxin report annual --year Y [--format pdf|docx|both] [--output DIR] [--strict]`.

Writes the government's annual rule-of-law report for the year as filed (docs/adr/0025): the
latest version of the year (a finalised one as it was frozen; a draft with the figures of now),
or, when staff have not started one, the generated draft with the five parts. The files go into
--output (the current directory by default) and a copy of each is kept (`AnnualReport`). A module
whose figures fail is reported on stderr and its chapter is 无数据; with --strict the command stops
instead (exit 1). Chapters shown as 无数据 are listed on stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.audit.context import audit_context
from chengxin.core.commands import OperatorCommand
from chengxin.reports import actions
from chengxin.reports import render as rendering
from chengxin.reports.collect import collect
from chengxin.reports.models import ReportFormat, RuleOfLawReport

FORMATS = {
    "pdf": (ReportFormat.PDF,),
    "docx": (ReportFormat.DOCX,),
    "both": (
        ReportFormat.DOCX,
        ReportFormat.PDF,
    ),
}


class Command(OperatorCommand):
    help = "Reports. annual: the annual rule-of-law report for --year as DOCX and/or PDF."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("kind", choices=["annual"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(FORMATS), default="both")
        parser.add_argument("--output", type=Path, default=Path("."), help="folder for the files")
        parser.add_argument("--strict", action="store_true", help="stop if a module's figures fail")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(_("--year %(year)s：年度应在 2000 年至今年之间。") % {"year": year})
        output: Path = options["output"]
        if output.exists() and not output.is_dir():
            raise CommandError(_("--output %(path)s：不是文件夹。") % {"path": output})
        output.mkdir(parents=True, exist_ok=True)
        report = actions.current(year) or RuleOfLawReport(
            year=year,
            issuer=actions.government_issuer(),
            addressee=str(actions.default_addressee()),
        )
        try:
            content = collect(year, strict=options["strict"] or None)  # None: REPORTS_STRICT
            previous = collect(year - 1, strict=options["strict"] or None)
        except Exception as exc:
            self.stderr.write(
                _("模块数据计算出错：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
            )
            sys.exit(1)
        for error in content.errors:
            self.stderr.write(
                _("模块数据计算出错（本章显示为无数据）：%(error)s") % {"error": error}
            )
        document = actions.document_for(report, links=False, computed=(content, previous))
        missing = [c.key for c in content.chapters if not c.is_available]
        with audit_context(reason="chengxin report annual"):
            done = rendering.generate(
                document,
                FORMATS[options["format"]],
                actor=None,
                report=report if report.pk else None,
                missing=missing if report.snapshot is None else [],
            )
        for item in done:
            target = output / item.report.file_name
            target.write_bytes(item.data)
            self.stdout.write(f"{target}  sha256 {item.report.sha256}")
        missing = [str(c.title) for c in content.chapters if not c.is_available]
        if missing:
            self.stdout.write(_("无数据的章节：%(chapters)s") % {"chapters": "、".join(missing)})
