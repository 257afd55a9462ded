"""A reporter uploads a file in Chromium, watches the progress bar, and gets the error report."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.imports.models import ImportBatch
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.fixtures import rows_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_progress_and_report(
    page, live_server, make_user, make_department, write_csv
) -> None:
    department = make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")
    make_user(Role.DEPARTMENT_REPORTER, department=department, username="zhou")
    rows = rows_for(RecordKind.PENALTY, department, 60, invalid_share=0.15, seed=21)
    path = write_csv(RecordKind.PENALTY, rows, encoding="gbk")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("zhou")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="批量导入").click()
    page.get_by_label("信息类型").select_option("penalty")
    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(str(path))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/staff/imports/*/")
    assert page.locator("#status-label").inner_text() == "排队中"

    # The background worker picks the job up while the page (in Chromium's own process) polls.
    call_command("db_worker", batch=True, interval=0, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("text=下载拒收行报告", timeout=15_000)  # the page reloaded when done
    batch = ImportBatch.objects.get()
    assert page.locator("#status-label").inner_text() == "已完成"
    assert page.locator("progress").get_attribute("value") == "100"
    assert PenaltyRecord.objects.count() == batch.rows_created == 60 - batch.rows_rejected
    page.screenshot(path=SCREENSHOTS / "import-batch.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载拒收行报告（XLSX，可修改后重新上传）").click()
    assert download_info.value.suggested_filename == f"import-{batch.pk}-rejected.xlsx"
    assert page.console_errors == []
