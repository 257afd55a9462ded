"""Batch checks: upload → background job → results page and XLSX; unreadable rows reported."""

from __future__ import annotations

import csv
import os
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from python_calamine import CalamineWorkbook

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core import sealed_files
from chengxin.core.identifiers import make_resident_id, make_uscc, mask_id_number
from chengxin.screening import actions
from chengxin.screening.choices import BatchStatus, CheckChannel, CheckOutcome
from chengxin.screening.models import CheckBatch, CreditCheck, ListEntry

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs the job in its own

HEADER = ["名称", "统一社会信用代码", "证件号码", "备注"]


@pytest.fixture
def listed(make_entry: Callable[..., ListEntry]) -> ListEntry:
    return make_entry(
        subject_name="枣庄市台儿庄区华兴建材有限公司", document_number="台财〔2026〕3号"
    )


def rows_for(listed: ListEntry) -> tuple[list[list[str]], str]:
    person = make_resident_id(random.Random(9))
    clean_code = make_uscc(random.Random(4))
    return [
        ["投标人甲", listed.credit_code, "", ""],  # row 2: hit by code
        ["枣庄市台儿庄区永安商贸有限公司", clean_code, "", ""],  # row 3: clear
        ["枣庄市台儿庄区华兴建财有限公司", "", "", ""],  # row 4: candidate
        ["投标人乙", "91370405MA3C12345X", "", ""],  # row 5: bad check character
        ["", "", "", "只有备注"],  # row 6: nothing to check
        ["王五", "", "370405199001011234", ""],  # row 7: bad ID number
        ["王六", "", person, ""],  # row 8: a person, clear
    ], person


def write_csv(path: Path, rows: list[list[str]], encoding: str = "gb18030") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for row_no, row in enumerate([HEADER, *rows]):
        for col, value in enumerate(row):
            sheet.write_string(row_no, col, value)
    workbook.close()
    return path


def upload(client: Client, path: Path, scenario: Any, code: str = "bidding") -> Any:
    return client.post(
        "/staff/screening/batches/new/",
        {
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "scenario": scenario(code).pk,
            "matter": "TEZ-ZB-2026-07 道路工程施工",
        },
    )


def run_worker() -> None:
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)


def read_xlsx(content: bytes, tmp_path: Path, sheet: int = 0) -> list[list[Any]]:
    path = tmp_path / "results.xlsx"
    path.write_bytes(content)
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(sheet).to_python()


