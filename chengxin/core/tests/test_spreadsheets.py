"""The one CSV/XLSX writer: formula cells made inert, numbers and dates kept, exports of personal
data recorded before the file leaves (core.spreadsheets)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import spreadsheets
from chengxin.core.spreadsheets import Export, Sheet, csv_cell, neutralise
from chengxin.core.tests.cells import csv_rows, unsafe_xlsx_cells, xlsx_cells, xlsx_sheets

HYPERLINK = '=HYPERLINK("http://evil","x")'
PLANTED = [HYPERLINK, "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def exports() -> Iterator[None]:
    """Exports a test declares ("tests.…") leave the project's list after it (test_exports
    compares that list with its table); the project's own stay, whenever they were loaded."""
    yield
    for name in [name for name in spreadsheets._declared if name.startswith("tests.")]:
        del spreadsheets._declared[name]


def xlsx_bytes(*sheets: Sheet) -> bytes:
    buffer = io.BytesIO()
    spreadsheets.write_xlsx(buffer, list(sheets))
    return buffer.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    buffer = io.BytesIO()
    spreadsheets.write_csv(buffer, sheet)
    return buffer.getvalue()


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*PLANTED, "-", "=", "+", "@", "-5", "=1+1"])
def test_text_starting_with_a_trigger_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "正常名称", "a=1+1", "A1-B1", " =1", "'=1", "2026-03-02", "＝1"]
)
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-5, "-5"),  # a number: no spreadsheet runs it
        ("-5", "'-5"),  # the same as text is neutralised like any text
        (Decimal("-2.50"), "-2.50"),
        (Decimal("1E+2"), "100"),  # plain, never scientific notation
        (-0.5, "-0.5"),
        (0, "0"),
        (None, ""),
        ("", ""),
        (datetime.date(2026, 3, 2), "2026-03-02"),
        (gettext_lazy("@某"), "'@某"),  # a lazy label is text too
    ],
)
def test_a_csv_cell_keeps_numbers_and_dates_and_neutralises_text(value: Any, expected: str) -> None:
    assert csv_cell(value) == expected


@pytest.mark.today(datetime.date(2026, 3, 2))
def test_an_aware_time_is_written_in_local_time() -> None:
    moment = datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)
    assert csv_cell(moment) == "2026-03-02 00:30:00"
    assert timezone.is_aware(moment)


def test_a_bool_is_refused_rather_than_guessed() -> None:
    with pytest.raises(TypeError):
        csv_cell(True)
    with pytest.raises(TypeError):
        xlsx_bytes(Sheet(["是否"], [[False]]))


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_every_text_cell_neutralised() -> None:
    sheet = Sheet(["=表头", "名称", "金额"], [[text, "a=b", -3] for text in PLANTED])
    content = csv_bytes(sheet)
    rows = csv_rows(content)
    assert rows[0] == ["'=表头", "名称", "金额"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in PLANTED]
    assert {row[1] for row in rows[1:]} == {"a=b"}  # "=" inside the text, not first
    assert {row[2] for row in rows[1:]} == {"-3"}  # a negative number stays a number
    assert content.count(b"\r\n") == len(PLANTED) + 1


def test_write_csv_counts_the_rows_and_leaves_the_target_open() -> None:
    target = io.BytesIO()
    assert spreadsheets.write_csv(target, Sheet(["a"], iter([["1"], ["2"]]))) == 2
    assert spreadsheets.write_csv(io.BytesIO(), Sheet(["a"], [])) == 0
    assert not target.closed and target.getvalue().endswith(b"2\r\n")


def test_a_csv_holds_one_sheet_and_formats_are_checked() -> None:
    with pytest.raises(ValueError, match="one sheet"):
        spreadsheets.write("csv", io.BytesIO(), [Sheet(["a"], []), Sheet(["b"], [])])
    with pytest.raises(ValueError, match="Unknown"):
        spreadsheets.write("xls", io.BytesIO(), [Sheet(["a"], [])])


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_text_is_a_string_with_the_quote_prefix_never_a_formula() -> None:
    content = xlsx_bytes(Sheet(["名称"], [[text] for text in PLANTED]))
    cells = xlsx_cells(content)
    assert unsafe_xlsx_cells(cells) == []
    written = [cell for cell in cells if cell.ref != "A1"]
    assert [(cell.kind, cell.text, cell.quote_prefix) for cell in written] == [
        ("text", text, True) for text in PLANTED
    ]  # the value stays exact: the report of rejected rows can be uploaded again


def test_xlsx_numbers_dates_and_ordinary_text() -> None:
    rows = [
        [-5, "-5", Decimal("-2.5"), datetime.date(2026, 3, 2), "a=b", "", None, "-"],
    ]
    content = xlsx_bytes(Sheet(["a", "b", "c", "d", "e", "f", "g", "h"], rows))
    cells = {cell.ref: cell for cell in xlsx_cells(content)}
    assert (cells["A2"].kind, cells["A2"].text, cells["A2"].quote_prefix) == ("number", "-5", False)
    assert (cells["B2"].kind, cells["B2"].quote_prefix) == ("text", True)  # "-5" as text
    assert (cells["C2"].kind, cells["C2"].text) == ("number", "-2.5")
    assert (cells["D2"].kind, cells["D2"].text) == ("number", "46083")  # a date serial
    assert (cells["E2"].text, cells["E2"].quote_prefix) == ("a=b", False)
    assert cells.get("F2") is None or cells["F2"].text == ""
    assert "G2" not in cells  # None: an empty cell
    assert (cells["H2"].text, cells["H2"].quote_prefix) == ("-", True)  # "-" alone, the boundary
    assert unsafe_xlsx_cells(list(cells.values())) == []


