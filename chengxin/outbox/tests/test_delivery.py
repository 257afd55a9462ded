"""The outbox worker against a real local HTTP receiver: retries with backoff until accepted,
each message arrives exactly once, a receiver that never accepts leaves a dead letter."""

from __future__ import annotations

import datetime
import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from chengxin.outbox.actions import retry_message, send
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.outbox.tasks import backoff

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs in its own transactions


class Receiver(ThreadingHTTPServer):
    """Fails the first `failures` attempts of each message with 503, then accepts (200)."""

    def __init__(self, failures: int) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.failures = failures
        self.attempts: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self.bodies: dict[str, Any] = {}


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        key = self.headers["Idempotency-Key"]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.attempts[key] += 1
        if self.server.attempts[key] <= self.server.failures:
            self.send_response(503)
        else:
            self.server.accepted[key] += 1
            self.server.bodies[key] = body
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver(request: pytest.FixtureRequest, settings: Any) -> Iterator[Receiver]:
    server = Receiver(failures=getattr(request, "param", 2))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SYNC_URL = f"http://127.0.0.1:{server.server_address[1]}/sync"
    settings.SYNC_RETRY_BASE_SECONDS = 0  # retries are due at once, so one worker run sees them
    settings.SYNC_MAX_ATTEMPTS = 5
    yield server
    server.shutdown()


def work() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


def test_retries_until_accepted_and_each_message_arrives_once(receiver: Receiver) -> None:
    with transaction.atomic():
        messages = [send("credit_repair.result", {"XYXF_SLBH": f"XF{i}"}) for i in range(3)]
    work()
    for message in messages:
        message.refresh_from_db()
        key = str(message.idempotency_key)
        assert message.status == MessageStatus.DELIVERED and message.attempts == 3
        assert receiver.attempts[key] == 3 and receiver.accepted[key] == 1
        assert receiver.bodies[key]["data"] == message.payload
    work()  # nothing is sent again
    assert sum(receiver.accepted.values()) == 3 and sum(receiver.attempts.values()) == 9


@pytest.mark.parametrize("receiver", [99], indirect=True)
def test_a_receiver_that_never_accepts_leaves_a_dead_letter_staff_can_retry(
    receiver: Receiver, make_user: Any
) -> None:
    from chengxin.accounts.choices import Role

    with transaction.atomic():
        message = send("credit_repair.result", {"XYXF_SLBH": "XF1"})
    work()
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD and message.attempts == 5
    assert "503" in message.last_error
    receiver.failures = 0
    retry_message(message, actor=make_user(Role.CREDIT_ADMIN))
    work()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert receiver.accepted[str(message.idempotency_key)] == 1


def test_a_rolled_back_change_sends_nothing(receiver: Receiver) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        send("credit_repair.result", {"XYXF_SLBH": "XF9"})
        raise RuntimeError
    work()
    assert not OutboxMessage.objects.exists() and not receiver.attempts


def test_the_embedded_default_writes_one_file_per_message(tmp_path: Path, settings: Any) -> None:
    settings.SYNC_URL, settings.SYNC_OUTBOX_DIR = "", tmp_path / "outbox"
    with transaction.atomic():
        message = send("credit_repair.result", {"XYXF_SLBH": "XF2"})
    work()
    (written,) = (tmp_path / "outbox").iterdir()
    assert written.name == f"credit_repair.result-{message.idempotency_key}.json"
    assert json.loads(written.read_text())["data"] == {"XYXF_SLBH": "XF2"}


def test_backoff_doubles_and_is_capped(settings: Any) -> None:
    settings.SYNC_RETRY_BASE_SECONDS = 30
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20) == datetime.timedelta(hours=6)


def test_a_message_left_sending_by_a_dead_worker_is_resent_with_the_same_key(
    receiver: Receiver, settings: Any
) -> None:
    from io import StringIO

    receiver.failures = 0
    with transaction.atomic():
        message = send("credit_repair.result", {"XYXF_SLBH": "XF3"})
    # The worker claimed it and died before recording the outcome.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    work()
    assert not receiver.attempts  # a "sending" message is not sent again by a normal run
    out = StringIO()
    call_command("outbox_recover", stdout=out)
    work()
    message.refresh_from_db()
    assert "requeued 1" in out.getvalue() and message.status == MessageStatus.DELIVERED
    assert receiver.accepted[str(message.idempotency_key)] == 1


def test_a_pending_message_whose_enqueue_was_lost_is_queued_again(receiver: Receiver) -> None:
    receiver.failures = 0
    # Committed, but the process died before its on-commit enqueue: no task exists for it.
    message = OutboxMessage.objects.create(
        topic="credit_repair.result",
        payload={"XYXF_SLBH": "XF4"},
        next_attempt_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    work()
    assert not receiver.attempts
    call_command("outbox_recover", stdout=io.StringIO())
    work()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert receiver.accepted[str(message.idempotency_key)] == 1
