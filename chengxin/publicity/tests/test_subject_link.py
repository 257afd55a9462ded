"""Every path that publishes or changes a record links it to its subject: the record entered is
the record the public sees, on the subject's page, in the public API and in a new credit report.

Tried as staff do it: the reporter's form (save, submit, correct, withdraw); the import and the
departments' JSON API stay linked as before (regression).
"""

from __future__ import annotations

import datetime
import json
import random

import pytest
from django.db import IntegrityError, transaction
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.core.identifiers import make_uscc
from chengxin.imports.tests.test_api import recent
from chengxin.portal import credit_report
from chengxin.publicity import actions
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.test_workflow import form_data
from chengxin.reports.tests.conftest import pdf_text
from chengxin.subjects.models import Subject

pytestmark = pytest.mark.django_db

COMPANY = "枣庄市台儿庄区运河人家餐饮有限公司"


def new_code() -> str:
    return make_uscc(random.Random())


@pytest.fixture
def reporter(make_user, make_department):
    return make_user(
        Role.DEPARTMENT_REPORTER, department=make_department(name="台儿庄区市场监督管理局")
    )


def company_form(department, code: str, **overrides) -> dict:
    decided = localdate() - datetime.timedelta(days=3)
    return form_data(
        department,
        subject_name=COMPANY,
        subject_category="legal_entity",
        subject_credit_code=code,
        id_type="",
        id_number="",
        legal_representative="李运河",
        decision_number=f"台市监罚〔{decided.year}〕201号",
        penalty_categories="罚款",
        content="罚款 0.5 万元",
        fine_amount="0.5",
        **overrides,
    )


def public_outputs(client, subject: Subject) -> tuple[str, str, str]:
    """The subject's public page, its public API answer and the text of a new credit report."""
    page = client.get(f"/subjects/{subject.public_id}/").content.decode()
    api = client.get(f"/api/v1/public/subjects/{subject.credit_code}").content.decode()
    issued = credit_report.issue_report(
        subject, site_url="http://testserver", requested_ip="127.0.0.1"
    )
    return page, api, pdf_text(issued.pdf)


def enter_and_submit(client, reporter, code: str) -> PenaltyRecord:
    client.force_login(reporter)
    response = client.post(
        "/staff/publicity/penalties/new/", company_form(reporter.department, code)
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    record = PenaltyRecord.objects.get()
    client.post(f"/staff/publicity/penalties/{record.pk}/submit/")
    record.refresh_from_db()
    return record


def test_a_penalty_typed_into_the_form_reaches_the_portal_the_report_and_the_api(
    reporter, client
) -> None:
    code = new_code()
    record = enter_and_submit(client, reporter, code)
    assert record.status == RecordStatus.PUBLISHED
    subject = Subject.objects.get(credit_code=code)  # created from the record
    assert record.subject == subject and subject.name == COMPANY
    assert subject.legal_representative == "李运河"
    client.logout()
    page, api, pdf = public_outputs(client, subject)
    assert record.decision_number in page
    assert record.decision_number in json.loads(api)["penalties"][0].values()
    assert record.decision_number in pdf.replace("\n", "")


def test_a_draft_names_no_subject_yet(reporter, client) -> None:
    client.force_login(reporter)
    client.post("/staff/publicity/penalties/new/", company_form(reporter.department, new_code()))
    record = PenaltyRecord.objects.get()
    assert record.status == RecordStatus.DRAFT and record.subject is None
    assert not Subject.objects.exists()  # a draft with a typo creates no public subject


def test_an_existing_subject_is_reused_not_doubled(reporter, client) -> None:
    code = new_code()
    known = Subject.objects.create(name=COMPANY, category="legal_entity", credit_code=code)
    record = enter_and_submit(client, reporter, code)
    assert record.subject == known and Subject.objects.count() == 1


def test_a_correction_of_the_company_moves_the_record_to_the_right_subject(
    reporter, client
) -> None:
    wrong, right = new_code(), new_code()
    record = enter_and_submit(client, reporter, wrong)
    before = record.subject
    response = client.post(
        f"/staff/publicity/penalties/{record.pk}/edit/",
        company_form(reporter.department, right, reason="统一社会信用代码录入错误"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.subject.credit_code == right and record.version == 2
    client.logout()
    assert record.decision_number not in public_outputs(client, before)[0]
    assert record.decision_number in public_outputs(client, record.subject)[0]


def test_a_correction_of_other_fields_keeps_the_subject(reporter, client) -> None:
    record = enter_and_submit(client, reporter, new_code())
    subject = record.subject
    client.post(
        f"/staff/publicity/penalties/{record.pk}/edit/",
        company_form(
            reporter.department,
            subject.credit_code,
            violation_facts="经查，当事人……（更正）",
            reason="事实表述更正",
        ),
    )
    record.refresh_from_db()
    assert record.subject == subject and record.version == 2
    assert Subject.objects.count() == 1


def test_a_withdrawn_record_keeps_its_subject_and_leaves_the_portal(reporter, client) -> None:
    record = enter_and_submit(client, reporter, new_code())
    actions.withdraw_record(
        record, actor=reporter, reason="复议决定撤销原处罚决定", revoked_on=localdate()
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN and record.subject is not None
    client.logout()
    page, api, pdf = public_outputs(client, record.subject)
    assert record.decision_number not in page + api + pdf.replace("\n", "")


def test_a_natural_person_is_linked_by_the_id_number_not_the_name(reporter, client) -> None:
    client.force_login(reporter)
    client.post("/staff/publicity/penalties/new/", form_data(reporter.department))
    record = PenaltyRecord.objects.get()
    client.post(f"/staff/publicity/penalties/{record.pk}/submit/")
    record.refresh_from_db()
    person = record.subject
    assert person.category == "natural_person" and person.id_number_index == record.id_number_index
    assert person.id_number_masked == "360426********0071" and not person.credit_code


def test_the_database_refuses_a_published_record_without_a_subject(reporter, client) -> None:
    record = enter_and_submit(client, reporter, new_code())
    with pytest.raises(IntegrityError), transaction.atomic():
        PenaltyRecord.objects.filter(pk=record.pk).update(subject=None)
    # A draft may lack one (boundary): nothing public depends on it.
    PenaltyRecord.objects.filter(pk=record.pk).update(status=RecordStatus.DRAFT, subject=None)


def test_an_imported_file_links_its_rows_before_they_are_published(
    write_csv, make_department, client
) -> None:
    from chengxin.imports.choices import BatchSource
    from chengxin.imports.models import ImportBatch
    from chengxin.imports.pipeline import run_batch
    from chengxin.publicity.tests.fixtures import rows_for

    department = make_department(name="台儿庄区市场监督管理局")
    path = write_csv("penalty", recent(rows_for("penalty", department, 5)))
    batch = ImportBatch.objects.create(
        kind="penalty", department=department, source=BatchSource.COMMAND, file_name=path.name
    )
    run_batch(batch, path)
    records = list(PenaltyRecord.objects.select_related("subject"))
    assert len(records) == 5
    assert {r.status for r in records} == {RecordStatus.PUBLISHED}  # none left staged
    assert all(r.subject is not None for r in records)
    shown = [r for r in records if r.public_until and r.public_until >= localdate()]
    assert shown, "the sample has public penalties"
    page = client.get(f"/subjects/{shown[0].subject.public_id}/").content.decode()
    assert shown[0].decision_number in page
