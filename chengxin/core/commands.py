"""The base of chengxin's own management commands: a refusal reads as a Chinese sentence.

Django writes a `CommandError` raised on the command line as "CommandError: <message>", an English
class name before the operator's Chinese message. Commands built on `OperatorCommand` write
"错误：<message>" instead, with the error's exit status. Called from code (`call_command`, the
tests), the `CommandError` is raised unchanged.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class OperatorCommand(BaseCommand):
    from_command_line = False

    def run_from_argv(self, argv: list[str]) -> None:
        self.from_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self.from_command_line or options.get("traceback"):
                raise
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode)
