"""`chengxin create_account`: create an account with a role from the server's command line.

This is how the first three administrators (三员) are made; afterwards the system administrator
creates accounts in the admin and the security administrator assigns roles.
"""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.audit.context import audit_context
from chengxin.core.commands import OperatorCommand


class Command(OperatorCommand):
    help = "Create an account with one role (password from CHENGXIN_ACCOUNT_PASSWORD or a prompt)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--department", help="统一社会信用代码 of the department")

    def handle(self, *args: Any, **options: Any) -> None:
        department = None
        if options["department"]:
            department = Department.objects.filter(credit_code=options["department"]).first()
            if department is None:
                raise CommandError(f"没有统一社会信用代码为 {options['department']} 的部门。")
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"用户名 {options['username']} 已存在。")
        password = os.environ.get("CHENGXIN_ACCOUNT_PASSWORD") or self.prompt_password()
        user = User(
            username=options["username"], full_name=options["full_name"], department=department
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        with transaction.atomic(), audit_context(reason="command line: create_account"):
            user.set_password(password)
            user.save()
            assign_role(user, options["role"], actor=None)
        self.stdout.write(f"已创建 {user}，角色：{Role(options['role']).label}")

    def prompt_password(self) -> str:
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return first
