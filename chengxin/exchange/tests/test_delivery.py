"""Batches to a real HTTP receiver, through the job worker: each message arrives and is answered
exactly once, a 5xx or a timeout is retried (never lost, never doubled), a correction never
overtakes its record, a rejection goes back to the department with its reason."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from chengxin.accounts.choices import Role
from chengxin.accounts.permissions import VIEW
from chengxin.exchange.choices import Change, MessageStatus
from chengxin.exchange.models import ExchangeMessage
from chengxin.exchange.tests.fixtures import (
    ID_NUMBER,
    Receiver,
    channel_settings,
    draft_penalty,
    work,
)
from chengxin.outbox.actions import retry_message
from chengxin.outbox.choices import MessageStatus as OutboxStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.publicity import actions
from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs in its own transactions


@pytest.fixture
def receiver(settings: Any, tmp_path: Path) -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EXCHANGE_CHANNELS = {
        "city": channel_settings(tmp_path / "city", url=server.url, token="city-token")
    }
    settings.SYNC_RETRY_BASE_SECONDS = 0  # retries are due at once, so one worker run sees them
    settings.SYNC_MAX_ATTEMPTS = 4
    yield server
    server.shutdown()


@pytest.fixture
def reporter(make_user: Any, make_department: Any) -> Any:
    return make_user(
        Role.DEPARTMENT_REPORTER, department=make_department(name="台儿庄区市场监督管理局")
    )


def publish(reporter: Any, **kwargs: Any) -> PenaltyRecord:
    return actions.submit_record(draft_penalty(reporter.department, **kwargs), actor=reporter)


def correct(record: PenaltyRecord, reporter: Any, content: str) -> PenaltyRecord:
    record = PenaltyRecord.objects.get(pk=record.pk)
    record.content = content
    return actions.correct_record(record, actor=reporter, reason="内容更正")


def test_each_message_arrives_once_with_its_receipt(receiver: Receiver, reporter: Any) -> None:
    records = [publish(reporter, natural_person=(i == 0)) for i in range(3)]
    work()
    sent = list(ExchangeMessage.objects.order_by("pk"))
    assert [m.status for m in sent] == [MessageStatus.ACCEPTED] * 3
    assert [m["data"]["CF_WSH"] for m in receiver.processed] == [r.decision_number for r in records]
    first = receiver.processed[0]
    assert first["change"] == Change.RECORD_PUBLISHED and first["version"] == 1
    assert first["data"]["CF_XDR_ZJHM"] == ID_NUMBER  # in the body (over TLS), not at rest
    assert receiver.authorizations == ["Bearer city-token"] and ID_NUMBER not in receiver.paths[0]
    (batch,) = OutboxMessage.objects.filter(topic="exchange.batch")
    assert batch.status == OutboxStatus.DELIVERED and ID_NUMBER not in json.dumps(batch.payload)
    work()  # nothing is sent again
    assert sum(receiver.attempts.values()) == 1


def test_a_5xx_is_retried_with_the_same_keys(receiver: Receiver, reporter: Any) -> None:
    receiver.failures = 2
    publish(reporter)
    work()
    (message,) = ExchangeMessage.objects.all()
    (batch,) = OutboxMessage.objects.filter(topic="exchange.batch")
    assert message.status == MessageStatus.ACCEPTED and batch.attempts == 3
    assert receiver.attempts[str(batch.idempotency_key)] == 3 and len(receiver.processed) == 1


def test_a_2xx_without_receipts_is_retried(receiver: Receiver, reporter: Any) -> None:
    receiver.garbage_first = True
    publish(reporter)
    work()
    (batch,) = OutboxMessage.objects.filter(topic="exchange.batch")
    assert batch.attempts == 2 and ExchangeMessage.objects.get().status == MessageStatus.ACCEPTED


def test_a_timeout_is_retried_and_the_receiver_drops_the_repeat(
    receiver: Receiver, reporter: Any, settings: Any
) -> None:
    settings.EXCHANGE_CHANNELS["city"]["timeout_seconds"] = 1
    receiver.stall_first_seconds = 2.5  # it processes the first attempt, but answers too late
    publish(reporter)
    work()
    (message,) = ExchangeMessage.objects.all()
    (batch,) = OutboxMessage.objects.filter(topic="exchange.batch")
    assert message.status == MessageStatus.ACCEPTED and batch.attempts == 2
    assert len(receiver.processed) == 1  # not doubled


def test_a_correction_never_overtakes_its_record(
    receiver: Receiver, reporter: Any, make_user: Any
) -> None:
    receiver.failures = 99  # the publication's batch fails every attempt: a dead letter
    record = publish(reporter)
    work()
    (first,) = OutboxMessage.objects.filter(topic="exchange.batch")
    assert first.status == OutboxStatus.DEAD
    other = publish(reporter)  # another record is not held up
    correct(record, reporter, "警告，罚款 0.3 万元")
    receiver.failures = 0
    work()
    assert [m["data"]["CF_WSH"] for m in receiver.processed] == [other.decision_number]
    waiting = ExchangeMessage.objects.get(change=Change.RECORD_CORRECTED)
    assert waiting.status == MessageStatus.PENDING  # behind its record's dead batch
    retry_message(first, actor=make_user(Role.CREDIT_ADMIN))  # from the dead letters
    work()
    order = [(m["record"], m["change"], m["version"]) for m in receiver.processed]
    assert order[1:] == [
        (f"penalty-{record.pk}", Change.RECORD_PUBLISHED, 1),
        (f"penalty-{record.pk}", Change.RECORD_CORRECTED, 2),
    ]
    assert set(ExchangeMessage.objects.values_list("status", flat=True)) == {MessageStatus.ACCEPTED}


def test_a_rejected_record_returns_to_its_department(
    receiver: Receiver, reporter: Any, make_user: Any, make_department: Any, client: Any
) -> None:
    record = publish(reporter)
    receiver.reject[record.decision_number] = "处罚决定日期晚于数据报送日期，请核实"
    work()
    (message,) = ExchangeMessage.objects.all()
    assert message.status == MessageStatus.REJECTED
    assert message.receipt_reason == "处罚决定日期晚于数据报送日期，请核实"
    queue = ExchangeMessage.objects.open_rejections()
    assert list(queue.restrict(reporter, VIEW)) == [message]
    stranger = make_user(Role.DEPARTMENT_REPORTER, department=make_department(name="区财政局"))
    assert not queue.restrict(stranger, VIEW).exists()
    client.force_login(reporter)
    page = client.get("/staff/exchange/rejections/").content.decode()
    assert "处罚决定日期晚于数据报送日期，请核实" in page and record.decision_number in page
    assert f"/staff/publicity/penalties/{record.pk}/" in page
    client.force_login(stranger)
    assert "数据报送日期" not in client.get("/staff/exchange/rejections/").content.decode()
    # The department corrects it; the correction is accepted and the rejection is closed.
    del receiver.reject[record.decision_number]
    correct(record, reporter, "警告")
    work()
    assert not ExchangeMessage.objects.open_rejections().exists()
    assert Counter(ExchangeMessage.objects.values_list("status", flat=True)) == {
        MessageStatus.REJECTED: 1,
        MessageStatus.ACCEPTED: 1,
    }


def test_batches_keep_to_the_channel_size(receiver: Receiver, reporter: Any, settings: Any) -> None:
    settings.EXCHANGE_CHANNELS["city"]["batch_size"] = 2
    with transaction.atomic():
        for _ in range(5):
            publish(reporter)
    work()
    sizes = sorted(
        len(batch.payload["messages"])
        for batch in OutboxMessage.objects.filter(topic="exchange.batch")
    )
    assert sizes == [1, 2, 2] and len(receiver.processed) == 5


def test_without_a_url_the_batch_is_written_to_the_channel_folder(
    settings: Any, tmp_path: Path, reporter: Any
) -> None:
    settings.EXCHANGE_CHANNELS = {"city": channel_settings(tmp_path / "city")}
    publish(reporter)
    work()
    (written,) = (tmp_path / "city").iterdir()
    body = json.loads(written.read_text())
    assert body["format"] == "chengxin-exchange/1" and len(body["messages"]) == 1
    assert ExchangeMessage.objects.get().status == MessageStatus.SENT
