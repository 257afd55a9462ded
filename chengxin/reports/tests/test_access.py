"""Who may read, write, submit, return, finalise and publish the annual reports: their own
permission area "annual_reports" (accounts.permissions.ROLE_GRANTS, docs/adr/0025)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chengxin.accounts.choices import Role, Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, CHANGE, DELETE, REVIEW, VIEW, scope_for
from chengxin.core.navigation import navigation_for
from chengxin.reports import actions
from chengxin.reports.models import RuleOfLawReport

pytestmark = pytest.mark.django_db
ALL, DEPT = Scope.ALL, Scope.DEPARTMENT

WRITTEN = {"duty": "主要负责同志履行第一责任人职责。", "plans": "下一年度继续推进。"}


def last_year() -> int:
    """Read when a test runs (the clock may be moved), never at import."""
    return timezone.localdate().year - 1


# Who is who: (role, department key) — "market" writes the department report below.
PEOPLE = {
    "office": (Role.RULE_OF_LAW_ADMIN, "justice"),
    "liaison": (Role.LEGAL_AFFAIRS_OFFICER, "market"),
    "other_liaison": (Role.LEGAL_AFFAIRS_OFFICER, "transport"),
    "credit": (Role.CREDIT_ADMIN, "development"),
    "reporter": (Role.DEPARTMENT_REPORTER, "market"),
    "reviewer": (Role.LEGAL_REVIEWER, "justice"),
}


@pytest.fixture
def people(
    make_user: Callable[..., User], make_department: Callable[..., Department]
) -> dict[str, User]:
    departments = {
        key: make_department(name=f"台儿庄区{name}", short_name=name)
        for key, name in (
            ("justice", "司法局"),
            ("market", "市场监督管理局"),
            ("transport", "交通运输局"),
            ("development", "发展和改革局"),
        )
    }
    return {
        who: make_user(role, department=departments[key]) for who, (role, key) in PEOPLE.items()
    }


def post(user: User, name: str, report: RuleOfLawReport, **data: str) -> int:
    client = Client()
    client.force_login(user)
    return client.post(reverse(f"reports:{name}", args=[report.pk]), data).status_code


def get(user: User, url: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.RULE_OF_LAW_ADMIN, {VIEW: ALL, ADD: ALL, CHANGE: ALL, REVIEW: ALL}),
        (Role.LEGAL_AFFAIRS_OFFICER, {VIEW: DEPT, ADD: DEPT, CHANGE: DEPT}),
        (Role.CREDIT_ADMIN, {VIEW: ALL}),  # read: its credit chapter is the office's work
        (Role.DEPARTMENT_REPORTER, {}),
        (Role.ENFORCEMENT_OFFICER, {}),
        (Role.SYSTEM_ADMIN, {}),
    ],
)
def test_the_annual_reports_are_an_area_of_their_own(
    role: Role, expected: dict[str, Scope], make_user: Callable[..., User]
) -> None:
    user = make_user(role)
    for action in (VIEW, ADD, CHANGE, REVIEW, DELETE):
        scope = scope_for(user, action, RuleOfLawReport)
        assert scope == expected.get(action, Scope.NONE), (role, action)


def test_the_credit_office_sees_the_reports_again(people: dict[str, User]) -> None:
    """The credit administrator read the annual report before it moved out of "reports"."""
    credit = people["credit"]
    assert get(credit, reverse("reports:annual")) == 200
    labels = [str(item.label) for _title, items in navigation_for(credit) for item in items]
    assert "法治政府建设年度报告" in labels
    assert get(people["reporter"], reverse("reports:annual")) == 403
    assert get(people["other_liaison"], reverse("reports:annual")) == 200  # its own only


def test_who_may_read_and_write_a_departments_report(people: dict[str, User]) -> None:
    report = actions.create_draft(
        last_year(), actor=people["liaison"], department=people["liaison"].department
    )
    url = reverse("reports:report", args=[report.pk])
    readers = {who for who in PEOPLE if get(people[who], url) == 200}
    assert readers == {"office", "liaison", "credit"}
    writers = {who for who in PEOPLE if post(people[who], "save", report, issuer="X局") == 302}
    assert writers == {"office", "liaison"}


def test_only_the_department_submits_and_only_the_office_returns_and_finalises(
    people: dict[str, User],
) -> None:
    liaison, office = people["liaison"], people["office"]
    report = actions.create_draft(last_year(), actor=liaison, department=liaison.department)
    actions.save_texts(report, WRITTEN, actor=liaison)
    for who in ("office", "other_liaison", "credit", "reporter", "reviewer"):
        assert post(people[who], "submit", report) == 403, who
    assert post(liaison, "submit", report) == 302
    report.refresh_from_db()
    # Submitted: the department can no longer change it; only the office returns or finalises.
    assert post(liaison, "save", report, issuer="X局") == 403
    for who in ("liaison", "other_liaison", "credit", "reporter", "reviewer"):
        assert post(people[who], "return", report, comment="请补充。") == 403, who
        assert post(people[who], "finalise", report) == 403, who
    assert post(office, "return", report, comment="请补充。") == 302
    report.refresh_from_db()
    assert report.status == "returned" and post(liaison, "save", report, issuer="X局") == 302


def test_only_the_office_writes_finalises_and_publishes_the_governments(
    people: dict[str, User],
) -> None:
    office = people["office"]
    report = actions.create_draft(last_year(), actor=office)
    actions.save_texts(report, WRITTEN, actor=office)
    url = reverse("reports:report", args=[report.pk])
    assert {who for who in PEOPLE if get(people[who], url) == 200} == {"office", "credit"}
    for who in ("liaison", "credit", "reviewer"):
        assert post(people[who], "save", report, issuer="X") == 403, who
        assert post(people[who], "finalise", report) == 403, who
    report = actions.finalise(report, actor=office)
    for who in ("liaison", "credit", "reviewer"):
        assert post(people[who], "publish", report) == 403, who
    assert post(office, "publish", report) == 302
    report.refresh_from_db()
    assert report.published_at is not None


def test_the_list_links_every_report_and_every_version(people: dict[str, User]) -> None:
    liaison, office = people["liaison"], people["office"]
    government = actions.create_draft(last_year(), actor=office)
    first = actions.create_draft(last_year(), actor=liaison, department=liaison.department)
    actions.save_texts(first, WRITTEN, actor=liaison)
    first = actions.finalise(actions.submit(first, actor=liaison), actor=office)
    second = actions.new_version(first, actor=liaison)

    def links(user: User) -> set[int]:
        client = Client()
        client.force_login(user)
        page = client.get(reverse("reports:annual"), {"year": last_year()}).content.decode()
        return {
            report.pk
            for report in (government, first, second)
            if f'href="{reverse("reports:report", args=[report.pk])}"' in page
        }

    assert links(office) == {government.pk, first.pk, second.pk}
    assert links(people["credit"]) == {government.pk, first.pk, second.pk}
    assert links(liaison) == {first.pk, second.pk}  # its own, not the government's
    assert links(people["other_liaison"]) == set()
    # The government's report lists the departments' reports it draws on.
    client = Client()
    client.force_login(office)
    page = client.get(reverse("reports:report", args=[government.pk])).content.decode()
    assert f'href="{reverse("reports:report", args=[first.pk])}"' in page
