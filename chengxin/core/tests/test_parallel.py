"""core.parallel: a batch's parts computed by a forked helper process, in order, or here."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from django.db import transaction

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
