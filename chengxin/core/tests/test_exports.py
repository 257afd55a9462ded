"""Every CSV and XLSX the project hands out, staff and public pages and commands alike: formula
cells planted in the data come out inert, and every file of personal data leaves one audit entry
(who, which export, its parameters, how many rows; never the data).

The table `CASES` names each export and where it is served. Three checks keep the table whole:
every `spreadsheets.Export` declared in the project is in it, every URL whose route or name says
it serves a file (export, csv, xlsx, report, template …) is in it or listed below as not a
spreadsheet, and no module but `core.spreadsheets` writes CSV or XLSX at all.
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.timezone import localdate

import chengxin
from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.agencies.tests.fixtures import make_enforcement_body, make_enforcement_officer  # noqa: F401
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.cases.tests.fixtures import (  # noqa: F401
    case_body,
    case_department,
    case_officers,
    handler,
    make_case,
    penalty_item,
)
from chengxin.core import spreadsheets
from chengxin.core.tests.cells import (
    csv_rows,
    unsafe_csv_fields,
    unsafe_xlsx_cells,
    xlsx_cells,
    xlsx_sheets,
)
from chengxin.disputes.tests.fixtures import (  # noqa: F401
    bureau,
    make_exam,
    make_litigation,
    make_mediation_case,
    make_reconsideration,
    make_room,
    make_study,
    make_training,
    township,
)
from chengxin.documents.tests.fixtures import (  # noqa: F401
    lawadmin,
    make_body,
    make_document,
    market_body,
    market_department,
    reviewer,
)
from chengxin.portal.tests.fixtures import company, penalty, person
from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil","x")'
PLANTED = (HYPERLINK, "+1", "-2+3", "@SUM(A1)")
ID_NUMBER = "360426199101010071"
# The exports that name people (ID numbers, names of parties, applicants, nominees …): each file
# leaves an audit entry. Every other export is public or holds only figures and staff data.
PERSONAL = {
    "publicity.export",  # full ID numbers, for the upper platform
    "cases.off_network",  # the penalised, natural persons among them
    "disputes.reconsiderations",  # applicants
    "disputes.litigations",  # plaintiffs
    "disputes.mediation-cases",  # the parties
    "disputes.exams",  # nominees and their scores
    "disputes.trainings",  # participants
    "disputes.study-records",  # who studied what
    "imports.rejected_rows",  # rows as uploaded, full ID numbers (web and command)
    "registers.officers.rejected_rows",  # officers as uploaded
    "registers.list_entries.rejected_rows",  # list entries as uploaded, full ID numbers
    "screening.batch_results",  # the checked applicants and bidders
}
PACKAGE = Path(chengxin.__file__).parent


# --- the table -----------------------------------------------------------------------------------


@dataclass
class Got:
    """One file as a person (or a command) got it."""

    fmt: str
    content: bytes
    actor: User | None = None  # signed in; None on a public page or for a command
    actor_name: str = ""  # a command's name in the audit log
    planted: bool = True  # False for a template, which holds no data


@dataclass
class World:
    """What a case needs: fixtures by name, users, downloads."""

    request: pytest.FixtureRequest
    tmp_path: Path

    def fixture(self, name: str) -> Any:
        return self.request.getfixturevalue(name)

    def user(self, role: str, **fields: Any) -> User:
        user: User = self.fixture("make_user")(role, **fields)
        return user

    def get(self, user: User | None, url: str, params: dict[str, Any] | None = None) -> bytes:
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url, params or {})
        assert response.status_code == 200, response.getvalue()[:300]
        content: bytes = response.getvalue()
        return content


@dataclass(frozen=True)
class Case:
    export: str  # the Export's name
    source: str  # the URL name, or "command: …"
    run: Callable[[World], list[Got]] = field(compare=False)


CASES: list[Case] = []


def case(export: str, source: str) -> Callable[[Callable[[World], list[Got]]], None]:
    def register(run: Callable[[World], list[Got]]) -> None:
        CASES.append(Case(export, source, run))

    return register


def upload(world: World, header: list[str], name: str = "rows.csv") -> SimpleUploadedFile:
    """A file of one row, every cell a planted value: refused, so it comes back in the report."""
    path = world.tmp_path / name
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([PLANTED[index % len(PLANTED)] for index in range(len(header))])
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


# 双公示 records for the upper platform (full ID numbers).
for _fmt in ("csv", "xlsx"):

    @case("publicity.export", f"publicity_timeliness:export?format={_fmt}")
    def _publicity(world: World, fmt: str = _fmt) -> list[Got]:
        department = world.fixture("make_department")()
        penalty(
            person(HYPERLINK, ID_NUMBER),
            department,
            id_number=ID_NUMBER,
            content="+1",
            violation_type="-2+3",
            legal_basis="@SUM(A1)",
        )
        user = world.user(Role.CREDIT_ADMIN)
        url = reverse("publicity_timeliness:export")
        return [Got(fmt, world.get(user, url, {"kind": "penalty", "format": fmt}), user)]


@case("cases.off_network", "cases:off_network?format=csv")
def _off_network(world: World) -> list[Got]:
    department = world.fixture("make_department")(name="-2+3")
    body = world.fixture("make_enforcement_body")(name="@SUM(A1)", department=department)
    record = penalty(
        company(HYPERLINK),
        department,
        authority=body.name,
        authority_credit_code=body.credit_code,
        decision_number="+1",
    )
    user = world.user(Role.RULE_OF_LAW_ADMIN)
    year = record.decision_date.year
    period = {"start": f"{year}-01-01", "end": f"{year}-12-31", "format": "csv"}
    return [Got("csv", world.get(user, reverse("cases:off_network"), period), user)]


DISPUTES = {
    "reconsiderations": ("make_reconsideration", "applicant_name"),
    "litigations": ("make_litigation", "plaintiff_name"),
    "mediation-rooms": ("make_room", "name"),
    "mediation-cases": ("make_mediation_case", "parties"),
    "exams": ("make_exam", "nominee_name"),
    "trainings": ("make_training", "title"),
    "study-records": ("make_study", "person_name"),
}
for _slug, (_factory, _field) in DISPUTES.items():

    @case(f"disputes.{_slug}", f"disputes:export/{_slug}")
    def _dispute(
        world: World, slug: str = _slug, factory: str = _factory, name: str = _field
    ) -> list[Got]:
        world.fixture(factory)(**{name: HYPERLINK})
        user = world.user(Role.RULE_OF_LAW_ADMIN)
        url = reverse("disputes:export", args=[slug])
        return [Got("xlsx", world.get(user, url), user)]


@case("documents.register", "documents:export")
def _documents(world: World) -> list[Got]:
    world.fixture("make_document")("published", title=HYPERLINK)
    user = world.fixture("lawadmin")
    return [Got("xlsx", world.get(user, reverse("documents:export")), user)]


def _power_list(world: World, url_name: str, staff: bool) -> list[Got]:
    world.fixture("make_power_item")(
        name=HYPERLINK, legal_basis="+1", fee_basis="-2+3", supervision_phone="@SUM(A1)"
    )
    user = world.user(Role.RULE_OF_LAW_ADMIN) if staff else None
    return [
        Got(fmt, world.get(user, reverse(url_name, args=[fmt])), user) for fmt in ("csv", "xlsx")
    ]


@case("powers.list", "powers:export")
def _powers_staff(world: World) -> list[Got]:
    return _power_list(world, "powers:export", staff=True)


@case("powers.list", "powers_public:export")
def _powers_public(world: World) -> list[Got]:
    return _power_list(world, "powers_public:export", staff=False)


# Every register's template and rejected rows (core.registers), uploaded by whoever keeps it.
REGISTER_KEEPERS = {
    "departments": Role.SYSTEM_ADMIN,
    "townships": Role.SYSTEM_ADMIN,
    "enforcement_bodies": Role.SYSTEM_ADMIN,
    "issuing_bodies": Role.SYSTEM_ADMIN,
    "list_types": Role.SYSTEM_ADMIN,
    "power_items": Role.RULE_OF_LAW_ADMIN,
    "officers": Role.RULE_OF_LAW_ADMIN,
    "list_entries": Role.CREDIT_ADMIN,
}
REGISTER_OPTIONS = {
    "power_items": {"reason": "权力清单调整", "document": "台政办发〔2026〕1号"},
}

for _key, _role in REGISTER_KEEPERS.items():

    @case(f"registers.{_key}.template", f"registers:template?key={_key}")
    def _register_template(world: World, key: str = _key, role: str = _role) -> list[Got]:
        world.fixture("catalogue")
        user = world.user(role)
        url = reverse("registers:template", args=[key])
        return [Got("xlsx", world.get(user, url), user, planted=False)]

    @case(f"registers.{_key}.rejected_rows", f"registers:report?key={_key}")
    def _register_rejected(world: World, key: str = _key, role: str = _role) -> list[Got]:
        from chengxin.core import registers
        from chengxin.imports.registers import upload_file

        world.fixture("catalogue")
        user = world.user(role)
        entry = registers.get(key)
        header = [column.label for column in entry.columns]
        options = {**REGISTER_OPTIONS.get(key, {}), "effective_on": localdate()}
        batch = upload_file(entry, upload(world, header), actor=user, options=options)
        assert batch.rows_rejected == 1, batch.error_message
        url = reverse("registers:report", args=[key, batch.pk])
        return [Got("xlsx", world.get(user, url), user)]


@case("screening.batch_results", "screening:batch_results")
def _batch_results(world: World) -> list[Got]:
    from chengxin.screening.batch import run_batch
    from chengxin.screening.models import CheckBatch

    checker = world.fixture("checker")
    path = world.tmp_path / "bidders.csv"
    rows = [["名称", "统一社会信用代码"], *([text, ""] for text in PLANTED)]
    rows.append(["", "=1+1"])  # refused: the problem names the column
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows)
    batch = CheckBatch.objects.create(
        department=checker.department,
        requested_by=checker,
        scenario=world.fixture("scenario")("bidding"),
        matter="TEZ-ZB-2026-07",
        file_name=path.name,
    )
    batch = run_batch(batch, path)
    assert (batch.total, batch.rejected) == (len(PLANTED), 1), batch.error
    url = reverse("screening:batch_results", args=[batch.pk])
    return [Got("xlsx", world.get(checker, url), checker)]


@case("screening.statistics", "screening:statistics_csv")
def _screening_statistics(world: World) -> list[Got]:
    from chengxin.screening import actions
    from chengxin.screening.choices import CheckChannel
    from chengxin.screening.matching import Subject
    from chengxin.screening.models import Scenario

    scenario = world.fixture("scenario")("bidding")
    Scenario.objects.filter(pk=scenario.pk).update(name="@SUM(A1)")
    department = world.fixture("make_department")(name=HYPERLINK)
    checker = world.user(Role.CREDIT_CHECKER, department=department)
    actions.check_subjects(
        [Subject("+1", "", "")],
        department=department,
        scenario=Scenario.objects.get(pk=scenario.pk),
        matter="-2+3",
        actor=checker,
        channel=CheckChannel.WEB,
    )
    user = world.user(Role.CREDIT_ADMIN)
    return [Got("csv", world.get(user, reverse("screening:statistics_csv")), user)]


def _import_batch(world: World) -> Any:
    from chengxin.imports.choices import BatchSource, BatchStatus
    from chengxin.imports.models import ImportBatch, ImportRejection
    from chengxin.publicity.choices import RecordKind

    batch = ImportBatch.objects.create(
        kind=RecordKind.PENALTY,
        department=world.fixture("make_department")(),
        source=BatchSource.WEB,
        status=BatchStatus.FINISHED,
        header=["CF_XDR_MC", "CF_WSH", "CF_XDR_ZJHM"],
        rows_read=1,
        rows_rejected=1,
    )
    cells = [HYPERLINK, "+1", ID_NUMBER]
    ImportRejection.objects.create(
        batch=batch, row_number=2, cells_ciphertext=ImportRejection.seal(cells), errors=["-2+3"]
    )
    return batch


@case("imports.rejected_rows", "imports:report")
def _imports_rejected(world: World) -> list[Got]:
    batch = _import_batch(world)
    user = world.user(Role.CREDIT_ADMIN)
    return [Got("xlsx", world.get(user, reverse("imports:report", args=[batch.pk])), user)]


@case("imports.rejected_rows", "command: chengxin import --report")
def _import_command(world: World) -> list[Got]:
    from chengxin.publicity import standard

    department = world.fixture("make_department")()
    codes = [item.code for item in standard.FIELDS["penalty"]]
    source = upload(world, codes, name="penalties.csv")
    path = world.tmp_path / "penalties.csv"
    path.write_bytes(source.read())
    got = []
    for name in ("rejected.xlsx", "rejected.csv"):  # the report's format follows its name
        report = world.tmp_path / name
        with pytest.raises(SystemExit) as exited:
            call_command(
                "import",
                "penalties",
                str(path),
                "--department",
                department.credit_code,
                "--report",
                str(report),
            )
        assert exited.value.code == 1  # rows were rejected
        got.append(Got(report.suffix[1:], report.read_bytes(), actor_name="chengxin import"))
    return got


@case("registers.departments.template", "command: chengxin setup --template")
def _organisation_template(world: World) -> list[Got]:
    path = world.tmp_path / "departments.xlsx"
    call_command("setup", "--template", "departments", "--output", str(path), stdout=io.StringIO())
    return [Got("xlsx", path.read_bytes(), actor_name="chengxin setup", planted=False)]


@case("registers.departments.rejected_rows", "command: chengxin setup --load --report")
def _organisation_report(world: World) -> list[Got]:
    from chengxin.accounts.tests.test_setup import flags

    call_command("setup", *flags(), stdout=io.StringIO(), stderr=io.StringIO())
    path = world.tmp_path / "departments.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["名称", "简称", "统一社会信用代码", "类型", "上级单位"])
        writer.writerow([HYPERLINK, "+1", "-2+3", "@SUM(A1)", ""])
    report = world.tmp_path / "rejected.xlsx"
    with pytest.raises(SystemExit) as exited:
        call_command(
            "setup", "--load", "departments", str(path), "--report", str(report),
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert exited.value.code == 1  # the row was rejected
    return [Got("xlsx", report.read_bytes(), actor_name="chengxin setup")]


def _statistics_tables() -> list[str]:
    from chengxin.portal.statistics_views import TABLES

    return list(TABLES)


@case("portal.statistics", "portal_statistics:csv")
def _portal_statistics(world: World) -> list[Got]:
    from chengxin.portal.tests.fixtures import license_

    department = world.fixture("make_department")(name=HYPERLINK)
    penalty(company("某公司"), department, penalty_categories="+1")
    license_(company("另一公司"), department, license_category="-2+3")
    cache.clear()  # the figures are cached: this test's must be computed
    url = reverse("portal_statistics:csv")
    try:
        return [
            Got("csv", world.get(None, url, {"table": table}), planted=table == "departments")
            for table in _statistics_tables()
        ]
    finally:
        cache.clear()


# --- every export: inert, and audited when it names people ---------------------------------------

NOT_IMPORTED = {"conftest", "settings", "test_settings", "wsgi"}  # loaded once, by their owner


@functools.cache
def _import_every_module() -> None:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="chengxin."):
        parts = module.name.split(".")
        if {"tests", "migrations"} & set(parts) or parts[-1] in NOT_IMPORTED:
            continue
        importlib.import_module(module.name)  # an export is declared when its module loads


def all_exports() -> dict[str, spreadsheets.Export]:
    """Every export the project declares (its modules all loaded), by name."""
    _import_every_module()
    return {export.name: export for export in spreadsheets.declared()}


def data_rows(got: Got) -> int:
    """Rows under the header(s): what the audit entry must count."""
    if got.fmt == "csv":
        return len(csv_rows(got.content)) - 1
    return sum(len(rows) - 1 for rows in xlsx_sheets(got.content).values())


def assert_inert(got: Got) -> None:
    if got.fmt == "csv":
        rows = csv_rows(got.content)
        assert unsafe_csv_fields(rows) == []
        found = {text for row in rows for text in row if text.lstrip("'") in PLANTED}
        planted_there = f"'{HYPERLINK}" in found
    else:
        cells = xlsx_cells(got.content)
        assert unsafe_xlsx_cells(cells) == []  # no formula, no text that would become one
        planted_there = any(cell.text == HYPERLINK and cell.quote_prefix for cell in cells)
    if got.planted:
        assert planted_there, "the planted value is not in the file: the test would prove nothing"


@pytest.mark.parametrize("export_case", CASES, ids=lambda item: item.source)
def test_every_export_is_inert_and_recorded_if_it_names_people(
    export_case: Case, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    export = all_exports()[export_case.export]
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    files = export_case.run(World(request, tmp_path))

    assert files
    for got in files:
        assert_inert(got)
    reads = AuditEntry.objects.filter(sequence__gt=last, action=AuditAction.SENSITIVE_READ)
    assert export.personal_data == (export.name in PERSONAL)
    if not export.personal_data:
        assert not reads.exists()
        return
    entries = list(reads.filter(object_type=export.name).order_by("sequence"))
    assert len(entries) == len(files) == reads.count()  # one entry per file, nothing else read
    for entry, got in zip(entries, files, strict=True):
        assert entry.after is not None
        assert (entry.after["format"], entry.after["count"]) == (got.fmt, data_rows(got))
        assert (entry.actor_id, entry.actor_name) == (
            got.actor.pk if got.actor else None,
            got.actor.get_username() if got.actor else got.actor_name,
        )
        logged = json.dumps(entry.after, ensure_ascii=False) + entry.object_repr
        assert not any(text in logged for text in (*PLANTED, ID_NUMBER))  # never the data


def test_the_publicity_json_export_is_recorded_like_the_files(
    make_user: Any, make_department: Any
) -> None:
    penalty(company(HYPERLINK), make_department())
    user = make_user(Role.CREDIT_ADMIN)
    client = Client()
    client.force_login(user)
    response = client.get(
        reverse("publicity_timeliness:export"), {"kind": "penalty", "format": "json"}
    )
    assert json.loads(response.getvalue())[0]["CF_XDR_MC"] == HYPERLINK  # exact for programs
    entry = AuditEntry.objects.get(
        action=AuditAction.SENSITIVE_READ, object_type="publicity.export"
    )
    assert (entry.actor_id, entry.after["format"], entry.after["count"]) == (user.pk, "json", 1)


# --- other downloads of personal data ------------------------------------------------------------


def test_a_case_document_download_is_a_recorded_sensitive_read(
    request: pytest.FixtureRequest,
) -> None:
    from chengxin.cases import actions
    from chengxin.cases.choices import StepKind
    from chengxin.cases.models import CaseAttachment

    case_, officer = request.getfixturevalue("make_case")(), request.getfixturevalue("handler")
    pdf = SimpleUploadedFile("询问笔录.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    actions.record_step(case_, StepKind.INVESTIGATION, actor=officer, files=[pdf])
    item = CaseAttachment.objects.get(step__case=case_)
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("cases:attachment", args=[case_.pk, item.pk])).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.SENSITIVE_READ)
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "cases.caseattachment",
        str(item.pk),
        officer.pk,
    )


def test_an_evidence_download_is_a_recorded_sensitive_read(apply: Any, credit_admin: User) -> None:
    application, _code = apply()
    item = application.evidence.get()
    client = Client()
    client.force_login(credit_admin)
    url = reverse("repair_staff:evidence", args=[application.pk, item.pk])
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.SENSITIVE_READ)
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "repair.repairevidence",
        str(item.pk),
        credit_admin.pk,
    )


# --- the table is whole --------------------------------------------------------------------------

# Routes whose name or path sounds like a file but that serve no CSV or XLSX.
NOT_SPREADSHEETS = {
    "credit_reports:download": "the credit report: a PDF, recorded as a CreditReport",
    "cases:publicity": "an HTML page of figures",
    # The annual rule-of-law report (ADR 0025): pages, and DOCX/PDF files of figures and the
    # staff's text, no personal data and no spreadsheet.
    "reports:annual": "the annual report's page",
    "reports:create": "starts a year's report (a form)",
    "reports:report": "a report's page",
    "reports:save": "saves a section's text (a form)",
    "reports:finalise": "freezes a report (a form)",
    "reports:new_version": "a new version of a finalised report (a form)",
    "reports:submit": "a department's report sent to the 司法局 (a form)",
    "reports:return": "a department's report returned with comments (a form)",
    "reports:publish": "publishes a finalised report (a form)",
    "reports:deliver": "records to whom a report was sent (a form)",
    "exchange:rejections": "an HTML page: the records the upper platform rejected",
    "reports:download": "the report as DOCX or PDF",
    "reports_public:index": "the published reports, a public page",
    "reports_public:detail": "a published report, a public page",
    "reports_public:download": "a published report as DOCX or PDF",
    "reports:file": "a kept annual report file (DOCX, PDF)",
}
FILE_WORDS = re.compile(r"export|csv|xlsx|xls\b|template|reject|report|result|download|format")


def url_names() -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern but the Django admin's."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                if pattern.namespace != "admin":  # Django's admin: no exports (checked below)
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (
                    ":".join(filter(None, [namespace, pattern.name])),
                    prefix + str(pattern.pattern),
                )

    return walk(get_resolver().url_patterns, "", "")


def test_every_url_that_serves_a_file_is_in_the_table() -> None:
    sounding = {
        name
        for name, route in url_names()
        if FILE_WORDS.search(f"{name.rsplit(':', 1)[-1]} {route}")  # not by its namespace
    }
    covered = {item.source.split("?")[0].split("/")[0] for item in CASES}
    assert sounding - covered - NOT_SPREADSHEETS.keys() == set()
    assert NOT_SPREADSHEETS.keys() <= sounding  # no stale exclusion
    assert {name for name in covered if not name.startswith("command:")} <= {
        name for name, _route in url_names()
    }


def test_every_declared_export_is_in_the_table() -> None:
    declared = all_exports()
    assert set(declared) == {item.export for item in CASES}
    assert {name for name, item in declared.items() if item.personal_data} == PERSONAL


WRITERS = re.compile(
    r"csv\.(writer|DictWriter)\b|^\s*(import|from)\s+(xlsxwriter|openpyxl)\b"
    r"|text/csv|spreadsheetml|vnd\.ms-excel",
    re.MULTILINE,
)


def test_no_module_but_core_spreadsheets_writes_csv_or_xlsx() -> None:
    own = PACKAGE / "core" / "spreadsheets.py"
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path != own
        and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert WRITERS.search(own.read_text(encoding="utf-8"))  # the pattern finds a writer


def test_the_table_finds_a_missing_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """The completeness checks fail for an export or a URL nobody listed (they can fail)."""
    spreadsheets.Export("tests.unlisted", "未列入")
    try:
        with pytest.raises(AssertionError):
            test_every_declared_export_is_in_the_table()
    finally:
        del spreadsheets._declared["tests.unlisted"]
    test_every_declared_export_is_in_the_table()
    monkeypatch.delitem(NOT_SPREADSHEETS, "cases:publicity")
    with pytest.raises(AssertionError):
        test_every_url_that_serves_a_file_is_in_the_table()
