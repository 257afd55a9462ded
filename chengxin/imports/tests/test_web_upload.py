"""Uploading a file in the browser: a background job does the import; reporters stay in their lane."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import sealed_files
from chengxin.imports.choices import BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.fixtures import rows_for

pytestmark = pytest.mark.django_db(
    transaction=True
)  # the worker runs the job in its own transactions


def upload(client, path, department, kind="penalty"):
    with path.open("rb") as handle:
        return client.post(
            "/staff/imports/upload/",
            {
                "kind": kind,
                "department": department.pk,
                "file": SimpleUploadedFile(path.name, handle.read()),
            },
        )


def test_upload_queues_a_job_that_the_worker_runs(
    make_user, make_department, write_csv, client
) -> None:
    department = make_department()
    reporter = make_user(Role.DEPARTMENT_REPORTER, department=department)
    client.force_login(reporter)
    rows = rows_for(RecordKind.PENALTY, department, 30, invalid_share=0.2, seed=11)
    response = upload(client, write_csv(RecordKind.PENALTY, rows), department)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/imports/{batch.pk}/"
    assert (
        batch.status == BatchStatus.QUEUED and PenaltyRecord.objects.count() == 0
    )  # not in the request

    status = client.get(f"/staff/imports/{batch.pk}/status.json").json()
    assert status["finished"] is False

    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and batch.uploaded_by == reporter
    assert PenaltyRecord.objects.count() == batch.rows_created > 0 and batch.rows_rejected > 0
    status = client.get(f"/staff/imports/{batch.pk}/status.json").json()
    assert (status["finished"], status["percent"], status["status"]) == (True, 100, "finished")
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert "拒收行" in page and "CF_" in page
    assert not Path(batch.stored_file).exists()  # the upload is gone

    report = client.get(f"/staff/imports/{batch.pk}/rejected.xlsx")
    assert report.status_code == 200 and report.getvalue()[:2] == b"PK"
    assert AuditEntry.objects.filter(
        action=AuditAction.SENSITIVE_READ, object_id=str(batch.pk)
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="imports.importbatch", action=AuditAction.CREATED, actor=reporter
    ).exists()


def test_a_reporter_cannot_import_into_another_department(
    make_user, make_department, write_csv, client
) -> None:
    own, other = make_department(), make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=own))
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, other, 3))
    response = upload(client, path, other)
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert ImportBatch.objects.count() == 0


def test_a_reporter_cannot_see_another_departments_batches(
    make_user, make_department, write_csv, client
) -> None:
    own, other = make_department(), make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=other))
    upload(client, write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, other, 2)), other)
    batch = ImportBatch.objects.get()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=own))
    for url in ("", "status.json", "rejected.xlsx"):
        assert client.get(f"/staff/imports/{batch.pk}/{url}").status_code == 404
    assert batch.file_name not in client.get("/staff/imports/").content.decode()


def test_the_credit_office_imports_for_any_department(
    make_user, make_department, write_csv, client
) -> None:
    department = make_department()
    client.force_login(make_user(Role.CREDIT_ADMIN, department=make_department()))
    response = upload(
        client,
        write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 2)),
        department,
    )
    assert response.status_code == 302 and ImportBatch.objects.get().department == department


def test_a_checker_may_not_import(make_user, client) -> None:
    client.force_login(make_user(Role.CREDIT_CHECKER))
    assert client.get("/staff/imports/upload/").status_code == 403


# --- the upload is sealed while it waits (core.sealed_files) ------------------------------------

ID_NUMBER = re.compile(rb"(?<!\d)\d{17}[\dX](?!\d)")


def _files_holding(folder: Path, needles: set[bytes]) -> list[Path]:
    """Files under `folder` (the database's own files aside) holding any of `needles`."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and ".sqlite3" not in path.name:
            content = path.read_bytes()
            if any(needle in content for needle in needles):
                found.append(path)
    return found


def test_no_id_number_is_on_disk_while_the_upload_waits(
    make_user, make_department, write_csv, client, settings
) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    rows = rows_for(RecordKind.PENALTY, department, 30, seed=11)
    path = write_csv(RecordKind.PENALTY, rows)
    numbers = set(ID_NUMBER.findall(path.read_bytes()))
    assert numbers  # natural persons among the rows
    upload(client, path, department)
    batch = ImportBatch.objects.get()
    stored = Path(batch.stored_file)
    assert batch.status == BatchStatus.QUEUED and sealed_files.is_sealed(stored)
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert _files_holding(Path(settings.HOME), numbers) == []
    assert batch.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # the plaintext's

    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and batch.rows_created > 0
    assert not stored.exists()


def test_a_changed_upload_fails_its_batch_with_a_message_and_a_log_line(
    make_user, make_department, write_csv, client, caplog
) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 5, seed=3))
    upload(client, path, department)
    batch = ImportBatch.objects.get()
    stored = Path(batch.stored_file)
    raw = bytearray(stored.read_bytes())
    raw[-5] ^= 0x01
    stored.write_bytes(bytes(raw))

    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and PenaltyRecord.objects.count() == 0
    assert "上传的文件已损坏或被改动，无法读取" in batch.error_message
    assert f"sealed upload {stored.name} refused" in caplog.text
    numbers = ID_NUMBER.findall(path.read_bytes())
    assert not any(number.decode() in caplog.text for number in numbers)
    assert not stored.exists()
