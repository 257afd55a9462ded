"""`chengxin create_api_token USERNAME --name SYSTEM`: issue an API token; printed once."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chengxin.accounts.models import User
from chengxin.accounts.tokens import issue_token
from chengxin.audit.context import audit_context


class Command(BaseCommand):
    help = "Issue an API token acting as USERNAME (a service account). The token is shown once."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="the system that will use it")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的账户 {options['username']}。")
        with audit_context(reason="command line: create_api_token"):
            record, token = issue_token(user, options["name"])
        self.stdout.write(f"已为 {user} 签发令牌 {record}。令牌只显示这一次，请妥善保存：\n{token}")
