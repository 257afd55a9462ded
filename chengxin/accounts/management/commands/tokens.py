"""`chengxin tokens list | create | revoke`: API tokens from the server's command line.

list    [--user USERNAME] [--active]   every token (or one account's): id, system, account,
                                       prefix, valid through, last use (to the minute), state
create  USERNAME --name SYSTEM [--expires YYYY-MM-DD]
                                       issue a token acting as USERNAME, valid through the date
                                       (default CHENGXIN_API_TOKEN_DEFAULT_DAYS from today, at
                                       most CHENGXIN_API_TOKEN_MAX_DAYS); printed once
revoke  ID                             end a token now (the id from `list`)

Creating and revoking are audited (actor: the command line), as on the staff page 接口令牌.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from chengxin.accounts.actions import create_api_token, revoke_api_token
from chengxin.accounts.models import ApiToken, User
from chengxin.audit.context import audit_context
from chengxin.core.commands import OperatorCommand


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(OperatorCommand):
    help = "List, create (with an expiry) and revoke API tokens. A new token is shown once."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="list tokens")
        listing.add_argument("--user", help="only this account's tokens")
        listing.add_argument("--active", action="store_true", help="only tokens still valid")
        create = actions.add_parser("create", help="issue a token")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="the system that will use it")
        create.add_argument("--expires", type=_date, help="last valid day, YYYY-MM-DD")
        revoke = actions.add_parser("revoke", help="revoke a token")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with audit_context(reason=f"command line: tokens {options['action']}"):
                handlers = {"list": self.list_tokens, "create": self.create, "revoke": self.revoke}
                handlers[options["action"]](options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

    def list_tokens(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        if options["active"]:
            now = timezone.now()
            tokens = tokens.filter(is_active=True).exclude(expires_at__lte=now)
        for token in tokens:
            last_used = (
                timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M")
                if token.last_used_at
                else "从未使用"
            )
            valid = token.valid_through.isoformat() if token.valid_through else "无期限"
            self.stdout.write(
                f"{token.pk}\t{token.name}\t{token.user.username}\t{token.prefix}…\t"
                f"有效期至 {valid}\t最近使用 {last_used}\t{token.state_label}"
            )
        if not tokens:
            self.stdout.write("没有令牌。")

    def create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有账户 {options['username']}。")
        record, token = create_api_token(
            user, options["name"], actor=None, expires_on=options["expires"]
        )
        self.stdout.write(
            f"已为 {user} 签发令牌 {record}（编号 {record.pk}），有效期至 "
            f"{record.valid_through}。令牌只显示这一次，请妥善保存：\n{token}"
        )

    def revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"没有编号为 {options['id']} 的令牌。")
        revoke_api_token(token, actor=None)
        self.stdout.write(f"已撤销令牌 {token}（编号 {token.pk}）。")
