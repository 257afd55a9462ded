"""The one set of upload pages of every register (`imports.views_registers`, ADR 0024): the
district's set-up files uploaded by the system administrator, like the officers, power items
and list entries by those who keep them; a page of another area's register is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department
from chengxin.core.tests.cells import xlsx_sheets
from chengxin.core.tests.test_organisation_support import (
    DEPARTMENT_HEADER,
    credit_code,
    set_up_district,
    write_file,
)
from chengxin.imports.choices import RegistryImportStatus
from chengxin.imports.models import OrganisationImport

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_file(client: Client, key: str, path: Path):
    with path.open("rb") as handle:
        return client.post(reverse("registers:upload", args=[key]), {"file": handle})


def test_the_system_administrator_uploads_the_departments_and_fixes_the_rejected_rows(
    make_user, tmp_path: Path
) -> None:
    set_up_district()
    admin = make_user(Role.SYSTEM_ADMIN, username="sysweb")
    client = logged_in(admin)
    page = client.get(reverse("registers:upload", args=["departments"]))
    assert page.status_code == 200 and "导入部门" in page.content.decode()
    rows = [
        ["市中区财政局", "财政局", credit_code("finance"), "政府部门", ""],
        ["市中区国库集中支付中心", "", credit_code("treasury"), "政府部门", "市中区财政局"],
        ["市中区审计局", "", "91370400XXXXXXXXX1", "政府部门", ""],  # a wrong code
    ]
    response = post_file(
        client, "departments", write_file(tmp_path / "d.csv", DEPARTMENT_HEADER, rows)
    )
    assert response.status_code == 302
    batch = OrganisationImport.objects.get()
    assert (batch.register, batch.status) == ("departments", RegistryImportStatus.FINISHED)
    assert (batch.rows_created, batch.rows_rejected) == (2, 1)
    treasury = Department.objects.get(name="市中区国库集中支付中心")
    assert treasury.parent is not None and treasury.parent.name == "市中区财政局"
    page = client.get(response["Location"]).content.decode()
    assert "第 4 行【统一社会信用代码】" in page
    report = client.get(reverse("registers:report", args=["departments", batch.pk]))
    [header, *rejected] = next(iter(xlsx_sheets(b"".join(report.streaming_content)).values()))
    assert [cell.text for cell in header[:2]] == ["原行号", "名称"]
    assert [cell.text for cell in rejected[0][:2]] == ["4", "市中区审计局"]
    # The fixed row uploaded again: the two loaded before are unchanged, the third goes in.
    rows[2][2] = credit_code("audit")
    post_file(client, "departments", write_file(tmp_path / "d2.csv", DEPARTMENT_HEADER, rows))
    again = OrganisationImport.objects.order_by("-pk").first()
    assert (again.rows_created, again.rows_unchanged, again.rows_rejected) == (1, 2, 0)


def test_a_batch_is_shown_only_under_its_own_register(make_user, tmp_path: Path) -> None:
    set_up_district()
    client = logged_in(make_user(Role.SYSTEM_ADMIN, username="sysweb"))
    rows = [["市中区财政局", "", credit_code("finance"), "政府部门", ""]]
    post_file(client, "departments", write_file(tmp_path / "d.csv", DEPARTMENT_HEADER, rows))
    batch = OrganisationImport.objects.get()
    assert client.get(reverse("registers:batch", args=["departments", batch.pk])).status_code == 200
    assert client.get(reverse("registers:batch", args=["townships", batch.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        (Role.SYSTEM_ADMIN, "departments", 200),
        (Role.SYSTEM_ADMIN, "officers", 403),  # the rule-of-law office's register
        (Role.RULE_OF_LAW_ADMIN, "officers", 200),
        (Role.RULE_OF_LAW_ADMIN, "departments", 403),
        (Role.CREDIT_ADMIN, "list_entries", 200),
        (Role.DEPARTMENT_REPORTER, "list_entries", 403),
        (Role.SYSTEM_ADMIN, "no_such_register", 404),
    ],
)
def test_each_register_is_uploaded_by_those_who_keep_it(make_user, role, key, status) -> None:
    client = logged_in(make_user(role))
    assert client.get(reverse("registers:upload", args=[key])).status_code == status
    if status == 200:
        template = client.get(reverse("registers:template", args=[key]))
        assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_index_lists_the_set_up_files_in_loading_order(make_user) -> None:
    page = logged_in(make_user(Role.SYSTEM_ADMIN)).get(reverse("registers:index"))
    text = page.content.decode()
    names = ["部门", "镇街", "执法主体", "规范性文件制定主体", "名单类型"]
    positions = [text.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    assert "执法人员" not in text  # not the system administrator's register
    assert logged_in(make_user(Role.AUDIT_ADMIN)).get(reverse("registers:index")).status_code == 403
