"""Uploading a file in the browser: a background job does the import; reporters stay in their lane."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
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
    from pathlib import Path

    assert not Path(batch.stored_file).exists()  # the plaintext upload is gone

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
