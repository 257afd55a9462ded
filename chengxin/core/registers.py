"""Registers loaded from files, row by row: one way for every import of reference data.

A register is a kind of record a district keeps as a list and loads from a spreadsheet: its
departments and townships, enforcement bodies and officers, issuing bodies, the power list,
list types and list entries. Each app brings its registers in its own `registers.py`: a
`Register` (the file's columns with example values and help, a row parser and a writer) passed
to `register()`. `all_registers()` imports those modules the way every app's `annual.py`,
`demo.py` … are found (`core.discovery.app_modules`), so this module names no domain app.

Loading a file (`load`): every row is parsed on its own (the parser turns the row's text into
values, or raises ValidationError naming the columns); a value of a natural key appears once in a
file; rows that refer to other rows of the same file (a department's 上级单位, a body's 委托机关)
are written after them, whatever their order in the file, and a circle of such references is a
row error. Each row is written in its own savepoint: valid rows go in, bad rows are listed with
the row number, the column and the problem ("第 N 行【列】：问题"). The whole load is one
transaction, so a crash part-way writes nothing. An identical row writes nothing.

Two doors lead here, and only two: `chengxin setup --load KEY FILE` for the registers of the
district's set-up (`Register.setup`), and the staff pages of `imports.registers` (upload,
per-row report, re-upload) for every register with a batch model.

Reference data every district shares is installed by migrations, not by these files: the ten
national power categories (powers 0002_national_categories) and the national catalogue of
joint measures — business scenarios, national list types and the measures of the national base
list (screening 0002_national_catalogue).
"""

from __future__ import annotations

import datetime
import enum
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chengxin.core import auditing, regions, spreadsheets
from chengxin.core.dates import parse_date
from chengxin.core.discovery import app_modules
from chengxin.core.identifiers import make_uscc, normalise, validate_uscc
from chengxin.core.readers import UnreadableFile, open_table
from chengxin.core.text import cell_text, clean_text, header_key

# Neither file holds personal data: names and codes of public bodies and their powers.
COMMAND = "chengxin setup"
ERRORS_HEADER = gettext_noop("错误说明（修改后删除本列重新导入）")
YES = frozenset({"是", "有", "Y", "YES", "TRUE", "1", "√"})
NO = frozenset({"否", "无", "N", "NO", "FALSE", "0", "×"})


T = TypeVar("T")
M = TypeVar("M", bound=Model)


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Example:
    """What a template's example row is made of: the installed district, never the demo's."""

    district: str
    government: str
    division: str

    def credit_code(self, seed: str) -> str:
        """A valid 统一社会信用代码 of a 机关 registered in the district, the same for `seed`."""
        rng = random.Random(seed)  # noqa: S311 (an example, not a secret)
        return make_uscc(rng, department="1", category="1", division=self.division)

    @property
    def initial(self) -> str:
        """The district's first character, which starts local document codes (台政规 …)."""
        return self.district[:1]


@dataclass(frozen=True)
class Column:
    """One column of a file: `attr` is the parsed value's key (the model field's name where
    there is one), `label` the header as written in Chinese, `example` the template's value."""

    attr: str
    label: str
    example: str | Callable[[Example], str] = ""
    required: bool = False
    help: str | Promise = ""  # the template's 填写说明 sheet

    def example_for(self, example: Example) -> str:
        return self.example(example) if callable(self.example) else self.example


class RowParser(Protocol):
    def __call__(self, values: Mapping[str, str]) -> dict[str, Any]:
        """The row's values (cell text by column attr, trimmed, "" when absent) parsed; raises
        ValidationError keyed by column attr (or without a key for the row as a whole)."""
        ...


@dataclass(frozen=True)
class Context:
    """Who loads a file and with which batch-wide values.

    `actor`: the user of the staff page, None on the command line (the system, under the load's
    audit reason). `options`: the values the upload form asks once for the whole file (the
    power list's 调整原因, 依据文件 and 生效日期), empty on the command line."""

    actor: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)


