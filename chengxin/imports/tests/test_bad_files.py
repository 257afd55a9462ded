"""Files a department's system writes by accident: one oversized field is one rejected row, never
a failed batch with a traceback (csv's own limit is 131,072 characters)."""

from __future__ import annotations

import csv

import pytest

from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import run_batch
from chengxin.publicity import samples
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.fixtures import rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(make_department):
    return make_department(name="台儿庄区市场监督管理局")


def run(department, path) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind="penalty", department=department, source=BatchSource.COMMAND, file_name=path.name
    )
    return run_batch(batch, path)


@pytest.mark.parametrize("size", [2000, 2001, 200_000])  # the limit, one over, past csv's limit
def test_an_oversized_field_rejects_its_row_only(department, tmp_path, size) -> None:
    rows = rows_for("penalty", department, 3)
    rows[1]["CF_SY"] = "违" * size
    path = tmp_path / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(samples.header("penalty"))
        for row in rows:
            writer.writerow(samples.as_cells("penalty", row))
    batch = run(department, path)
    assert batch.status == BatchStatus.FINISHED
    if size <= 2000:
        assert (batch.rows_created, batch.rows_rejected) == (3, 0)
        return
    assert (batch.rows_created, batch.rows_rejected) == (2, 1)
    assert PenaltyRecord.objects.count() == 2
    (rejection,) = batch.rejections.all()
    problems = " ".join(rejection.errors)
    assert rejection.row_number == 3
    assert "CF_SY" in problems and f"长度 {size} 超过上限 2000" in problems