def test_xlsx_sheets_titles_and_names() -> None:
    first = Sheet(["列"], [["x"]], name="a/b[c]:d*e?", title="=标题")
    second = Sheet(["列"], [], name="名" * 40)
    sheets = xlsx_sheets(xlsx_bytes(first, second))
    assert list(sheets) == ["a_b_c__d_e_", "名" * 31]
    title, header, row = sheets["a_b_c__d_e_"]
    assert (title[0].text, title[0].quote_prefix) == ("=标题", True)
    assert header[0].text == "列" and row[0].text == "x"


def test_a_template_formats_its_columns_as_text() -> None:
    content = xlsx_bytes(Sheet(["证件号码"], [["0012"]], as_text=True, widths={0: 30}))
    assert b'formatCode="@"' in _styles(content)  # text: typed numbers stay as typed
    assert [cell.text for cell in xlsx_cells(content)] == ["证件号码", "0012"]


def _styles(content: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml")


# --- declaring and recording exports -------------------------------------------------------------


def test_an_export_is_declared_once(exports: None) -> None:
    first = Export("tests.list", "清单")
    assert Export("tests.list", "清单") == first  # the same declaration again: a no-op
    with pytest.raises(ValueError, match="declared twice"):
        Export("tests.list", "清单", personal_data=True)
    assert first in spreadsheets.declared()


def test_a_public_export_is_not_recorded(exports: None, db: None) -> None:
    response = spreadsheets.download(
        Export("tests.public", "公开"), "csv", Sheet(["a"], [["1"]]), filename="public"
    )
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="public.csv"'
    assert "no-store" not in response.get("Cache-Control", "")
    assert not AuditEntry.objects.filter(action=AuditAction.SENSITIVE_READ).exists()


def test_a_personal_export_is_recorded_once_with_its_count_not_its_data(
    exports: None, make_user: Any
) -> None:
    user = make_user(Role.CREDIT_ADMIN)
    export = Export("tests.people", "人员名单", personal_data=True)
    rows = [["张三", "37040519900101123X"], ["李四", "370405198505050016"]]
    response = spreadsheets.download(
        export,
        "xlsx",
        Sheet(["姓名", "证件号码"], rows),
        filename="people",
        actor=user,
        parameters={"department": 7},
        description="第一季度",
        object_id=12,
    )
    entry = AuditEntry.objects.get(action=AuditAction.SENSITIVE_READ)
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("tests.people", "12", user.pk)
    assert entry.after == {"department": 7, "format": "xlsx", "count": 2}
    assert entry.object_repr == "人员名单 第一季度"
    assert "张三" not in str(entry.after) and "123X" not in entry.object_repr
    assert response["Cache-Control"] == "private, no-store"


def test_a_personal_export_needs_a_signed_in_actor(exports: None, db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    export = Export("tests.people", "人员名单", personal_data=True)
    for actor in (None, AnonymousUser()):
        with pytest.raises(ValueError, match="signed-in"):
            spreadsheets.download(export, "csv", Sheet(["a"], []), filename="x", actor=actor)
    assert not AuditEntry.objects.exists()


def test_no_recorder_no_personal_export(
    exports: None, monkeypatch: pytest.MonkeyPatch, make_user: Any
) -> None:
    monkeypatch.setattr(spreadsheets, "_recorders", [])
    export = Export("tests.people", "人员名单", personal_data=True)
    with pytest.raises(ImproperlyConfigured):
        spreadsheets.download(
            export, "csv", Sheet(["a"], []), filename="x", actor=make_user(Role.CREDIT_ADMIN)
        )
    spreadsheets.download(Export("tests.public", "公开"), "csv", Sheet(["a"], []), filename="y")


def test_parameters_named_like_the_payload_are_refused(exports: None, make_user: Any) -> None:
    export = Export("tests.people", "人员名单", personal_data=True)
    with pytest.raises(ValueError, match="count"):
        spreadsheets.record_export(
            export, "csv", 1, actor=make_user(Role.CREDIT_ADMIN), parameters={"count": 9}
        )


def test_a_command_saves_and_records_and_removes_the_file_it_cannot_record(
    exports: None, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = Export("tests.people", "人员名单", personal_data=True)
    path = tmp_path / "people.csv"
    written = spreadsheets.save(
        export, path, Sheet(["姓名"], [["=张三"]]), actor_name="chengxin test", object_id=3
    )
    assert written == 1 and csv_rows(path.read_bytes())[1] == ["'=张三"]  # .csv: CSV
    entry = AuditEntry.objects.get(action=AuditAction.SENSITIVE_READ)
    assert (entry.actor_name, entry.actor_id, entry.after) == (
        "chengxin test",
        None,
        {"format": "csv", "count": 1},
    )

    def refuse(record: spreadsheets.ExportRecord) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(spreadsheets, "_recorders", [refuse])
    other = tmp_path / "other.xlsx"
    with pytest.raises(RuntimeError):
        spreadsheets.save(export, other, Sheet(["姓名"], [["张三"]]), actor_name="chengxin test")
    assert not other.exists()  # personal data that could not be recorded is not left behind


def test_parameters_of_cleaned_data(make_department: Any) -> None:
    department = make_department()
    data = {
        "department": department,
        "start": datetime.date(2026, 1, 1),
        "amount": Decimal("1.5"),
        "kinds": [department, "x"],
        "flag": True,
        "empty": None,
    }
    assert spreadsheets.parameters_of(data) == {
        "department": department.pk,
        "start": "2026-01-01",
        "amount": "1.5",
        "kinds": [department.pk, "x"],
        "flag": True,
        "empty": None,
    }
