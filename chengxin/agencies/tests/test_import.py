"""The officer import: create or update by 执法证号, the per-row report, the permission."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chengxin.accounts.models import User
from chengxin.agencies.choices import EventType, ImportStatus, OfficerStatus
from chengxin.agencies.models import AgencyEvent, EnforcementBody, EnforcementOfficer
from chengxin.agencies.registers import OFFICER_COLUMNS as COLUMNS
from chengxin.agencies.tests.conftest import logged_in
from chengxin.audit.models import AuditEntry
from chengxin.core import registers
from chengxin.imports.registers import upload_file

pytestmark = pytest.mark.django_db

HEADER = [column.label for column in COLUMNS]


def upload(rows: list[list[str]], tmp_path: Path, name: str = "officers.csv") -> SimpleUploadedFile:
    path = tmp_path / name
    with path.open("w", newline="", encoding="gbk") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def row(body: EnforcementBody, number: str, name: str = "张三", **changes: str) -> list[str]:
    cells = {
        "执法主体": body.name,
        "姓名": name,
        "执法证号": number,
        "执法类别": "市场监管",
        "执法区域": "台儿庄区",
        "有效期起": "2024-01-01",
        "有效期止": "2028-12-31",
        "法律职业资格": "否",
        "年度培训学时": "64",
        "执法资格考试合格": "是",
        "编制身份": "行政编制",
    }
    cells.update(changes)
    return [cells[label] for label in HEADER]


def test_import_creates_new_officers_and_updates_by_certificate_number(
    tmp_path: Path,
    law_admin: User,
    make_enforcement_body: Callable[..., EnforcementBody],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
) -> None:
    body = make_enforcement_body(name="台儿庄区市场监督管理局")
    known = make_enforcement_officer(
        body=body, certificate_number="37040500000001", name="李四", training_hours=20
    )
    same = make_enforcement_officer(
        body=body,
        certificate_number="37040500000003",
        name="王五",
        categories="市场监管",
        area="台儿庄区",
        certificate_valid_from="2024-01-01",
        certificate_valid_until="2028-12-31",
        has_legal_qualification=False,
        training_hours=64,
        exam_passed=True,
        staffing="administrative",
    )
    rows = [
        row(body, "37040500000001", name="李四", **{"年度培训学时": "72"}),
        row(body, "37040500000002", name="新人"),
        row(body, "37040500000003", name="王五"),
    ]

    batch = upload_file(registers.get("officers"), upload(rows, tmp_path), actor=law_admin)

    assert batch.status == ImportStatus.FINISHED, batch.error_message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged, batch.rows_rejected) == (
        1,
        1,
        1,
        0,
    )
    known.refresh_from_db()
    assert known.training_hours == 72 and known.status == OfficerStatus.ON_DUTY
    created = EnforcementOfficer.objects.get(certificate_number="37040500000002")
    assert (created.name, created.body, created.status) == ("新人", body, OfficerStatus.ON_DUTY)
    assert AgencyEvent.objects.filter(type=EventType.OFFICER_IMPORTED).count() == 2
    assert AuditEntry.objects.filter(
        object_type="agencies.enforcementofficer", object_id=str(known.pk), action="updated"
    ).exists()
    same.refresh_from_db()
    assert not AgencyEvent.objects.filter(officer=same).exists()


def test_import_never_changes_the_status(
    tmp_path: Path,
    law_admin: User,
    make_enforcement_officer: Callable[..., EnforcementOfficer],
) -> None:
    removed = make_enforcement_officer(status=OfficerStatus.REMOVED, training_hours=10)
    batch = upload_file(
        registers.get("officers"),
        upload([row(removed.body, removed.certificate_number, **{"年度培训学时": "80"})], tmp_path),
        actor=law_admin,
    )
    assert batch.rows_updated == 1
    removed.refresh_from_db()
    assert removed.status == OfficerStatus.REMOVED and removed.training_hours == 80


def test_bad_rows_are_reported_with_row_column_and_problem(
    tmp_path: Path, law_admin: User, make_enforcement_body: Callable[..., EnforcementBody]
) -> None:
    body = make_enforcement_body()
    rows = [
        row(body, "37040500000010"),
        row(body, "37040500000011", **{"执法主体": "不存在的局", "有效期止": "2028/13/40"}),
        row(body, "37040500000012", **{"法律职业资格": "也许", "年度培训学时": "-3"}),
        row(body, "37040500000013", **{"有效期起": "2029-01-01"}),
        row(body, "37040500000010", name="重复"),
        row(body, "", name="无证号"),
    ]
    batch = upload_file(registers.get("officers"), upload(rows, tmp_path), actor=law_admin)
    assert batch.rows_created == 1 and batch.rows_rejected == 5
    errors = {r.row_number: r.errors for r in batch.rejections.all()}
    assert errors[3] == [
        "第 3 行【执法主体】：“不存在的局”不是已登记的执法主体，应填执法主体名称或统一社会信用代码",
        "第 3 行【有效期止】：日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD",
    ]
    assert errors[4] == [
        "第 4 行【法律职业资格】：应填“是”或“否”",
        "第 4 行【年度培训学时】：应为不小于 0 的整数",
    ]
    assert errors[5] == ["第 5 行【有效期止】：执法证有效期止不能早于有效期起。"]
    assert errors[6] == ["第 6 行【执法证号】：与第 2 行的执法证号相同"]
    assert errors[7] == ["第 7 行【执法证号】：必填，不能为空"]
    assert batch.rejections.get(row_number=3).cells[0] == "不存在的局"
    assert EnforcementOfficer.objects.count() == 1


def test_file_without_the_required_columns_fails_with_a_message(
    tmp_path: Path, law_admin: User
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    batch = upload_file(
        registers.get("officers"),
        SimpleUploadedFile("wrong.csv", path.read_bytes(), content_type="text/csv"),
        actor=law_admin,
    )
    assert batch.status == ImportStatus.FAILED
    assert batch.error_message.startswith("文件缺少必需的列：执法主体、执法证号")


def test_import_needs_the_import_permission(tmp_path: Path, case_officer: User) -> None:
    with pytest.raises(PermissionDenied):
        upload_file(registers.get("officers"), upload([], tmp_path), actor=case_officer)
    assert (
        logged_in(case_officer).get(reverse("registers:upload", args=["officers"])).status_code
        == 403
    )


def test_import_pages(
    tmp_path: Path, law_admin: User, make_enforcement_body: Callable[..., EnforcementBody]
) -> None:
    body = make_enforcement_body()
    client = logged_in(law_admin)
    assert client.get(reverse("registers:template", args=["officers"])).status_code == 200
    response = client.post(
        reverse("registers:upload", args=["officers"]),
        {"file": upload([row(body, "37040500000020"), row(body, "")], tmp_path)},
    )
    batch_url = response["Location"]
    page = client.get(batch_url)
    assert "第 3 行【执法证号】：必填，不能为空" in page.content.decode()
    report = client.get(batch_url + "rejected.xlsx")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staffing_is_loaded_checked_and_kept_when_the_cell_is_empty(
    tmp_path: Path, law_admin: User, make_enforcement_body: Callable[..., EnforcementBody]
) -> None:
    """Only established staff hold a certificate (agencies.qualification); an empty cell leaves
    the recorded 编制身份 as it is."""
    body = make_enforcement_body()
    rows = [
        row(body, "37040500000020", **{"编制身份": "事业编制"}),
        row(body, "37040500000021", **{"编制身份": "劳务派遣"}),
        row(body, "37040500000022", **{"编制身份": "合同工"}),
    ]
    batch = upload_file(registers.get("officers"), upload(rows, tmp_path), actor=law_admin)
    assert (batch.rows_created, batch.rows_rejected) == (1, 2)
    errors = {r.row_number: r.errors for r in batch.rejections.all()}
    assert errors[3][0].startswith("第 3 行【编制身份】："), errors[3]
    assert errors[4][0].startswith("第 4 行【编制身份】：“合同工”不是可选值"), errors[4]
    officer = EnforcementOfficer.objects.get(certificate_number="37040500000020")
    assert officer.staffing == "public_institution"

    again = [row(body, "37040500000020", name="张三丰", **{"编制身份": ""})]
    batch = upload_file(
        registers.get("officers"), upload(again, tmp_path, "b.csv"), actor=law_admin
    )
    officer.refresh_from_db()
    assert (batch.rows_updated, officer.name, officer.staffing) == (
        1,
        "张三丰",
        "public_institution",
    )
