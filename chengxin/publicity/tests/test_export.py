"""Export for the upper platform: standard headers, formats, filters, formula safety, audit."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.spreadsheets import neutralise
from chengxin.publicity import samples, standard
from chengxin.publicity.choices import RecordKind, RecordStatus
from chengxin.publicity.importing import RecordImporter
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.publicity.tests.test_stats import make_record

pytestmark = pytest.mark.django_db

URL = reverse("publicity_timeliness:export")
ID = "37040519900101123X"
LEGAL_REPRESENTATIVE_ID = "370405198505050016"
CODES = {kind: [field.code for field in standard.FIELDS[kind]] for kind in RecordKind.values}
MODELS = {RecordKind.LICENSE: LicenseRecord, RecordKind.PENALTY: PenaltyRecord}


@pytest.fixture
def credit_admin(make_user):
    return make_user(Role.CREDIT_ADMIN)


@pytest.fixture
def admin_client(client, credit_admin):
    client.force_login(credit_admin)
    return client


def download(client, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[Any]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(body(response)))
    return workbook.get_sheet_by_index(0).to_python()


def export_audits():
    return AuditEntry.objects.filter(
        action=AuditAction.SENSITIVE_READ, object_type="publicity.export"
    )


# --- format -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RecordKind.values)
def test_csv_headers_are_the_standards_field_codes_in_order(admin_client, kind) -> None:
    rows = csv_rows(download(admin_client, kind=kind, format="csv"))

    assert rows[0] == CODES[kind]
    assert rows[0][0] == ("XK_XDR_MC" if kind == RecordKind.LICENSE else "CF_XDR_MC")


@pytest.mark.parametrize("kind", RecordKind.values)
def test_xlsx_and_json_use_the_same_codes(admin_client, make_department, kind) -> None:
    make_record(MODELS[kind], make_department(), datetime.date(2026, 3, 2))

    xlsx = xlsx_rows(download(admin_client, kind=kind, format="xlsx"))
    items = json.loads(body(download(admin_client, kind=kind, format="json")))

    assert xlsx[0] == CODES[kind]
    assert list(items[0]) == CODES[kind]


def test_imported_penalties_come_back_cell_for_cell(admin_client, make_department) -> None:
    """Round trip: the standard's text in, the same text out (dates, amounts, categories, IDs)."""
    department = make_department()
    rows = list(
        samples.sample_rows(
            random.Random(11), RecordKind.PENALTY, 25, (department.name, department.credit_code)
        )
    )
    importer = RecordImporter(RecordKind.PENALTY, department)
    importer.set_header(samples.header(RecordKind.PENALTY))
    cells = [samples.as_cells(RecordKind.PENALTY, row) for row in rows]
    assert importer.process(list(enumerate(cells, 2))).created == 25

    exported = csv_rows(download(admin_client, kind=RecordKind.PENALTY, format="csv"))[1:]

    assert sorted(exported) == sorted(cells)
    assert any(row[CODES[RecordKind.PENALTY].index("CF_XDR_LB")] == "自然人" for row in exported)


def test_values_are_written_as_the_standard_says(admin_client, make_department) -> None:
    department = make_department()
    make_record(
        PenaltyRecord,
        department,
        datetime.date(2026, 3, 2),
        subject_category="legal_entity",
        penalty_categories="警告；罚款",
        fine_amount=Decimal("0.200000"),
        confiscation_amount=Decimal("12.000000"),
        penalty_valid_until=datetime.date(2027, 3, 2),
    )
    make_record(LicenseRecord, department, datetime.date(2026, 3, 2), license_state="2")

    penalty = json.loads(body(download(admin_client, kind=RecordKind.PENALTY, format="json")))[0]
    license = json.loads(body(download(admin_client, kind=RecordKind.LICENSE, format="json")))[0]

    assert penalty["CF_JDRQ"] == "2026-03-02"
    assert penalty["CF_YXQ"] == "2027-03-02"
    assert penalty["CF_GSJZQ"] == ""
    assert penalty["CF_NR_FK"] == "0.2"
    assert penalty["CF_NR_WFFF"] == "12"
    assert penalty["CF_CFLB"] == "警告;罚款"
    assert penalty["CF_XDR_LB"] == "法人及非法人组织"
    assert license["XK_ZT"] == "2"


