"""`chengxin audit verify`: walk the audit chain; exit 0 with the count, or 1 naming the break."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand

from chengxin.audit.log import verify_chain

PROBLEMS = {
    "missing": "条目缺失（被删除）",
    "link": "与前一条的哈希链接断开（前一条被修改或删除）",
    "content": "内容与哈希不符（被修改）",
    "truncated": "链尾条目缺失（被删除）",
}


class Command(BaseCommand):
    help = "Audit log tools. verify: check the hash chain."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"OK: {result.verified} entries verified")
            return
        self.stderr.write(
            f"BROKEN at entry #{result.broken_sequence}: {PROBLEMS[result.problem]} "
            f"({result.verified} entries verified before it)"
        )
        sys.exit(1)
