"""`chengxin setup`: first-run setup of a real district (see README, "Running in production").

Stores the district (行政区划代码, name, the government's 统一社会信用代码, the portal's name and
host), creates the district government as the root department and the three administrators
(三员分立). Passwords are typed twice or, with --generate-passwords, generated and printed once.
Every wrong input is a Chinese message and exit status 2; running it again changes nothing.

Then the district's organisation, from files (`core.registers`):
`--template list` lists the kinds of file, `--template KIND [--output FILE]` prints a kind's
template (CSV on stdout, or XLSX/CSV into FILE) with one example row, and `--load KIND FILE
[--report FILE]` loads a filled-in file. Loading writes the valid rows and lists the others
("第 N 行【列】：问题") on stderr and in the report; exit status 0 when every row was accepted,
1 when some were rejected, 2 when the file cannot be read or the kind is unknown.
"""

from __future__ import annotations

import argparse
import getpass
import io
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from chengxin.accounts import setup
from chengxin.accounts.choices import Role
from chengxin.core import registers, spreadsheets
from chengxin.core.commands import OperatorCommand
from chengxin.core.models import Region
from chengxin.core.readers import UnreadableFile

DEFAULT_USERNAMES = {
    Role.SYSTEM_ADMIN: "sysadmin",
    Role.SECURITY_ADMIN: "secadmin",
    Role.AUDIT_ADMIN: "auditadmin",
}


