"""core.parallel: a batch's parts computed by a forked helper process, in order, or here."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from django.db import connection, connections, transaction

from chengxin.core.models import LocalSetting
from chengxin.core.parallel import HelperFailed, helper_map

# The helper has its own connection: it sees committed rows only, so the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def settings_found(keys: list[str]) -> tuple[list[str], int, int]:
    """The part, the process that computed it, and how many of its keys the database holds."""
    return keys, os.getpid(), LocalSetting.objects.filter(key__in=keys).count()


def fails_on_b(keys: list[str]) -> list[str]:
    if "b" in keys:
        raise ValueError("第二部分无法计算")
    return keys


def backend(part: list[str]) -> tuple[int, int]:
    """The process and its database session: PostgreSQL's backend pid, else the handle's id
    (in a fork, an inherited handle keeps its id)."""
    with connection.cursor() as cursor:
        session = id(connection.connection)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_backend_pid()")
            session = cursor.fetchone()[0]
    return os.getpid(), session


def helper_dies(keys: list[str]) -> list[str]:
    if os.getpid() != PARENT:
        os._exit(3)
    return keys


def slow_in_helper(keys: list[str]) -> list[str]:
    if os.getpid() != PARENT:
        time.sleep(60)
    return keys


PARENT = os.getpid()
PARTS = [["a"], ["b", "x"], ["c"]]


def test_parts_after_the_first_are_computed_by_a_helper_in_order() -> None:
    for key in ("a", "b", "c"):
        LocalSetting.objects.create(key=key, value="1")
    with helper_map(settings_found, PARTS) as results:
        found = list(results)
    assert [part for part, _, _ in found] == PARTS
    assert [count for _, _, count in found] == [1, 1, 1]  # the helper reads the database
    pids = [pid for _, pid, _ in found]
    assert pids[0] == os.getpid()  # the first part here, while the helper starts
    assert pids[1] == pids[2] != os.getpid()
    assert LocalSetting.objects.count() == 3  # the caller's connection works again afterwards
    assert multiprocessing.active_children() == []


def test_inside_a_transaction_every_part_is_computed_here() -> None:
    with transaction.atomic():
        LocalSetting.objects.create(key="b", value="uncommitted")
        with helper_map(settings_found, PARTS) as results:
            found = list(results)
    assert {pid for _, pid, _ in found} == {os.getpid()}
    assert found[1][2] == 1  # the uncommitted row is seen: no other connection was used


def test_one_part_is_computed_here() -> None:
    with helper_map(settings_found, PARTS[:1]) as results:
        ((_, pid, _),) = list(results)
    assert pid == os.getpid()


def test_a_failure_in_the_helper_is_raised_with_its_traceback() -> None:
    with helper_map(fails_on_b, PARTS) as results:
        assert next(results) == ["a"]
        with pytest.raises(HelperFailed, match="ValueError: 第二部分无法计算"):
            next(results)
    assert multiprocessing.active_children() == []


def test_a_helper_that_dies_is_noticed() -> None:
    with (
        pytest.raises(HelperFailed, match="exit code 3"),
        helper_map(helper_dies, PARTS) as results,
    ):
        list(results)


def test_a_caller_that_stops_early_stops_the_helper() -> None:
    started = time.monotonic()
    with helper_map(slow_in_helper, PARTS) as results:
        assert next(results) == ["a"]  # and the rest is not wanted
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []


def test_the_helper_has_its_own_session_even_if_the_caller_kept_one_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A connection still open at the fork is not used by the helper, nor closed: two processes
    never talk over one session, and the caller's session outlives the batch."""
    LocalSetting.objects.create(key="a", value="1")  # the caller's connection is open
    monkeypatch.setattr(type(connections["default"]), "close", lambda self: None)  # stays open
    with helper_map(backend, PARTS) as results:
        here, there = next(results), next(results)
    assert here[0] == os.getpid() != there[0]
    assert here[1] != there[1]  # the helper used a session of its own
    monkeypatch.undo()
    assert LocalSetting.objects.count() == 1  # the caller's session still works


@pytest.mark.parametrize("count", [1, 3])
def test_the_first_part_is_computed_on_entry_the_rest_when_asked(count: int) -> None:
    done: list[int] = []

    def square(part: int) -> int:
        done.append(part)
        return part * part

    # In a transaction the parts are computed here, so the order of the work can be watched.
    with transaction.atomic(), helper_map(square, list(range(1, count + 1))) as results:
        assert done == [1]
        assert list(results) == [n * n for n in range(1, count + 1)]
    assert done == list(range(1, count + 1))
