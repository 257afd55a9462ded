"""A large batch's read-only work done by a helper process, so that a batch uses both cores.

`with helper_map(function, parts) as results:` gives `function(part)` for each part, in order.
When there are several parts and no transaction is open, a forked helper process computes them
one after another while the caller consumes the results: the caller computes the first part
itself, then stores part k while the helper computes part k + 1. CPython runs one thread at a
time, so a second process is the way to a second core.

The first part is always computed on entry, before the caller opens the transaction that
stores it: on SQLite that transaction holds the database's write lock, which every other writer
waits for, and a single API check (one part) no longer holds it while it reads the lists.

The rules that keep this safe:

- **No open transaction.** The helper has its own database connection, which sees only committed
  rows; inside a transaction (a caller's, or a test's) the caller's uncommitted rows would be
  invisible to it, so the parts are computed in-process instead. The function must only read.
- **No inherited connection.** Connections are closed before the fork (Django reopens them on the
  next query), and the helper starts from an empty connection store, keeping any connection still
  open unused and unclosed, so parent and helper never share a socket or an SQLite handle; the
  helper closes only its own when it ends.
- **Second in line for the CPU.** The helper runs at a lower priority (`nice`), so web requests
  on the same machine come first.
- **Only from a process without other threads at work**: a fork copies one thread, and a lock
  another thread held stays held in the copy. The batch job runner and the command line qualify;
  the web workers never check a batch this large (the API takes 1,000 subjects at most).
- **Errors travel.** An exception in the helper is raised in the caller at that part as
  `HelperFailed`, with the helper's traceback; a helper that dies is noticed within a second.
  A caller that stops early stops the helper.

`imports.pipeline` runs its second process differently on purpose: it validates rows without the
database, inside the import's transaction, so it spawns a fresh interpreter instead of forking.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import Any, TypeVar

from asgiref.local import Local
from django.db import connection, connections

P = TypeVar("P")
R = TypeVar("R")
HELPER_NICENESS = 5
WAIT_SECONDS = 1.0  # how often the caller, waiting for a result, checks that the helper lives
_inherited: list[Any] = []  # in a helper: the caller's connection store, kept from being closed


class HelperFailed(RuntimeError):
    """The helper process failed (its traceback is the message) or ended without its results."""


@contextmanager
def helper_map(function: Callable[[P], R], parts: Sequence[P]) -> Iterator[Iterator[R]]:
    """`function(part)` for each of `parts`, in order; by a helper process when it can help.

    Enter it before opening the transaction that stores the results: the helper is forked and
    the first part computed on entry (with no transaction open); the helper is stopped on exit.
    It inherits `function` and the parts (a fork copies them); only its results travel back,
    pickled.
    """
    if len(parts) < 2 or connection.in_atomic_block:
        first = [function(part) for part in parts[:1]]  # now: before the caller's transaction
        yield itertools.chain(first, map(function, parts[1:]))
        return
    for wrapper in connections.all():
        wrapper.close()
    context = multiprocessing.get_context("fork")
    results: Queue[tuple[bool, Any]] = context.Queue()
    helper = context.Process(target=_help, args=(function, parts[1:], results), daemon=True)
    helper.start()
    try:
        # The first part here, while the helper starts on the second: no wait for the first.
        first = [function(parts[0])]
        yield itertools.chain(first, _received(results, helper, len(parts) - 1))
    finally:
        if helper.is_alive():  # the caller stopped early: the remaining parts are not wanted
            helper.kill()  # not SIGTERM: the fork inherits the caller's handler of it, if any
        helper.join()
        results.close()


def _help(function: Callable[[P], R], parts: Sequence[P], results: Queue[tuple[bool, Any]]) -> None:
    """The helper process: each part's result, in order, or the traceback of its failure."""
    os.nice(HELPER_NICENESS)  # second in line for the CPU, after the web workers
    # Connections the caller still had open at the fork are the caller's: kept here unused and
    # unclosed (closing one would end the caller's session). The helper starts from an empty
    # store, so Django opens the helper's own, whichever context held the caller's.
    # (Django has no public call for this: the handler's per-context store is `_connections`.)
    _inherited.append(getattr(connections, "_connections"))  # noqa: B009
    setattr(connections, "_connections", Local(connections.thread_critical))  # noqa: B010
    try:
        for part in parts:
            results.put((True, function(part)))
    except BaseException:
        results.put((False, traceback.format_exc()))
    finally:
        connections.close_all()
        results.close()
        results.join_thread()  # everything sent before the process ends


def _received(results: Queue[tuple[bool, Any]], helper: BaseProcess, count: int) -> Iterator[Any]:
    for _ in range(count):
        while True:
            try:
                ok, value = results.get(timeout=WAIT_SECONDS)
                break
            except queue.Empty:
                if not helper.is_alive():
                    raise HelperFailed(
                        f"the helper process ended (exit code {helper.exitcode}) without its results"
                    ) from None
        if not ok:
            raise HelperFailed(value)
        yield value
