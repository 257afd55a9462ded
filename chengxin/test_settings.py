"""Test settings: SQLite by default, PostgreSQL when CHENGXIN_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

# Tests generate their keys (docs/keys.md); set in the environment, so the `chengxin` processes
# a test starts inherit the rule.
os.environ.setdefault("CHENGXIN_GENERATE_SECRETS", "1")

# Under pytest-xdist each worker has a home of its own: its SQLite files, uploads, lock files,
# anchors and generated keys, so that no worker sees (or cleans up) another's. pytest-django gives
# each worker its own test database (`_gw0` …) on both databases. The processes a test starts
# inherit the choice (PYTEST_XDIST_WORKER_HOME) and keep the home the test gave them.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and not os.environ.get("PYTEST_XDIST_WORKER_HOME"):
    _base = os.environ.get("CHENGXIN_HOME") or str(Path(__file__).resolve().parent.parent / "var")
    os.environ["CHENGXIN_HOME"] = str(Path(_base) / "xdist" / _worker)
    os.environ["PYTEST_XDIST_WORKER_HOME"] = os.environ["CHENGXIN_HOME"]

from chengxin.settings import *  # noqa: E402, F403 (after the home is chosen)
from chengxin.settings import HOME, database_config  # noqa: E402

DATABASES = {"default": database_config(os.environ.get("CHENGXIN_TEST_DATABASE_URL") or None)}
if DATABASES["default"]["ENGINE"] == "chengxin.core.sqlite":
    # A file, not memory: the live-server and concurrency tests use several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(HOME / "test-chengxin.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only in tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "chengxin.core.tests.drafts"]  # noqa: F405

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = HOME / "test-media"
# A module whose annual figures raise fails the test instead of showing 无数据 (reports.collect).
REPORTS_STRICT = True
# Anchors only where a test asks for them (tests point AUDIT_ANCHOR_DIR at their own folder).
AUDIT_ANCHOR_DIR = HOME / "test-audit-anchors"
AUDIT_ANCHOR_INTERVAL_SECONDS = 0
