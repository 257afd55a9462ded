"""A batch of several parts: matched by a helper process (core.parallel), stored as one."""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.core.parallel import HelperFailed
from chengxin.screening import actions
from chengxin.screening.choices import CheckOutcome
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckMeasure, CreditCheck, ListEntry

# The helper reads with its own connection: the lists must be committed, as in a batch job.
pytestmark = pytest.mark.django_db(transaction=True)
ON = datetime.date(2026, 3, 2)


@pytest.fixture
def subjects(make_entry: Callable[..., ListEntry]) -> list[Subject]:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    other = make_entry(subject_name="枣庄市台儿庄区远航物流有限公司")
    return [
        Subject(name="枣庄市台儿庄区申请人一商贸有限公司"),
        Subject(credit_code=listed.credit_code),  # hit by code
        Subject(name="枣庄市 台儿庄区 华兴建材有限公司"),  # hit by name
        Subject(name="枣庄市台儿庄区华兴建财有限公司"),  # a candidate only
        Subject(name="枣庄市台儿庄区申请人二商贸有限公司"),
        Subject(name="远航物流（台儿庄）", credit_code=other.credit_code),  # hit by code
        Subject(name="枣庄市台儿庄区申请人三商贸有限公司"),
    ]


def check(checker: User, scenario: Any, subjects: list[Subject]) -> list[CreditCheck]:
    return actions.check_subjects(
        subjects,
        department=checker.department,
        scenario=scenario("government_procurement"),
        matter="TEZ-2026-002 批量核查",
        actor=checker,
        on=ON,
    )


def outcome(stored: CreditCheck) -> tuple[Any, ...]:
    result = stored.result
    return (
        stored.input_name,
        stored.outcome,
        [(h["entry"], h["match"]) for h in result["hits"]],
        [(c["entry"], c["score"]) for c in result["candidates"]],
        [m["code"] for m in result["measures"]],
        stored.feedback_due,
        sorted(CheckMeasure.objects.filter(credit_check=stored).values_list("measure__code")),
    )


def test_a_batch_of_several_parts_is_matched_by_a_helper_as_it_would_be_here(
    checker: User,
    scenario: Any,
    subjects: list[Subject],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    here = [outcome(c) for c in check(checker, scenario, subjects)]  # one part: no helper
    assert [o[1] for o in here].count(CheckOutcome.HIT) == 3
    assert [o[1] for o in here].count(CheckOutcome.CANDIDATE) == 1

    found = actions._found

    def found_and_noted(part: Any, **kwargs: Any) -> Any:  # notes which process matched it
        with (tmp_path / "pids").open("a") as note:
            note.write(f"{os.getpid()}\n")
        return found(part, **kwargs)

    monkeypatch.setattr(actions, "PART", 3)
    monkeypatch.setattr(actions, "_found", found_and_noted)
    entries = AuditEntry.objects.count()
    checks = check(checker, scenario, subjects)
    assert [outcome(CreditCheck.objects.get(pk=c.pk)) for c in checks] == here
    assert [c.outcome for c in checks] == [o[1] for o in here]  # as returned, too
    pids = Counter((tmp_path / "pids").read_text().split())  # in the order they finished
    assert pids.pop(str(os.getpid())) == 1 and list(pids.values()) == [2]  # here, and a helper
    assert AuditEntry.objects.count() == entries + 1  # one entry for the batch


def test_a_failure_while_storing_a_later_part_stores_nothing(
    checker: User, scenario: Any, subjects: list[Subject], monkeypatch: pytest.MonkeyPatch
) -> None:
    insert = actions._insert
    calls = []

    def fails_second_time(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("存储中断")
        return insert(*args, **kwargs)

    monkeypatch.setattr(actions, "PART", 3)
    monkeypatch.setattr(actions, "_insert", fails_second_time)
    entries = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="存储中断"):
        check(checker, scenario, subjects)
    assert not CreditCheck.objects.exists() and not CheckMeasure.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_failure_in_the_helper_stores_nothing(
    checker: User, scenario: Any, subjects: list[Subject], monkeypatch: pytest.MonkeyPatch
) -> None:
    found = actions._found

    def fails_in_the_helper(part: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise LookupError("名单读取失败")
        return found(part, **kwargs)

    parent = os.getpid()
    monkeypatch.setattr(actions, "PART", 3)
    monkeypatch.setattr(actions, "_found", fails_in_the_helper)
    with pytest.raises(HelperFailed, match="LookupError: 名单读取失败"):
        check(checker, scenario, subjects)
    assert not CreditCheck.objects.exists()


@pytest.mark.parametrize("part", [actions.PART, 3], ids=["one part", "several parts"])
def test_the_lists_are_read_before_the_transaction_that_stores_the_checks(
    checker: User,
    scenario: Any,
    subjects: list[Subject],
    monkeypatch: pytest.MonkeyPatch,
    part: int,
) -> None:
    """On SQLite the storing transaction holds the write lock every other writer waits for."""
    reads: list[bool] = []  # for each read of the list entries: was a transaction open?

    def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if ListEntry._meta.db_table in sql and sql.lstrip().upper().startswith("SELECT"):
            reads.append(context["connection"].in_atomic_block)
        return execute(sql, params, many, context)

    monkeypatch.setattr(actions, "PART", part)
    with connection.execute_wrapper(note):
        checks = check(checker, scenario, subjects[:1] if part == actions.PART else subjects)
    assert checks and reads  # the caller read its (first) part itself
    assert not any(reads)
