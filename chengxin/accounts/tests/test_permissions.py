"""The role matrix, role by role, and row-level scoping by department."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import Role, Scope
from chengxin.accounts.models import ApiToken, Department, SettingChange, User, UserRole
from chengxin.accounts.permissions import (
    ADD,
    CHANGE,
    DELETE,
    EXPORT,
    IMPORT,
    REVEAL,
    REVIEW,
    VIEW,
    can,
    scope_for,
)
from chengxin.audit.models import AuditEntry
from chengxin.core.models import WorkdayOverride
from chengxin.core.tests.drafts.models import Draft
from chengxin.portal.models import CreditReport
from chengxin.subjects.models import Subject

ALL, DEPT, NONE = Scope.ALL, Scope.DEPARTMENT, Scope.NONE

# role → {(model, action): expected scope}; every cell not listed must be NONE.
MATRIX = {
    Role.SYSTEM_ADMIN: {
        (Department, ADD): ALL,
        (Department, CHANGE): ALL,
        (Department, VIEW): ALL,
        (Department, DELETE): ALL,
        (Department, IMPORT): ALL,  # the set-up files (imports.OrganisationImport)
        (User, VIEW): ALL,
        (User, ADD): ALL,
        (User, CHANGE): ALL,
        (WorkdayOverride, VIEW): ALL,
        (WorkdayOverride, ADD): ALL,
        (WorkdayOverride, CHANGE): ALL,
        (WorkdayOverride, DELETE): ALL,
    },
    Role.SECURITY_ADMIN: {
        (User, VIEW): ALL,
        (UserRole, VIEW): ALL,
        (UserRole, ADD): ALL,
        (UserRole, CHANGE): ALL,
        (UserRole, DELETE): ALL,
        (ApiToken, VIEW): ALL,
        (ApiToken, ADD): ALL,
        (ApiToken, CHANGE): ALL,
        (ApiToken, DELETE): ALL,
        (SettingChange, VIEW): ALL,
        (SettingChange, CHANGE): ALL,
    },
    Role.AUDIT_ADMIN: {(AuditEntry, VIEW): ALL},
    Role.CREDIT_ADMIN: {
        (Department, VIEW): ALL,
        (WorkdayOverride, VIEW): ALL,
        (Subject, VIEW): ALL,
        (Subject, ADD): ALL,
        (Subject, CHANGE): ALL,
        (Subject, DELETE): ALL,
        (Subject, REVEAL): ALL,
        (Subject, IMPORT): ALL,
        (Draft, VIEW): ALL,
        (Draft, ADD): ALL,
        (Draft, CHANGE): ALL,
        (Draft, DELETE): ALL,
        (Draft, IMPORT): ALL,
        (CreditReport, VIEW): ALL,
    },
    Role.DEPARTMENT_REPORTER: {
        (Subject, VIEW): ALL,
        (Subject, ADD): ALL,
        (Draft, VIEW): DEPT,
        (Draft, ADD): DEPT,
        (Draft, CHANGE): DEPT,
        (Draft, DELETE): DEPT,
        (Draft, IMPORT): DEPT,
    },
    Role.CREDIT_CHECKER: {(Subject, VIEW): ALL},
    Role.LEGAL_REVIEWER: {(Subject, VIEW): ALL},
    Role.RULE_OF_LAW_ADMIN: {
        (Department, VIEW): ALL,
        (WorkdayOverride, VIEW): ALL,
        (Subject, VIEW): ALL,
        (Draft, VIEW): ALL,
    },
    Role.ENFORCEMENT_OFFICER: {(Subject, VIEW): ALL, (Subject, ADD): ALL},
    Role.LEGAL_AFFAIRS_OFFICER: {},
}
MODELS = [
    Department,
    User,
    UserRole,
    ApiToken,
    SettingChange,
    WorkdayOverride,
    AuditEntry,
    Subject,
    Draft,
    CreditReport,
]
ACTIONS = [VIEW, ADD, CHANGE, DELETE, IMPORT, REVEAL]


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(role: Role, make_user) -> None:
    user = make_user(role)
    expected = MATRIX[role]
    for model in MODELS:
        for action in ACTIONS:
            assert scope_for(user, action, model) == expected.get((model, action), NONE), (
                role,
                model.__name__,
                action,
            )


def test_inactive_and_anonymous_users_get_nothing(make_user) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.CREDIT_ADMIN, is_active=False)
    assert scope_for(user, VIEW, Subject) is NONE
    assert scope_for(AnonymousUser(), VIEW, Subject) is NONE


def test_reporter_cannot_read_or_change_another_departments_drafts(
    make_user, make_department
) -> None:
    department_a, department_b = make_department(), make_department()
    reporter_a = make_user(Role.DEPARTMENT_REPORTER, department=department_a)
    own = Draft.objects.create(department=department_a, title="A 的草稿")
    other = Draft.objects.create(department=department_b, title="B 的草稿")

    assert list(Draft.objects.restrict(reporter_a, VIEW)) == [own]
    assert list(Draft.objects.restrict(reporter_a, CHANGE)) == [own]
    assert can(reporter_a, CHANGE, own) and can(reporter_a, DELETE, own)
    assert not can(reporter_a, VIEW, other)
    assert not can(reporter_a, CHANGE, other)
    assert not reporter_a.has_perm("drafts.change_draft", other)
    assert reporter_a.has_perm("drafts.change_draft", own)


def test_credit_admin_sees_every_department(make_user, make_department) -> None:
    drafts = [Draft.objects.create(department=make_department(), title=f"d{i}") for i in range(3)]
    credit = make_user(Role.CREDIT_ADMIN)
    assert set(Draft.objects.restrict(credit, CHANGE)) == set(drafts)


def test_reporter_without_department_sees_nothing(make_user, make_department) -> None:
    Draft.objects.create(department=make_department(), title="d")
    reporter = make_user(Role.DEPARTMENT_REPORTER)
    reporter.department = None
    assert not Draft.objects.restrict(reporter, VIEW).exists()


SEPARATED = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


@pytest.mark.parametrize(
    ("first", "second"),
    [(a, b) for a in SEPARATED for b in [*SEPARATED, Role.CREDIT_ADMIN] if a != b]
    + [(Role.CREDIT_ADMIN, a) for a in SEPARATED],
)
def test_separation_of_duties_refuses_a_second_role_for_an_administrator(
    first, second, make_user
) -> None:
    user = make_user(first)
    with pytest.raises(ValidationError) as excinfo:
        assign_role(user, second, actor=None)
    assert "三员分立" in str(excinfo.value)
    assert list(user.role_assignments.values_list("role", flat=True)) == [first]


def test_business_roles_may_be_combined(make_user) -> None:
    user = make_user(Role.CREDIT_ADMIN)
    assign_role(user, Role.LEGAL_REVIEWER, actor=None)
    assert user.roles == {Role.CREDIT_ADMIN, Role.LEGAL_REVIEWER}


def test_only_the_security_admin_assigns_roles(make_user) -> None:
    target = make_user()
    for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.CREDIT_ADMIN):
        with pytest.raises(PermissionDenied):
            assign_role(target, Role.CREDIT_CHECKER, actor=make_user(role))
    assign_role(target, Role.CREDIT_CHECKER, actor=make_user(Role.SECURITY_ADMIN))
    assert target.roles == {Role.CREDIT_CHECKER}


def test_no_account_is_a_superuser(make_user) -> None:
    user = make_user(Role.SYSTEM_ADMIN)
    assert user.is_superuser is False
    assert not user.has_perm("audit.view_auditentry")
    assert not user.has_perm("accounts.add_userrole")


ADMIN_PAGES = {
    "/admin/audit/auditentry/": {Role.AUDIT_ADMIN},
    "/admin/accounts/userrole/": {Role.SECURITY_ADMIN},
    "/admin/accounts/department/": {Role.SYSTEM_ADMIN, Role.CREDIT_ADMIN},
    "/admin/core/workdayoverride/": {Role.SYSTEM_ADMIN, Role.CREDIT_ADMIN},
    "/admin/subjects/subject/": {Role.CREDIT_ADMIN},
}


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.CREDIT_ADMIN]
)
def test_admin_pages_open_only_for_their_roles(role, make_user, client) -> None:
    client.force_login(make_user(role))
    for url, allowed in ADMIN_PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)


def test_audit_admin_cannot_change_the_log(make_user, client) -> None:
    auditor = make_user(Role.AUDIT_ADMIN)
    client.force_login(auditor)
    entry = AuditEntry.objects.order_by("sequence").first()
    assert (
        client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    )  # read-only view
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert client.get("/admin/accounts/user/").status_code == 403


# The power list (powers): role → {(model, action): scope}; every other cell is NONE. The list is
# loaded as published by the rule-of-law office; a department's liaison proposes its own
# department's adjustments, the office reviews them and records the government's approval.
POWERS_MATRIX = {
    Role.RULE_OF_LAW_ADMIN: {
        **{("item", action): ALL for action in (VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT)},
        **{("proposal", action): ALL for action in (VIEW, ADD, CHANGE, REVIEW)},
    },
    Role.LEGAL_AFFAIRS_OFFICER: {
        ("item", VIEW): ALL,
        **{("proposal", action): DEPT for action in (VIEW, ADD, CHANGE)},
    },
    Role.ENFORCEMENT_OFFICER: {("item", VIEW): ALL},
    Role.LEGAL_REVIEWER: {("item", VIEW): ALL},
}


@pytest.mark.parametrize("role", list(Role))
def test_power_list_matrix(role: Role, make_user) -> None:
    from chengxin.powers.models import PowerItem, PowerProposal

    user = make_user(role)
    expected = POWERS_MATRIX.get(role, {})
    for name, model in (("item", PowerItem), ("proposal", PowerProposal)):
        for action in [*ACTIONS, EXPORT, REVIEW]:
            assert scope_for(user, action, model) == expected.get((name, action), NONE), (
                role,
                name,
                action,
            )


def test_a_liaison_sees_and_proposes_only_their_departments_power_proposals(
    make_user, make_department
) -> None:
    from chengxin.powers.models import PowerProposal

    own, other = make_department(), make_department()
    liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=own)
    assert can(liaison, ADD, PowerProposal(department=own))
    assert not can(liaison, ADD, PowerProposal(department=other))
    assert not can(liaison, REVIEW, PowerProposal(department=own))
    assert liaison.has_perm("powers.change_powerproposal")
    assert not liaison.has_perm("powers.review_powerproposal")
    assert not liaison.has_perm("powers.change_poweritem")
    assert make_user(Role.RULE_OF_LAW_ADMIN).has_perm("powers.review_powerproposal")