def test_the_job_has_a_file_of_several_parts_matched_by_a_helper_process(
    client: Client,
    checker: User,
    scenario: Any,
    listed: ListEntry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The job checks outside any transaction, so a file of several parts (here of two rows;
    10,000 in life) is matched by a helper process (core.parallel), with the same results."""
    found = actions._found

    def found_and_noted(part: Any, **kwargs: Any) -> Any:
        with (tmp_path / "pids").open("a") as note:
            note.write(f"{os.getpid()}\n")
        return found(part, **kwargs)

    monkeypatch.setattr(actions, "PART", 2)
    monkeypatch.setattr(actions, "_found", found_and_noted)
    client.force_login(checker)
    upload(client, write_csv(tmp_path / "bidders.csv", rows_for(listed)[0]), scenario)
    run_worker()
    batch = CheckBatch.objects.get()
    assert batch.status == BatchStatus.DONE, batch.error
    assert (batch.total, batch.hits, batch.candidates, batch.rejected) == (4, 1, 1, 3)
    assert [c.outcome for c in CreditCheck.objects.filter(batch=batch).order_by("pk")] == [
        CheckOutcome.HIT,
        CheckOutcome.CLEAR,
        CheckOutcome.CANDIDATE,
        CheckOutcome.CLEAR,
    ]
    pids = Counter((tmp_path / "pids").read_text().split())
    assert pids.pop(str(os.getpid())) == 1 and list(pids.values()) == [1]  # here, and a helper


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_upload_runs_in_the_background_and_downloads_results(
    client: Client, checker: User, scenario: Any, listed: ListEntry, tmp_path: Path, kind: str
) -> None:
    rows, person = rows_for(listed)
    path = (write_csv if kind == "csv" else write_xlsx)(tmp_path / f"bidders.{kind}", rows)
    client.force_login(checker)
    response = upload(client, path, scenario)
    batch = CheckBatch.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/staff/screening/batches/{batch.pk}/"
    )
    assert batch.status == BatchStatus.QUEUED and CreditCheck.objects.count() == 0
    assert batch.department == checker.department and batch.file_name == f"bidders.{kind}"
    assert client.get(f"/staff/screening/batches/{batch.pk}/results.xlsx").status_code == 404
    # while it waits, the upload is sealed: the person's ID number is in no file
    (stored,) = (Path(settings.MEDIA_ROOT) / "screening").glob("*.upload")
    assert sealed_files.is_sealed(stored) and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert all(
        person.encode() not in held.read_bytes()
        for held in Path(settings.MEDIA_ROOT).rglob("*")
        if held.is_file()
    )

    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE, batch.error
    assert (batch.total, batch.hits, batch.candidates, batch.rejected) == (4, 1, 1, 3)
    assert [(r["row"], r["field"]) for r in batch.rejections] == [
        (5, "统一社会信用代码"),
        (6, "名称"),
        (7, "证件号码"),
    ]
    assert "至少填写一项" in batch.rejections[1]["problem"]
    assert not list((Path(settings.MEDIA_ROOT) / "screening").glob("*.upload"))  # gone
    checks = list(CreditCheck.objects.filter(batch=batch).order_by("pk"))
    assert {c.channel for c in checks} == {CheckChannel.BATCH}
    assert [c.outcome for c in checks] == [
        CheckOutcome.HIT,
        CheckOutcome.CLEAR,
        CheckOutcome.CANDIDATE,
        CheckOutcome.CLEAR,
    ]

    page = client.get(f"/staff/screening/batches/{batch.pk}/").content.decode()
    assert "无法核查的行" in page and "下载核查结果" in page and person not in page

    response = client.get(f"/staff/screening/batches/{batch.pk}/results.xlsx")
    content = response.getvalue()
    assert response.status_code == 200 and content[:2] == b"PK"
    sheet = read_xlsx(content, tmp_path)
    assert sheet[0][:5] == ["序号", "名称", "统一社会信用代码", "证件号码（脱敏）", "核查结果"]
    body = [row[:5] for row in sheet[1:]]
    assert body == [
        [1, "投标人甲", listed.credit_code, "", "命中"],
        [2, "枣庄市台儿庄区永安商贸有限公司", rows[1][1], "", "未命中"],
        [3, "枣庄市台儿庄区华兴建财有限公司", "", "", "疑似，需人工核实"],
        [4, "王六", "", mask_id_number(person), "未命中"],
    ]
    hit = sheet[1]
    assert "政府采购严重违法失信行为记录名单" in hit[5] and "台财〔2026〕3号" in hit[5]
    assert "JC-02" in hit[6] and hit[7] == "" and hit[8] == "待反馈"
    candidate = sheet[3]
    assert candidate[5] == candidate[6] == "" and "枣庄市台儿庄区华兴建材有限公司" in candidate[7]
    assert person not in str(sheet)
    rejected = read_xlsx(content, tmp_path, sheet=1)
    assert [row[:2] for row in rejected[1:]] == [
        [5, "统一社会信用代码"],
        [6, "名称"],
        [7, "证件号码"],
    ]


def test_a_file_without_known_columns_fails_with_a_message(
    client: Client, checker: User, scenario: Any, catalogue: None, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("公司,代码\n甲公司,123\n", encoding="utf-8")
    client.force_login(checker)
    upload(client, path, scenario)
    run_worker()
    batch = CheckBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "表头" in batch.error
    assert CreditCheck.objects.count() == 0
    page = client.get(f"/staff/screening/batches/{batch.pk}/").content.decode()
    assert "表头" in page and "下载核查结果" not in page


def test_a_changed_upload_fails_the_batch_with_a_message_and_a_log_line(
    client: Client,
    checker: User,
    scenario: Any,
    listed: ListEntry,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows, person = rows_for(listed)
    client.force_login(checker)
    upload(client, write_csv(tmp_path / "bidders.csv", rows), scenario)
    (stored,) = (Path(settings.MEDIA_ROOT) / "screening").glob("*.upload")
    raw = bytearray(stored.read_bytes())
    raw[sealed_files.HEADER_SIZE + 3] ^= 0x01
    stored.write_bytes(bytes(raw))
    run_worker()
    batch = CheckBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and CreditCheck.objects.count() == 0
    assert "上传的文件已损坏或被改动，无法读取" in batch.error
    assert f"sealed upload {stored.name} refused" in caplog.text and person not in caplog.text
    assert not stored.exists()


def test_upload_needs_a_matter_and_a_file(
    client: Client, checker: User, scenario: Any, catalogue: None, tmp_path: Path
) -> None:
    client.force_login(checker)
    response = client.post(
        "/staff/screening/batches/new/", {"scenario": scenario("bidding").pk, "matter": "x"}
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    path = write_csv(tmp_path / "a.csv", [["甲公司", "", "", ""]])
    response = client.post(
        "/staff/screening/batches/new/",
        {
            "file": SimpleUploadedFile("a.csv", path.read_bytes()),
            "scenario": scenario("bidding").pk,
            "matter": "  ",
        },
    )
    assert "matter" in response.context["form"].errors and not CheckBatch.objects.exists()


def test_another_department_cannot_see_a_batch(
    client: Client,
    checker: User,
    scenario: Any,
    listed: ListEntry,
    tmp_path: Path,
    make_user: Callable[..., User],
) -> None:
    client.force_login(checker)
    upload(client, write_csv(tmp_path / "b.csv", rows_for(listed)[0]), scenario)
    run_worker()
    batch = CheckBatch.objects.get()
    client.force_login(make_user(Role.CREDIT_CHECKER))
    for tail in ("", "results.xlsx"):
        assert client.get(f"/staff/screening/batches/{batch.pk}/{tail}").status_code == 404
    assert "b.csv" not in client.get("/staff/screening/batches/").content.decode()
    client.force_login(make_user(Role.CREDIT_ADMIN))
    assert client.get(f"/staff/screening/batches/{batch.pk}/results.xlsx").status_code == 200
    assert client.get("/staff/screening/batches/new/").status_code == 403  # reads, never checks
