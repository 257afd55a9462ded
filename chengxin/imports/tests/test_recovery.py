"""Batches whose process died, uploads that outlive their batch, transient database errors
(ADR 0016). The processes themselves are killed for real in core/tests/test_supervision.py and
publicity/tests/test_killed_import.py; here the rules, in-process."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chengxin.accounts.choices import Role
from chengxin.core import supervision
from chengxin.core.readers import Table, open_table
from chengxin.imports import pipeline
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import ABANDONED_MESSAGE, recover_abandoned, run_lock
from chengxin.imports.tasks import RETRY_AFTER, run_import
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.fixtures import rows_for

pytestmark = pytest.mark.django_db(transaction=True)  # jobs and locks, as the worker sees them
LONG_AGO = datetime.timedelta(minutes=11)


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    """Uploads of this test only, created under the umask the settings set."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_upload(text: str = "x") -> Path:
    folder = pipeline.upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    path.write_text(text)
    return path


def make_batch(department, *, status=BatchStatus.RUNNING, **fields) -> ImportBatch:
    values = {
        "kind": RecordKind.PENALTY,
        "department": department,
        "source": BatchSource.WEB,
        "status": status,
        "stored_file": str(stored_upload()),
        "started_at": timezone.now() if status == BatchStatus.RUNNING else None,
    }
    return ImportBatch.objects.create(**(values | fields))


def dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    return ended.pid


def aged(batch: ImportBatch, by: datetime.timedelta = LONG_AGO) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - by)
    return batch


def test_a_running_batch_whose_process_died_is_failed_and_its_upload_deleted(
    make_department,
) -> None:
    batch = make_batch(
        make_department(), runner_host=supervision.host_name(), runner_pid=dead_pid()
    )

    assert recover_abandoned() == 1

    batch.refresh_from_db()
    assert (batch.status, batch.error_message) == (BatchStatus.FAILED, ABANDONED_MESSAGE)
    assert batch.finished_at is not None and not Path(batch.stored_file).exists()
    assert recover_abandoned() == 0  # idempotent


def test_a_running_batch_whose_process_holds_its_lock_is_left_alone(make_department) -> None:
    batch = make_batch(make_department(), runner_host=supervision.host_name(), runner_pid=1)
    with supervision.holding(run_lock(batch.pk)) as held:
        assert held
        assert recover_abandoned() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and Path(batch.stored_file).exists()


def test_another_hosts_batch_is_left_to_that_host(make_department) -> None:
    batch = make_batch(make_department(), runner_host="another-host", runner_pid=dead_pid())
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - LONG_AGO * 10)
    assert recover_abandoned() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING


def test_a_batch_marked_running_before_runners_were_recorded_fails_after_a_while(
    make_department,
) -> None:
    recent = make_batch(make_department())
    old = make_batch(make_department(), started_at=timezone.now() - LONG_AGO)
    assert recover_abandoned() == 1
    assert ImportBatch.objects.get(pk=old.pk).status == BatchStatus.FAILED
    assert ImportBatch.objects.get(pk=recent.pk).status == BatchStatus.RUNNING


def test_a_queued_batch_fails_only_when_no_job_is_left_to_run_it(make_department) -> None:
    waiting = aged(make_batch(make_department(), status=BatchStatus.QUEUED))
    run_import.enqueue(waiting.pk)  # a job ready to run it
    young = make_batch(make_department(), status=BatchStatus.QUEUED)  # its job is being queued
    orphan = aged(make_batch(make_department(), status=BatchStatus.QUEUED))  # the job was lost

    assert recover_abandoned() == 1

    statuses = dict(ImportBatch.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: BatchStatus.QUEUED,
        young.pk: BatchStatus.QUEUED,
        orphan.pk: BatchStatus.FAILED,
    }
    assert not Path(orphan.stored_file).exists() and Path(waiting.stored_file).exists()


