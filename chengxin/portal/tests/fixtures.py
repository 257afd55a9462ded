"""Subjects and records for portal tests.

A record's decision date defaults to a month before today (read when the record is made): a
recent decision, in its publicity period whatever the date the tests run on. A test about a
given day passes `decision_date` (or runs on that day with `@pytest.mark.today`).
"""

from __future__ import annotations

import datetime
import itertools
import random
from typing import Any

from django.utils.timezone import localdate

from chengxin.accounts.models import Department
from chengxin.core.identifiers import make_uscc
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

_serial = itertools.count(1)
_rng = random.Random(99)


def company(name: str = "枣庄市台儿庄区宏达商贸有限公司", **fields: Any) -> Subject:
    return Subject.objects.create(
        name=name, category=SubjectCategory.LEGAL_ENTITY, credit_code=make_uscc(_rng), **fields
    )


def person(name: str = "张小三", id_number: str = "360426199101010071") -> Subject:
    subject = Subject(name=name, category=SubjectCategory.NATURAL_PERSON)
    subject.set_id_number(id_number)
    subject.save()
    return subject


def recently() -> datetime.date:
    """The factories' default decision date: 30 days before today."""
    return localdate() - datetime.timedelta(days=30)


def penalty(subject: Subject, department: Department, **fields: Any) -> PenaltyRecord:
    decided = fields.pop("decision_date", None) or recently()
    id_number = fields.pop("id_number", "")
    values: dict[str, Any] = {
        "department": department,
        "subject": subject,
        "subject_name": subject.name,
        "subject_category": subject.category,
        "subject_credit_code": subject.credit_code,
        "decision_number": f"台市监罚〔{decided.year}〕{next(_serial)}号",
        "violation_type": "销售过期食品",
        "violation_facts": "经查……",
        "legal_basis": "《食品安全法》第一百二十四条",
        "penalty_categories": "警告;罚款",
        "content": "警告，罚款 0.2 万元",
        "fine_amount": "0.2",
        "decision_date": decided,
        "penalty_valid_until": decided,
        "deadline": decided,
        "status": RecordStatus.PUBLISHED,
        "authority": department.name,
        "authority_credit_code": department.credit_code,
        "data_source": department.name,
        "data_source_credit_code": department.credit_code,
    }
    values.update(fields)
    if subject.category == SubjectCategory.NATURAL_PERSON:
        values.setdefault("id_type", "身份证")
    record = PenaltyRecord(**values)
    record.set_personal_numbers(id_number=id_number)
    record.save()
    return record


def license_(subject: Subject, department: Department, **fields: Any) -> LicenseRecord:
    decided = fields.pop("decision_date", None) or recently()
    values: dict[str, Any] = {
        "department": department,
        "subject": subject,
        "subject_name": subject.name,
        "subject_category": subject.category,
        "subject_credit_code": subject.credit_code,
        "decision_number": f"台审批〔{decided.year}〕{next(_serial)}号",
        "document_name": "食品经营许可决定书",
        "license_category": "普通",
        "content": "准予食品经营许可",
        "decision_date": decided,
        "valid_from": decided,
        "valid_to": datetime.date(decided.year + 5, 1, 1) - datetime.timedelta(days=1),
        "deadline": decided,
        "status": RecordStatus.PUBLISHED,
        "authority": department.name,
        "authority_credit_code": department.credit_code,
    }
    values.update(fields)
    record = LicenseRecord(**values)
    record.set_personal_numbers()
    record.save()
    return record
