"""Importing standard files: encodings, XLSX, headers, idempotence, corrections, the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from chengxin.core.readers import UnreadableFile, open_table
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import run_batch
from chengxin.imports.rejections import write_report
from chengxin.publicity.choices import RecordKind, RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord, RecordVersion
from chengxin.publicity.tests.fixtures import rows_for
from chengxin.subjects.models import Subject


@pytest.fixture
def department(make_department):
    return make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")


def run(kind, department, path, **fields) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind=kind, department=department, source=BatchSource.COMMAND, file_name=path.name, **fields
    )
    return run_batch(batch, path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_writes(encoding, department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 30)
    path = write_csv(RecordKind.PENALTY, rows, encoding=encoding)
    batch = run(RecordKind.PENALTY, department, path)
    assert (batch.status, batch.rows_created, batch.rows_rejected) == (BatchStatus.FINISHED, 30, 0)
    names = set(PenaltyRecord.objects.values_list("subject_name", flat=True))
    assert names == {row["CF_XDR_MC"] for row in rows}  # Chinese text decoded right


def test_xlsx_with_chinese_headers(department, write_xlsx) -> None:
    rows = rows_for(RecordKind.LICENSE, department, 25)
    batch = run(RecordKind.LICENSE, department, write_xlsx(RecordKind.LICENSE, rows, by="label"))
    assert (batch.rows_created, batch.rows_rejected) == (25, 0)
    record = LicenseRecord.objects.get(decision_number=rows[0]["XK_WSH"])
    assert record.license_category == rows[0]["XK_XKLB"]


def test_headers_by_field_code_and_by_name_give_the_same_records(department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 10)
    run(
        RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows, by="code", name="a.csv")
    )
    by_code = list(
        PenaltyRecord.objects.order_by("decision_number").values_list("content_hash", flat=True)
    )
    PenaltyRecord.objects.all().delete()
    run(
        RecordKind.PENALTY,
        department,
        write_csv(RecordKind.PENALTY, rows, by="label", name="b.csv"),
    )
    assert (
        list(
            PenaltyRecord.objects.order_by("decision_number").values_list("content_hash", flat=True)
        )
        == by_code
    )


def test_valid_rows_are_kept_and_invalid_rows_reported(department, write_csv, tmp_path) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 200, invalid_share=0.1, seed=5)
    batch = run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows))
    assert batch.rows_rejected > 5
    assert (
        batch.rows_created + batch.rows_rejected
        == 200
        == PenaltyRecord.objects.count() + batch.rows_rejected
    )
    rejection = batch.rejections.order_by("row_number").first()
    assert rejection.errors and all(error.startswith("CF_") for error in rejection.errors)
    assert rejection.cells == [str(v) for v in json.loads(json.dumps(rejection.cells))]
    report = tmp_path / "report.xlsx"
    write_report(batch, report)
    table = open_table(report)
    assert table.header[0] == "原行号" and table.header[-1].startswith("错误说明")
    first = next(table.rows)[1]
    assert first[0] == rejection.row_number and first[-1].split("；")[0] == rejection.errors[0]


def test_reimporting_the_same_file_changes_nothing(department, write_csv) -> None:
    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 40))
    run(RecordKind.PENALTY, department, path)
    before = list(PenaltyRecord.objects.values_list("pk", "content_hash", "version", "updated_at"))
    subjects = Subject.objects.count()
    again = run(RecordKind.PENALTY, department, path)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 40)
    assert (
        list(PenaltyRecord.objects.values_list("pk", "content_hash", "version", "updated_at"))
        == before
    )
    assert Subject.objects.count() == subjects


def test_a_changed_row_is_a_correction_that_keeps_the_previous_version(
    department, write_csv
) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 5)
    run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows, name="v1.csv"))
    rows[2]["CF_NR"] = "更正后的处罚内容"
    batch = run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows, name="v2.csv"))
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 1, 4)
    record = PenaltyRecord.objects.get(decision_number=rows[2]["CF_WSH"])
    assert record.content == "更正后的处罚内容" and record.version == 2
    (old,) = RecordVersion.objects.filter(kind=RecordKind.PENALTY, record_id=record.pk)
    assert (
        old.version == 1 and old.data["content"] != "更正后的处罚内容" and old.batch_id == batch.pk
    )


def test_a_duplicate_decision_number_within_a_file_is_rejected(department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 3)
    rows.append(dict(rows[0]))
    batch = run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows))
    (rejection,) = batch.rejections.all()
    assert rejection.row_number == 5 and "与第 2 行的决定文书号重复" in rejection.errors[0]


def test_the_same_number_in_another_department_is_another_record(
    department, make_department, write_csv
) -> None:
    other = make_department()
    rows = rows_for(RecordKind.PENALTY, department, 3)
    run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows, name="a.csv"))
    for row in rows:
        row["CF_SJLY"], row["CF_SJLYDM"] = other.name, other.credit_code
    batch = run(RecordKind.PENALTY, other, write_csv(RecordKind.PENALTY, rows, name="b.csv"))
    assert batch.rows_created == 3 and PenaltyRecord.objects.count() == 6


def test_rows_get_deadline_timeliness_subject_and_encrypted_numbers(department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 60, seed=3)
    run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows))
    person_row = next(row for row in rows if row["CF_XDR_LB"] == "自然人")
    record = PenaltyRecord.objects.get(decision_number=person_row["CF_WSH"])
    assert (
        record.id_number_masked.count("*") == 8
        and person_row["CF_XDR_ZJHM"] not in record.id_number_ciphertext
    )
    assert record.standard_values()["id_number"] == person_row["CF_XDR_ZJHM"]
    assert record.subject.id_number_index == record.id_number_index
    assert record.status == RecordStatus.PUBLISHED and record.deadline > record.decision_date
    assert record.timeliness in (
        Timeliness.LATE,
        Timeliness.ON_TIME,
    )  # sample dates lie in 2025–2026


def test_a_person_with_two_penalties_is_one_subject(department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 2)
    for row in rows:
        row.update(
            {
                "CF_XDR_LB": "自然人",
                "CF_XDR_MC": "张三",
                "CF_XDR_SHXYM": "",
                "CF_XDR_ZJLX": "身份证",
                "CF_XDR_ZJHM": "360426199101010071",
            }
        )
    run(RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows))
    assert PenaltyRecord.objects.values("subject").distinct().count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 Excel"),
        (b"\x00\x01\x02\x03binary", "无法识别的文件类型"),
        ("名称,地址\n张三,台儿庄\n".encode(), "未找到可识别的表头"),
        (b"\x81\x20" * 100, "无法识别文件编码"),
    ],
)
def test_unreadable_files_fail_clearly_and_store_nothing(
    department, tmp_path, content, message
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    batch = run(RecordKind.PENALTY, department, path)
    assert batch.status == BatchStatus.FAILED and message in batch.error_message
    assert PenaltyRecord.objects.count() == 0


def test_open_table_detects_gbk_without_being_told(tmp_path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("CF_XDR_MC\n台儿庄区某某商贸有限公司\n".encode("gbk"))
    table = open_table(path)
    assert table.encoding == "gb18030" and next(table.rows)[1] == ["台儿庄区某某商贸有限公司"]
    with pytest.raises(UnreadableFile):
        bad = tmp_path / "bad.bin"
        bad.write_bytes(b"\x81\x20" * 50)
        open_table(bad)


def test_a_dry_run_validates_and_stores_nothing(department, write_csv) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 20, invalid_share=0.2, seed=9)
    batch = run(
        RecordKind.PENALTY, department, write_csv(RecordKind.PENALTY, rows), is_dry_run=True
    )
    assert batch.rows_created + batch.rows_rejected == 20 and batch.rows_rejected > 0
    assert PenaltyRecord.objects.count() == 0 and Subject.objects.count() == 0


# --- the command ---------------------------------------------------------------------------


def call(*args: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", *args)
    return int(exit_info.value.code)


def test_cli_exit_codes_and_json_line(department, write_csv, capsys, tmp_path) -> None:
    good = write_csv(
        RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 10), name="good.csv"
    )
    assert call("penalties", str(good), "--department", department.credit_code, "--json") == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == {
        "read": 10,
        "accepted": 10,
        "rejected": 0,
        "unchanged": 0,
    }

    mixed_rows = rows_for(RecordKind.PENALTY, department, 10, first_serial=100)
    mixed_rows[3]["CF_WSH"] = ""
    mixed = write_csv(RecordKind.PENALTY, mixed_rows, name="mixed.csv")
    report = tmp_path / "out.xlsx"
    assert (
        call(
            "penalties",
            str(mixed),
            "--department",
            department.credit_code,
            "--json",
            "--report",
            str(report),
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "第 5 行 CF_WSH（行政处罚决定书文号）：不能为空" in out
    assert json.loads(out.strip().splitlines()[-1]) == {
        "read": 10,
        "accepted": 9,
        "rejected": 1,
        "unchanged": 0,
    }
    assert report.exists()

    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x00\x00")
    assert call("penalties", str(junk), "--department", department.credit_code) == 2
    assert "无法导入" in capsys.readouterr().err


def test_cli_unknown_department_exits_2(department, write_csv) -> None:
    from django.core.management import CommandError

    path = write_csv(RecordKind.PENALTY, rows_for(RecordKind.PENALTY, department, 1))
    with pytest.raises(CommandError) as excinfo:
        call_command("import", "penalties", str(path), "--department", "91110000600037341L")
    assert excinfo.value.returncode == 2
