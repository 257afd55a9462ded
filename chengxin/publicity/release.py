"""Letting an import's staged rows out: the step after an import batch's commit point.

An import writes its new records as STAGED and its corrections as `StagedCorrection`s, a chunk
per short transaction (publicity.importing); no output shows either. Once every row is read,
the batch is marked RELEASING in one update — from then on it will be released, whatever
happens to the process (a recovery finishes it) — and its rows are let out here in bounded
steps: each step links a range of staged records to their subjects and lets them out, or
applies a few corrections, in its own transaction, so that other writers wait for one step,
not for the batch. A batch failed before its commit point is discarded in steps too.

Each step's size is chosen so that its transaction holds SQLite's write lock for tens of
milliseconds on the reference machine (docs/performance.md, "Import beside the site").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Case, Field, Max, Min, Value, When

from chengxin.audit.context import change_reason
from chengxin.audit.log import snapshot as audit_snapshot
from chengxin.core import upward
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import RECORD_MODELS, DecisionRecord, RecordVersion, StagedCorrection
from chengxin.subjects.actions import link_subjects

RELEASE_STEP_ROWS = 250  # staged records linked and let out per transaction
CORRECTION_STEP = 50  # corrections applied per transaction (each saves a record and a version)
DISCARD_STEP_ROWS = 2000  # staged records deleted per transaction when a batch is discarded

# Told, after each step, how many records or corrections it let out and how long its
# transaction took (seconds).
Progress = Callable[[int, float], None]


def release_batch(kind: str, batch_id: int | None, *, progress: Progress | None = None) -> None:
    """Let out every record and correction staged by batch `batch_id` (None: staged outside a
    batch), step by step. Idempotent: run again after a crash, it goes on where it stopped."""
    model = RECORD_MODELS[kind]
    staged = model.staging.filter(batch_id=batch_id, status=RecordStatus.STAGED)
    bounds = staged.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is not None:
        start, last = bounds["first"], bounds["last"]
        while start <= last:
            end = min(start + RELEASE_STEP_ROWS - 1, last)
            began = time.perf_counter()
            released = release_step(model, batch_id, start, end)
            if progress:
                progress(released, time.perf_counter() - began)
            start = end + 1
    while True:
        began = time.perf_counter()
        applied = apply_corrections(batch_id, CORRECTION_STEP)
        if not applied:
            break
        if progress:
            progress(applied, time.perf_counter() - began)


def release_step(model: type[DecisionRecord], batch_id: int | None, first: int, last: int) -> int:
    """Link the batch's staged records with primary keys first…last to their subjects and let
    them out — PUBLISHED, or SUBMITTED where the district reviews first (the row says which:
    the importer dated its publication or did not) — in one transaction. How many it let out.

    The range is of primary keys, not of the batch's rows: another department's import may
    have inserted between them, and its rows are not touched (the batch is in the filter).

    The records it publishes are reported upward in the same transaction, as one set
    (core.upward): the upper platform learns of them when the public does, not row by row."""
    with transaction.atomic():
        link_subjects(model, status=RecordStatus.STAGED, ids=(first, last))
        step = model.staging.filter(
            pk__range=(first, last), batch_id=batch_id, status=RecordStatus.STAGED
        )
        published = list(step.filter(published_at__isnull=False).values_list("pk", flat=True))
        released = step.update(
            status=Case(
                When(published_at__isnull=False, then=Value(RecordStatus.PUBLISHED)),
                default=Value(RecordStatus.SUBMITTED),
            )
        )
        if published:
            upward.report_many(upward.Change.RECORD_PUBLISHED, model, published)
        return released


def apply_corrections(batch_id: int | None, limit: int) -> int:
    """Apply up to `limit` of the batch's staged corrections, each keeping the record's
    previous version (更正), in one transaction. How many it applied."""
    with transaction.atomic():
        staged = StagedCorrection.objects.filter(batch_id=batch_id).select_related("batch")
        pending = list(staged.order_by("pk")[:limit])
        for correction in pending:
            _apply(correction)
        StagedCorrection.objects.filter(pk__in=[c.pk for c in pending]).delete()
    return len(pending)


def snapshot(record: DecisionRecord) -> dict[str, Any]:
    """The record as its version keeps it: the audited fields and the encrypted ID numbers."""
    return audit_snapshot(record) | {
        "id_number_ciphertext": record.id_number_ciphertext,
        "legal_representative_id_ciphertext": record.legal_representative_id_ciphertext,
    }


def _apply(correction: StagedCorrection) -> None:
    model = RECORD_MODELS[correction.kind]
    record = model.objects.select_for_update().filter(pk=correction.record_id).first()
    if record is None:  # deleted since it was read: nothing left to correct
        return
    with change_reason(correction.reason):
        RecordVersion.objects.create(
            kind=correction.kind,
            record_id=record.pk,
            version=record.version,
            data=snapshot(record),
            reason=correction.reason,
            replaced_by=None if correction.batch is None else correction.batch.uploaded_by,
            batch_id=correction.batch_id,
        )
        for attr, value in correction.values.items():
            field = model._meta.get_field(attr)
            assert isinstance(field, Field)  # a concrete column: importing.corrected_values
            setattr(record, attr, field.to_python(value))
        was_published = record.status == RecordStatus.PUBLISHED
        record.version += 1
        record.save()
        if was_published:  # a submitted record was never reported
            upward.report(upward.Change.RECORD_CORRECTED, record)


def discard_batch(batch_id: int) -> None:
    """Delete what a batch that failed before its commit point staged, in steps."""
    for model in RECORD_MODELS.values():
        staged = model.staging.filter(batch_id=batch_id, status=RecordStatus.STAGED)
        while True:
            with transaction.atomic():
                ids = list(staged.values_list("pk", flat=True)[:DISCARD_STEP_ROWS])
                if not ids:
                    break
                model.staging.filter(pk__in=ids).delete()
    StagedCorrection.objects.filter(batch_id=batch_id).delete()
