"""`chengxin db_worker`: django-tasks-db's job worker, which also anchors the audit chain.

It writes an anchor (audit/anchors.py) at start and then every AUDIT_ANCHOR_INTERVAL_SECONDS, in
a thread beside the worker loop: wherever the worker runs (beside gunicorn under `chengxin
serve`, or as its own service) the chain's end is anchored with no other process to set up.
Not with --batch (a run that ends when the queue is empty) nor with an interval of 0; cron with
`chengxin audit anchor` is the alternative (ADR 0002). This app comes before django_tasks_db in
INSTALLED_APPS, so its command is the one `db_worker` finds.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from chengxin.audit.anchors import start_anchoring
from chengxin.core.supervision import is_transient_database_error

logger = logging.getLogger(__name__)

# The worker loop starts again after a transient database error: 1 s, doubling to at most this.
MAX_RETRY_SECONDS = 30.0
# A loop that ran this long before failing starts its waits from 1 s again.
STEADY_SECONDS = 60.0


class Command(WorkerCommand):
    help = (
        "Run a database background worker; it also writes an audit anchor at start and then "
        "every CHENGXIN_AUDIT_ANCHOR_INTERVAL_SECONDS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = self.start_anchoring(options)
        try:
            self.work(*args, **options)
        finally:
            if stop is not None:
                stop.set()

    def work(self, *args: Any, **options: Any) -> None:
        """django-tasks-db's worker loop, started again after a transient database error.

        Its loop opens `BEGIN EXCLUSIVE` to claim a job outside the guard it has for a locked
        database, so a long import holding SQLite's write lock past the busy timeout ended the
        worker (issue 18); a lost PostgreSQL connection did too. The claim was rolled back with
        its transaction, so nothing is lost by starting the loop again.
        """
        from django.db import connections

        delay = 1.0
        while True:
            started = time.monotonic()
            try:
                super().handle(*args, **options)
                return
            except Exception as exc:
                if not is_transient_database_error(exc):
                    raise
                if time.monotonic() - started >= STEADY_SECONDS:
                    delay = 1.0
                logger.warning("job worker: %s; starting its loop again in %.0f s", exc, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)

    def start_anchoring(self, options: dict[str, Any]) -> threading.Event | None:
        interval = settings.AUDIT_ANCHOR_INTERVAL_SECONDS
        # --reload: the watching parent runs no task; its child (DJANGO_AUTORELOAD_ENV) anchors.
        reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if interval <= 0 or options.get("batch") or reloader_parent:
            return None
        return start_anchoring(interval)
