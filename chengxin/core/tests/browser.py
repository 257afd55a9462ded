"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live test server.

Playwright's own browser download does not work on government intranets (nor here), so the
system Chromium is used. Without it the browser tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        # Under CI=true nothing may skip: a missing browser is a failure there.
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=_font_environment()
        )
        yield instance
        instance.close()


def _font_environment() -> dict[str, str | float | bool]:
    """The environment for Chromium, with the report's CJK font (var/fonts, installed by dev.py)
    added to fontconfig: a machine without Chinese system fonts still renders the pages'
    Chinese in screenshots instead of boxes."""
    from django.conf import settings

    environment: dict[str, str | float | bool] = dict(os.environ)
    fonts = Path(settings.REPORT_FONT_DIR)
    if fonts.is_dir():
        config = Path(settings.HOME) / "fonts.conf"
        config.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f"<dir>{fonts}</dir></fontconfig>",
            encoding="utf-8",
        )
        environment["FONTCONFIG_FILE"] = str(config)
    return environment


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors (a CSP violation is one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
