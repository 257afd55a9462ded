"""Appending to the chain: no entry without its action, no action without its entry."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction
from django.db.transaction import TransactionManagementError

from chengxin.audit.log import Event, append, verify_chain
from chengxin.audit.models import AuditEntry, ChainHead
from chengxin.core.tests.drafts.models import Draft


def test_a_failed_append_leaves_its_transaction_unusable(make_department) -> None:
    department = make_department()
    before = AuditEntry.objects.count()
    with pytest.raises(TransactionManagementError), transaction.atomic():
        Draft.objects.create(department=department, title="未记入审计的草稿")
        with pytest.raises(TypeError):  # not JSON: the entry cannot be hashed
            append([Event(action="updated", after={"value": object()})])
        # Swallowing the error must not let the action commit without its entry.
        Draft.objects.create(department=department, title="其后的写入")
    assert not Draft.objects.filter(title="未记入审计的草稿").exists()
    assert AuditEntry.objects.count() == before and verify_chain().ok


def test_events_are_chained_in_order_from_an_empty_chain(db) -> None:
    ChainHead.objects.all().delete()
    AuditEntry.objects.all().delete()
    entries = append([Event(action="created", object_repr=f"第{i}条") for i in range(3)])
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert [e.pk is not None for e in entries] == [True] * 3
    head = ChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (3, entries[-1].entry_hash)
    assert entries[1].previous_hash == entries[0].entry_hash
    later = append([Event(action="created", object_repr="第4条")])
    assert later[0].sequence == 4 and later[0].previous_hash == entries[-1].entry_hash
    assert verify_chain().ok and verify_chain().verified == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_are_serialised() -> None:
    """Writers in several threads append at once: the head lock (PostgreSQL: FOR UPDATE; SQLite:
    BEGIN IMMEDIATE) orders them, so no sequence is taken twice and the chain verifies."""
    writers, rounds = 3, 10
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for n in range(rounds):
                with transaction.atomic():
                    append(
                        [Event(action="created", object_repr=f"{writer}-{n}-{i}") for i in (1, 2)]
                    )
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * rounds * 2 + 1))
    assert verify_chain().ok
