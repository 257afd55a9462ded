"""The dashboard's 待办事项 in Chromium at 1366 px and on a 390 px phone, for the credit office
with work waiting: grouped by severity in words, counts, links to the filtered lists, no
sideways scrolling, no CSP violation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from chengxin.accounts.models import User
from chengxin.core.calendar import add_working_days
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.repair.models import RepairApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOVEMBER = datetime.date(2026, 11, 26)  # next year's holiday notice is due


@pytest.mark.today(NOVEMBER)
def test_the_credit_office_sees_what_waits_at_two_widths(
    page: Any, live_server: Any, credit_admin: User, apply: Callable[..., Any]
) -> None:
    credit_admin.username = "credit"
    credit_admin.save()
    application, _code = apply()
    RepairApplication.objects.filter(pk=application.pk).update(
        acceptance_due=add_working_days(NOVEMBER, -1)
    )
    for _n in range(2):
        OutboxMessage.objects.create(
            topic="credit_repair.result", payload={}, status=MessageStatus.DEAD, due_on=NOVEMBER
        )

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("credit")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(page.get_by_role("heading", name="已逾期")).to_be_visible()
    assert page.locator("#attention-outbox_dead .count").inner_text() == "2"
    assert page.locator("#attention-repair_overdue .count").inner_text() == "1"
    assert "2027 年" in page.locator("#attention-calendar_next_year").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "attention-1366.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "attention-390.png", full_page=True)

    page.get_by_role("link", name="信用修复申请超过办理期限").click()
    assert "overdue=on" in page.url
    assert application.receipt_number in page.content()
    assert page.console_errors == []
