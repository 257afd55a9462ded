"""A major case in Chromium: 立案 → 调查取证 → 告知 → the decision refused → 法制审核 passed by the
legal office → refused again (the heads must discuss a complex case) → 负责人集体讨论 → refused
again (no head's sign-off) → the head signs it off from the 待签批 list → 决定."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.cases.models import Case, LegalReviewer
from chengxin.core.identifiers import make_uscc
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, url: str, username: str) -> None:
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_major_case_is_decided_only_after_a_passed_review(
    page: Any,
    live_server: Any,
    make_user: Any,
    case_department: Any,
    case_body: Any,
    case_officers: Any,
    penalty_item: Any,
) -> None:
    make_user(Role.ENFORCEMENT_OFFICER, department=case_department, username="banan")
    fazhi = make_user(Role.LEGAL_REVIEWER, username="fazhi")
    LegalReviewer.objects.create(
        user=fazhi, has_legal_qualification=True, qualification_number="A20203704000001"
    )
    head = make_user(
        Role.ENFORCEMENT_OFFICER, department=case_department, username="juzhang", full_name="孙局长"
    )
    case_body.heads.add(head)
    url = live_server.url
    login(page, url, "banan")
    page.goto(url + "/staff/cases/new/")
    page.get_by_label("执法主体").select_option(str(case_body.pk))
    page.get_by_label("权力事项").select_option(str(penalty_item.pk))
    page.get_by_label("承办执法人员").select_option([str(o.pk) for o in case_officers])
    page.get_by_label("案情摘要").fill("经举报，当事人销售超过保质期的食品，涉案数量较大。")
    page.get_by_label("案件情况疑难复杂、涉及多个法律关系").check()
    page.locator("#id_party-0-name").fill("台儿庄区鲁南食品有限公司")
    page.locator("#id_party-0-category").select_option("legal_entity")
    page.locator("#id_party-0-code").fill(make_uscc(random.Random(9)))
    page.get_by_role("button", name="立案", exact=True).click()
    page.screenshot(path=SCREENSHOTS / "cases-register.png", full_page=True)
    case = Case.objects.get()
    expect(page.get_by_text(case.number).first).to_be_visible()

    page.get_by_role("button", name="记录调查取证").click()
    page.locator("#id_notification-fine_amount").fill("50000")
    page.get_by_role("button", name="记录告知").click()
    fill_decision(page)
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_text("第五十八条").first).to_be_visible()  # refused for the review alone
    page.locator("#id_review-submission").fill("拟罚款五万元，理由见调查终结报告。")
    page.get_by_role("button", name="提请法制审核").click()
    page.screenshot(path=SCREENSHOTS / "cases-in-review.png", full_page=True)

    reviewer = page.context.browser.new_context(locale="zh-CN").new_page()
    login(reviewer, url, "fazhi")
    reviewer.goto(url + "/staff/cases/reviews/")
    reviewer.get_by_role("link", name=case.number).click()
    reviewer.get_by_label("通过", exact=True).check()
    reviewer.get_by_label("审核意见").fill("事实清楚，证据充分，同意。")
    for box in reviewer.locator("input[type=checkbox][name^=review-checked]").all():
        box.check()
    reviewer.get_by_role("button", name="提交审核结果").click()
    reviewer.screenshot(path=SCREENSHOTS / "cases-review-queue.png", full_page=True)

    page.reload()
    fill_decision(page)
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_text("第五十七条第二款").first).to_be_visible()  # the heads must discuss
    page.locator("#id_discussion-participants").fill("孙局长（局长）\n王振东（副局长）")
    page.locator("#id_discussion-conclusion").fill("同意罚款五万元。")
    page.get_by_label("同意给予拟定的行政处罚").check()
    page.get_by_role("button", name="记录", exact=True).click()
    expect(page.get_by_text("已记录负责人集体讨论。")).to_be_visible()
    fill_decision(page)
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_text("须经执法主体负责人签批").first).to_be_visible()

    chief = page.context.browser.new_context(locale="zh-CN").new_page()
    login(chief, url, "juzhang")
    chief.goto(url + "/staff/cases/sign-off/")
    chief.get_by_role("link", name=case.number).click()
    chief.get_by_label("签批意见").fill("同意。")
    chief.get_by_role("button", name="签批", exact=True).click()
    expect(chief.get_by_text("已签批")).to_be_visible()
    chief.screenshot(path=SCREENSHOTS / "cases-signed-off.png", full_page=True)

    page.reload()
    fill_decision(page)
    page.locator("#id_decision-fine_amount").fill("50000")
    page.get_by_role("button", name="记录决定").click()
    case.refresh_from_db()
    assert case.status == "decided"
    page.screenshot(path=SCREENSHOTS / "cases-decided.png", full_page=True)
    assert page.console_errors == []


def fill_decision(page) -> None:
    """The decision of a penalty case, with what its 双公示 record needs."""
    page.locator("#id_decision-decision_number").fill("台市监罚〔2026〕1号")
    page.locator("#id_decision-decision_summary").fill("罚款五万元。")
    page.locator("#id_decision-violation_type").fill("销售超过保质期的食品")
    page.locator("#id_decision-violation_facts").fill("经查，当事人销售超过保质期的食品。")
    page.locator("#id_decision-legal_basis").fill("《中华人民共和国食品安全法》第一百二十四条")
    page.get_by_label("罚款", exact=True).check()
    valid_until = localdate() + datetime.timedelta(days=365)
    page.locator("#id_decision-valid_until").fill(valid_until.isoformat())
