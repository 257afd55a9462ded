"""List memberships on the public subject page and in the public JSON: entries in force only."""

from __future__ import annotations

import datetime

import pytest
from django.utils.timezone import localdate

from chengxin.portal.tests.fixtures import company
from chengxin.screening.actions import remove_entry

pytestmark = pytest.mark.django_db


def test_page_and_api_show_entries_in_force_only(client, make_entry) -> None:
    firm = company("枣庄市台儿庄区名单测试有限公司")
    fields = dict(subject=firm, subject_name=firm.name, credit_code=firm.credit_code)
    shown = make_entry(document_number="台财采罚〔2026〕11号", **fields)
    trusted = make_entry("a_grade_taxpayer", document_number="台税A〔2026〕12号", **fields)
    ended = make_entry(
        document_number="台财采罚〔2026〕13号",
        listed_on=localdate() - datetime.timedelta(days=400),
        ends_on=localdate() - datetime.timedelta(days=1),
        **fields,
    )
    removed = make_entry(document_number="台财采罚〔2026〕14号", **fields)
    remove_entry(removed, actor=None, reason="信用修复", removed_on=localdate())

    page = client.get(f"/subjects/{firm.public_id}/").content.decode()
    assert shown.document_number in page and trusted.document_number in page
    assert "A级纳税人" in page and "申请信用修复" in page
    data = client.get(f"/api/v1/public/subjects/{firm.credit_code}").json()
    numbers = {m["document_number"] for m in data["list_memberships"]}
    assert numbers == {shown.document_number, trusted.document_number}
    for absent in (ended, removed):
        assert absent.document_number not in page


def test_a_removal_rebuilds_the_cached_page(
    client, make_entry, django_capture_on_commit_callbacks
) -> None:
    firm = company("枣庄市台儿庄区缓存测试有限公司")
    entry = make_entry(subject=firm, subject_name=firm.name, credit_code=firm.credit_code)
    url = f"/subjects/{firm.public_id}/"
    assert entry.document_number in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        remove_entry(entry, actor=None, reason="信用修复", removed_on=localdate())
    assert entry.document_number not in client.get(url).content.decode()