class Refusal(CommandError):
    """A wrong input: its Chinese message on stderr, exit status 2 (as argparse's usage errors)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


class Command(OperatorCommand):
    help = "First-run setup: the district, its government and the three administrators."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--region-code", default="", help="行政区划代码 (6 digits, county level)"
        )
        parser.add_argument("--credit-code", default="", help="本级人民政府统一社会信用代码")
        parser.add_argument(
            "--name", default="", help="区县名称 (default: from the division codes)"
        )
        parser.add_argument(
            "--portal-name", default="", help="平台名称 (default: <名称>公共信用信息平台)"
        )
        parser.add_argument(
            "--credit-office",
            default="",
            help="信用主管机构, the portal's 主办单位 (default: <名称>社会信用体系建设领导小组办公室)",
        )
        parser.add_argument(
            "--host", default="", help="the portal's host name, e.g. xy.example.gov.cn"
        )
        for role in setup.ADMINISTRATOR_ROLES:
            parser.add_argument(f"--{role.value.replace('_', '-')}", metavar="USER", default="")
        parser.add_argument("--generate-passwords", action="store_true")
        parser.add_argument("--update", action="store_true", help="accept changed district values")
        parser.add_argument("--no-input", action="store_true", help="never prompt")
        files = parser.add_argument_group("the district's organisation, from files")
        action = files.add_mutually_exclusive_group()
        action.add_argument(
            "--template", metavar="KIND", help="print the template of KIND (list: the kinds)"
        )
        action.add_argument(
            "--load", nargs=2, metavar=("KIND", "FILE"), help="load a filled-in file of KIND"
        )
        files.add_argument(
            "--output", type=Path, help="with --template: write it to this XLSX (or .csv) file"
        )
        files.add_argument(
            "--report", type=Path, help="with --load: write the rejected rows to this XLSX file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.options = options
        if options["template"]:
            self.template(options["template"], options["output"])
            return
        if options["load"]:
            kind, file = options["load"]
            self.load(kind, Path(file), options["report"])
            return
        try:
            district = self.district()
            changes = setup.district_changes(district)
            if changes and not options["update"]:
                raise Refusal(
                    "本平台已按其他值设置，未作修改（如确需修改，请加 --update）：\n  "
                    + "\n  ".join(changes)
                )
            administrators = [self.administrator(role) for role in setup.ADMINISTRATOR_ROLES]
            done = setup.set_up(district, administrators)  # a clash found on saving is refused too
        except ValidationError as exc:
            raise Refusal("；".join(exc.messages)) from exc
        self.report(done, administrators)

    def value(self, option: str, prompt: str, *, required: bool = True) -> str:
        value = str(self.options[option]).strip()
        if value or self.options["no_input"]:
            if required and not value:
                flag = "--" + option.replace("_", "-")
                raise Refusal(f"使用 --no-input 时必须给出 {flag}（{prompt}）。")
            return value
        return input(f"{prompt}：").strip()

    def district(self) -> setup.District:
        code = self.value("region_code", "行政区划代码")
        credit_code = self.value("credit_code", "本级人民政府统一社会信用代码")
        return setup.check_district(
            code,
            credit_code=credit_code,
            name=self.options["name"],
            portal_name=self.options["portal_name"],
            credit_office=self.options["credit_office"],
            host=self.options["host"],
        )

    def administrator(self, role: Role) -> setup.Administrator:
        option = role.value
        username = str(self.options[option]).strip()
        if not username and not self.options["no_input"]:
            default = DEFAULT_USERNAMES[role]
            username = input(f"{role.label}用户名（默认 {default}）：").strip() or default
        if not username:
            raise Refusal(
                f"使用 --no-input 时必须给出 --{option.replace('_', '-')}（{role.label}用户名）。"
            )
        existing = setup.check_username(role, username, allow_another=self.options["update"])
        if existing is not None:
            return setup.Administrator(role, username, None)
        return setup.Administrator(role, username, self.password(role, username))

    def password(self, role: Role, username: str) -> str:
        if self.options["generate_passwords"]:
            return setup.generate_password()
        if self.options["no_input"]:
            raise Refusal("使用 --no-input 时必须加 --generate-passwords（密码无法交互输入）。")
        first = getpass.getpass(f"{role.label} {username} 的密码：")
        if first != getpass.getpass("再次输入密码："):
            raise Refusal("两次输入的密码不一致。")
        setup.check_password(username, first)
        return first

    def report(self, done: list[str], administrators: list[setup.Administrator]) -> None:
        if not done:
            self.stdout.write("已设置，与现有设置相同，未作任何修改。")
            return
        for line in done:
            self.stdout.write(line)
        if self.options["generate_passwords"]:
            self.stdout.write("生成的密码只显示这一次，请立即交给本人并要求首次登录后修改：")
            for administrator in administrators:
                if administrator.password is not None:
                    self.stdout.write(
                        f"  {administrator.role.label} {administrator.username}：{administrator.password}"
                    )

    # --- the organisation, from files -------------------------------------------------------

    def kind(self, key: str) -> registers.Register:
        try:
            return registers.get(key, setup=True)
        except LookupError as exc:
            raise Refusal(str(exc)) from exc

    def template(self, key: str, output: Path | None) -> None:
        if key == "list":
            for kind in registers.setup_registers():
                self.stdout.write(f"{kind.key}\t{kind.title}\t{kind.note}")
            return
        kind = self.kind(key)
        sheets = registers.template_sheets(kind)
        if output is None:
            target = io.BytesIO()
            spreadsheets.write_csv(target, sheets[0])
            self.stdout.write(target.getvalue().decode("utf-8"), ending="")
            return
        spreadsheets.save(
            kind.template_export,
            output,
            sheets[0] if output.suffix.lower() == ".csv" else sheets,
            actor_name=registers.COMMAND,
            parameters={"register": key},
        )
        self.stdout.write(f"已写入模板 {output}：第 2 行为示例，请改为本区县的实际数据。")

    def load(self, key: str, path: Path, report: Path | None) -> None:
        if not Region.objects.exists():
            raise Refusal(
                "尚未设置本区县：请先运行 chengxin setup --region-code … --credit-code … "
                "设置行政区划、本级人民政府和三员，再导入组织机构。"
            )
        kind = self.kind(key)
        if not path.is_file():
            raise Refusal(f"文件不存在：{path}")
        try:
            result = registers.load(kind, path)
        except UnreadableFile as exc:
            raise Refusal(
                f"无法读取 {path.name}：{exc}模板见 chengxin setup --template {kind.key}。"
            ) from exc
        counts, rejected = result.counts, result.rejected
        self.stdout.write(
            f"已导入{kind.title}（{path.name}，编码 {result.encoding}）：读取 {len(result.rows)} 行，"
            f"新增 {counts[registers.Outcome.CREATED]}，"
            f"更新 {counts[registers.Outcome.UPDATED]}，"
            f"未变化 {counts[registers.Outcome.UNCHANGED]}，拒收 {len(rejected)}。"
        )
        for row in rejected:
            for problem in row.problems:
                self.stderr.write(problem)
        if report is not None:
            registers.save_report(result, report)
            self.stdout.write(f"拒收行报告：{report}")
        if rejected:
            sys.exit(1)
