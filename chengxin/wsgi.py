"""The WSGI application, for gunicorn (`chengxin serve`) or any other WSGI server."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings")
application = get_wsgi_application()

# On SQLite, checkpoints of the write-ahead log run in a thread, not in a request, and the
# workers queue for the write lock instead of polling for it.
from chengxin.core.checkpoints import start_checkpointer  # noqa: E402 (needs the apps loaded)
from chengxin.core.sqlite.base import queue_writes  # noqa: E402

start_checkpointer()
queue_writes()

# The code, settings and URL patterns live as long as the worker: moved out of the collector's
# reach (gc.freeze), a full collection no longer scans them (one took 65-95 ms of a request
# every few hundred requests).
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