Writer = Callable[[dict[str, Any], Context], Outcome]


@dataclass(frozen=True)
class Register:
    """One register loaded from files.

    `parser(context)` makes the row parser for one file (it may look things up once);
    `writer(values, context)` creates or updates one record by its natural key and says which,
    raising ValidationError (keyed by column attr) for what the database or the model's rules
    refuse. `keys` are the natural keys: an attr, or a tuple of attrs together, each value once
    in a file; `references` the attrs that name another row of the same register by one of its
    keys (written before the row that names it). `order`: the set-up files are loaded in this
    order (departments before the bodies that name them).

    `setup`: a file of the district's set-up (`chengxin setup --load`, the go-live checklist).
    `batch_model` ("app_label.Model", an `imports.RegistryImport`): uploads through the staff
    pages are kept as its batches, and it carries the permission area (IMPORT to upload, VIEW
    to see the batches). `options_form`: the upload form's batch-wide fields. `list_url`: the
    staff page of the register's records. `personal_data`: the rows hold personal data (the
    rejected rows are an audited export). `error_columns`: model error keys that are not
    columns, mapped to the column the person fixes.
    """

    key: str
    title: str | Promise
    columns: tuple[Column, ...]
    parser: Callable[[Context], RowParser]
    writer: Writer
    order: int = 100
    keys: tuple[str | tuple[str, ...], ...] = ()
    references: tuple[str, ...] = ()
    note: str | Promise = ""
    setup: bool = False
    batch_model: str = ""
    options_form: Any = None
    list_url: str = ""
    personal_data: bool = False
    error_columns: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Both files are declared as exports when the register is (core.spreadsheets lists
        # every export; the audit records each copy of one with personal data).
        template = spreadsheets.Export(f"registers.{self.key}.template", self.title)
        rejections = spreadsheets.Export(
            f"registers.{self.key}.rejected_rows", self.title, personal_data=self.personal_data
        )
        object.__setattr__(self, "template_export", template)
        object.__setattr__(self, "rejections_export", rejections)

    template_export: spreadsheets.Export = field(init=False, compare=False)
    rejections_export: spreadsheets.Export = field(init=False, compare=False)

    def label(self, attr: str | None) -> str | None:
        attr = self.error_columns.get(attr, attr) if attr is not None else None
        for column in self.columns:
            if column.attr == attr:
                return _(column.label)
        return None


_registry: dict[str, Register] = {}


def register(entry: Register) -> Register:
    """Make `entry` loadable (called by an app's `registers` module when it is imported)."""
    known = _registry.setdefault(entry.key, entry)
    if known is not entry:
        raise ValueError(f"Register {entry.key!r} is registered twice.")
    return entry


def all_registers() -> list[Register]:
    """Every register, in loading order."""
    app_modules("registers")  # each registers its own when imported
    return sorted(_registry.values(), key=lambda entry: (entry.order, entry.key))


def setup_registers() -> list[Register]:
    """The registers of the district's set-up (`chengxin setup --load`), in loading order."""
    return [entry for entry in all_registers() if entry.setup]


def get(key: str, *, setup: bool = False) -> Register:
    """The register `key` (of the set-up only, with `setup`); raises LookupError with a Chinese
    message naming the known ones."""
    known = setup_registers() if setup else all_registers()
    for entry in known:
        if entry.key == key:
            return entry
    names = "、".join(entry.key for entry in known)
    raise LookupError(
        _("没有“%(key)s”这种文件；可用的有：%(known)s。") % {"key": key, "known": names}
    )


# --- parsing helpers for the apps' row parsers ------------------------------------------------


class RowErrors:
    """A row's problems by column attr, gathered so that one pass reports them all."""

    def __init__(self, values: Mapping[str, str], *required: str) -> None:
        self.values = values
        self.errors: dict[str, list[str]] = {
            attr: [_("必填，不能为空")] for attr in required if not values.get(attr)
        }

    def add(self, attr: str, message: str) -> None:
        self.errors.setdefault(attr, []).append(message)

    def check(self, attr: str, parse: Callable[[str], T], default: T) -> T:
        """`parse` of the column's text, or `default` (its problem noted) when it refuses it
        or the text is empty."""
        text = self.values.get(attr, "")
        if not text:
            return default
        try:
            return parse(text)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(attr, message)
            return default

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def choice(choices: Iterable[tuple[str, Any]]) -> Callable[[str], str]:
    """A parser of a choice typed as its Chinese label or its code."""
    options = [(str(value), str(label)) for value, label in choices]

    def parse(text: str) -> str:
        for value, label in options:
            if text in (value, label):
                return value
        allowed = "、".join(label for _value, label in options)
        raise ValidationError(
            _("“%(value)s”不是可选值，应为：%(allowed)s") % {"value": text, "allowed": allowed}
        )

    return parse


def flag(text: str) -> bool:
    """是/否 and the usual spellings of yes and no."""
    if text.upper() in YES:
        return True
    if text.upper() in NO:
        return False
    raise ValidationError(_("应填“是”或“否”"))


def day(text: str) -> datetime.date:
    """A date as YYYY-MM-DD (or the other ways Excel writes one)."""
    try:
        return parse_date(text)
    except ValueError:
        raise ValidationError(_("日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD")) from None


def credit_code(text: str) -> str:
    """A 统一社会信用代码 checked and normalised (no placeholder: every body has one)."""
    return validate_uscc(text, allow_placeholder=False)


def save_fields(
    found: M | None,
    make: Callable[[], M],
    fields: Mapping[str, Any],
    *,
    save: Callable[[M], object] | None = None,
) -> Outcome:
    """A writer's last step: `fields` set on the record `found` by its natural key (or on the
    new record `make()`) and saved, by `save` (an action) or checked by `full_clean` and saved;
    nothing at all when the record has those values already."""
    if found is not None and all(getattr(found, attr) == value for attr, value in fields.items()):
        return Outcome.UNCHANGED
    record = found if found is not None else make()
    for attr, value in fields.items():
        setattr(record, attr, value)
    if save is not None:
        save(record)
    else:
        record.full_clean()
        record.save()
    return Outcome.CREATED if found is None else Outcome.UPDATED


def reference_key(text: str) -> str:
    """A name or code as it is compared when one row or file names another."""
    return normalise(text)


# --- templates --------------------------------------------------------------------------------


def example() -> Example:
    """The example values of the installed district (before setup: the settings' names)."""
    region = regions.current_region()
    if region is None:
        district = str(settings.DISTRICT_NAME)
        return Example(district, f"{district}人民政府", "000000")
    return Example(region.name, region.government.name, region.code)


def template_sheets(entry: Register) -> list[spreadsheets.Sheet]:
    """The header and one example row, every column formatted as text; a sheet explaining the
    columns when the register has help for them."""
    values = example()
    examples = [column.example_for(values) for column in entry.columns]
    sheets = [
        spreadsheets.Sheet(
            [_(column.label) for column in entry.columns],
            [examples] if any(examples) else [],
            name=str(entry.title),
            widths=dict.fromkeys(range(len(entry.columns)), 24),
            as_text=True,
            freeze_header=True,
        )
    ]
    if any(column.help for column in entry.columns):
        sheets.append(
            spreadsheets.Sheet(
                [_("列"), _("说明")],
                [(_(column.label), str(column.help)) for column in entry.columns],
                name=_("填写说明"),
                widths={0: 20, 1: 100},
            )
        )
    return sheets


# --- loading ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    cells: list[str]  # as in the file, for the report
    texts: dict[str, str] = field(default_factory=dict)  # cleaned cell text by column attr
    values: dict[str, Any] = field(default_factory=dict)  # parsed
    problems: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    register: Register
    header: list[str]
    encoding: str
    rows: list[Row] = field(default_factory=list)
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))

    @property
    def rejected(self) -> list[Row]:
        return sorted((row for row in self.rows if row.problems), key=lambda row: row.number)


