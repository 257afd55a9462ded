"""core.bulk: rows inserted in one statement, with reserved primary keys when asked."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from chengxin.core.bulk import insert_rows, reserve_ids
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
