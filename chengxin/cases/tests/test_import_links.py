"""The 双公示 import with the power list and the cases: an optional 权力编码 column, penalty rows
linked to their online case, and rows refused under the error setting."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chengxin.accounts.models import Department, User
from chengxin.agencies.models import EnforcementBody
from chengxin.cases.choices import CaseStatus
from chengxin.cases.importing import POWER_CODE, link_rows
from chengxin.cases.models import Case
from chengxin.cases.tests.fixtures import advance, decide_now
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.powers.models import PowerItem
from chengxin.publicity import samples
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.importing import ChunkResult, RecordImporter
from chengxin.publicity.models import LicenseRecord, PenaltyRecord

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2026, 11, 2)


def run_import(
    kind: str, department: Department, count: int, power_codes: list[str] | None = None
) -> ChunkResult:
    """Import `count` sample rows of `department` (as 处罚机关 too), with a 权力编码 column when
    `power_codes` gives one per row; decision numbers 台市监罚〔2026〕00001号 …"""
    rng = random.Random(5)
    importer = RecordImporter(kind, department)
    header = samples.header(kind)
    rows = list(
        samples.sample_rows(
            rng, kind, count, (department.name, department.credit_code), start=DECIDED, end=DECIDED
        )
    )
    cells = [samples.as_cells(kind, row) for row in rows]
    if power_codes is not None:
        header = [*header, "权力编码"]
        cells = [[*row, code] for row, code in zip(cells, power_codes, strict=True)]
    importer.set_header(header)
    return importer.process(list(enumerate(cells, start=2)))


@pytest.fixture
def body_of_department(case_department: Department, case_body: EnforcementBody) -> EnforcementBody:
    """The body's code is its department's (as for the demo departments)."""
    EnforcementBody.objects.filter(pk=case_body.pk).update(credit_code=case_department.credit_code)
    case_body.refresh_from_db()
    return case_body


def test_the_power_code_column_links_the_power_item(
    case_department: Department, penalty_item: PowerItem, make_power_item: Callable[..., PowerItem]
) -> None:
    licence_item = make_power_item(category="license", name="食品经营许可")
    result = run_import(RecordKind.LICENSE, case_department, 2, [licence_item.code, ""])
    assert result.created == 2 and not result.rejected
    linked = LicenseRecord.objects.filter(power_item=licence_item)
    assert linked.count() == 1
    result = run_import(RecordKind.PENALTY, case_department, 2, [penalty_item.code, "QL-NONE"])
    assert result.created == 1
    (rejected,) = result.rejected
    assert rejected.row_number == 3
    assert "权力编码" in rejected.problems[0] and "QL-NONE" in rejected.problems[0]
    assert PenaltyRecord.objects.get().power_item == penalty_item


def test_a_penalty_row_gets_its_online_case(
    make_case: Callable[..., Case], handler: User, body_of_department: EnforcementBody
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(
        case, actor=handler, decision_number="台市监罚〔2026〕00001号", decision_summary="罚款"
    )
    assert body_of_department.department is not None
    result = run_import(RecordKind.PENALTY, body_of_department.department, 2)
    assert result.created == 2
    record = PenaltyRecord.objects.get(decision_number="台市监罚〔2026〕00001号")
    assert record.case == case and record.power_item_id == case.power_item_id
    assert PenaltyRecord.objects.get(decision_number="台市监罚〔2026〕00002号").case is None


@pytest.mark.parametrize(
    ("policy", "required_from", "created"),
    [
        ("warning", "", 2),
        ("error", "", 1),
        ("error", "2026-11-02", 1),  # the rows' decision date: the rule applies
        ("error", "2026-11-03", 2),  # decided before online handling was required
    ],
)
def test_the_error_setting_refuses_rows_of_a_body_without_a_case(
    make_case: Callable[..., Case],
    handler: User,
    body_of_department: EnforcementBody,
    policy: str,
    required_from: str,
    created: int,
) -> None:
    LocalSetting.objects.create(key="cases.penalty_without_case", value=policy)
    LocalSetting.objects.create(key="cases.penalty_case_required_from", value=required_from)
    local_settings.clear_cache()
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(
        case, actor=handler, decision_number="台市监罚〔2026〕00001号", decision_summary="罚款"
    )
    assert body_of_department.department is not None
    result = run_import(RecordKind.PENALTY, body_of_department.department, 2)
    assert result.created == created
    if created == 1:
        (rejected,) = result.rejected
        assert rejected.decision_number == "台市监罚〔2026〕00002号"
        assert "CF_WSH" in rejected.problems[0] and "在线办理案件" in rejected.problems[0]


def _penalty_rows(count: int, code: str, power_code: str) -> list[SimpleNamespace]:
    """Rows as the importer hands them over: values only, each on its own decision date."""
    return [
        SimpleNamespace(
            values={
                "authority_credit_code": code,
                "decision_number": f"台市监罚〔2026〕{n:05d}号",
                "decision_date": DECIDED - datetime.timedelta(days=n),
                POWER_CODE: power_code if n % 2 else "",
            }
        )
        for n in range(1, count + 1)
    ]


def test_linking_a_chunk_takes_the_same_queries_for_few_rows_and_many(
    make_case: Callable[..., Case],
    handler: User,
    body_of_department: EnforcementBody,
    penalty_item: PowerItem,
) -> None:
    """Given the error setting, a case with a decision and rows with 权力编码 on many dates,
    when link_rows runs on a chunk of 3 rows and one of 60,
    then both take the same number of queries (set-based, not per row or per date)."""
    LocalSetting.objects.create(key="cases.penalty_without_case", value="error")
    local_settings.clear_cache()
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(
        case, actor=handler, decision_number="台市监罚〔2026〕00001号", decision_summary="罚款"
    )
    code = body_of_department.credit_code
    local_settings.get("cases.penalty_without_case")  # the settings cache is warm for both runs
    few_rows, many_rows = (
        _penalty_rows(3, code, penalty_item.code),
        _penalty_rows(60, code, penalty_item.code),
    )
    with CaptureQueriesContext(connection) as few:
        link_rows(RecordKind.PENALTY, few_rows)
    with CaptureQueriesContext(connection) as many:
        refused = link_rows(RecordKind.PENALTY, many_rows)
    assert len(many) == len(few) <= 3
    assert many_rows[0].values["case_id"] == case.pk
    assert len(refused) == 59
