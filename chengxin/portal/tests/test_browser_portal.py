"""The public portal in Chromium: search by name and by code, a subject's page, no full ID anywhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.portal.tests.fixtures import company, penalty, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "360426199101010071"


def test_search_subject_page_and_no_full_id_number(page, live_server, make_department) -> None:
    department = make_department(name="台儿庄区市场监督管理局")
    firm = company("枣庄市台儿庄区龑淼商贸有限公司")
    record = penalty(firm, department)
    someone = person("王小明", ID_NUMBER)
    penalty(someone, department, id_number=ID_NUMBER)
    seen: list[str] = []
    page.on(
        "response",
        lambda response: (
            seen.append(response.text())
            if "text/html" in response.headers.get("content-type", "")
            or "json" in response.headers.get("content-type", "")
            else None
        ),
    )

    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").fill("龑淼")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/search/?q=*")
    page.get_by_role("link", name="枣庄市台儿庄区龑淼商贸有限公司").click()
    expect(page.get_by_role("heading", name="枣庄市台儿庄区龑淼商贸有限公司")).to_be_visible()
    expect(page.get_by_text(record.decision_number)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "portal-subject.png", full_page=True)

    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").fill(firm.credit_code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="枣庄市台儿庄区龑淼商贸有限公司")).to_be_visible()

    # A natural person: found by the full ID number only, shown masked, the number never in a URL.
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").fill(ID_NUMBER)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert ID_NUMBER not in page.url
    page.get_by_role("link", name="王*明").click()
    expect(page.get_by_role("heading", name="王*明")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "portal-person.png", full_page=True)
    for body in [*seen, page.content()]:
        assert ID_NUMBER not in body and "王小明" not in body
    assert page.console_errors == []