def test_the_running_job_of_an_abandoned_batch_is_marked_failed(make_department) -> None:
    batch = make_batch(
        make_department(), runner_host=supervision.host_name(), runner_pid=dead_pid()
    )
    job = run_import.enqueue(batch.pk)
    DBTaskResult.objects.filter(pk=job.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )

    recover_abandoned()

    failed = DBTaskResult.objects.get(pk=job.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "chengxin.imports.pipeline.WorkerDied"


def test_stray_uploads_are_deleted_once_no_unfinished_batch_holds_them(make_department) -> None:
    queued = make_batch(make_department(), status=BatchStatus.QUEUED)
    run_import.enqueue(queued.pk)
    stray, fresh = stored_upload(), stored_upload()  # a request died before creating its batch
    now = (
        time.time()
    )  # the test's clock (it may be moved: chengxin.core.tests.clock), not the disk's
    old = now - LONG_AGO.total_seconds()
    # the temporary files of sealing an upload (core.sealed_files): one a request left behind
    # when it died, one being written now
    died, sealing = (pipeline.upload_folder() / f".{n}.upload.x1.tmp" for n in ("a", "b"))
    for path in (died, sealing):
        path.write_bytes(b"ciphertext")
    for path in (stray, Path(queued.stored_file), died):
        os.utime(path, (old, old))
    os.utime(fresh, (now, now))
    os.utime(sealing, (now, now))

    recover_abandoned()

    assert not stray.exists() and not died.exists()
    assert fresh.exists() and sealing.exists()  # perhaps a request still storing its upload
    assert Path(queued.stored_file).exists()


def upload(client, path: Path, department) -> ImportBatch:
    response = client.post(
        "/staff/imports/upload/",
        {
            "kind": "penalty",
            "department": department.pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def run_jobs() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


@pytest.mark.parametrize("readable", [True, False], ids=["finished", "failed"])
def test_the_upload_is_private_and_deleted_when_the_batch_ends(
    make_user, make_department, write_csv, client, readable
) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 5))
    if not readable:
        path.write_bytes(b"\x00\x01 not a table \xff" * 100)
    batch = upload(client, path, department)
    stored = Path(batch.stored_file)
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert oct(stored.parent.stat().st_mode & 0o777) == "0o700"

    run_jobs()

    batch.refresh_from_db()
    assert batch.status == (BatchStatus.FINISHED if readable else BatchStatus.FAILED)
    assert not stored.exists()


def test_a_transient_database_error_queues_the_batch_again(
    make_user, make_department, write_csv, client, monkeypatch
) -> None:
    """ "database is locked" after the first chunk was written: the batch rolls back and is
    queued again for later; the next attempt imports it all."""
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 2500))
    batch = upload(client, path, department)

    def locked_after_a_chunk(file: Path) -> Table:
        table = open_table(file)

        def rows():
            for number, (row_number, cells) in enumerate(table.rows):
                if number == pipeline.CHUNK_ROWS:
                    raise OperationalError("database is locked")
                yield row_number, cells

        return Table(table.header, rows(), table.encoding, table.estimated_rows)

    monkeypatch.setattr(pipeline, "open_table", locked_after_a_chunk)
    run_jobs()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED and "自动重试（第 2 次）" in batch.error_message
    assert PenaltyRecord.objects.count() == 0 and Path(batch.stored_file).exists()
    later = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert later.args_kwargs == {"args": [batch.pk], "kwargs": {"attempt": 2}}
    assert later.run_after - timezone.now() > RETRY_AFTER[0] - datetime.timedelta(seconds=5)
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert "自动重试" in page

    monkeypatch.undo()
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now())
    run_jobs()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and PenaltyRecord.objects.count() == 2500
    assert not Path(batch.stored_file).exists()


def test_after_the_last_attempt_a_transient_error_fails_the_batch(
    make_department, monkeypatch
) -> None:
    batch = make_batch(make_department(), status=BatchStatus.QUEUED)

    def locked(_path: Path) -> Table:
        raise OperationalError("database is locked")

    monkeypatch.setattr(pipeline, "open_table", locked)
    run_import.call(batch.pk, attempt=len(RETRY_AFTER) + 1)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "OperationalError" in batch.error_message
    assert not Path(batch.stored_file).exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_failed_batch_offers_to_import_again_with_its_choices(
    make_user, make_department, client
) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    batch = make_batch(
        department, runner_host=supervision.host_name(), runner_pid=dead_pid(), uploaded_by=None
    )

    # Its process died: the page says so at once, before any recovery has run.
    status = client.get(f"/staff/imports/{batch.pk}/status.json").json()
    assert (status["finished"], status["status_label"], status["interrupted"]) == (
        True,
        "已中断",
        True,
    )
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert ABANDONED_MESSAGE in page and "<progress" not in page

    recover_abandoned()
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    again = f"/staff/imports/upload/?kind=penalty&amp;department={department.pk}"
    assert ABANDONED_MESSAGE in page and again in page and "重新导入" in page

    form = client.get(again.replace("&amp;", "&")).context["form"]
    assert form["kind"].value() == "penalty" and form["department"].value() == department.pk


def test_a_finished_batch_offers_no_import_again(make_user, make_department, client) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    batch = make_batch(department, status=BatchStatus.FINISHED)
    assert "重新导入" not in client.get(f"/staff/imports/{batch.pk}/").content.decode()


def test_a_running_batch_whose_process_lives_is_not_interrupted(
    make_user, make_department, client
) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    batch = make_batch(department, runner_host=supervision.host_name(), runner_pid=os.getpid())
    with supervision.holding(run_lock(batch.pk)):
        status = client.get(f"/staff/imports/{batch.pk}/status.json").json()
    assert (status["finished"], status["interrupted"], status["status_label"]) == (
        False,
        False,
        "导入中",
    )


def test_the_pipeline_names_the_job_that_runs_a_batch() -> None:
    """Recovery finds a batch's waiting job by the task's path, named in the pipeline (the two
    modules do not import each other): a renamed task would leave every batch "abandoned"."""
    assert run_import.module_path == pipeline.IMPORT_TASK
