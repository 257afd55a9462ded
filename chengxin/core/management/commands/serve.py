"""`chengxin serve`: the site under gunicorn, and the background-job worker beside it."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from io import TextIOBase
from typing import Any

from django.core.management.base import BaseCommand


def serve(
    *,
    port: int,
    workers: int,
    demo: bool,
    stdout: TextIOBase,
    host: str = "127.0.0.1",
    job_worker: bool = True,
) -> None:
    """Run gunicorn on host:port and `chengxin db_worker` until either stops or we are signalled."""
    env = dict(os.environ)
    if demo:
        env["CHENGXIN_DEMO"] = "1"
    web = [
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
        "120",
        "--graceful-timeout",
        "10",
    ]
    worker = [
        sys.executable,
        "-c",
        "from chengxin.cli import main; main(['chengxin', 'db_worker'])",
    ]
    stdout.write(f"\n正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）\n")
    stdout.flush()
    processes = [subprocess.Popen(web, env=env)]
    if job_worker:
        processes.append(subprocess.Popen(worker, env=env))

    def stop(*_args: Any) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        os.wait()  # whichever child ends first ends the service
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            process.wait(timeout=30)


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
        serve(
            port=options["port"],
            workers=options["workers"],
            demo=False,
            stdout=self.stdout,
            host=options["host"],
            job_worker=not options["no_job_worker"],
        )
