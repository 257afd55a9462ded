"""Exchange test helpers: channels as settings, records to report, a real HTTP receiver."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.core.management import call_command

from chengxin.accounts.models import Department
from chengxin.portal.tests.fixtures import company, penalty, person
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import PenaltyRecord

ID_NUMBER = "360426199101010071"


def channel_settings(folder: Path, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "label": "市信用平台",
        "url": "",
        "token": "",
        "format": "chengxin-v1",
        "batch_size": 500,
        "interval_seconds": 0,
        "timeout_seconds": 5,
        "objects": ["license", "penalty", "list_entry", "repair"],
        "subject_categories": [],
        "departments": [],
        "folder": str(folder),
    }
    values.update(overrides)
    return values


def draft_penalty(department: Department, *, natural_person: bool = False) -> PenaltyRecord:
    """A draft a reporter is about to submit (publicity.actions.submit_record publishes it)."""
    if natural_person:
        return penalty(person(), department, status=RecordStatus.DRAFT, id_number=ID_NUMBER)
    return penalty(company(), department, status=RecordStatus.DRAFT)


def work() -> None:
    """Run the job worker until nothing is due (dispatches, then the outbox's deliveries)."""
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


class Receiver(ThreadingHTTPServer):
    """An upper platform speaking chengxin-v1: it answers per message with a receipt, processes
    each message key once (a repeat gets the first answer again), and can fail the first
    `failures` attempts of each batch with 503, or time out on the first attempt."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.failures = 0
        self.stall_first_seconds = 0.0
        self.garbage_first = False  # answer the first attempt 200 with a page, not receipts
        self.reject: dict[str, str] = {}  # CF_WSH → reason
        self.attempts: Counter[str] = Counter()  # by batch key
        self.answers: dict[str, dict[str, str]] = {}  # by message key
        self.processed: list[dict[str, Any]] = []  # each message, once, in arrival order
        self.authorizations: list[str] = []
        self.paths: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v1/exchange/batches"


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        batch = self.headers["Idempotency-Key"]
        assert batch == body["batch"]
        uuid.UUID(batch)
        with self.server.lock:
            self.server.attempts[batch] += 1
            attempt = self.server.attempts[batch]
            self.server.authorizations.append(self.headers.get("Authorization", ""))
            self.server.paths.append(self.path)
        if attempt <= self.server.failures:
            self.send_response(503)
            self.end_headers()
            return
        if attempt == 1 and self.server.garbage_first:
            page = "<html>系统维护中</html>".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        receipts = [self._answer(message) for message in body["messages"]]
        if attempt == 1 and self.server.stall_first_seconds:
            time.sleep(self.server.stall_first_seconds)  # processed, but the sender gave up
        answer = json.dumps({"receipts": receipts}, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def _answer(self, message: dict[str, Any]) -> dict[str, str]:
        with self.server.lock:
            known = self.server.answers.get(message["key"])
            if known is not None:
                return known
            reason = self.server.reject.get(message["data"].get("CF_WSH", ""))
            answer = {"key": message["key"], "status": "rejected" if reason else "accepted"}
            if reason:
                answer["reason"] = reason
            self.server.answers[message["key"]] = answer
            self.server.processed.append(message)
            return answer

    def log_message(self, *args: Any) -> None:
        pass
