"""A credit check in Chromium: a hit with its measures, then the feedback, with no CSP error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.screening.choices import Feedback
from chengxin.screening.models import CreditCheck, ListEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_with_a_hit_and_feedback(
    page: Any,
    live_server: Any,
    catalogue: None,
    make_entry: Callable[..., ListEntry],
    make_user: Callable[..., User],
    make_department: Callable[..., Department],
) -> None:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    make_user(
        Role.CREDIT_CHECKER,
        username="checker",
        department=make_department(name="台儿庄区公共资源交易中心"),
    )
    page.goto(live_server.url + "/accounts/login/?next=/staff/screening/checks/new/")
    page.get_by_label("用户名").fill("checker")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/screening/checks/new/")

    page.get_by_label("统一社会信用代码").fill(listed.credit_code)
    page.get_by_label("业务场景").select_option(label="政府采购")
    page.get_by_label("审批事项或项目编号").fill("TEZ-CG-2026-015 办公设备采购")
    page.get_by_role("button", name="核查", exact=True).click()
    page.wait_for_url("**/staff/screening/checks/*/")
    expect(page.get_by_role("heading", name="命中名单")).to_be_visible()
    expect(page.get_by_text("政府采购严重违法失信行为记录名单").first).to_be_visible()
    expect(page.get_by_role("cell", name="JC-01")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "screening-check-hit.png", full_page=True)

    page.get_by_label("措施未采取").check()
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_text("未采取措施的，必须说明理由。").first).to_be_visible()
    page.get_by_label("措施已采取").check()
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_text("反馈已记录。")).to_be_visible()
    check = CreditCheck.objects.get()
    assert check.feedback == Feedback.TAKEN and check.measures.get().is_applied is True
    assert page.console_errors == []
