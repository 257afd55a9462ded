"""Staff pages (permissions by role, adjustment forms, categories, export, query counts) and
the public list (no login; as of a date; no internal fields)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from chengxin.accounts.models import User
from chengxin.powers.actions import change_power_item
from chengxin.powers.choices import ProposalStatus
from chengxin.powers.models import PowerCategory, PowerItem, PowerProposal
from chengxin.powers.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

MakeItem = Callable[..., PowerItem]
JAN1, MAR1 = datetime.date(2025, 1, 1), datetime.date(2025, 3, 1)
STAFF_PAGES = ("powers:list", "powers:adjustments", "powers:categories")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_for_admin_and_enforcement_officer(
    name: str, law_admin: User, case_officer: User, make_power_item: MakeItem
) -> None:
    make_power_item()
    assert logged_in(law_admin).get(reverse(name)).status_code == 200
    assert logged_in(case_officer).get(reverse(name)).status_code == 200
    assert Client().get(reverse(name)).status_code == 302


def test_enforcement_officer_may_only_view(case_officer: User, make_power_item: MakeItem) -> None:
    item = make_power_item()
    client = logged_in(case_officer)
    detail = client.get(reverse("powers:item", args=[item.pk]))
    assert detail.status_code == 200 and detail.context["can_propose"] is False
    assert client.get(reverse("powers:item_add")).status_code == 403
    assert client.get(reverse("powers:item_adjust", args=[item.pk, "cancel"])).status_code == 403
    assert client.get(reverse("powers:proposals")).status_code == 403
    assert client.get(reverse("powers:export", args=["csv"])).status_code == 403
    categories = client.get(reverse("powers:categories"))
    assert categories.context["form"] is None
    assert client.post(reverse("powers:categories"), {"code": "x", "name": "x"}).status_code == 403


def test_a_liaison_proposes_for_their_department_and_may_not_edit_categories(
    liaison: User, make_power_item: MakeItem, market: Any
) -> None:
    own = make_power_item(implementing_department=market)
    other = make_power_item()
    client = logged_in(liaison)
    assert client.get(reverse("powers:item", args=[own.pk])).context["can_propose"] is True
    assert client.get(reverse("powers:item", args=[other.pk])).context["can_propose"] is False
    assert client.get(reverse("powers:item_adjust", args=[own.pk, "change"])).status_code == 200
    assert client.get(reverse("powers:item_adjust", args=[other.pk, "change"])).status_code == 403
    form = client.get(reverse("powers:item_add")).context["form"]
    assert list(form.fields["implementing_department"].queryset) == [market]
    assert client.get(reverse("powers:categories")).context["form"] is None
    assert client.post(reverse("powers:categories"), {"code": "x", "name": "x"}).status_code == 403
    assert client.get(reverse("registers:upload", args=["power_items"])).status_code == 403


DUTIES = {"duties": "1.立案责任……", "accountability": "1.违反法定程序实施行政处罚的……"}


def test_the_whole_procedure_through_the_pages(
    liaison: User,
    law_admin: User,
    registrar: User,
    make_power_item: MakeItem,
    market: Any,
) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日", implementing_department=market)
    proposer = logged_in(liaison)
    url = reverse("powers:item_adjust", args=[item.pk, "change"])
    form = proposer.get(url).context["form"]
    data = {key: getattr(value, "pk", value) for key, value in form.initial.items()}
    data.update(time_limit="30日", reason="优化营商环境", effective_on="2025-03-01")
    missing = proposer.post(url, data)
    assert set(missing.context["form"].errors) == {"duties", "accountability"}
    assert "请填写责任事项" in missing.content.decode()
    response = proposer.post(url, {**data, **DUTIES})
    proposal = PowerProposal.objects.get()
    assert response["Location"] == reverse("powers:proposal", args=[proposal.pk])
    item.refresh_from_db()
    assert item.time_limit == "90日" and item.version == 1
    page = proposer.get(response["Location"]).content.decode()
    assert "待审核" in page and "30日" in page and "90日" in page
    assert reverse("powers:proposal_review", args=[proposal.pk]) not in page

    reviewer = logged_in(law_admin)
    listing = reviewer.get(reverse("powers:proposals")).content.decode()
    assert reverse("powers:proposal", args=[proposal.pk]) in listing
    review = reverse("powers:proposal_review", args=[proposal.pk])
    reviewer.post(review, {"result": "passed", "opinion": "同意"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED

    approve = reverse("powers:proposal_approve", args=[proposal.pk])
    today = timezone.localdate().isoformat()
    basis = {"approved_on": today, "effective_on": today}
    same = reviewer.post(approve, {"document": "台政字〔2025〕9号", **basis}, follow=True)
    assert "登记批准的人员不能是该申请的申报人或审核人" in same.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED

    public = reverse("powers_public:item", args=[item.pk])
    before = Client().get(public).content.decode()  # passed, not approved: the list is as it was
    assert "90日" in before and "30日" not in before

    approver = logged_in(registrar)
    approver.post(approve, {"document": "", "approved_on": today, "effective_on": today})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    approver.post(
        approve, {"document": "台政字〔2025〕9号", "approved_on": today, "effective_on": today}
    )
    proposal.refresh_from_db()
    item.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and item.time_limit == "30日"
    history = approver.get(reverse("powers:item", args=[item.pk])).content.decode()
    assert f"调整申请 #{proposal.pk}" in history and "台政字〔2025〕9号" in history
    after = Client().get(public).content.decode()
    assert "30日" in after and DUTIES["accountability"] in after


def test_a_returned_proposal_through_the_pages(
    liaison: User, law_admin: User, make_power_item: MakeItem, market: Any
) -> None:
    item = make_power_item(effective_on=JAN1, implementing_department=market, **DUTIES)
    proposer = logged_in(liaison)
    proposer.post(
        reverse("powers:item_adjust", args=[item.pk, "cancel"]),
        {"reason": "设定依据废止", "effective_on": "2025-03-01"},
    )
    proposal = PowerProposal.objects.get()
    review = reverse("powers:proposal_review", args=[proposal.pk])
    logged_in(law_admin).post(review, {"result": "returned", "opinion": ""})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED  # a return needs its reason
    logged_in(law_admin).post(review, {"result": "returned", "opinion": "请附废止文件"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    revise = reverse("powers:proposal_revise", args=[proposal.pk])
    assert "请附废止文件" in proposer.get(revise).content.decode()
    proposer.post(revise, {"reason": "依据已废止（附文件）", "effective_on": "2025-03-01"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.reason == "依据已废止（附文件）"
    withdraw = reverse("powers:proposal_withdraw", args=[proposal.pk])
    proposer.post(withdraw, {"reason": "不再取消"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert not item.adjustments.filter(kind="cancel").exists()


def test_admin_adds_a_local_category(law_admin: User) -> None:
    client = logged_in(law_admin)
    client.post(
        reverse("powers:categories"),
        {"code": "requisition", "name": "行政征用", "ordering": 95, "is_active": "on"},
    )
    assert PowerCategory.objects.get(code="requisition").name == "行政征用"


def test_staff_list_as_of_a_past_date_and_export(
    law_admin: User, make_power_item: MakeItem
) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日")
    change_power_item(
        item,
        {"time_limit": "60日"},
        actor=None,
        reason="压缩时限",
        document="台政办发〔2025〕5号",
        effective_on=MAR1,
    )
    client = logged_in(law_admin)
    before = client.get(reverse("powers:list"), {"on": "2025-02-01"}).content.decode()
    after = client.get(reverse("powers:list"), {"on": "2025-03-01"}).content.decode()
    assert "90日" in before and "60日" not in before
    assert "60日" in after and "90日" not in after
    csv_text = client.get(reverse("powers:export", args=["csv"]), {"on": "2025-02-01"})
    lines = csv_text.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("权力编码,权力名称,权力类别")
    assert lines[1].startswith(item.code) and ",90日," in lines[1] and len(lines) == 2
    xlsx = client.get(reverse("powers:export", args=["xlsx"]), {"on": "2025-03-01"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.getvalue())).get_sheet_by_index(0)
    table = sheet.to_python()
    assert table[0][0] == "行政权力清单（截至 2025-03-01）"
    assert table[2][0] == item.code and "60日" in table[2]


def test_public_list_as_of_a_date_shows_published_fields_only(
    law_admin: User, make_power_item: MakeItem, make_department: Callable[..., Any]
) -> None:
    department = make_department(name="台儿庄区市场监督管理局")
    item = make_power_item(
        effective_on=JAN1,
        implementing_department=department,
        supervision_phone="0632-6611315",
        reason="内部调整原因甲",
    )
    change_power_item(
        item,
        {"fee_basis": "按国家标准收费"},
        actor=law_admin,
        reason="内部调整原因乙",
        document="台政办发〔2025〕5号",
        effective_on=MAR1,
    )
    client = Client()
    html = client.get(reverse("powers_public:list"), {"on": "2025-02-01"}).content.decode()
    for shown in (
        item.code,
        item.name,
        "行政处罚",
        "台儿庄区市场监督管理局",
        "0632-6611315",
        "不收费",
    ):
        assert shown in html
    for hidden in ("按国家标准收费", "内部调整原因甲", "内部调整原因乙", law_admin.full_name):
        assert hidden not in html
    now = client.get(reverse("powers_public:list")).content.decode()
    assert "按国家标准收费" in now
    assert (
        client.get(reverse("powers_public:list"), {"on": "2024-12-31"})
        .context["page"]
        .paginator.count
        == 0
    )
    export = client.get(reverse("powers_public:export", args=["csv"]))
    assert export.status_code == 200 and item.code in export.getvalue().decode("utf-8-sig")


def test_public_item_page_shows_duties_and_accountability_of_the_day(
    make_power_item: MakeItem,
) -> None:
    item = make_power_item(effective_on=JAN1, duties="受理审查责任", accountability="旧追责情形")
    change_power_item(
        item,
        {"accountability": "新追责情形"},
        actor=None,
        reason="内部调整原因",
        document="台政办发〔2025〕5号",
        effective_on=MAR1,
    )
    client = Client()
    url = reverse("powers_public:item", args=[item.pk])
    before = client.get(url, {"on": "2025-02-01"}).content.decode()
    assert "受理审查责任" in before and "旧追责情形" in before and "新追责情形" not in before
    now = client.get(url).content.decode()
    assert "新追责情形" in now and "内部调整原因" not in now
    assert client.get(url, {"on": "2024-12-31"}).status_code == 404
    listing = client.get(reverse("powers_public:list")).content.decode()
    assert url in listing


def test_the_export_has_duties_and_accountability(
    law_admin: User, make_power_item: MakeItem
) -> None:
    old = make_power_item(effective_on=JAN1)  # listed before they were kept
    new = make_power_item(effective_on=JAN1, duties="送达责任", accountability="违法送达的")
    response = logged_in(law_admin).get(reverse("powers:export", args=["csv"]))
    rows = list(csv.reader(response.getvalue().decode("utf-8-sig").splitlines()))
    header = rows[0]
    assert header[-4:] == ["责任事项", "追责情形", "版本", "本版本生效日期"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[new.code][-4:-2] == ["送达责任", "违法送达的"]
    assert by_code[old.code][-4:-2] == ["", ""]


def test_public_list_filters_by_category_and_department(make_power_item: MakeItem) -> None:
    penalty = make_power_item(name="处罚事项甲")
    license_ = make_power_item(name="许可事项乙", category="license")
    client = Client()
    by_category = client.get(reverse("powers_public:list"), {"category": "license"})
    assert "许可事项乙" in by_category.content.decode()
    assert "处罚事项甲" not in by_category.content.decode()
    by_department = client.get(
        reverse("powers_public:list"), {"department": penalty.implementing_department_id}
    ).content.decode()
    assert "处罚事项甲" in by_department and license_.name not in by_department


@pytest.mark.parametrize(
    "name", ["powers:list", "powers:adjustments", "powers:proposals", "powers_public:list"]
)
def test_list_query_count_does_not_grow(
    name: str,
    law_admin: User,
    make_power_item: MakeItem,
    django_assert_max_num_queries: Any,
) -> None:
    make_power_item()
    client = logged_in(law_admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    for _ in range(8):
        make_power_item()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(name))


def test_open_government_page_links_the_public_list() -> None:
    assert reverse("powers_public:list") in Client().get(reverse("portal:open")).content.decode()


def test_dashboard_links_the_power_list_by_permission(law_admin: User, case_officer: User) -> None:
    admin_page = logged_in(law_admin).get(reverse("core:dashboard")).content.decode()
    assert reverse("powers:list") in admin_page and reverse("powers:item_add") in admin_page
    officer_page = logged_in(case_officer).get(reverse("core:dashboard")).content.decode()
    assert reverse("powers:list") in officer_page
    assert reverse("powers:item_add") not in officer_page
