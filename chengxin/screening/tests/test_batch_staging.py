"""A batch check stores its checks a few hundred per transaction, hidden until the whole batch is
stored; a failed batch keeps none, and a batch whose process died is failed by the recovery
with its checks and stray uploads deleted (ADR 0016, ADR 0017)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chengxin.accounts.models import User
from chengxin.core import supervision
from chengxin.core.identifiers import make_uscc
from chengxin.screening import actions
from chengxin.screening import batch as batches
from chengxin.screening.choices import BatchStatus
from chengxin.screening.models import CheckBatch, CreditCheck, ListEntry
from chengxin.screening.tasks import recover_abandoned, run_check_batch
from chengxin.screening.tests.test_batch_checks import run_worker, upload, write_csv

pytestmark = pytest.mark.django_db(transaction=True)  # each part commits, as in production


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def bidders(listed: ListEntry, count: int) -> list[list[str]]:
    import random

    rng = random.Random(3)
    rows = [["投标人甲", listed.credit_code, "", ""]]
    rows += [[f"枣庄市台儿庄区投标{n}有限公司", make_uscc(rng), "", ""] for n in range(count - 1)]
    return rows


def test_a_batch_s_checks_are_hidden_until_the_whole_batch_is_stored(
    client: Client,
    checker: User,
    scenario: Any,
    make_entry: Callable[..., ListEntry],
    tmp_path: Path,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    monkeypatch.setattr(actions, "BATCH_WRITE_ROWS", 3)
    seen: list[tuple[int, int]] = []  # (visible, stored) before each part's transaction
    insert = actions._insert

    def watched(rows: Any, related: Any, *, single: bool) -> Any:
        seen.append((CreditCheck.objects.count(), CreditCheck.staging.count()))
        return insert(rows, related, single=single)

    monkeypatch.setattr(actions, "_insert", watched)
    client.force_login(checker)
    upload(client, write_csv(tmp_path / "bidders.csv", bidders(listed, 10)), scenario)
    run_worker()

    batch = CheckBatch.objects.get()
    assert batch.status == BatchStatus.DONE and (batch.total, batch.hits) == (10, 1)
    assert seen == [(0, 0), (0, 3), (0, 6), (0, 9)]  # four transactions, nothing shown meanwhile
    assert CreditCheck.objects.filter(batch=batch).count() == 10
    assert not CreditCheck.staging.filter(is_staged=True).exists()
    assert client.get(f"/staff/screening/batches/{batch.pk}/").status_code == 200


def test_a_batch_failing_midway_keeps_no_check(
    client: Client,
    checker: User,
    scenario: Any,
    make_entry: Callable[..., ListEntry],
    tmp_path: Path,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    monkeypatch.setattr(actions, "BATCH_WRITE_ROWS", 3)
    insert = actions._insert
    calls = {"n": 0}

    def failing(rows: Any, related: Any, *, single: bool) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("a fault in the third part")
        return insert(rows, related, single=single)

    monkeypatch.setattr(actions, "_insert", failing)
    client.force_login(checker)
    upload(client, write_csv(tmp_path / "bidders.csv", bidders(listed, 10)), scenario)
    run_worker()

    batch = CheckBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "RuntimeError" in batch.error
    assert CreditCheck.staging.count() == 0
    assert not list(batches.upload_folder().glob("*.upload"))  # the job deleted its upload


def test_a_running_batch_whose_process_died_is_failed_with_its_checks_and_upload(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry], media: Path
) -> None:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    batch = CheckBatch.objects.create(
        department=checker.department,
        requested_by=checker,
        scenario=scenario("bidding"),
        matter="TEZ-ZB-2026-07",
        file_name="bidders.csv",
        status=BatchStatus.RUNNING,
        runner_host=supervision.host_name(),
    )
    # What the dead process had stored: a staged check of the batch.
    subject, problems = batches.read_row(
        2, {"name": 0, "credit_code": 1}, ["甲", listed.credit_code]
    )
    assert subject is not None and not problems
    (stored,) = actions.check_subjects(
        [subject], department=checker.department, scenario=batch.scenario, matter="x", actor=checker
    )
    CreditCheck.staging.filter(pk=stored.pk).update(batch=batch, is_staged=True)
    folder = batches.upload_folder()
    folder.mkdir(parents=True)
    stray, waiting, young = (folder / f"{name}.upload" for name in ("stray", "waiting", "young"))
    for path in (stray, waiting, young):
        path.write_text("名称,证件号码\n王五,370405199001011234\n")
    # Ages by the platform's clock (which the tests may move), not the machine's.
    now = timezone.now().timestamp()
    old = now - batches.UPLOAD_GRACE.total_seconds() - 60
    for path, when in ((stray, old), (waiting, old), (young, now)):
        os.utime(path, (when, when))
    run_check_batch.enqueue(999, str(waiting))  # a job still waiting for its file

    with supervision.holding(batches.run_lock(batch.pk)) as held:  # its process is alive
        assert held
        assert recover_abandoned() == 0
    assert CheckBatch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING

    assert recover_abandoned() == 1

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "核查中断" in batch.error
    assert CreditCheck.staging.filter(batch=batch).count() == 0
    assert not stray.exists() and waiting.exists() and young.exists()
    assert recover_abandoned() == 0  # idempotent


def test_serve_s_recovery_reaches_the_screening_app(checker: User, scenario: Any) -> None:
    batch = CheckBatch.objects.create(
        department=checker.department,
        requested_by=checker,
        scenario=scenario("bidding"),
        matter="TEZ-ZB-2026-08",
        file_name="bidders.csv",
        status=BatchStatus.RUNNING,
        runner_host=supervision.host_name(),
    )
    assert supervision.recover_abandoned_work() >= 1
    assert CheckBatch.objects.get(pk=batch.pk).status == BatchStatus.FAILED


def test_another_hosts_running_batch_is_left_to_that_host(checker: User, scenario: Any) -> None:
    batch = CheckBatch.objects.create(
        department=checker.department,
        requested_by=checker,
        scenario=scenario("bidding"),
        matter="TEZ-ZB-2026-09",
        file_name="bidders.csv",
        status=BatchStatus.RUNNING,
        runner_host="another-host",
    )
    assert recover_abandoned() == 0
    assert CheckBatch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING
