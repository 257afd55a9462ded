from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User


def test_creates_an_administrator_with_one_role(make_department, monkeypatch) -> None:
    department = make_department()
    monkeypatch.setenv("CHENGXIN_ACCOUNT_PASSWORD", "Xk9#mP2$vL7q")
    call_command(
        "create_account",
        "sys1",
        "--full-name",
        "王一",
        "--role",
        "system_admin",
        "--department",
        department.credit_code,
    )
    user = User.objects.get(username="sys1")
    assert user.roles == {Role.SYSTEM_ADMIN} and user.department == department
    assert user.check_password("Xk9#mP2$vL7q")


def test_refuses_a_weak_password_and_creates_nothing(monkeypatch, db) -> None:
    monkeypatch.setenv("CHENGXIN_ACCOUNT_PASSWORD", "password1")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("create_account", "sys2", "--full-name", "王二", "--role", "audit_admin")
    assert not User.objects.filter(username="sys2").exists()


def test_refuses_an_unknown_department(monkeypatch, db) -> None:
    monkeypatch.setenv("CHENGXIN_ACCOUNT_PASSWORD", "Xk9#mP2$vL7q")
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        call_command(
            "create_account",
            "sys3",
            "--full-name",
            "王三",
            "--role",
            "audit_admin",
            "--department",
            "91110000600037341L",
        )
