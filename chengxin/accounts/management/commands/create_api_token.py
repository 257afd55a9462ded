"""`chengxin create_api_token USERNAME --name SYSTEM`: the older spelling of
`chengxin tokens create` (kept for scripts); the token gets the default term
(CHENGXIN_API_TOKEN_DEFAULT_DAYS) and is printed once."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from chengxin.accounts.actions import create_api_token
from chengxin.accounts.models import User
from chengxin.audit.context import audit_context
from chengxin.core.commands import OperatorCommand


class Command(OperatorCommand):
    help = "Issue an API token acting as USERNAME (see `chengxin tokens`). Shown once."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="the system that will use it")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的账户 {options['username']}。")
        try:
            with audit_context(reason="command line: create_api_token"):
                record, token = create_api_token(user, options["name"], actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已为 {user} 签发令牌 {record}，有效期至 {record.valid_through}。"
            f"令牌只显示这一次，请妥善保存：\n{token}"
        )