def test_csv_and_json_are_streamed(admin_client) -> None:
    for fmt in ("csv", "json"):
        response = download(admin_client, kind=RecordKind.PENALTY, format=fmt)
        assert response.streaming
        assert "attachment" in response["Content-Disposition"]
    assert json.loads(body(download(admin_client, kind=RecordKind.PENALTY, format="json"))) == []


def test_every_xlsx_cell_is_text(admin_client, make_department) -> None:
    make_record(
        PenaltyRecord, make_department(), datetime.date(2026, 3, 2), fine_amount=Decimal("3")
    )

    rows = xlsx_rows(download(admin_client, kind=RecordKind.PENALTY, format="xlsx"))

    assert rows[1][CODES[RecordKind.PENALTY].index("CF_NR_FK")] == "3"
    assert rows[1][CODES[RecordKind.PENALTY].index("CF_JDRQ")] == "2026-03-02"
    assert all(isinstance(cell, str) for cell in rows[1])


# --- formula injection --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_characters_are_neutralised(text) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["正常名称", "a=1+1", " =1", "", "2026-03-02"])
def test_ordinary_text_is_left_alone(text) -> None:
    assert neutralise(text) == text


def test_formula_cell_is_neutralised_in_csv_and_xlsx_but_not_json(admin_client, make_department):
    make_record(PenaltyRecord, make_department(), datetime.date(2026, 3, 2), subject_name="=1+1")
    column = CODES[RecordKind.PENALTY].index("CF_XDR_MC")

    in_csv = csv_rows(download(admin_client, kind=RecordKind.PENALTY, format="csv"))[1][column]
    in_xlsx = xlsx_rows(download(admin_client, kind=RecordKind.PENALTY, format="xlsx"))[1][column]
    in_json = json.loads(body(download(admin_client, kind=RecordKind.PENALTY, format="json")))

    assert in_csv == "'=1+1"
    assert in_xlsx == "=1+1"  # a text cell with Excel's quote prefix (core.spreadsheets)
    assert in_json[0]["CF_XDR_MC"] == "=1+1"  # exact for programs (see export's docstring)


# --- filters ------------------------------------------------------------------------------


def numbers(response) -> list[str]:
    return sorted(item["CF_WSH"] for item in json.loads(body(response)))


def test_only_published_records_by_default(admin_client, make_department) -> None:
    department = make_department()
    day = datetime.date(2026, 3, 2)
    published = make_record(PenaltyRecord, department, day)
    make_record(PenaltyRecord, department, day, status=RecordStatus.WITHDRAWN)
    make_record(PenaltyRecord, department, day, status=RecordStatus.DRAFT)
    make_record(PenaltyRecord, department, day, status=RecordStatus.SUBMITTED)

    exported = numbers(download(admin_client, kind=RecordKind.PENALTY, format="json"))

    assert exported == [published.decision_number]


def test_status_filter_exports_withdrawn_records_on_request(admin_client, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, datetime.date(2026, 3, 2))
    withdrawn = make_record(
        PenaltyRecord, department, datetime.date(2026, 3, 2), status=RecordStatus.WITHDRAWN
    )

    exported = numbers(
        download(admin_client, kind=RecordKind.PENALTY, status="withdrawn", format="json")
    )

    assert exported == [withdrawn.decision_number]


def test_date_range_includes_both_ends(admin_client, make_department) -> None:
    department = make_department()
    first = make_record(PenaltyRecord, department, datetime.date(2026, 3, 1))
    last = make_record(PenaltyRecord, department, datetime.date(2026, 3, 31))
    make_record(PenaltyRecord, department, datetime.date(2026, 2, 28))
    make_record(PenaltyRecord, department, datetime.date(2026, 4, 1))

    exported = numbers(
        download(
            admin_client,
            kind=RecordKind.PENALTY,
            date_from="2026-03-01",
            date_to="2026-03-31",
            format="json",
        )
    )

    assert exported == sorted([first.decision_number, last.decision_number])


def test_department_filter(admin_client, make_department) -> None:
    mine, other = make_department(), make_department()
    kept = make_record(PenaltyRecord, mine, datetime.date(2026, 3, 2))
    make_record(PenaltyRecord, other, datetime.date(2026, 3, 2))

    exported = numbers(
        download(admin_client, kind=RecordKind.PENALTY, department=mine.pk, format="json")
    )

    assert exported == [kept.decision_number]


