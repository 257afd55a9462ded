"""The batch page's progress bar, read from the cache the import job writes, in every phase.

Found by the install walk (core/tests/test_install.py): right after the commit point the cache
still held the reading phase's figures, and the batch page answered 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import progress_key, read_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(make_department) -> ImportBatch:  # type: ignore[no-untyped-def]
    return ImportBatch.objects.create(
        kind="penalty",
        department=make_department(),
        source=BatchSource.WEB,
        file_name="records.csv",
        status=BatchStatus.RUNNING,
        rows_read=400,
    )


def test_reading_shows_rows_read_of_the_estimate(batch: ImportBatch) -> None:
    cache.set(progress_key(batch.pk), {"rows_read": 100, "rows_total": 400})
    assert read_progress(batch)["percent"] == 25


def test_just_after_the_commit_point_the_reading_figures_are_not_taken_for_release(
    batch: ImportBatch,
) -> None:
    cache.set(progress_key(batch.pk), {"rows_read": 400, "rows_total": 400})
    batch.status = BatchStatus.RELEASING
    assert read_progress(batch) == {
        "rows_read": 400,
        "rows_total": 400,
        "percent": 99,
        "interrupted": False,
    }


def test_releasing_shows_the_share_let_out(batch: ImportBatch) -> None:
    batch.status = BatchStatus.RELEASING
    cache.set(progress_key(batch.pk), {"rows_read": 400, "released": 100, "to_release": 400})
    assert read_progress(batch)["percent"] == 25
    cache.delete(progress_key(batch.pk))  # expired, or another cache
    assert read_progress(batch)["percent"] == 99
