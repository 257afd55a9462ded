"""Staff pages (permissions by role, adjustment forms, categories, export, query counts) and
the public list (no login; as of a date; no internal fields)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chengxin.accounts.models import User
from chengxin.powers.actions import change_power_item
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerCategory, PowerItem
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
    assert detail.status_code == 200 and detail.context["can_change"] is False
    assert client.get(reverse("powers:item_add")).status_code == 403
    assert client.get(reverse("powers:item_adjust", args=[item.pk, "cancel"])).status_code == 403
    assert client.get(reverse("powers:export", args=["csv"])).status_code == 403
    categories = client.get(reverse("powers:categories"))
    assert categories.context["form"] is None
    assert client.post(reverse("powers:categories"), {"code": "x", "name": "x"}).status_code == 403


def test_admin_changes_an_item_through_the_form(law_admin: User, make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日")
    client = logged_in(law_admin)
    url = reverse("powers:item_adjust", args=[item.pk, "change"])
    form = client.get(url).context["form"]
    data = {key: getattr(value, "pk", value) for key, value in form.initial.items()}
    data.update(
        time_limit="30日",
        reason="优化营商环境",
        document="台政办发〔2025〕9号",
        effective_on="2025-03-01",
    )
    early = client.post(url, {**data, "effective_on": "2024-12-31"})
    assert "生效日期不能早于该事项最近一次调整的生效日期" in early.content.decode()
    response = client.post(url, data)
    assert response["Location"] == reverse("powers:item", args=[item.pk])
    item.refresh_from_db()
    assert item.time_limit == "30日" and item.version == 2
    page = client.get(reverse("powers:item", args=[item.pk])).content.decode()
    assert "优化营商环境" in page and "办理时限" in page


def test_admin_adds_and_cancels_items(law_admin: User, make_department: Callable[..., Any]) -> None:
    department = make_department()
    client = logged_in(law_admin)
    client.post(
        reverse("powers:item_add"),
        {
            "code": "XK-1",
            "name": "公共场所卫生许可",
            "category": PowerCategory.objects.get(code="license").pk,
            "implementing_department": department.pk,
            "legal_basis": "《公共场所卫生管理条例》",
            "reason": "新增",
            "document": "台政办发〔2025〕1号",
            "effective_on": "2025-01-01",
        },
    )
    item = PowerItem.objects.get(code="XK-1")
    client.post(
        reverse("powers:item_adjust", args=[item.pk, "cancel"]),
        {"reason": "取消", "document": "台政办发〔2025〕2号", "effective_on": "2025-02-01"},
    )
    kinds = list(item.adjustments.order_by("version").values_list("kind", flat=True))
    assert kinds == [AdjustmentKind.ADD, AdjustmentKind.CANCEL]


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


@pytest.mark.parametrize("name", ["powers:list", "powers:adjustments", "powers_public:list"])
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
