"""The demo district: a deterministic generator that each app extends with a `demo.py` module.

An app's `demo.py` defines `generate(ctx: DemoContext) -> None`. Steps run in INSTALLED_APPS
order, each with its own `random.Random` derived from the seed and the app label, so adding a new
app's data does not change what the others generate.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import TextIOBase
from typing import Any

import time_machine
from django.conf import settings
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

    @contextmanager
    def at(self, day: datetime.date, hour: int = 9, minute: int = 30) -> Iterator[None]:
        """Run the block as on `day` at `hour:minute` in the site's time zone, the clock
        ticking from there: the actions it calls stamp their records and compute their
        working-day deadlines from that moment, so a step taken weeks ago has its deadline
        weeks ago and the record's state agrees with it (a credit check of 20 days ago with its
        feedback due 10 days ago is overdue, not one made today). The process's clock is
        moved by time-machine and put back when the block ends; the audit entries carry the
        same moment as the records they describe."""
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
        with time_machine.travel(moment, tick=True):
            yield


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
