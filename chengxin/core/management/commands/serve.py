"""`chengxin serve`: the site under gunicorn, and the background-job worker kept running beside it.

gunicorn's end (or SIGTERM, SIGINT, SIGHUP to `serve`) ends the service; the job worker is
started again whenever it ends, after a growing wait (`core.supervision.Service`, ADR 0016).
Both die with `serve`, even when it is killed with `kill -9`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from io import TextIOBase
from typing import Any

from django.core.management.base import BaseCommand

from chengxin.core import supervision


def serve(
    *,
    port: int,
    workers: int,
    demo: bool,
    stdout: TextIOBase,
    host: str = "127.0.0.1",
    job_worker: bool = True,
) -> int:
    """Run gunicorn on host:port and `chengxin db_worker` until gunicorn stops or we are
    signalled; return gunicorn's exit code (0 when stopped by a signal)."""
    env = dict(os.environ)
    if demo:
        env["CHENGXIN_DEMO"] = "1"
    web = [
        "gunicorn",
        "chengxin.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
    ]
    # --no-reload: under DEBUG the worker would otherwise run in a grandchild of ours.
    worker = ["chengxin", "db_worker", "--no-reload"]
    supervision.restrict_embedded_files()
    stdout.write(f"\n正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）\n")
    stdout.flush()
    service = supervision.Service(
        # gunicorn stops gracefully on SIGTERM (requests in flight finish); a job worker whose
        # supervisor is gone stops at once: its transaction rolls back, and the next start
        # recovers what it left.
        supervision.Child("gunicorn", web, signal.SIGTERM),
        supervision.Child("db_worker", worker, signal.SIGKILL) if job_worker else None,
        env=env,
        before_worker=supervision.recover_abandoned_work,
    )
    return service.run()


class Command(BaseCommand):
    help = "Serve the site with gunicorn, with the background-job worker."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-job-worker", action="store_true", help="run `chengxin db_worker` separately"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = serve(
            port=options["port"],
            workers=options["workers"],
            demo=False,
            stdout=self.stdout,
            host=options["host"],
            job_worker=not options["no_job_worker"],
        )
        if code:
            sys.exit(code)
