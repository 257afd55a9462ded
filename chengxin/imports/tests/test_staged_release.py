"""An import stages its rows a chunk per transaction and lets them out after its commit point
(ADR 0017): nothing of a batch shows before that point, corrections wait with it, one batch
per department and kind runs at a time, and a batch past its commit point is always finished.
Killed processes for real: publicity/tests/test_killed_import.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from chengxin.accounts.choices import Role
from chengxin.audit.models import AuditEntry
from chengxin.core import supervision
from chengxin.imports import pipeline
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch, ImportRejection
from chengxin.imports.pipeline import Busy, recover_abandoned, run_batch, run_rows
from chengxin.imports.tests.test_recovery import dead_pid
from chengxin.publicity import release, standard
from chengxin.publicity.choices import RecordKind, RecordStatus
from chengxin.publicity.models import PenaltyRecord, RecordVersion, StagedCorrection
from chengxin.publicity.tests.fixtures import rows_for

pytestmark = pytest.mark.django_db(transaction=True)  # each chunk commits, as in production


def new_batch(department, **fields: Any) -> ImportBatch:
    values = {"kind": RecordKind.PENALTY, "department": department, "source": BatchSource.COMMAND}
    return ImportBatch.objects.create(**(values | fields))


def visible() -> int:
    """The records any output reads (the default manager leaves STAGED rows out)."""
    return PenaltyRecord.objects.count()


@pytest.fixture
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 10)
    monkeypatch.setattr(release, "RELEASE_STEP_ROWS", 7)
    monkeypatch.setattr(release, "CORRECTION_STEP", 3)


def observe_chunks(monkeypatch, seen: list[tuple[int, int, str]]) -> None:
    """Record, before each chunk after the first, what another connection would see then."""
    validated = pipeline._validated

    def watched(importer, table) -> Iterator[Any]:
        for number, chunk in enumerate(validated(importer, table)):
            if number:
                status = ImportBatch.objects.get(pk=importer.batch.pk).status
                staged = PenaltyRecord.staging.filter(status=RecordStatus.STAGED).count()
                seen.append((visible(), staged, status))
            yield chunk

    monkeypatch.setattr(pipeline, "_validated", watched)


def test_nothing_of_a_batch_shows_before_its_commit_point(
    make_department, write_csv, small_chunks, monkeypatch
) -> None:
    department = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 45, invalid_share=0.2, seed=3)
    path = write_csv(RecordKind.PENALTY, rows)
    seen: list[tuple[int, int, str]] = []
    observe_chunks(monkeypatch, seen)

    batch = run_batch(new_batch(department), path)

    assert batch.status == BatchStatus.FINISHED and batch.rows_read == 45
    assert len(seen) == 4  # five chunks of ten rows at most
    assert all(shown == 0 and status == BatchStatus.RUNNING for shown, _staged, status in seen)
    assert [staged for _shown, staged, _status in seen] == sorted(staged for *_, staged, _ in seen)
    assert seen[-1][1] > 0  # staged and committed, a chunk at a time
    assert visible() == batch.rows_created > 0
    assert not PenaltyRecord.staging.filter(status=RecordStatus.STAGED).exists()
    assert not PenaltyRecord.staging.filter(subject__isnull=True).exists()
    assert ImportRejection.objects.filter(batch=batch).count() == batch.rows_rejected > 0
    entries = AuditEntry.objects.filter(object_type="imports.importbatch", object_id=str(batch.pk))
    ended = [entry.after for entry in entries if "dry_run" in (entry.after or {})]
    assert [after["rows_created"] for after in ended] == [batch.rows_created]


def test_a_batch_failing_mid_file_leaves_nothing_staged_or_rejected(
    make_department, write_csv, small_chunks, monkeypatch
) -> None:
    department = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 40, invalid_share=0.2, seed=5)
    path = write_csv(RecordKind.PENALTY, rows)
    validated = pipeline._validated

    def broken(importer, table) -> Iterator[Any]:
        for number, chunk in enumerate(validated(importer, table)):
            if number == 3:
                raise RuntimeError("a bug in the fourth chunk")
            yield chunk

    monkeypatch.setattr(pipeline, "_validated", broken)
    batch = run_batch(new_batch(department), path)

    assert batch.status == BatchStatus.FAILED and "RuntimeError" in batch.error_message
    assert PenaltyRecord.staging.count() == 0
    assert not ImportRejection.objects.filter(batch=batch).exists()


def test_a_correction_waits_for_its_batch_and_keeps_the_previous_version(
    make_department, write_csv, small_chunks, monkeypatch
) -> None:
    department = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 12, seed=7)
    run_batch(new_batch(department), write_csv(RecordKind.PENALTY, rows, name="first.csv"))
    reasons = standard.field_map(RecordKind.PENALTY)["violation_facts"].code
    corrected = [dict(row) for row in rows]
    for row in corrected[:5]:  # five decisions corrected: their 处罚事由
        row[reasons] += "（更正）"
    # Before each correction step: how many wait, and how many records already show version 2.
    before_steps: list[tuple[int, int]] = []
    apply = release.apply_corrections

    def counting(batch_id: int | None, limit: int) -> int:
        waiting = StagedCorrection.objects.filter(batch_id=batch_id).count()
        before_steps.append((waiting, PenaltyRecord.objects.filter(version=2).count()))
        return apply(batch_id, limit)

    monkeypatch.setattr(release, "apply_corrections", counting)
    second = run_batch(
        new_batch(department), write_csv(RecordKind.PENALTY, corrected, name="second.csv")
    )

    assert (second.rows_updated, second.rows_unchanged) == (5, 7)
    assert before_steps == [(5, 0), (2, 3), (0, 5)]  # three at a time, then two, then none
    changed = PenaltyRecord.objects.filter(version=2, batch=second)
    assert changed.count() == 5
    assert all(record.violation_facts.endswith("（更正）") for record in changed)
    versions = RecordVersion.objects.filter(batch=second)
    assert versions.count() == 5 and {v.version for v in versions} == {1}
    assert not StagedCorrection.objects.exists()


def test_release_goes_in_bounded_steps_and_links_each_range(
    make_department, write_csv, small_chunks, monkeypatch
) -> None:
    department = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 30, seed=9)
    steps: list[int] = []
    step = release.release_step

    def counted(model, batch_id, first, last):
        assert last - first < release.RELEASE_STEP_ROWS  # the transaction's bound
        released = step(model, batch_id, first, last)
        steps.append(released)
        return released

    monkeypatch.setattr(release, "release_step", counted)
    batch = run_batch(new_batch(department), write_csv(RecordKind.PENALTY, rows))

    assert sum(steps) == batch.rows_created == 30
    assert len(steps) == 5  # 30 rows, 7 per step
    assert not PenaltyRecord.staging.filter(subject__isnull=True).exists()


def test_a_releasing_batch_whose_process_died_is_finished_by_the_recovery(
    make_department, write_csv, small_chunks, monkeypatch
) -> None:
    department = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 20, seed=11)
    monkeypatch.setattr(pipeline, "_release", lambda batch: None)  # the process "dies" here
    batch = run_batch(new_batch(department), write_csv(RecordKind.PENALTY, rows))
    monkeypatch.undo()
    assert batch.status == BatchStatus.RELEASING and visible() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(
        runner_host=supervision.host_name(), runner_pid=dead_pid()
    )
    # Failing it is never an option past the commit point.
    assert not pipeline._fail(batch, "x")

    assert recover_abandoned() == 1

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and visible() == 20
    assert recover_abandoned() == 0


def test_a_releasing_batch_whose_process_lives_is_left_alone(make_department) -> None:
    batch = new_batch(
        make_department(),
        status=BatchStatus.RELEASING,
        runner_host=supervision.host_name(),
        runner_pid=1,
    )
    with supervision.holding(pipeline.run_lock(batch.pk)) as held:
        assert held
        assert recover_abandoned() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.RELEASING


def test_one_active_batch_per_department_and_kind(make_department, write_csv) -> None:
    department, other = make_department(), make_department()
    running = new_batch(department, status=BatchStatus.RUNNING)
    header = [field.code for field in standard.FIELDS[RecordKind.PENALTY]]
    rows = rows_for(RecordKind.PENALTY, department, 2, seed=13)
    cells = [[row.get(code, "") for code in header] for row in rows]

    # The API's caller is answered at once, naming the batch in the way.
    api_batch = new_batch(department, source=BatchSource.API)
    with pytest.raises(Busy, match=f"#{running.pk}"):
        run_rows(api_batch, header, cells)
    api_batch.refresh_from_db()
    assert api_batch.status == BatchStatus.FAILED and f"#{running.pk}" in api_batch.error_message

    # Another department, or the other kind, is not in the way.
    assert run_rows(new_batch(other), header, cells).status == BatchStatus.FINISHED
    licences = new_batch(department, kind=RecordKind.LICENSE, status=BatchStatus.RUNNING)
    assert licences.status == BatchStatus.RUNNING


def test_a_file_batch_waits_for_the_active_one(make_department, write_csv, monkeypatch) -> None:
    department = make_department()
    running = new_batch(
        department,
        status=BatchStatus.RUNNING,
        runner_host=supervision.host_name(),
        runner_pid=1,
    )
    monkeypatch.setattr(pipeline, "WAIT_POLL_SECONDS", 0.05)
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 3, seed=17))
    waiting = new_batch(department)
    result: dict[str, ImportBatch] = {}
    ended = threading.Event()

    def import_it() -> None:
        try:
            result["batch"] = run_batch(ImportBatch.objects.get(pk=waiting.pk), path)
        finally:
            connection.close()
            ended.set()

    with supervision.holding(pipeline.run_lock(running.pk)):  # its process is alive
        thread = threading.Thread(target=import_it)
        thread.start()
        assert not ended.wait(0.5)
        message = ImportBatch.objects.get(pk=waiting.pk).error_message
        assert f"#{running.pk}" in message and "等待" in message
        ImportBatch.objects.filter(pk=running.pk).update(status=BatchStatus.FINISHED)
        assert ended.wait(10)
    thread.join()
    assert result["batch"].status == BatchStatus.FINISHED and result["batch"].rows_created == 3


def test_the_api_answers_409_while_a_file_batch_runs(make_user, make_department, client) -> None:
    department = make_department()
    running = new_batch(department, status=BatchStatus.RUNNING)
    user = make_user(Role.DEPARTMENT_REPORTER, department=department)
    from chengxin.accounts.tokens import issue_token

    _record, token = issue_token(user, "test")
    rows = rows_for(RecordKind.PENALTY, department, 1, seed=19)
    response = client.post(
        "/api/v1/records/penalties",
        {"records": rows},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 409, response.content
    assert f"#{running.pk}" in response.json()["error"] and response["Retry-After"] == "60"


def test_a_dry_run_stages_nothing(make_department, write_csv, small_chunks) -> None:
    department = make_department()
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 15, seed=23))
    batch = run_batch(new_batch(department, is_dry_run=True), path)
    assert batch.status == BatchStatus.FINISHED and batch.rows_created == 15
    assert PenaltyRecord.staging.count() == 0


def test_a_form_is_told_when_its_decision_number_is_being_imported(make_department) -> None:
    """Django's unique check reads the default manager, which hides staged rows; the record says
    so itself rather than letting the database refuse the save."""
    from django.core.exceptions import ValidationError

    from chengxin.publicity import samples
    from chengxin.publicity.importing import RecordImporter

    department = make_department()
    importer = RecordImporter(RecordKind.PENALTY, department)
    importer.set_header(samples.header(RecordKind.PENALTY))
    rows = rows_for(RecordKind.PENALTY, department, 2, seed=29)
    cells = [(n, samples.as_cells(RecordKind.PENALTY, row)) for n, row in enumerate(rows, 2)]
    importer.write(importer.validator.validate_chunk(cells))  # staged, not released
    staged = PenaltyRecord.staging.filter(status=RecordStatus.STAGED).order_by("pk")
    typed = staged.first()
    assert typed is not None and staged.count() == 2
    typed.pk, typed.status = None, RecordStatus.DRAFT  # the same number, typed into the form

    with pytest.raises(ValidationError) as refused:
        typed.validate_constraints()
    assert "正在导入" in str(refused.value.message_dict["decision_number"])

    typed.decision_number += "-1"  # another number: no objection
    typed.validate_constraints()
