"""`chengxin serve`: run the site under gunicorn (the production WSGI server)."""

from __future__ import annotations

import argparse
import os
import sys
from io import TextIOBase
from typing import Any

from django.core.management.base import BaseCommand


def serve(
    *, port: int, workers: int, demo: bool, stdout: TextIOBase, host: str = "127.0.0.1"
) -> None:
    """Replace this process with gunicorn serving chengxin.wsgi on host:port."""
    env = dict(os.environ)
    if demo:
        env["CHENGXIN_DEMO"] = "1"
    stdout.write(f"\n正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）\n")
    stdout.flush()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "chengxin.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
    ]
    os.execve(sys.executable, argv, env)


class Command(BaseCommand):
    help = "Serve the site with gunicorn."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            port=options["port"],
            workers=options["workers"],
            demo=False,
            stdout=self.stdout,
            host=options["host"],
        )
