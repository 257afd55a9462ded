"""The demo district: a deterministic generator that each app extends with a `demo.py` module.

An app's `demo.py` defines `generate(ctx: DemoContext) -> None`. Steps run in INSTALLED_APPS
order, each with its own `random.Random` derived from the seed and the app label, so adding a new
app's data does not change what the others generate.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import TextIOBase
from typing import Any

from django.db import transaction

from chengxin.core import auditing
from chengxin.core.discovery import app_modules

DEMO_PASSWORD = "Chengxin@2026"  # noqa: S105 -- printed by `chengxin demo`; demo mode only


@dataclass
class DemoContext:
    seed: int
    volumes: dict[str, int]
    out: TextIOBase
    # Objects steps hand to later steps (e.g. "departments" → {short code: Department}).
    shared: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, username, department

    def rng(self, name: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def volume(self, name: str, default: int) -> int:
        return self.volumes.get(name, default)


def steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    return [(label, module.generate) for label, module in app_modules("demo")]


def build_demo(seed: int, volumes: dict[str, int], out: TextIOBase) -> DemoContext:
    """Generate the demo district into the (empty) database, one transaction per step."""
    ctx = DemoContext(seed=seed, volumes=volumes, out=out)
    with auditing.acting(reason="demo data"):
        for label, generate in steps():
            started = time.monotonic()
            with transaction.atomic():
                generate(ctx)
            out.write(f"  {label}: {time.monotonic() - started:.1f}s\n")
    return ctx
