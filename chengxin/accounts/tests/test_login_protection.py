"""Failed logins (issue 18.5): the lockout per account and address, the throttle per address
over all accounts with its allow-list, the security administrator's unlock, and changing one's
own password."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client

from chengxin.accounts.actions import unlock_login
from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.models import LocalSetting
from chengxin.core.tests.fixtures import PASSWORD

SPRAYER = "203.0.113.66"
OFFICE = "10.8.1.1"
NEW_PASSWORD = "Xk9#mP2$vL7q"


def login(username: str, password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


@pytest.fixture
def limit_ten(db) -> None:
    LocalSetting.objects.create(key="accounts.address_failure_limit", value="10")


def spray(usernames: list[str], address: str = SPRAYER, tries: int = 2) -> list[int]:
    return [login(name, "wrong", address) for name in usernames for _ in range(tries)]


def test_failures_from_one_address_do_not_lock_an_administrator_out_elsewhere(
    make_user,
) -> None:
    make_user(Role.SECURITY_ADMIN, username="secadmin")
    statuses = [login("secadmin", "wrong", SPRAYER) for _ in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[-1] == 429  # locked at that address
    assert login("secadmin", PASSWORD, SPRAYER) == 429
    assert login("secadmin", PASSWORD, "10.20.30.40") == 302  # the administrator's own desk


def test_one_persons_typos_do_not_lock_the_office_behind_one_address(make_user) -> None:
    make_user(Role.CREDIT_CHECKER, username="zhang")
    make_user(Role.CREDIT_CHECKER, username="wang")
    for _ in range(5):
        login("zhang", "wrong", OFFICE)
    assert login("zhang", PASSWORD, OFFICE) == 429
    assert login("wang", PASSWORD, OFFICE) == 302


def test_spraying_one_address_over_many_accounts_is_throttled(make_user, limit_ten) -> None:
    names = [make_user(Role.CREDIT_CHECKER).username for _ in range(6)]
    statuses = spray(names[:5])  # 10 failures, two per account: no account is locked
    assert statuses == [200] * 10
    response = Client(REMOTE_ADDR=SPRAYER).post(
        "/accounts/login/", {"username": names[5], "password": PASSWORD}
    )
    assert response.status_code == 429  # even the right password of a fresh account
    assert "来自该地址的登录失败次数过多" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in response.client.session
    assert login(names[5], PASSWORD, "10.20.30.40") == 302  # other addresses are not affected
    # The admin's login form is refused too (the check is an authentication backend).
    admin = make_user(Role.SYSTEM_ADMIN)
    admin_login = Client(REMOTE_ADDR=SPRAYER).post(
        "/admin/login/", {"username": admin.username, "password": PASSWORD}
    )
    assert admin_login.status_code == 200 and "_auth_user_id" not in admin_login.client.session


def test_below_the_limit_an_address_logs_in(make_user, limit_ten) -> None:
    names = [make_user(Role.CREDIT_CHECKER).username for _ in range(6)]
    spray(names[:4])  # 8 failures
    login(names[4], "wrong", SPRAYER)  # 9
    assert login(names[5], PASSWORD, SPRAYER) == 302


def test_allow_listed_addresses_are_not_throttled(make_user, limit_ten) -> None:
    LocalSetting.objects.create(key="accounts.login_allowlist", value="10.8.0.0/16, 192.0.2.7")
    names = [make_user(Role.CREDIT_CHECKER).username for _ in range(6)]
    spray(names[:5], address=OFFICE)
    assert login(names[5], PASSWORD, OFFICE) == 302
    # An account still locks at an allow-listed address.
    for _ in range(5):
        login(names[5], "wrong", OFFICE)
    assert login(names[5], PASSWORD, OFFICE) == 429


def test_the_security_admin_unlocks_an_account_at_an_address(client, make_user) -> None:
    make_user(Role.CREDIT_CHECKER, username="zhao")
    for _ in range(5):
        login("zhao", "wrong", OFFICE)
    security = make_user(Role.SECURITY_ADMIN)
    client.force_login(security)
    page = client.get("/accounts/security/lockouts/").content.decode()
    assert "zhao" in page and OFFICE in page
    response = client.post(
        "/accounts/security/lockouts/unlock/", {"username": "zhao", "ip_address": OFFICE}
    )
    assert response.status_code == 302
    assert login("zhao", PASSWORD, OFFICE) == 302
    entry = AuditEntry.objects.filter(object_type="axes.accessattempt").first()
    assert entry.action == AuditAction.DELETED and entry.actor_id == security.pk
    assert entry.before == {"username": "zhao", "ip_address": OFFICE, "failures": 5}


def test_the_security_admin_lifts_an_address_throttle(client, make_user, limit_ten) -> None:
    names = [make_user(Role.CREDIT_CHECKER).username for _ in range(6)]
    spray(names[:5])
    assert login(names[5], PASSWORD, SPRAYER) == 429
    security = make_user(Role.SECURITY_ADMIN)
    client.force_login(security)
    assert SPRAYER in client.get("/accounts/security/lockouts/").content.decode()
    client.post("/accounts/security/lockouts/unlock/", {"ip_address": SPRAYER})
    assert not AccessAttempt.objects.filter(ip_address=SPRAYER).exists()
    assert login(names[5], PASSWORD, SPRAYER) == 302


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.CREDIT_ADMIN])
def test_only_the_security_admin_unlocks(client, make_user, role) -> None:
    make_user(Role.CREDIT_CHECKER, username="zhao")
    for _ in range(5):
        login("zhao", "wrong", OFFICE)
    other = make_user(role)
    with pytest.raises(PermissionDenied):
        unlock_login(actor=other, username="zhao")
    client.force_login(other)
    assert client.get("/accounts/security/lockouts/").status_code == 403
    assert (
        client.post("/accounts/security/lockouts/unlock/", {"username": "zhao"}).status_code == 403
    )
    assert login("zhao", PASSWORD, OFFICE) == 429


# --- changing one's own password ------------------------------------------------------------


@pytest.fixture
def clerk(make_user) -> User:
    return make_user(Role.CREDIT_CHECKER, username="clerk", full_name="李四")


def change(client: Client, old: str, new: str, again: str | None = None) -> object:
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_staff_change_their_password_and_stay_logged_in(client, clerk) -> None:
    client.force_login(clerk)
    assert "修改密码" in client.get("/accounts/account/").content.decode()
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/account/"
    assert client.get("/staff/").status_code == 200  # the session survives its own change
    assert User.objects.get(pk=clerk.pk).check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(clerk.pk)).first()
    assert entry.action == AuditAction.UPDATED and entry.after == {"password": "（已修改）"}
    assert entry.actor_id == clerk.pk
    assert login("clerk", NEW_PASSWORD, OFFICE) == 302


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong", NEW_PASSWORD, None, "原密码不正确"),
        (PASSWORD, NEW_PASSWORD, "Xk9#mP2$vL7x", "两次输入的新密码不一致"),
        (PASSWORD, "abcdefgh12", None, "至少 3 类"),
        (PASSWORD, "Abcdefg12", None, "密码长度太短，至少须 10 个字符"),
        (PASSWORD, "9876543210", None, "密码只包含数字"),
    ],
)
def test_the_password_policy_applies(client, clerk, old, new, again, message) -> None:
    client.force_login(clerk)
    response = change(client, old, new, again)
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.get(pk=clerk.pk).check_password(PASSWORD)


def test_the_password_page_needs_a_login(client, db) -> None:
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
