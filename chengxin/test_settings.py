"""Test settings: SQLite by default, PostgreSQL when CHENGXIN_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os

# Tests generate their keys (docs/keys.md); set in the environment, so the `chengxin` processes
# a test starts inherit the rule.
os.environ.setdefault("CHENGXIN_GENERATE_SECRETS", "1")

from chengxin.settings import *  # noqa: F403
from chengxin.settings import HOME, database_config

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
