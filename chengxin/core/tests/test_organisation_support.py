"""Helpers for the organisation-file tests (`chengxin setup --template/--load`); no tests here.

The district set up is 370402 市中区, not the demo's, so that nothing passes by the demo's names.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from chengxin.core import spreadsheets
from chengxin.core.identifiers import make_uscc

DIVISION = "370402"
DISTRICT = "市中区"
GOVERNMENT = "市中区人民政府"
GOVERNMENT_CODE = make_uscc(random.Random(19), department="1", category="1", division=DIVISION)
ADMINS = ["--system-admin", "sys", "--security-admin", "sec", "--audit-admin", "aud"]


def set_up_district() -> None:
    """`chengxin setup` of 370402 市中区, as an operator runs it without prompts."""
    call_command(
        "setup",
        "--region-code",
        DIVISION,
        "--credit-code",
        GOVERNMENT_CODE,
        *ADMINS,
        "--generate-passwords",
        "--no-input",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


DEPARTMENT_HEADER = ["名称", "简称", "统一社会信用代码", "类型", "上级单位"]
MARKET = "市中区市场监督管理局"


def set_up_district_with_market(folder: Path) -> None:
    """The district set up and its 市场监督管理局 (简称 市场监管局) loaded from a file."""
    set_up_district()
    row = [MARKET, "市场监管局", credit_code("market"), "政府部门", ""]
    load("departments", write_file(folder / "market.csv", DEPARTMENT_HEADER, [row]))


def credit_code(seed: str) -> str:
    """A valid 统一社会信用代码 of a 机关 of the district, the same for `seed`."""
    return make_uscc(random.Random(seed), department="1", category="1", division=DIVISION)


def write_file(
    path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8"
) -> Path:
    """The table as CSV in `encoding` (".csv") or as XLSX (any other suffix)."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    else:
        spreadsheets.write_xlsx(path, [spreadsheets.Sheet(header, rows, as_text=True)])
    return path


@dataclass
class Run:
    status: int
    out: str
    err: str


def run_setup(*args: str) -> Run:
    """`chengxin setup ARGS` with its exit status (0, 1 from sys.exit, or a refusal's)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("setup", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return Run(int(exc.code or 0), out.getvalue(), err.getvalue())
    except CommandError as exc:
        return Run(exc.returncode, out.getvalue(), err.getvalue() + str(exc))
    return Run(0, out.getvalue(), err.getvalue())


def load(kind: str, path: Path, *extra: str) -> Run:
    return run_setup("--load", kind, str(path), *extra)


def template(kind: str, path: Path | None = None) -> Run:
    return run_setup("--template", kind, *(["--output", str(path)] if path else []))
