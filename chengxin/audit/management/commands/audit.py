"""`chengxin audit verify | anchor | rekey`: the audit chain's tools (ADR 0002).

verify  walk the keyed chain, then check every anchor; exit 0 with the count, or 1 naming each
        problem (Chinese and English); anchors left behind by a recorded restore (`chengxin
        restore`) are listed, not reported
anchor  write a signed anchor of the chain's end into CHENGXIN_AUDIT_ANCHOR_DIR (for cron; the
        job worker writes one every CHENGXIN_AUDIT_ANCHOR_INTERVAL_SECONDS)
rekey   re-hash the chain under CHENGXIN_AUDIT_KEY after checking it under
        CHENGXIN_AUDIT_KEY_PREVIOUS; the old anchors are moved aside (docs/keys.md)
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from chengxin.audit import anchors
from chengxin.audit.chain import chain_key, keyed_hash, rekey_chain
from chengxin.audit.choices import AuditAction
from chengxin.audit.log import verify_chain
from chengxin.audit.models import AuditEntry, ChainHead
from chengxin.core.commands import OperatorCommand

PROBLEMS = {
    "missing": "条目缺失（被删除） / an entry is missing (deleted)",
    "link": "与前一条的哈希链接断开（前一条被修改或删除） / the link to the previous entry is "
    "broken (the previous entry was changed or deleted)",
    "content": "内容与哈希不符（被修改，或不是用审计密钥计算的） / the content does not match its "
    "hash (changed, or hashed without the audit key)",
    "truncated": "链尾条目缺失（被删除） / the newest entries are missing (deleted)",
}

ANCHOR_PROBLEMS = {
    "forged": "签名无效：锚点被伪造或修改（或由另一个审计密钥签名） / bad signature: the anchor "
    "was forged or altered (or signed with another audit key)",
    "unreadable": "无法读取 / cannot be read",
    "beyond_end": "锚点记录到第 {sequence} 条，但审计链只到第 {end} 条：最新的条目被删除，或数据库被"
    "恢复为较早的副本 / the anchor records entry #{sequence} but the chain ends at #{end}: the "
    "newest entries were deleted, or an older copy of the database was restored",
    "mismatch": "第 {sequence} 条的哈希与锚点不同：该条及其之前的条目被改写 / entry #{sequence} "
    "differs from the anchor: it or entries before it were rewritten",
}


class Command(OperatorCommand):
    help = "Audit log tools: verify the chain and its anchors; write an anchor; re-key the chain."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor", "rekey"])
        parser.add_argument(
            "--force",
            action="store_true",
            help="rekey: re-key even a chain that does not verify under the previous key "
            "(the first break is recorded in the re-key entry)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self.anchor()
        elif options["action"] == "rekey":
            self.rekey(force=options["force"])
        elif not self.verify():
            sys.exit(1)

    def verify(self) -> bool:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"OK: {result.verified} entries verified")
        else:
            self.stderr.write(
                f"BROKEN at entry #{result.broken_sequence}: {PROBLEMS[result.problem]} "
                f"({result.verified} entries verified before it)"
            )
        report = anchors.verify_anchors()
        for problem in report.problems:
            message = ANCHOR_PROBLEMS[problem.kind].format(
                sequence=problem.sequence, end=problem.chain_end
            )
            self.stderr.write(f"ANCHOR {problem.path}: {message}")
        self.report_restores(report)
        if report.checked == 0:
            self.stdout.write(
                f"未找到锚点 / no anchors in {report.directory}: a deleted tail or a restored "
                "older copy cannot be detected without them (chengxin audit anchor)"
            )
        elif report.ok and report.newest is not None:
            self.stdout.write(
                f"OK: {report.checked} anchors verified, the newest at entry "
                f"#{report.newest.sequence} ({report.newest.created_at})"
            )
        return result.ok and report.ok

    def report_restores(self, report: anchors.AnchorReport) -> None:
        """Each recorded restore, and how many anchors it left behind (not problems)."""
        for record in report.restores:
            left = sum(1 for _anchor, by in report.superseded if by == record)
            assert record.restored_to is not None
            self.stdout.write(
                f"恢复记录 / restore {record.path.name}: 于 {record.created_at} 从备份恢复，审计链回到"
                f"第 {record.restored_to[0]} 条，恢复记为第 {record.sequence} 条；此前的 {left} 个锚点"
                f"由它取代 / the chain was restored to entry #{record.restored_to[0]} (recorded as "
                f"#{record.sequence}); {left} earlier anchors are superseded by this record"
            )

    def anchor(self) -> None:
        anchor = anchors.write_anchor()
        if anchor is None:
            self.stdout.write("审计链为空，无需锚定 / the chain is empty: nothing to anchor")
        else:
            self.stdout.write(f"Anchored entry #{anchor.sequence}: {anchor.path}")

    def rekey(self, *, force: bool) -> None:
        previous = os.environ.get("CHENGXIN_AUDIT_KEY_PREVIOUS", "")
        if not previous:
            raise CommandError("Set CHENGXIN_AUDIT_KEY_PREVIOUS to the key the chain is under.")
        with transaction.atomic():
            result = rekey_chain(
                AuditEntry,
                ChainHead,
                old=keyed_hash(chain_key(previous)),
                new=keyed_hash(chain_key()),
                action=AuditAction.CHAIN_REKEYED,
                details={"from": "hmac-sha256 (previous key)", "to": "hmac-sha256"},
            )
            if result is None:
                self.stdout.write("审计链为空 / the chain is empty: nothing to re-key")
                return
            if result["first_break"] is not None and not force:
                raise CommandError(
                    f"The chain does not verify under CHENGXIN_AUDIT_KEY_PREVIOUS from entry "
                    f"#{result['first_break']}: wrong previous key, or a tampered chain. Nothing "
                    "was changed (--force re-keys anyway and records the break)."
                )
        archive = self.archive_anchors()
        anchor = anchors.write_anchor()
        self.stdout.write(
            f"Re-keyed {result['entries']} entries; old anchors moved to {archive}; "
            f"new anchor at entry #{anchor.sequence if anchor else 0}"
        )

    def archive_anchors(self) -> str:
        """Old anchors are signed with the old key: kept beside, out of verify's way."""
        directory = anchors.anchor_dir()
        files = anchors.anchor_files(directory)
        if not files:
            return "-"
        stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        archive = directory / f"before-rekey-{stamp}"
        archive.mkdir(mode=0o700)
        for path in files:
            path.rename(archive / path.name)
        return str(archive)
