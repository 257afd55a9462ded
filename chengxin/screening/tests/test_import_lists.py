"""Importing list entries: good rows kept, bad rows reported by row, column and problem, the
report fixed and re-uploaded, upsert on the natural key, and nothing left by a failed import."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.identifiers import make_resident_id, make_uscc
from chengxin.screening import registers as screening_registers
from chengxin.screening.choices import EntryStatus, ImportStatus
from chengxin.screening.models import ListEntry, ListImport, ListImportRejection
from chengxin.screening.registers import ENTRY_COLUMNS as COLUMNS

HEADER = [column.label for column in COLUMNS]
RNG = random.Random(21)


def row(n: int, **overrides: str) -> dict[str, str]:
    values = {
        "名单类型": "procurement_violation",
        "主体名称": f"枣庄市台儿庄区导入{n}商贸有限公司",
        "主体类别": "法人及非法人组织",
        "统一社会信用代码": make_uscc(RNG),
        "证件号码": "",
        "认定部门": "台儿庄区财政局",
        "认定文书号": f"台财采罚〔2026〕{n}号",
        "认定依据及事由": "提供虚假材料谋取中标",
        "列入日期": "2026-01-05",
        "有效期至": "2029-01-04",
        "状态": "",
        "移出日期": "",
        "移出原因": "",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for values in rows:
        writer.writerow([values[h] for h in HEADER])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    for col, title in enumerate(header):
        sheet.write_string(0, col, title)
    for r, cells in enumerate(rows, start=1):
        for col, value in enumerate(cells):
            sheet.write(r, col, value)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.CREDIT_ADMIN)


@pytest.fixture
def upload(client: Any, admin_user: User, catalogue: None) -> Callable[..., ListImport]:
    client.force_login(admin_user)

    def send(content: bytes, name: str = "entries.csv") -> ListImport:
        response = client.post(
            reverse("registers:upload", args=["list_entries"]),
            {"file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return ListImport.objects.latest("id")

    return send


def test_good_rows_are_kept_and_bad_rows_reported_by_row_column_and_problem(
    upload: Callable[..., ListImport],
) -> None:
    rows = [
        row(1),
        row(2, 列入日期="2026-13-01"),
        row(3, 统一社会信用代码=""),
        row(4, 名单类型="不存在的名单"),
        row(5, 有效期至="2026-01-04"),
        row(6, 名单类型="政府采购严重违法失信行为记录名单"),  # by name
        row(7, 状态="已移出"),  # removed without date and reason
    ]
    batch = upload(csv_bytes(rows))
    assert batch.status == ImportStatus.FINISHED
    assert (batch.rows_read, batch.rows_created, batch.rows_rejected) == (7, 2, 5)
    assert set(ListEntry.objects.values_list("document_number", flat=True)) == {
        "台财采罚〔2026〕1号",
        "台财采罚〔2026〕6号",
    }
    errors = {r.row_number: " ".join(r.errors) for r in batch.rejections.all()}
    assert set(errors) == {3, 4, 5, 6, 8}  # file rows: the header is row 1
    assert "第 3 行【列入日期】：日期格式不正确" in errors[3]
    assert "第 4 行【统一社会信用代码】" in errors[4]
    assert "第 5 行【名单类型】：“不存在的名单”不是已启用的名单类型" in errors[5]
    assert "第 6 行【有效期至】：有效期至不能早于列入日期" in errors[6]
    assert "第 8 行【移出原因】" in errors[8]


def test_boundary_rows_are_accepted(upload: Callable[..., ListImport]) -> None:
    number = make_resident_id(RNG, division="370405")
    rows = [
        row(1, 有效期至="2026-01-05"),  # ends the day it starts
        row(2, 有效期至=""),  # indefinite
        row(3, 列入日期="2026/1/5"),
        row(
            4,
            主体名称="王五",
            主体类别="自然人",
            统一社会信用代码="",
            证件号码=number,
            名单类型="judgment_defaulter",
        ),
        row(5, 状态="已移出", 移出日期="2026-01-05", 移出原因="认定决定被撤销"),
    ]
    batch = upload(csv_bytes(rows, encoding="gbk"))
    assert (batch.rows_created, batch.rows_rejected) == (5, 0), [
        r.errors for r in batch.rejections.all()
    ]
    person = ListEntry.objects.get(subject_name="王五")
    assert person.id_number_masked and number not in person.id_number_masked
    removed = ListEntry.objects.get(document_number="台财采罚〔2026〕5号")
    assert removed.status == EntryStatus.REMOVED


def test_the_fixed_report_can_be_uploaded_again(
    client: Any, upload: Callable[..., ListImport], tmp_path: Path
) -> None:
    batch = upload(csv_bytes([row(1), row(2, 列入日期="昨天"), row(3, 主体类别="公司")]))
    assert batch.rows_rejected == 2
    response = client.get(reverse("registers:report", args=["list_entries", batch.pk]))
    assert response.status_code == 200
    report = tmp_path / "report.xlsx"
    report.write_bytes(response.getvalue())
    sheet = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    header, rejected = [str(c) for c in sheet[0]], [list(r) for r in sheet[1:]]
    assert header[0] == "原行号" and header[-1].startswith("错误说明")
    assert [int(r[0]) for r in rejected] == [3, 4]
    rejected[0][header.index("列入日期")] = "2026-02-01"
    rejected[1][header.index("主体类别")] = "法人及非法人组织"
    again = upload(xlsx_bytes(header, rejected), name="fixed.xlsx")
    assert (again.rows_created, again.rows_rejected) == (2, 0)
    assert ListEntry.objects.count() == 3
    read = AuditEntry.objects.get(
        object_type="registers.list_entries.rejected_rows",
        object_id=str(batch.pk),
        action=AuditAction.SENSITIVE_READ,
    )
    assert read.after == {"format": "xlsx", "count": 2}  # the report shows ID numbers: audited


def test_upsert_on_list_type_document_number_and_name(
    upload: Callable[..., ListImport],
) -> None:
    rows = [row(1), row(2)]
    first = upload(csv_bytes(rows))
    assert first.rows_created == 2
    same = upload(csv_bytes(rows))
    assert (same.rows_created, same.rows_updated, same.rows_unchanged) == (0, 0, 2)
    rows[0]["认定依据及事由"] = "提供虚假材料谋取中标，情节严重"
    rows[1]["主体名称"] = rows[1]["主体名称"].replace("有限公司", "（有限公司）")  # another name
    changed = upload(csv_bytes(rows))
    assert (changed.rows_created, changed.rows_updated, changed.rows_unchanged) == (1, 1, 0)
    assert ListEntry.objects.count() == 3
    entry = ListEntry.objects.get(document_number="台财采罚〔2026〕1号")
    assert entry.basis.endswith("情节严重")


def test_same_key_in_full_width_spacing_is_the_same_entry(
    upload: Callable[..., ListImport],
) -> None:
    original = row(1)
    upload(csv_bytes([original]))
    variant = dict(original, 主体名称=" " + original["主体名称"] + " ")
    again = upload(csv_bytes([variant]))
    assert (again.rows_created, again.rows_unchanged) == (0, 1)


def test_a_row_repeated_in_the_file_is_reported(upload: Callable[..., ListImport]) -> None:
    batch = upload(csv_bytes([row(1), row(1)]))
    assert (batch.rows_created, batch.rows_rejected) == (1, 1)
    (rejection,) = batch.rejections.all()
    assert "与第 2 行" in rejection.errors[0]


def test_import_removes_but_never_restores_an_entry(upload: Callable[..., ListImport]) -> None:
    original = row(1)
    upload(csv_bytes([original]))
    removal = dict(original, 状态="已移出", 移出日期="2026-03-01", 移出原因="信用修复")
    removed = upload(csv_bytes([removal]))
    assert removed.rows_updated == 1
    entry = ListEntry.objects.get()
    assert entry.status == EntryStatus.REMOVED
    restored = upload(csv_bytes([original]))
    assert restored.rows_rejected == 1
    assert "不能恢复为有效" in restored.rejections.get().errors[0]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED


def test_a_file_without_the_required_columns_fails_with_a_message(
    upload: Callable[..., ListImport],
) -> None:
    batch = upload("名称,代码\n甲,1\n".encode())
    assert batch.status == ImportStatus.FAILED
    assert "文件缺少必需的列" in batch.error_message and "认定文书号" in batch.error_message
    assert not ListEntry.objects.exists()


def test_a_crash_mid_import_leaves_no_entry_and_no_rejection(
    upload: Callable[..., ListImport], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_save = screening_registers.save_entry

    def crash_on_the_third_row(entry: ListEntry, **kwargs: Any) -> ListEntry:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk failed")  # fault injection: the process fails part-way
        return real_save(entry, **kwargs)

    monkeypatch.setattr(screening_registers, "save_entry", crash_on_the_third_row)
    batch = upload(csv_bytes([row(1), row(2, 列入日期="x"), row(3), row(4), row(5)]))
    assert batch.status == ImportStatus.FAILED
    assert "未写入任何数据" in batch.error_message
    assert not ListEntry.objects.exists()
    assert not ListImportRejection.objects.exists()
    assert batch.rows_created == 0
    monkeypatch.undo()
    again = upload(csv_bytes([row(1), row(3), row(4), row(5)]))
    assert (again.status, again.rows_created) == (ImportStatus.FINISHED, 4)


def test_xlsx_with_dates_as_cells(upload: Callable[..., ListImport]) -> None:
    import datetime

    values = row(1)
    cells: list[Any] = [values[h] for h in HEADER]
    cells[HEADER.index("列入日期")] = datetime.date(2026, 1, 5)
    content = io.BytesIO()
    workbook = xlsxwriter.Workbook(content)
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for col, value in enumerate(cells):
        if isinstance(value, datetime.date):
            sheet.write_datetime(
                1, col, datetime.datetime.combine(value, datetime.time()), date_format
            )
        else:
            sheet.write_string(1, col, value)
    workbook.close()
    batch = upload(content.getvalue(), name="entries.xlsx")
    assert (batch.rows_created, batch.rows_rejected) == (1, 0)
    assert ListEntry.objects.get().listed_on == datetime.date(2026, 1, 5)


def test_the_template_has_the_columns_and_imports_as_is(
    client: Any, upload: Callable[..., ListImport], tmp_path: Path
) -> None:
    response = client.get(reverse("registers:template", args=["list_entries"]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.getvalue())
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [str(c) for c in sheet[0]] == HEADER
    values = row(1)
    batch = upload(xlsx_bytes(HEADER, [[values[h] for h in HEADER]]), name="filled.xlsx")
    assert batch.rows_created == 1


@pytest.mark.parametrize("role", [Role.CREDIT_CHECKER, Role.DEPARTMENT_REPORTER])
def test_import_needs_the_import_grant(
    client: Any, make_user: Callable[..., User], catalogue: None, role: str
) -> None:
    client.force_login(make_user(role))
    content = SimpleUploadedFile("entries.csv", csv_bytes([row(1)]))
    response = client.post(reverse("registers:upload", args=["list_entries"]), {"file": content})
    assert response.status_code == 403
    assert not ListEntry.objects.exists()


def test_another_users_batch_is_readable_by_the_credit_office_only(
    client: Any,
    upload: Callable[..., ListImport],
    make_user: Callable[..., User],
) -> None:
    batch = upload(csv_bytes([row(1, 列入日期="x")]))
    client.force_login(make_user(Role.CREDIT_ADMIN))
    assert (
        client.get(reverse("registers:batch", args=["list_entries", batch.pk])).status_code == 200
    )
    client.force_login(make_user(Role.CREDIT_CHECKER))
    assert (
        client.get(reverse("registers:report", args=["list_entries", batch.pk])).status_code == 403
    )