def test_kind_filter_keeps_licences_out_of_a_penalty_export(admin_client, make_department):
    department = make_department()
    make_record(LicenseRecord, department, datetime.date(2026, 3, 2))

    rows = csv_rows(download(admin_client, kind=RecordKind.PENALTY, format="csv"))

    assert rows == [CODES[RecordKind.PENALTY]]


def test_reversed_dates_show_the_form_with_an_error(admin_client) -> None:
    response = admin_client.get(
        URL,
        {"kind": "penalty", "date_from": "2026-03-02", "date_to": "2026-03-01", "format": "csv"},
    )

    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not export_audits().exists()


def test_unknown_format_is_refused(admin_client) -> None:
    response = admin_client.get(URL, {"kind": "penalty", "format": "pdf"})

    assert response.status_code == 400
    assert not export_audits().exists()


# --- personal data, audit and permission --------------------------------------------------


def person_penalty(department, **fields: Any) -> PenaltyRecord:
    record = PenaltyRecord(
        department=department,
        decision_number="台市监罚〔2026〕00001号",
        decision_date=datetime.date(2026, 3, 2),
        deadline=datetime.date(2026, 3, 11),
        content="罚款",
        subject_name="张三",
        subject_category="natural_person",
        id_type="身份证",
        status=RecordStatus.PUBLISHED,
        **fields,
    )
    record.set_personal_numbers(
        id_number=ID, legal_representative_id_number=LEGAL_REPRESENTATIVE_ID
    )
    record.save()
    return record


def test_full_id_numbers_are_exported_and_the_export_audited(
    admin_client, credit_admin, make_department
) -> None:
    person_penalty(make_department())
    codes = CODES[RecordKind.PENALTY]

    rows = csv_rows(
        download(admin_client, kind=RecordKind.PENALTY, date_from="2026-01-01", format="csv")
    )

    assert rows[1][codes.index("CF_XDR_ZJHM")] == ID
    assert rows[1][codes.index("CF_FR_ZJHM")] == LEGAL_REPRESENTATIVE_ID
    assert rows[1][codes.index("CF_XDR_LB")] == "自然人"
    entry = export_audits().get()  # exactly one entry for the whole export
    assert entry.actor_id == credit_admin.pk
    assert entry.after == {
        "kind": "penalty",
        "date_from": "2026-01-01",
        "date_to": None,
        "department_id": None,
        "status": "published",
        "format": "csv",
        "count": 1,
    }
    assert "行政处罚" in entry.object_repr


def test_each_export_is_one_audit_entry_whatever_its_size(admin_client, make_department) -> None:
    department = make_department()
    for _ in range(5):
        make_record(PenaltyRecord, department, datetime.date(2026, 3, 2))

    body(download(admin_client, kind=RecordKind.PENALTY, format="xlsx"))
    body(download(admin_client, kind=RecordKind.PENALTY, format="json"))

    assert [entry.after["count"] for entry in export_audits().order_by("sequence")] == [5, 5]


def test_showing_the_form_is_not_audited(admin_client) -> None:
    response = admin_client.get(URL)

    assert response.status_code == 200
    assert "导出双公示数据" in response.content.decode()
    assert not export_audits().exists()


def test_reporter_may_not_export(client, make_user, make_department) -> None:
    department = make_department()
    person_penalty(department)
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))

    download_attempt = client.get(URL, {"kind": "penalty", "format": "csv"})
    form = client.get(URL)

    assert download_attempt.status_code == 403
    assert form.status_code == 403
    assert ID.encode() not in download_attempt.content
    assert not export_audits().exists()


def test_export_needs_a_login(client) -> None:
    response = client.get(URL, {"kind": "penalty", "format": "csv"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_dashboards_link_pre_fills_the_form(admin_client, make_department) -> None:
    department = make_department()

    response = admin_client.get(URL, {"department": department.pk})

    assert response.status_code == 200
    assert response.context["form"]["department"].value() == str(department.pk)
    assert f'<option value="{department.pk}" selected>' in response.content.decode()
    assert not export_audits().exists()
