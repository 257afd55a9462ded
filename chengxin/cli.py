"""The `chengxin` console command: Django's management commands under the project's name.

chengxin demo [--seed N] [--port P] [--no-serve]   build and serve the demo district
chengxin serve [--port P] [--workers N]            the production server (gunicorn)
chengxin audit verify                              check the audit chain
chengxin <any Django command>                      e.g. chengxin migrate
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "chengxin"
    execute_from_command_line(args)
