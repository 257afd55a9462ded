"""Credit repair in Chromium: apply from the subject page → accept → the approve button waits for
the deciding department → the department agrees → approve → gone from the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.repair.tests.fixtures import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(page, live_server, username: str, width: int = 1366):
    staff = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}
    ).new_page()
    staff.goto(live_server.url + "/accounts/login/")
    staff.get_by_label("用户名").fill(username)
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    return staff


def test_apply_accept_approve_and_the_penalty_leaves_the_public_page(
    page, live_server, make_user, repairable, tmp_path: Path
) -> None:
    make_user(Role.CREDIT_ADMIN, username="xinyong")
    make_user(Role.DEPARTMENT_REPORTER, username="shichang", department=repairable.department)
    subject = repairable.subject
    evidence = tmp_path / "缴款凭证.pdf"
    evidence.write_bytes(PDF)

    page.goto(f"{live_server.url}/subjects/{subject.public_id}/")
    expect(page.get_by_text(repairable.decision_number).first).to_be_visible()
    page.get_by_role("link", name="申请信用修复").click()
    page.get_by_role("link", name="申请修复").click()
    page.get_by_label("本人已阅读并确认上述信用修复承诺书").check()
    page.get_by_label("纠正失信行为情况说明").fill("罚款已缴清，过期食品已销毁。")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_label("联系人").fill("王经理")
    page.get_by_label("联系电话").fill("0632-6611234")
    page.get_by_role("button", name="提交申请").click()
    receipt = page.locator("#receipt-number").inner_text()
    assert receipt.startswith("XF") and len(page.locator("#verification-code").inner_text()) == 8
    page.screenshot(path=SCREENSHOTS / "repair-receipt.png", full_page=True)

    staff = logged_in_page(page, live_server, "xinyong")
    staff.goto(live_server.url + "/staff/repair/")
    staff.get_by_role("link", name=receipt).click()
    staff.get_by_role("button", name="受理", exact=True).click()
    # 谁认定、谁修复: no approval before the deciding department's 同意.
    assert staff.get_by_role("button", name="同意修复").is_disabled()
    assert "尚未出具“同意”意见" in staff.locator("#approve-blocked").inner_text()
    staff.screenshot(path=SCREENSHOTS / "repair-staff-awaiting-opinion.png", full_page=True)
    staff.set_viewport_size({"width": 390, "height": 900})
    staff.screenshot(path=SCREENSHOTS / "repair-staff-awaiting-opinion-390.png", full_page=True)
    staff.set_viewport_size({"width": 1366, "height": 900})
    detail = staff.url

    department = logged_in_page(page, live_server, "shichang", width=390)
    department.goto(detail)
    department.get_by_label("同意", exact=True).check()
    department.get_by_label("理由").fill("经核实，罚款已缴清。")
    department.screenshot(path=SCREENSHOTS / "repair-department-opinion-390.png", full_page=True)
    department.get_by_role("button", name="保存意见").click()
    assert "已保存决定部门意见" in department.content()

    staff.reload()
    assert "经核实，罚款已缴清。" in staff.locator("main").inner_text()
    staff.get_by_role("button", name="同意修复").click()
    staff.wait_for_load_state()
    staff.screenshot(path=SCREENSHOTS / "repair-staff-approved.png", full_page=True)

    page.goto(f"{live_server.url}/repair/status/{receipt}/")
    assert page.locator("#application-status").inner_text() == "同意修复"
    page.goto(f"{live_server.url}/subjects/{subject.public_id}/")
    assert repairable.decision_number not in page.content()
    assert page.console_errors == []
