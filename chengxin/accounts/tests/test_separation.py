"""三员分立 without holes (issue 18.5): what the system administrator may no longer do, through the
admin (forms, read-only fields, a crafted request) and through the actions, and what still works.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from chengxin.accounts.actions import assign_role, revoke_role, update_account
from chengxin.accounts.choices import Role
from chengxin.accounts.models import User, UserRole
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry

DEPARTMENT_MESSAGE = "用户的所属部门决定其数据范围，只能由安全管理员分配。"
ACTIVE_MESSAGE = "安全管理员、审计管理员账户的启用状态只能由安全管理员变更。"


@pytest.fixture
def system_admin(make_user) -> User:
    return make_user(Role.SYSTEM_ADMIN, username="sysadmin")


@pytest.fixture
def security_admin(make_user) -> User:
    return make_user(Role.SECURITY_ADMIN, username="secadmin")


@pytest.fixture
def audit_admin(make_user) -> User:
    return make_user(Role.AUDIT_ADMIN, username="auditor")


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def account_form(user: User, **changes: object) -> dict[str, object]:
    """The change form as the page submits it (a ticked box is "on", an unticked one absent)."""
    data: dict[str, object] = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "department": user.department_id,
        "is_active": "on" if user.is_active else None,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def reloaded(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- (a) the department is the security administrator's --------------------------------------


def test_system_admin_sees_the_department_read_only(client, system_admin, make_user) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    client.force_login(system_admin)
    page = client.get(change_url(clerk)).content.decode()
    assert 'name="full_name"' in page and 'name="department"' not in page


def test_system_admin_cannot_move_a_user_by_admin_post(
    client, system_admin, make_user, make_department
) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    before, other = clerk.department_id, make_department()
    client.force_login(system_admin)
    response = client.post(change_url(clerk), account_form(clerk, department=other.pk))
    assert response.status_code == 200
    assert DEPARTMENT_MESSAGE in response.content.decode()
    assert reloaded(clerk).department_id == before


def test_system_admin_cannot_move_a_user_by_the_action(
    system_admin, make_user, make_department
) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    before = clerk.department_id
    with pytest.raises(PermissionDenied, match=DEPARTMENT_MESSAGE):
        update_account(clerk, {"department": make_department()}, actor=system_admin)
    assert reloaded(clerk).department_id == before
    # Nor by setting the value first and saving through the action (what a form does).
    clerk = reloaded(clerk)
    clerk.department = make_department()
    with pytest.raises(PermissionDenied):
        update_account(clerk, {}, actor=system_admin)
    assert reloaded(clerk).department_id == before


def test_security_admin_moves_a_user_by_admin_post(
    client, security_admin, make_user, make_department
) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    other = make_department()
    client.force_login(security_admin)
    page = client.get(change_url(clerk)).content.decode()
    assert 'name="department"' in page and 'name="full_name"' not in page
    response = client.post(change_url(clerk), {"department": other.pk})
    assert response.status_code == 302, response.content.decode()
    assert reloaded(clerk).department_id == other.pk
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(clerk.pk)).first()
    assert entry.action == AuditAction.UPDATED and entry.actor_id == security_admin.pk
    assert entry.after == {"department_id": other.pk}


def test_security_admin_cannot_rename_a_user(client, security_admin, make_user) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    client.force_login(security_admin)
    response = client.post(change_url(clerk), {"department": clerk.department_id, "full_name": "X"})
    assert (
        response.status_code == 200
        and "您无权修改该账户的以下信息：姓名。" in response.content.decode()
    )
    assert reloaded(clerk).full_name != "X"
    with pytest.raises(PermissionDenied):
        update_account(clerk, {"full_name": "X"}, actor=security_admin)


# --- (b) the other administrators' accounts and roles -----------------------------------------


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN])
def test_system_admin_cannot_deactivate_the_other_administrators_by_admin_post(
    client, system_admin, make_user, role
) -> None:
    guarded = make_user(role)
    client.force_login(system_admin)
    page = client.get(change_url(guarded)).content.decode()
    assert 'name="is_active"' not in page  # read-only
    # The page's own form cannot untick it; a crafted request saying "false" is refused.
    response = client.post(change_url(guarded), account_form(guarded, is_active="false"))
    assert response.status_code == 200 and ACTIVE_MESSAGE in response.content.decode()
    assert reloaded(guarded).is_active
    untouched = client.post(change_url(guarded), account_form(guarded, is_active=None))
    assert untouched.status_code == 302 and reloaded(guarded).is_active


def test_system_admin_cannot_deactivate_the_audit_admin_by_the_action(
    system_admin, audit_admin
) -> None:
    with pytest.raises(PermissionDenied, match=ACTIVE_MESSAGE):
        update_account(audit_admin, {"is_active": False}, actor=system_admin)
    assert reloaded(audit_admin).is_active


def test_system_admin_cannot_move_the_audit_admin(
    client, system_admin, audit_admin, make_department
) -> None:
    with pytest.raises(PermissionDenied, match=DEPARTMENT_MESSAGE):
        update_account(audit_admin, {"department": make_department()}, actor=system_admin)


def test_security_admin_deactivates_and_reactivates_the_audit_admin(
    client, security_admin, audit_admin
) -> None:
    client.force_login(security_admin)
    response = client.post(change_url(audit_admin), {"department": audit_admin.department_id})
    assert response.status_code == 302 and not reloaded(audit_admin).is_active
    update_account(reloaded(audit_admin), {"is_active": True}, actor=security_admin)
    assert reloaded(audit_admin).is_active


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_nobody_switches_their_own_account_off(make_user, role) -> None:
    admin = make_user(role)
    with pytest.raises(PermissionDenied, match="不能停用或启用自己的账户"):
        update_account(admin, {"is_active": False}, actor=admin)


def test_system_admin_cannot_change_roles_by_admin_post(
    client, system_admin, audit_admin, security_admin
) -> None:
    client.force_login(system_admin)
    add = client.post(
        "/admin/accounts/userrole/add/", {"user": audit_admin.pk, "role": Role.CREDIT_ADMIN}
    )
    assert add.status_code == 403
    assignment = UserRole.objects.get(user=security_admin)
    delete = client.post(f"/admin/accounts/userrole/{assignment.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert reloaded(audit_admin).roles == {Role.AUDIT_ADMIN}
    assert reloaded(security_admin).roles == {Role.SECURITY_ADMIN}


def test_system_admin_cannot_change_roles_by_the_action(
    system_admin, audit_admin, security_admin
) -> None:
    with pytest.raises(PermissionDenied, match="只有安全管理员可以分配角色"):
        assign_role(audit_admin, Role.CREDIT_ADMIN, actor=system_admin)
    with pytest.raises(PermissionDenied, match="只有安全管理员可以撤销角色"):
        revoke_role(security_admin, Role.SECURITY_ADMIN, actor=system_admin)
    assert reloaded(security_admin).roles == {Role.SECURITY_ADMIN}


def test_security_admin_gives_and_takes_roles_in_the_admin(
    client, security_admin, make_user
) -> None:
    clerk = make_user()
    client.force_login(security_admin)
    added = client.post(
        "/admin/accounts/userrole/add/", {"user": clerk.pk, "role": Role.CREDIT_CHECKER}
    )
    assert added.status_code == 302
    assert reloaded(clerk).roles == {Role.CREDIT_CHECKER}
    assignment = UserRole.objects.get(user=clerk)
    # An assignment is not edited (a crafted change is refused), only taken away.
    changed = client.post(
        f"/admin/accounts/userrole/{assignment.pk}/change/",
        {"user": clerk.pk, "role": Role.CREDIT_ADMIN},
    )
    assert changed.status_code == 403
    deleted = client.post(f"/admin/accounts/userrole/{assignment.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and reloaded(clerk).roles == frozenset()
    removal = AuditEntry.objects.filter(object_type="accounts.userrole").first()
    assert removal.action == AuditAction.DELETED and removal.actor_id == security_admin.pk


# --- what the system administrator still does -------------------------------------------------


def test_system_admin_edits_and_deactivates_an_ordinary_account(
    client, system_admin, make_user
) -> None:
    clerk = make_user(Role.CREDIT_CHECKER)
    client.force_login(system_admin)
    response = client.post(
        change_url(clerk),
        account_form(clerk, full_name="王五", phone="0632-1234567", is_active=None),
    )
    assert response.status_code == 302, response.content.decode()
    saved = reloaded(clerk)
    assert (saved.full_name, saved.phone, saved.is_active) == ("王五", "0632-1234567", False)
    assert saved.department_id == clerk.department_id


def test_system_admin_renames_the_audit_admin(system_admin, audit_admin) -> None:
    update_account(audit_admin, {"full_name": "审计员甲"}, actor=system_admin)
    assert reloaded(audit_admin).full_name == "审计员甲"


def test_system_admin_creates_an_account(client, system_admin, make_department) -> None:
    department = make_department()
    client.force_login(system_admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newclerk",
            "full_name": "新员工",
            "department": department.pk,
            "phone": "",
            "password1": "Xk9#mP2$vL7q",
            "password2": "Xk9#mP2$vL7q",
        },
    )
    assert response.status_code == 302, response.content.decode()
    created = User.objects.get(username="newclerk")
    assert created.department == department and created.roles == frozenset()
