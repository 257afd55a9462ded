"""What each process keeps of the database between requests, in one list.

Some rows are read on nearly every request and change rarely: the working-day calendar, the
local settings, the installation's region. Their modules keep them per process and register
here how to forget them; whoever must make a process forget everything (the tests, between one
test and the next; a restore) calls `forget_all()` instead of knowing each module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_lock = threading.Lock()
_forgetters: dict[str, Callable[[], None]] = {}


def register(name: str, forget: Callable[[], None]) -> None:
    """`forget` makes the process read `name` from the database again on its next use."""
    with _lock:
        _forgetters[name] = forget


def registered() -> list[str]:
    with _lock:
        return sorted(_forgetters)


def forget_all() -> None:
    with _lock:
        forgetters = list(_forgetters.values())
    for forget in forgetters:
        forget()
