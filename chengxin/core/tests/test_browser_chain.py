"""The whole chain in Chromium against the live server, one user after another (issue 17, item 6).

立案 → 调查取证 → 告知 (a fine above the local 重大 threshold) → 法制审核 passed → 决定 (which drafts
the 双公示 penalty record) → the department's reporter submits it → the public finds it (page,
API, credit report) → the credit office lists the company → a credit check hits → the company
applies for repair of both → the deciding department agrees → the credit office approves both →
gone from every public output and from checks, and the results are in the outbox.

Only reference data is made with factories (departments, an enforcement body with two officers,
a penalty power item, users, the national list types with their measures); everything else is
done through the pages. The case is decided on the day the test starts (at 10:00, the clock
fixture); the clock then moves four months on (time-machine, the live server's thread included)
so that the penalty is past its minimum publicity period and may be repaired. Every date comes
from that day, so the test holds on any real date and under CHENGXIN_TEST_CLOCK_SHIFT_DAYS.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils.timezone import localdate
from playwright.sync_api import expect
from pypdf import PdfReader

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.tests.fixtures import (  # noqa: F401
    make_enforcement_body,
    make_enforcement_officer,
)
from chengxin.cases.choices import CaseStatus, MajorTrigger, ReviewResult
from chengxin.cases.models import CHECKLIST, Case, LegalityReview, LegalReviewer
from chengxin.core.identifiers import make_uscc
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.outbox.models import OutboxMessage
from chengxin.outbox.tasks import deliver_message
from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair.choices import ApplicationStatus, RepairKind
from chengxin.repair.models import RepairApplication
from chengxin.repair.tests.fixtures import PDF, department_reporter
from chengxin.screening.choices import CheckOutcome, EntryStatus
from chengxin.screening.models import CheckMeasure, CreditCheck, ListEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "枣庄市台儿庄区运河粮油贸易有限公司"
CREDIT_CODE = make_uscc(random.Random(1717))
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Four months: past the 3-month minimum publicity period of a 一般 penalty (every regime), well
# inside its maximum (12 months at least).
REPAIR_AFTER = datetime.timedelta(days=120)


@pytest.fixture(autouse=True)
def _private_folders(tmp_path: Path) -> Iterator[None]:
    """Evidence, outbox files, case attachments and media in the test's folder; no cached page
    or rate-limit counter from another test."""
    cache.clear()
    with override_settings(
        REPAIR_EVIDENCE_DIR=tmp_path / "evidence",
        SYNC_OUTBOX_DIR=tmp_path / "outbox",
        CASE_ATTACHMENT_DIR=tmp_path / "case-attachments",
        MEDIA_ROOT=tmp_path / "media",
    ):
        yield
    cache.clear()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"chain-{name}.png", full_page=True)


class Browsers:
    """One browser context per person (their own cookies), each page recording console errors."""

    def __init__(self, browser: Any, url: str) -> None:
        self.browser, self.url = browser, url
        self.pages: list[Any] = []

    def open(self, width: dict[str, int] = WIDE) -> Any:
        context = self.browser.new_context(locale="zh-CN", viewport=width)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        self.pages.append(page)
        return page

    def staff(self, username: str, path: str) -> Any:
        """A new context logged in as `username`, on `path`."""
        page = self.open()
        page.goto(f"{self.url}/accounts/login/?next={path}")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.url}{path}")
        return page

    def console_errors(self) -> list[str]:
        return [error for page in self.pages for error in page.console_errors]

    def close(self) -> None:
        for page in self.pages:
            page.context.close()


def download_report(page: Any, url: str) -> str:
    """From the subject page: 下载信用报告 → the report page's form (POST) → the PDF's text."""
    page.goto(url)
    page.get_by_role("link", name="下载信用报告").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载信用报告").click()
    return pdf_text(Path(download.value.path()).read_bytes())


def public_api(page: Any, url: str) -> dict[str, Any]:
    response = page.request.get(f"{url}/api/v1/public/subjects/{CREDIT_CODE}")
    assert response.status == 200, response.text()
    data: dict[str, Any] = response.json()
    return data


def run_check(page: Any, url: str, matter: str) -> CreditCheck:
    """A credit check of the company by its code, in the 政府采购 scenario."""
    page.goto(url + "/staff/screening/checks/new/")
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_label("业务场景").select_option(label="政府采购")
    page.get_by_label("审批事项或项目编号").fill(matter)
    page.get_by_role("button", name="核查", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/screening/checks/\d+/$"))
    return CreditCheck.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def apply_for_repair(page: Any, subject_url: str, item_text: str, statement: str) -> str:
    """From the public subject page: 申请信用修复 → the item → the form; the receipt number."""
    page.goto(subject_url)
    page.get_by_role("link", name="申请信用修复").click()
    item = page.locator("article.record", has_text=item_text)
    item.get_by_role("link", name="申请修复").click()
    page.get_by_label("本人已阅读并确认上述信用修复承诺书").check()
    page.get_by_label("纠正失信行为情况说明").fill(statement)
    page.get_by_label("证明材料").set_input_files(
        files=[{"name": "整改材料.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("联系人").fill("刘经理")
    page.get_by_label("联系电话").fill("0632-6618899")
    page.get_by_role("button", name="提交申请").click()
    receipt: str = page.locator("#receipt-number").inner_text()
    return receipt


def test_case_to_publicity_to_list_to_repair_in_the_browser(
    page: Any,
    browser: Any,
    live_server: Any,
    clock: Any,
    make_user: Callable[..., User],
    make_department: Callable[..., Department],
    make_enforcement_body: Callable[..., Any],  # noqa: F811
    make_enforcement_officer: Callable[..., Any],  # noqa: F811
    make_power_item: Callable[..., Any],  # noqa: F811
    credit_admin: User,
    checker: User,
    list_type: Callable[[str], Any],
    tmp_path: Path,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = live_server.url
    today = localdate()
    # 10:00 of today, ticking: a run that starts just before midnight does not cross it.
    clock.travel(today, tick=True)
    number = f"台市监罚〔{today.year}〕37号"

    # --- reference data ---------------------------------------------------------------------
    market = make_department(name="台儿庄区市场监督管理局")
    body = make_enforcement_body(name="台儿庄区市场监督管理局", department=market)
    officers = [
        make_enforcement_officer(body=body, name="李执法"),
        make_enforcement_officer(body=body, name="王执法"),
    ]
    item = make_power_item(name="对经营超过保质期食品的行政处罚", implementing_department=market)
    make_user(Role.ENFORCEMENT_OFFICER, department=market, username="banan", full_name="张办案")
    fazhi = make_user(
        Role.LEGAL_REVIEWER,
        department=make_department(name="台儿庄区司法局"),
        username="fazhi",
        full_name="赵法审",
    )
    # 行政处罚法 art. 58 para. 2: a first-time reviewer holds the 法律职业资格.
    LegalReviewer.objects.create(
        user=fazhi, has_legal_qualification=True, qualification_number="A20203704000001"
    )
    # The body's head (负责人) signs its decisions off.
    head = make_user(
        Role.ENFORCEMENT_OFFICER, department=market, username="juzhang", full_name="孙局长"
    )
    body.heads.add(head)
    reporter = department_reporter(market)
    procurement = list_type("procurement_violation")
    assert procurement.measures.exists()  # a dishonesty list with its measures (the catalogue)

    people = Browsers(browser, url)
    try:
        # --- 1. the officer registers the case, investigates, notifies, asks for 法制审核 ----
        officer = people.staff("banan", "/staff/cases/new/")
        officer.get_by_label("执法主体").select_option(str(body.pk))
        officer.get_by_label("权力事项").select_option(str(item.pk))
        officer.get_by_label("承办执法人员").select_option([str(o.pk) for o in officers])
        expect(officer.get_by_label("立案日期")).to_have_value(today.isoformat())
        officer.get_by_label("案情摘要").fill(
            "经群众举报，当事人在其经营场所销售超过保质期的食用油。"
        )
        officer.locator("#id_party-0-name").fill(COMPANY)
        officer.locator("#id_party-0-category").select_option("legal_entity")
        officer.locator("#id_party-0-code").fill(CREDIT_CODE)
        officer.get_by_role("button", name="立案", exact=True).click()
        officer.wait_for_url(re.compile(r"/staff/cases/\d+/$"))
        case = Case.objects.get()
        expect(officer.get_by_role("heading", name=f"执法案件 {case.number}")).to_be_visible()

        officer.get_by_role("button", name="记录调查取证").click()
        expect(officer.get_by_text("已记录“调查取证”")).to_be_visible()
        # 150,000 yuan against a company: at or above the local threshold (100,000 by default).
        officer.locator("#id_notification-fine_amount").fill("150000")
        officer.get_by_role("button", name="记录告知").click()
        expect(officer.get_by_text("已记录“告知”")).to_be_visible()
        expect(officer.get_by_role("note")).to_contain_text(str(MajorTrigger.FINE_AMOUNT.label))
        officer.locator("#id_review-submission").fill("拟罚款十五万元，理由见调查终结报告。")
        officer.get_by_role("button", name="提请法制审核").click()
        expect(officer.get_by_text("已提请法制审核。")).to_be_visible()
        shot(officer, "1-case-in-review")

        # --- 2. the legal reviewer passes the review, every checklist item confirmed ------------
        reviewer = people.staff("fazhi", "/staff/cases/reviews/")
        reviewer.get_by_role("link", name=case.number).click()
        reviewer.get_by_label("通过", exact=True).check()
        reviewer.get_by_label("审核意见").fill("事实清楚，证据确凿，适用依据正确，程序合法，同意。")
        for _field, label in CHECKLIST:
            reviewer.get_by_label(str(label)).check()
        reviewer.get_by_role("button", name="提交审核结果").click()
        expect(reviewer.get_by_text("已记录法制审核结果。")).to_be_visible()
        review = LegalityReview.objects.get(case=case)
        assert review.result == ReviewResult.PASSED
        assert all(getattr(review, field) for field, _label in CHECKLIST)

        # --- 3. the heads discuss the major case (art. 57 para. 2); the head signs it off -----
        officer.reload()
        officer.locator("#id_discussion-participants").fill("孙局长（局长）\n王振东（副局长）")
        officer.locator("#id_discussion-conclusion").fill("同意罚款十五万元。")
        officer.get_by_label("同意给予拟定的行政处罚").check()
        officer.get_by_role("button", name="记录", exact=True).click()
        expect(officer.get_by_text("已记录负责人集体讨论。")).to_be_visible()
        chief = people.staff("juzhang", "/staff/cases/sign-off/")
        chief.get_by_role("link", name=case.number).click()
        chief.get_by_label("签批意见").fill("同意。")
        chief.get_by_role("button", name="签批", exact=True).click()
        expect(chief.get_by_text("已签批")).to_be_visible()

        # --- 4. the decision, with what the 双公示 record needs ---------------------------------
        officer.reload()
        officer.locator("#id_decision-decision_number").fill(number)
        officer.locator("#id_decision-decision_summary").fill(
            "没收超过保质期的食用油，并处罚款十五万元。"
        )
        officer.locator("#id_decision-fine_amount").fill("150000")
        officer.get_by_label("违法行为类型").fill("经营超过保质期的食品")
        officer.get_by_label("违法事实").fill(
            "当事人在其经营场所销售超过保质期的食用油 120 桶，货值金额一万元。"
        )
        officer.get_by_label("处罚依据").fill(
            "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"
        )
        officer.get_by_label("罚款", exact=True).check()
        valid_until = today + datetime.timedelta(days=365)
        officer.get_by_label("处罚有效期").fill(valid_until.isoformat())
        expect(officer.get_by_label("简易程序（当场作出）")).not_to_be_checked()
        shot(officer, "3-decision-form")
        officer.get_by_role("button", name="记录决定").click()
        expect(officer.get_by_text("已记录“决定”")).to_be_visible()
        case.refresh_from_db()
        assert case.status == CaseStatus.DECIDED and case.decision_number == number
        record = PenaltyRecord.objects.get(case=case)
        assert record.status == RecordStatus.DRAFT and record.department == market
        assert record.decision_date == case.decided_on
        assert record.penalty_categories == "罚款" and record.penalty_valid_until == valid_until
        shot(officer, "3-case-decided")

        # --- 5. the department's reporter finds the draft and submits it ------------------------
        desk = people.staff(reporter.username, "/staff/publicity/penalties/")
        desk.get_by_role("link", name=number).click()
        desk.get_by_role("button", name="提交", exact=True).click()
        expect(desk.get_by_text("已提交。")).to_be_visible()
        record.refresh_from_db()
        assert record.status == RecordStatus.PUBLISHED, record.status
        subject = record.subject
        assert subject is not None and subject.credit_code == CREDIT_CODE
        shot(desk, "4-record-published")
        case.refresh_from_db()
        assert case.published_on == today  # the record's publication is the case's 事后公开

        # --- four months later: past the minimum publicity period -------------------------------
        later = case.decided_on + REPAIR_AFTER
        clock.travel(later, tick=True)
        assert localdate() == later
        subject_url = f"{url}/subjects/{subject.public_id}/"

        # --- 6. a citizen finds the company and its penalty: page, API, credit report ----------
        page.set_viewport_size(WIDE)
        page.goto(url + "/")
        page.get_by_role("searchbox").fill("运河粮油")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url("**/search/?q=*")
        page.get_by_role("link", name=COMPANY).click()
        expect(page.get_by_role("heading", name=COMPANY)).to_be_visible()
        assert page.url == subject_url
        expect(page.get_by_role("heading", name=number)).to_be_visible()
        shot(page, "5-subject-page")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "5-subject-page-390")
        page.set_viewport_size(WIDE)
        penalties = public_api(page, url)["penalties"]
        assert [p["CF_WSH"] for p in penalties] == [number]
        assert number in download_report(page, subject_url)

        # --- 7. the credit office lists the company; a credit check hits -----------------------
        document = f"台财采罚〔{later.year}〕5号"
        office = people.staff(credit_admin.username, "/staff/screening/lists/new/")
        office.get_by_label("名单类型").select_option(label=procurement.name)
        office.get_by_label("主体名称").fill(COMPANY)
        office.get_by_label("主体类别").select_option("legal_entity")
        office.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
        office.get_by_label("认定部门").fill("台儿庄区财政局")
        office.get_by_label("认定文书号").fill(document)
        office.get_by_label("认定依据及事由").fill("在政府采购活动中提供虚假材料谋取中标。")
        office.get_by_label("列入日期").fill(later.isoformat())
        office.get_by_label("有效期至").fill((later + datetime.timedelta(days=3 * 365)).isoformat())
        office.get_by_role("button", name="保存").click()
        expect(office.get_by_text("已保存。")).to_be_visible()
        entry = ListEntry.objects.get()
        assert entry.subject_id == subject.pk and entry.status == EntryStatus.ACTIVE
        shot(office, "6-list-entry")

        page.goto(subject_url)
        # Cached since step 5: saving the entry made the cached page stale.
        expect(page.get_by_text(document)).to_be_visible()
        assert [m["document_number"] for m in public_api(page, url)["list_memberships"]] == [
            document
        ]

        check_desk = people.staff(checker.username, "/staff/screening/checks/new/")
        hit = run_check(check_desk, url, f"TEZ-CG-{later.year}-031 粮油采购")
        assert hit.outcome == CheckOutcome.HIT
        expect(check_desk.get_by_role("heading", name="命中名单")).to_be_visible()
        expect(check_desk.get_by_text(document).first).to_be_visible()
        codes = sorted(
            CheckMeasure.objects.filter(credit_check=hit).values_list("measure__code", flat=True)
        )
        assert "JC-01" in codes
        for code in codes:
            expect(check_desk.get_by_role("cell", name=code, exact=True)).to_be_visible()
        shot(check_desk, "6-check-hit")

        # --- 8. the company applies for repair of the penalty and for removal from the list ----
        penalty_receipt = apply_for_repair(
            page, subject_url, number, "罚款十五万元已于决定后十日内缴清，过期食用油已全部销毁。"
        )
        shot(page, "7-repair-receipt")
        list_receipt = apply_for_repair(
            page, subject_url, document, "已完成整改，建立了投标材料审核制度。"
        )
        by_penalty = RepairApplication.objects.get(receipt_number=penalty_receipt)
        by_entry = RepairApplication.objects.get(receipt_number=list_receipt)
        assert by_penalty.kind == RepairKind.STOP_PUBLICITY and by_penalty.penalty_id == record.pk
        assert by_entry.kind == RepairKind.REMOVE_FROM_LIST and by_entry.list_entry_id == entry.pk

        # --- 9. the office accepts both; the deciding department agrees; the office approves ---
        for receipt in (penalty_receipt, list_receipt):
            office.goto(url + "/staff/repair/")
            office.get_by_role("link", name=receipt).click()
            office.get_by_role("button", name="受理", exact=True).click()
            expect(office.get_by_text("已受理，审查期限开始计算。")).to_be_visible()
        office.goto(f"{url}/staff/repair/{by_penalty.pk}/")
        expect(office.get_by_role("button", name="同意修复")).to_be_disabled()  # 谁认定、谁修复

        deciding = people.staff(reporter.username, "/staff/repair/")
        deciding.get_by_role("link", name=penalty_receipt).click()
        deciding.get_by_label("同意", exact=True).check()
        deciding.get_by_label("理由").fill("经核实，罚款已缴清，违法行为已纠正。")
        deciding.get_by_role("button", name="保存意见").click()
        expect(deciding.get_by_text("已保存决定部门意见")).to_be_visible()

        for application in (by_penalty, by_entry):
            office.goto(f"{url}/staff/repair/{application.pk}/")
            office.get_by_role("button", name="同意修复").click()
            expect(office.get_by_text("已同意修复：该信息即日起不再公开")).to_be_visible()
        shot(office, "8-repair-approved")
        for application in (by_penalty, by_entry):
            application.refresh_from_db()
            assert application.status == ApplicationStatus.APPROVED

        # --- 10. gone: public page, API, a new report, a new check; the outbox has both ---------
        # A new visitor, without the applicant's session cookie, is served the cached pages.
        visitor = people.open()
        visitor.goto(subject_url)
        expect(visitor.get_by_text("没有公示期内的行政处罚信息。")).to_be_visible()
        expect(visitor.get_by_text("没有有效的名单记录。")).to_be_visible()
        html = visitor.content()
        assert number not in html and document not in html
        shot(visitor, "9-subject-after-repair")
        visitor.set_viewport_size(PHONE)
        shot(visitor, "9-subject-after-repair-390")
        visitor.set_viewport_size(WIDE)
        data = public_api(visitor, url)
        assert data["penalties"] == [] and data["list_memberships"] == []
        report = download_report(visitor, subject_url)
        assert number not in report and document not in report and CREDIT_CODE in report
        for receipt in (penalty_receipt, list_receipt):
            page.goto(f"{url}/repair/status/{receipt}/")
            expect(page.locator("#application-status")).to_have_text("同意修复")

        clear = run_check(check_desk, url, f"TEZ-CG-{later.year}-032 粮油采购")
        assert clear.outcome == CheckOutcome.CLEAR
        expect(check_desk.get_by_text("未命中任何有效名单。")).to_be_visible()
        shot(check_desk, "9-check-clear")

        messages = OutboxMessage.objects.filter(
            object_type=RepairApplication._meta.label_lower,
            object_id__in=[str(by_penalty.pk), str(by_entry.pk)],
        )
        payloads = {m.payload["XYXF_SLBH"]: m.payload for m in messages}
        assert set(payloads) == {penalty_receipt, list_receipt}
        assert payloads[penalty_receipt]["CF_WSH"] == number
        assert payloads[penalty_receipt]["XYXF_JG"] == "1"  # 同意修复
        assert payloads[penalty_receipt]["XYXF_BMJL"] == "1"  # the department's 同意
        assert payloads[list_receipt]["MD_WSH"] == document
        assert payloads[list_receipt]["XYXF_JG"] == "1"
        # Delivered (the worker's task, run here) into the test's own outbox folder.
        for message in messages:
            assert deliver_message.call(message.pk) == "delivered"
        written = [
            json.loads(path.read_text(encoding="utf-8"))
            for path in (tmp_path / "outbox").glob("*.json")
        ]
        delivered = {body["data"]["XYXF_SLBH"] for body in written if "XYXF_SLBH" in body["data"]}
        assert delivered == {penalty_receipt, list_receipt}
        assert people.console_errors() == [] and page.console_errors == []
    finally:
        people.close()
