"""core.bulk: rows inserted in one statement, with reserved primary keys when asked."""

from __future__ import annotations

import gc
import threading
import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from chengxin.audit.models import AuditEntry
from chengxin.core.bulk import collector_paused, insert_row, insert_rows, reserve_ids
from chengxin.core.models import LocalSetting
from chengxin.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def stamped(**row: object) -> dict[str, object]:
    now = timezone.now()
    return {"created_at": now, "updated_at": now, **row}


def test_reserved_ids_follow_existing_rows_and_are_used_as_given() -> None:
    LocalSetting.objects.create(key="a", value="1")
    with transaction.atomic():
        ids = reserve_ids(LocalSetting, 3)
        insert_rows(
            LocalSetting,
            [stamped(id=pk, key=f"k{pk}", value="v") for pk in ids],
            with_pk=True,
        )
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert min(ids) > LocalSetting.objects.get(key="a").pk
    assert set(LocalSetting.objects.filter(value="v").values_list("id", flat=True)) == set(ids)
    # The next reservation and the next ordinary insert both come after them.
    later = LocalSetting.objects.create(key="b", value="2")
    assert later.pk > max(ids) and reserve_ids(LocalSetting, 1)[0] > later.pk


def test_json_values_and_callable_defaults_are_written_per_row() -> None:
    insert_rows(OutboxMessage, [stamped(topic="t", payload={"n": n, "名": "值"}) for n in range(3)])
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.payload["n"] for m in messages] == [0, 1, 2] and messages[0].payload["名"] == "值"
    assert len({m.idempotency_key for m in messages}) == 3  # uuid4 called for each row


def test_one_row_is_inserted_with_its_new_primary_key() -> None:
    first = insert_row(OutboxMessage, stamped(topic="t", payload={"名": "值"}))
    second = insert_row(OutboxMessage, stamped(topic="t", payload=[1]))
    assert second > first
    stored = OutboxMessage.objects.get(pk=first)
    assert stored.payload == {"名": "值"} and OutboxMessage.objects.get(pk=second).payload == [1]
    assert stored.idempotency_key != OutboxMessage.objects.get(pk=second).idempotency_key


def test_addresses_are_stored_as_the_orm_stores_them() -> None:
    """An empty address is NULL and an IPv6 address takes its normal form, as in `save()`."""
    row = {
        "sequence": 10**9,
        "created_at": timezone.now(),
        "action": "created",
        "request_id": uuid.uuid4(),
        "previous_hash": "0" * 64,
        "entry_hash": "1" * 64,
    }
    empty = insert_row(AuditEntry, {**row, "ip_address": ""})
    long_form = insert_row(
        AuditEntry, {**row, "sequence": 10**9 + 1, "ip_address": "2001:0db8::0001"}
    )
    assert AuditEntry.objects.get(pk=empty).ip_address is None
    assert AuditEntry.objects.get(pk=long_form).ip_address == "2001:db8::1"


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_runs_again_only_when_the_outermost_pause_ends(collector_on: None) -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still running
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error(collector_on: None) -> None:
    with pytest.raises(ZeroDivisionError), collector_paused(), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads(collector_on: None) -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()