def problem(entry: Register, row: Row, attr: str | None, message: str) -> str:
    """One problem as the person fixing the file reads it: row, column, what is wrong."""
    label = entry.label(attr)
    if label is None:
        return _("第 %(row)d 行：%(message)s") % {"row": row.number, "message": message}
    return _("第 %(row)d 行【%(column)s】：%(message)s") % {
        "row": row.number,
        "column": label,
        "message": message,
    }


def problems_of(entry: Register, row: Row, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [problem(entry, row, None, message) for message in exc.messages]
    return [
        problem(entry, row, None if attr == NON_FIELD_ERRORS else attr, message)
        for attr, messages in exc.message_dict.items()
        for message in messages
    ]


def map_header(entry: Register, header: Sequence[Any]) -> list[str | None]:
    """Column attr for each header cell (unknown columns such as 原行号 and 错误说明 are left
    out); a file without a required column cannot be read."""
    lookup = {header_key(_(column.label)): column.attr for column in entry.columns}
    lookup |= {header_key(column.label): column.attr for column in entry.columns}
    columns = [lookup.get(header_key(str(cell))) for cell in header]
    missing = [column for column in entry.columns if column.required and column.attr not in columns]
    if missing:
        raise UnreadableFile(
            _("文件缺少必需的列：%(columns)s。请使用导入模板的表头。")
            % {"columns": "、".join(_(column.label) for column in missing)}
        )
    return columns


def load(entry: Register, path: Path, context: Context | None = None) -> LoadResult:
    """Load the file at `path` into `entry`: each valid row written in its own savepoint, the
    whole in one transaction. Raises UnreadableFile when the file cannot be read at all.

    Without a `context` the load is the command line's (`chengxin setup --load`): done by the
    system, its audit entries with the reason naming the command."""
    table = open_table(path)
    columns = map_header(entry, table.header)
    result = LoadResult(entry, [str(cell) for cell in table.header], table.encoding)
    with transaction.atomic(), _acting(context, entry):
        context = context or Context()
        parse = entry.parser(context)
        result.rows = [_parse(entry, parse, columns, number, cells) for number, cells in table.rows]
        _reject_repeated_keys(entry, result.rows)
        links = _links(entry, result.rows)
        for row in _in_reference_order(entry, result.rows, links):
            _write(entry, row, links[row.number], result, context)
    return result


def _acting(context: Context | None, entry: Register) -> AbstractContextManager[Any]:
    if context is not None:  # the staff page's request: its audit context already holds the user
        return nullcontext()
    return auditing.acting(reason=f"command line: setup --load {entry.key}")


def _parse(
    entry: Register, parse: RowParser, columns: list[str | None], number: int, cells: list[Any]
) -> Row:
    row = Row(number, [cell_text(cell) for cell in cells])
    row.texts = {column.attr: "" for column in entry.columns}
    for attr, text in zip(columns, row.cells, strict=False):
        if attr is not None:
            row.texts[attr] = clean_text(text)
    try:
        row.values = parse(row.texts)
    except ValidationError as exc:
        row.problems = problems_of(entry, row, exc)
    return row


def _key_text(row: Row, key: str | tuple[str, ...]) -> str:
    attrs = (key,) if isinstance(key, str) else key
    texts = [row.texts.get(attr, "") for attr in attrs]
    return "\x1f".join(reference_key(text) for text in texts) if all(texts) else ""


def _reject_repeated_keys(entry: Register, rows: list[Row]) -> None:
    for key in entry.keys:
        seen: dict[str, int] = {}
        column = key if isinstance(key, str) else key[-1]
        for row in rows:
            text = _key_text(row, key)
            if row.problems or not text:
                continue
            first = seen.setdefault(text, row.number)
            if first != row.number:
                attrs = (key,) if isinstance(key, str) else key
                message = _("与第 %(first)d 行的%(columns)s相同") % {
                    "first": first,
                    "columns": "、".join(entry.label(attr) or attr for attr in attrs),
                }
                row.problems.append(problem(entry, row, column, message))


Link = tuple[str, Row]  # (the referring column's attr, the row of the file it names)


def _links(entry: Register, rows: list[Row]) -> dict[int, list[Link]]:
    """For each row, the rows of the same file it names in its reference columns."""
    by_key: dict[str, Row] = {}
    for row in rows:
        for key in entry.keys:
            if isinstance(key, str) and row.texts.get(key):
                by_key.setdefault(reference_key(row.texts[key]), row)
    links: dict[int, list[Link]] = {}
    for row in rows:
        named = (
            (attr, by_key.get(reference_key(row.texts[attr])))
            for attr in entry.references
            if row.texts.get(attr)
        )
        links[row.number] = [(attr, target) for attr, target in named if target is not None]
    return links


def _in_reference_order(
    entry: Register, rows: list[Row], links: dict[int, list[Link]]
) -> list[Row]:
    """The rows with each one after the rows of the file it names, in file order otherwise
    (a depth-first walk); each row of a circle of references gets a problem."""
    ordered: list[Row] = []
    done: set[int] = set()

    def visit(row: Row, path: list[Link]) -> None:
        for attr, target in links[row.number]:
            walked = [*path, (attr, row)]
            on_path = [index for index, (_a, each) in enumerate(walked) if each is target]
            if on_path:
                _reject_circle(entry, walked[on_path[0] :])
            elif target.number not in done:
                visit(target, walked)
        if row.number not in done:
            done.add(row.number)
            ordered.append(row)

    for row in rows:
        if row.number not in done:
            visit(row, [])
    return ordered


def _reject_circle(entry: Register, circle: list[Link]) -> None:
    numbers = "、".join(str(row.number) for _attr, row in circle)
    for attr, row in circle:
        if len(circle) == 1:
            message = _("不能是本行自身")
        else:
            message = _("本文件第 %(rows)s 行的“%(column)s”互相引用，构成循环") % {
                "rows": numbers,
                "column": entry.label(attr),
            }
        text = problem(entry, row, attr, message)
        if text not in row.problems:
            row.problems.append(text)


def _write(
    entry: Register, row: Row, links: list[Link], result: LoadResult, context: Context
) -> None:
    if not row.problems:
        for attr, target in links:
            if target.problems:
                message = _("“%(value)s”是本文件第 %(row)d 行，该行未能导入") % {
                    "value": row.texts[attr],
                    "row": target.number,
                }
                row.problems.append(problem(entry, row, attr, message))
    if row.problems:
        return
    try:
        with transaction.atomic():  # a savepoint: a refused row leaves the load usable
            outcome = entry.writer(row.values, context)
    except ValidationError as exc:
        row.problems = problems_of(entry, row, exc)
        return
    result.counts[outcome] += 1


def rejections_sheet(result: LoadResult) -> spreadsheets.Sheet:
    """The rejected rows as they were in the file, with a column of problems: fix, delete that
    column, load again."""
    return rows_sheet(
        result.header, ((row.number, row.cells, row.problems) for row in result.rejected)
    )


def rows_sheet(
    header: Sequence[str], rejected: Iterable[tuple[int, Sequence[str], Sequence[str]]]
) -> spreadsheets.Sheet:
    """Rejected rows (row number, cells as uploaded, problems) as the sheet to fix: the file's
    header, 原行号 first and the problems last."""
    errors_column = len(header) + 1
    return spreadsheets.Sheet(
        [_("原行号"), *header, _(ERRORS_HEADER)],
        ([number, *cells, "；\n".join(problems)] for number, cells, problems in rejected),
        name=_("拒收行"),
        widths={errors_column: 80},
        wrapped=[errors_column],
    )


def save_report(result: LoadResult, path: Path) -> int:
    """The rejected rows written to `path` (XLSX, or CSV for a name ending in .csv)."""
    return spreadsheets.save(
        result.register.rejections_export,
        path,
        rejections_sheet(result),
        actor_name=COMMAND,
        parameters={"register": result.register.key},
    )
