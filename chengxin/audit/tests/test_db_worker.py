"""The job worker outlives a transient database error: it starts its loop again, it does not die
(a long import on SQLite held the write lock past the busy timeout and ended it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from chengxin.audit.management.commands import db_worker


class Loop:
    """django-tasks-db's worker loop, failing with `errors` one after the other, then ending."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors, self.runs = list(errors), 0

    def __call__(self, *args: Any, **options: Any) -> None:
        self.runs += 1
        if self.errors:
            raise self.errors.pop(0)


@pytest.fixture
def no_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(db_worker.time, "sleep", waits.append)
    return waits


def test_a_locked_database_starts_the_loop_again_with_backoff(monkeypatch, no_waits) -> None:
    loop = Loop(*(OperationalError("database is locked") for _ in range(7)))
    monkeypatch.setattr(WorkerCommand, "handle", loop)
    db_worker.Command().work()
    assert loop.runs == 8
    assert no_waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]  # doubling, at most 30 s


def test_any_other_error_still_ends_the_worker(monkeypatch, no_waits) -> None:
    monkeypatch.setattr(WorkerCommand, "handle", Loop(OperationalError("no such table: x")))
    with pytest.raises(OperationalError, match="no such table"):
        db_worker.Command().work()
    assert no_waits == []


def test_a_clean_end_is_an_end(monkeypatch, no_waits) -> None:
    loop = Loop()
    monkeypatch.setattr(WorkerCommand, "handle", loop)
    db_worker.Command().work()
    assert loop.runs == 1 and no_waits == []
