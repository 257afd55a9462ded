"""Core's part of the recovery before a job worker starts (core.supervision).

An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE waits in FILE_UPLOAD_TEMP_DIR for the length of
its request, in plain text; Django deletes it when the request ends, but not when the web worker
is killed. Such a file older than `ABANDONED_AFTER_SECONDS` belongs to no live request (gunicorn
ends a request long before) and is deleted.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

ABANDONED_AFTER_SECONDS = 3600


def recover_abandoned() -> int:
    """Delete abandoned request upload files; return how many. Times are the machine's own
    (a file's modification time against `time.time()`)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if not folder.is_dir():
        return 0
    limit = time.time() - ABANDONED_AFTER_SECONDS
    deleted = 0
    for path in folder.iterdir():
        with suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
    if deleted:
        logger.warning("deleted %d abandoned upload file(s) in %s", deleted, folder)
    return deleted
