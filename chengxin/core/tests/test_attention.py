"""The dashboard's 待办事项 registry (core.attention): discovery, who is asked, grouping, the
page, its cost, and core's own calendar items."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chengxin.accounts.choices import Role
from chengxin.core import attention
from chengxin.core.attention import Item, Severity
from chengxin.core.models import HolidayNotice
from chengxin.core.tests.test_attention_helpers import pending

pytestmark = pytest.mark.django_db

D = datetime.date
DASHBOARD = "/staff/"
# chinesecalendar 1.11 knows 2026, not 2027: from November 2026 next year's notice is due.
NOVEMBER = D(2026, 11, 26)


def fixed(key: str, number: Any, severity: Severity = Severity.DUE, **kwargs: Any) -> Item:
    return Item(
        key, f"事项{key}", severity, "", lambda user, today: number, "core:dashboard", **kwargs
    )


def test_every_app_item_is_found_with_a_unique_key_and_a_url() -> None:
    items = attention.all_items()
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    assert {
        "calendar_this_year",
        "licenses_submitted",
        "checks_feedback_overdue",
        "repair_overdue",
        "cases_reviews_pending",
        "documents_filing_overdue",
        "decisions_steps_overdue",
        "reconsiderations_overdue",
        "outbox_dead",
    } <= set(keys)
    assert all(i.url.startswith("/") for i in items)
    assert keys[:2] == ["calendar_this_year", "calendar_next_year"]  # core first


def test_a_key_declared_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    twice = SimpleNamespace(ITEMS=(fixed("a", 1), fixed("a", 2)))
    monkeypatch.setattr(attention, "app_modules", lambda name: [("x", twice)])
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        attention.all_items()


def test_an_item_the_user_may_not_see_is_not_computed(make_user: Any) -> None:
    def explode(user: Any, today: D) -> int:
        raise AssertionError("computed for a user it does not concern")

    guarded = Item("x", "x", Severity.DUE, "outbox.change_outboxmessage", explode, "outbox:dead")
    reporter = make_user(Role.DEPARTMENT_REPORTER)
    assert attention.pending_for(reporter, D(2026, 6, 1), [guarded]) == []


def test_zero_is_left_out_and_the_most_urgent_come_first(make_user: Any) -> None:
    items = [
        fixed("notice", 4, Severity.NOTICE),
        fixed("none", 0, Severity.OVERDUE),
        fixed("due", ["2027 年"], Severity.DUE),
        fixed("late", 2, Severity.OVERDUE),
    ]
    found = attention.pending_for(make_user(), D(2026, 6, 1), items)
    assert [(p.item.key, p.count) for p in found] == [("late", 2), ("due", 1), ("notice", 4)]
    assert found[1].names == ("2027 年",)
    groups = attention.grouped(found)
    assert [g.severity for g in groups] == [Severity.OVERDUE, Severity.DUE, Severity.NOTICE]


def test_the_link_is_left_out_for_a_user_who_may_not_open_the_page(make_user: Any) -> None:
    item = fixed("x", 1, link_permission="core.change_holidaynotice")
    (for_reporter,) = attention.pending_for(make_user(Role.DEPARTMENT_REPORTER), NOVEMBER, [item])
    (for_admin,) = attention.pending_for(make_user(Role.SYSTEM_ADMIN), NOVEMBER, [item])
    assert for_reporter.url == "" and for_admin.url == "/staff/"


# --- core's calendar items --------------------------------------------------------------------


def test_next_years_calendar_is_asked_for_from_november(make_user: Any) -> None:
    user = make_user(Role.ENFORCEMENT_OFFICER)
    assert pending(user, "calendar_next_year", D(2026, 10, 31)) == 0  # boundary: not yet
    assert pending(user, "calendar_next_year", D(2026, 11, 1)) == 1
    assert pending(user, "calendar_this_year", D(2026, 11, 1)) == 0  # 2026 is in the package
    assert pending(user, "calendar_this_year", D(2027, 3, 1)) == 1
    HolidayNotice.objects.create(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    assert pending(user, "calendar_next_year", D(2026, 11, 1)) == 0
    assert pending(user, "calendar_this_year", D(2027, 3, 1)) == 0


@pytest.mark.today(NOVEMBER)
def test_the_dashboard_names_the_missing_year_and_links_the_notices(
    client: Client, make_user: Any
) -> None:
    client.force_login(make_user(Role.SYSTEM_ADMIN))
    page = client.get(DASHBOARD).content.decode()
    assert "来年节假日安排尚未录入" in page and "2027 年" in page
    assert 'href="/admin/core/holidaynotice/"' in page
    client.force_login(make_user(Role.CREDIT_ADMIN))
    page = client.get(DASHBOARD).content.decode()
    assert "来年节假日安排尚未录入" in page and "/admin/core/holidaynotice/" not in page


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.today(D(2026, 6, 1))
def test_nothing_pending_says_so(client: Client, make_user: Any) -> None:
    client.force_login(make_user(Role.ENFORCEMENT_OFFICER))
    response = client.get(DASHBOARD)
    assert response.context["attention"] == []
    assert "暂无待办事项" in response.content.decode()


@pytest.mark.today(D(2026, 6, 1))
def test_the_page_groups_by_severity_with_title_count_and_link(
    client: Client, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [fixed("due", 3, Severity.DUE), fixed("late", 12, Severity.OVERDUE)]
    monkeypatch.setattr(attention, "all_items", lambda: items)
    client.force_login(make_user())
    page = client.get(DASHBOARD).content.decode()
    assert "暂无待办事项" not in page
    assert (
        page.index("已逾期") < page.index("事项late") < page.index("待办理") < page.index("事项due")
    )
    assert '<span class="count severity-1">12</span>' in page
    assert '<a href="/staff/">事项due</a>' in page


def test_one_query_an_item_whatever_the_rows(client: Client, make_user: Any) -> None:
    """The credit office's dashboard costs one count per item it is concerned by, and no more
    with more rows."""
    from chengxin.outbox.choices import MessageStatus
    from chengxin.outbox.models import OutboxMessage

    user = make_user(Role.CREDIT_ADMIN)
    concerned = [i for i in attention.all_items() if i.concerns(user) and i.permission]
    client.force_login(user)
    client.get(DASHBOARD)  # the calendar's per-process cache is filled

    def counts() -> int:
        with CaptureQueriesContext(connection) as queries:
            attention.pending_for(user, D(2026, 6, 1))
        return sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries)

    before = counts()
    for _n in range(3):
        OutboxMessage.objects.create(
            topic="credit_repair.result",
            payload={},
            status=MessageStatus.DEAD,
            due_on=D(2026, 6, 1),
        )
    assert counts() == before == len(concerned)
