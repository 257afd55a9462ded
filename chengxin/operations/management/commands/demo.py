"""`chengxin demo`: build the demo district on the embedded database and serve it."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from chengxin.accounts.models import Department
from chengxin.core.commands import OperatorCommand
from chengxin.core.demodata import DEMO_PASSWORD, build_demo
from chengxin.core.management.commands.serve import serve

# Reference data installed by data migrations (national catalogues and code lists): `flush`
# empties every table, so a reset installs them again before the demo is built.
REFERENCE_DATA = (
    ("chengxin.screening.migrations.0002_national_catalogue", "install"),
    ("chengxin.powers.migrations.0002_national_categories", "seed"),
)


def reinstall_reference_data() -> None:
    from django.apps import apps

    for module_name, function in REFERENCE_DATA:
        getattr(importlib.import_module(module_name), function)(apps, None)


def volume(text: str) -> tuple[str, int]:
    name, _, number = text.partition("=")
    if not name or not number.isdigit():
        raise argparse.ArgumentTypeError("use NAME=COUNT, e.g. subjects=1000000")
    return name, int(number)


class Command(OperatorCommand):
    help = "Build the demo district (台儿庄区) and serve it with the production server."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=370405, help="random seed (deterministic data)"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="build the database and exit")
        parser.add_argument("--reset", action="store_true", help="delete all data and build again")
        parser.add_argument(
            "--volume",
            type=volume,
            action="append",
            default=[],
            metavar="NAME=COUNT",
            help="how many rows of a kind to generate, e.g. --volume subjects=1000000",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            reinstall_reference_data()
        if Department.objects.exists():
            self.stdout.write("演示数据已存在（--reset 可重建）。")
        else:
            self.stdout.write(f"正在生成演示数据（seed={options['seed']}）…")
            ctx = build_demo(options["seed"], dict(options["volume"]), self.stdout)
            self.stdout.write(self.style.SUCCESS("演示数据已生成。"))
            del ctx
        self.print_logins()
        if not options["no_serve"]:
            if options["port"] <= 0:
                raise CommandError("--port must be positive")
            serve(port=options["port"], workers=2, demo=True, stdout=self.stdout)

    def print_logins(self) -> None:
        from chengxin.accounts.demo import DEMO_USERS
        from chengxin.agencies.demo import HEADS

        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, full_name, _key in DEMO_USERS:
            self.stdout.write(f"  {role.label:<8} {username:<10} {full_name}")
        # The heads who sign the enforcement decisions off (执法办案人员 of their bureau).
        for username, full_name in HEADS.values():
            self.stdout.write(f"  {'执法主体负责人':<8} {username:<10} {full_name}")
